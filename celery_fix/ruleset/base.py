"""The base class of every celery-fix rule: a Fixit LintRule with a stable code and fix safety.

Kept outside `celery_fix.rules` on purpose: Fixit collects every LintRule subclass it finds in a
rules module, and the base class is not a rule. Rule modules import this module, not the class.

A rule runs two ways:
- under plain Fixit (`fixit --rules celery_fix.rules lint`): `report()` goes to Fixit, which needs
  its Position/Parent metadata; unsafe fixes are reported without a replacement;
- under celery-fix's engine: the engine sets `_sink` and `context`, runs all rules in one batched
  pass with no metadata, and works out positions and suppressions only for what was reported.
"""

from __future__ import annotations

import inspect
import re
from dataclasses import dataclass, field
from typing import Any, ClassVar, Optional

import libcst as cst
from fixit import LintRule
from libcst.metadata import PositionProvider

from celery_fix.constructs.names import NameTable, build_name_table
from celery_fix.constructs.test_code import is_test_path

SAFE = "safe"
UNSAFE = "unsafe"

# Fixit's own directive, widened to accept kebab-case names (`# lint-ignore: retry-without-backoff`)
_LINT_IGNORE = re.compile(r"#\s*(lint-(?:ignore|fixme))(?:(?::\s*|\s+)([\w-]+(?:\s*,\s*[\w-]+)*))?")
_NOQA = re.compile(r"#\s*noqa(?::\s*(?P<codes>[A-Za-z]+[0-9]+(?:\s*,\s*[A-Za-z]+[0-9]+)*))?", re.IGNORECASE)
NOQA = _NOQA  # what --add-noqa merges its codes into (celery_fix/noqa_writer.py)


@dataclass
class FileContext:
    """What a rule may know about the file being checked."""

    module: cst.Module
    names: NameTable
    path: str = ""
    options: dict[str, Any] = field(default_factory=dict)
    index: Any = None  # the ProjectIndex, when the engine has one


@dataclass
class RawReport:
    rule: "CeleryRule"
    node: cst.CSTNode
    message: str
    replacement: Any
    unsafe: bool
    # (module, name) pairs the fix needs bound: `from module import name` is added when missing
    imports: tuple[tuple[str, str], ...] = ()
    help: str | None = None  # how to fix it
    note: str | None = None  # on the fix: why it is unsafe, or why there is none here
    at: Any = None  # the node the finding points at, when not `node` (which the fix replaces)
    position_span: Any = None  # the span of `at`, filled in with `span`
    span: Any = None  # filled in by the engine for reports that survive suppression


_VISITOR_NAMES: dict[type, tuple[str, ...]] = {}
_LAST_SOURCE: list = [None, {}]


def holds_any(source: bytes, words) -> bool:
    """Whether `source` contains one of `words`. Each word is looked for once per source: the
    engine asks every rule about the same bytes, several times over a check."""
    if _LAST_SOURCE[0] is not source:
        _LAST_SOURCE[:] = [source, {}]
    seen = _LAST_SOURCE[1]
    for word in words:
        found = seen.get(word)
        if found is None:
            found = seen[word] = word in source
        if found:
            return True
    return False


# the fixes that only add keywords to a task's decorator (CEL401 `ignore_result=True`, CEL202
# `retry_backoff`/`retry_backoff_max`/`retry_jitter`): SURVIVES_FIXES_OF of a rule that reads none
DECORATOR_KEYWORD_FIXES = frozenset({"CEL401", "CEL202"})


def sends_no_task(index: Any, path: str | None) -> bool:
    """The index parsed the file at `path` and found no call that could send a task: a rule
    about dispatches cannot fire there. False when the index has nothing to say about the file."""
    if index is None or path is None or path not in getattr(index, "indexed_files", ()):
        return False
    return path not in index.dispatching_files


def holds_no_task_result(index: Any, path: str | None) -> bool:
    """The index read the file at `path` and no call that could send a task has its value used
    there: no task result is in the file but through a lookup by id (`AsyncResult(...)`)."""
    if index is None or path is None or path not in getattr(index, "indexed_files", ()):
        return False
    return path not in getattr(index, "result_files", ())


class CeleryRule(LintRule):
    CODE: ClassVar[str] = ""
    NAME: ClassVar[str] = ""  # kebab-case, e.g. "retry-without-backoff"
    # the short message (one clause: what is wrong) and the help (how to fix it); the why is the
    # class docstring (`--explain`). report() takes either per case.
    MESSAGE: ClassVar[str] = ""
    HELP: ClassVar[str] = ""
    FIX_TITLE: ClassVar[Optional[str]] = None  # None: the rule only reports
    SEVERITY: ClassVar[str] = "warning"
    ENABLED_BY_DEFAULT: ClassVar[bool] = True
    NEEDS_INDEX: ClassVar[bool] = False
    # rule options with their defaults, set from [tool.celery-fix] (Fixit does not pass options)
    OPTIONS: ClassVar[dict[str, Any]] = {}
    # words (bytes) without which the rule cannot fire: files that contain none of the enabled
    # rules' words are not parsed at all. Empty means the rule must see every file.
    TRIGGERS: ClassVar[tuple[bytes, ...]] = ()
    # words a top-level definition (or a method of a kept class) must hold for the rule to need it
    # (engine/elide.py keeps it then, with what it names and what calls it); a tuple of words: all
    # of them. None: TRIGGERS. Narrower than TRIGGERS when the rule reads only some definitions
    # (tasks are kept by their decorators, class tasks by their `run`): what it reports in or reads.
    KEEP_WORDS: ClassVar[Optional[tuple[Any, ...]]] = None
    # a beat rule: also relevant in files the index saw beat entries written in (index.schedule_files)
    READS_SCHEDULES: ClassVar[bool] = False
    # a rule about settings that reports nothing in test code (constructs/test_code.py, whose settings
    # are fixtures): the engine does not run it there, nor parse a test file for it
    SKIPS_TEST_CODE: ClassVar[bool] = False
    # the rule's reports left unfixed stay the same after any other fix (it reads nothing another
    # rule's fix changes): the engine need not check a fixed file again for it (engine._settled)
    SURVIVES_FIXES: ClassVar[bool] = False
    # codes of the rules whose fixes the rule's unfixed reports survive (what it reads those fixes
    # never change): a file where only their fixes landed need not be checked again for it
    SURVIVES_FIXES_OF: ClassVar[frozenset[str]] = frozenset()

    TAGS = {"celery"}

    def __init__(self) -> None:
        super().__init__()
        self._sink: list[RawReport] | None = None
        self.context: FileContext | None = None
        # a plain attribute, not a property: Fixit's getmembers() would evaluate a property early
        self.names: NameTable = NameTable()
        self.configured: dict[str, Any] = {}

    # -- set up ------------------------------------------------------------------------------
    @classmethod
    def relevant(cls, source: bytes, index: Any = None, path: str | None = None) -> bool:
        """Whether the rule can fire on a file with this source (at `path`, when known): the engine
        neither parses a file no enabled rule finds relevant nor runs a rule on a file it does not.
        Override for a narrower test (words that must appear together, facts from the index); it
        must never say no to a file the rule would report on."""
        if cls.SKIPS_TEST_CODE and is_test_path(path):
            return False
        if cls.READS_SCHEDULES and path is not None and path in getattr(index, "schedule_files", ()):
            return True  # a schedule dict in its own module, with none of the rule's words
        return not cls.TRIGGERS or holds_any(source, cls.TRIGGERS)

    @classmethod
    def keep_words(cls) -> tuple[Any, ...]:
        """The words that keep a definition for this rule when a module is reduced (KEEP_WORDS)."""
        return cls.TRIGGERS if cls.KEEP_WORDS is None else cls.KEEP_WORDS

    @classmethod
    def survives_fixes(cls, report: RawReport) -> bool:
        """Whether this report, left unfixed, stays the same after any other fix in the file
        (engine._settled then need not check the fixed file again)."""
        return cls.SURVIVES_FIXES

    def option(self, name: str) -> Any:
        if name in self.configured:
            return self.configured[name]
        return self.OPTIONS[name]

    def visit_Module(self, node: cst.Module) -> None:
        # under plain Fixit nobody prepared the context: build it from the module alone
        if self.context is None or self.context.module is not node:
            self.context = FileContext(module=node, names=build_name_table(node))
        self.names = self.context.names


    # -- reporting ---------------------------------------------------------------------------
    def report(
        self,
        node: cst.CSTNode,
        message: Optional[str] = None,
        *,
        position=None,
        replacement=None,
        unsafe: bool = False,
        imports: tuple[tuple[str, str], ...] = (),
        help: Optional[str] = None,
        note: Optional[str] = None,
        at: Optional[cst.CSTNode] = None,
    ) -> None:
        """Report a finding on `node`: `message` says what is wrong, `help` how to fix it (default
        MESSAGE and HELP), `note` qualifies the fix; `replacement` is the fixed node (None: report
        only), `unsafe` marks a fix that can change behaviour, `imports` the names the fix uses; `at`
        is where the finding points when that is not `node` (a task's decorator, `@` included)."""
        message = message or self.MESSAGE
        help = help or self.HELP or None
        note = note or None
        if self._sink is not None:
            self._sink.append(RawReport(self, node, message, replacement, unsafe, tuple(imports), help, note, at))
            return
        if at is not None and position is None:
            position = self.get_metadata(PositionProvider, at)
        if replacement is not None and any(
            self.names.resolve(cst.Name(name)) != f"{source}.{name}" for source, name in imports
        ):
            replacement = None  # plain Fixit cannot add a missing import: report only there
        # Fixit has no notion of fix safety: an unsafe fix is reported, never applied there
        super().report(
            node,
            f"{self.CODE} {full_message(message, help, note)}",
            position=position,
            replacement=None if unsafe else replacement,
        )

    @classmethod
    def visitor_names(cls) -> tuple[str, ...]:
        """The names `get_visitors()` maps (libcst's test: methods named `visit_*`/`leave_*` that
        are not its empty stubs), found once per class: `inspect.getmembers()` on each new instance
        cost each worker process about 5 ms per rule."""
        names = _VISITOR_NAMES.get(cls)
        if names is None:
            members: dict[str, Any] = {}
            for klass in cls.__mro__:  # (what dir() walks, without its cost: 60 -> 20 ms for the rules)
                for name, member in vars(klass).items():
                    if name.startswith(("visit_", "leave_")):
                        members.setdefault(name, member)
            names = _VISITOR_NAMES[cls] = tuple(sorted(
                name for name, member in members.items()
                if inspect.isfunction(member) and member.__name__.startswith(("visit_", "leave_"))
                and not getattr(member, "_is_no_op", False)
            ))
        return names

    def get_visitors(self):
        # Fixit builds this with inspect.getmembers() on every visit_batched(): ~15 ms per rule
        # per file. The methods do not change, so build it once per instance.
        cached = self.__dict__.get("_visitors")
        if cached is None:
            cached = self.__dict__["_visitors"] = super().get_visitors()
        return cached

    def ignore_lint(self, node: cst.CSTNode) -> bool:
        return any(suppresses(comment, self) for comment in self.node_comments(node))


def full_message(message: str, help: str | None, note: str | None = None) -> str:
    """The message, help and note as one sentence (plain Fixit's message, JSON `full_message`)."""
    return "; ".join(part for part in (message, help, note) if part)


def suppresses(comment: str, rule: CeleryRule | type[CeleryRule]) -> bool:
    """Whether a `# noqa` / `# lint-ignore` / `# lint-fixme` comment silences `rule`."""
    rule_cls = rule if isinstance(rule, type) else type(rule)
    match = _NOQA.search(comment)
    if match:
        codes = match.group("codes")
        if codes is None or rule_cls.CODE in {c.strip().upper() for c in codes.split(",")}:
            return True
    match = _LINT_IGNORE.search(comment)
    if match:
        names = match.group(2)
        if names is None:
            return True
        accepted = {rule_cls.CODE.lower(), rule_cls.NAME.lower(), rule_name(rule_cls).lower()}
        for name in (n.strip() for n in names.split(",")):
            if name.endswith("Rule"):
                name = name[:-4]
            if name.lower() in accepted:
                return True
    return False


def rule_name(rule_cls: type[CeleryRule]) -> str:
    name = rule_cls.__name__
    return name[:-4] if name.endswith("Rule") else name
