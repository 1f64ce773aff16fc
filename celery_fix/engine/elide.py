"""The part of a module the rules can need, with the rest blanked out, so libcst parses less.

libcst builds a Python object for every token: parsing is most of a check's time, and most of a
module with a dispatch in it is code no rule looks at (helpers, serializers, other views). A
top-level `def`/`class` is blanked out (its lines emptied, so every line and column stays where
it was) when
- it is a function whose decorators are none, or only ones no rule reads (`@classmethod`,
  `@pytest.fixture`, `@mock.patch(...)`, resolved through the module's imports): a task, a
  receiver, `@atomic`, a beat hook, a project's own decorator keep theirs; or a class none of whose
  decorators may make a task (`@extend_schema_view(...)` keeps nothing) and that is no class-based
  task (a `run` method) and defines no task in its body,
- its text, decorators included, holds none of the KEEP_WORDS of the rules that run on the file
  (a word, or a tuple of words all present),
- no kept code names it, and it names no kept `def`/`class` (a view calling a helper that
  waits on a result; a `connect(handler)`), followed until nothing changes,
- it is not the statement a fix's new imports go before.
The same holds one level down, for the methods of a kept top-level class: a view class with one
method that dispatches keeps that method (and the methods it names, and those naming it), its class
attributes, a method with a decorator that may make a task and a method of the names rules read on
a task or model class (`run`, `save`, ...); its other methods (`@action(...)` ones too) are blanked
out. A class keeps at least one statement.
Everything else (imports, assignments, `if` blocks, module docstring, comments) is kept as is.
The stdlib `ast` finds the statements (about eight times faster than libcst's parse); a module
it cannot parse is not reduced.
"""

from __future__ import annotations

import ast
import re

from celery_fix.constructs.bindings import (
    NameTable,
    bind_statements,
    dotted_name,
    top_level_statements,
)

MIN_SIZE = 4096  # below this the ast parse costs more than the blanking saves
MIN_DEFS = 4  # top-level definitions and methods (a module of two small functions keeps them)
_TOP_LEVEL_DEFS = (b"\ndef ", b"\nclass ", b"\nasync def ", b"\n    def ", b"\n    async def ")
_IDENTIFIER = re.compile(rb"[A-Za-z_][A-Za-z0-9_]*")
_DEFS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)


# the transaction rules' context words (their KEEP_WORDS hold them too): the index's plan keeps
# what they need whichever rules run
CONTEXT_WORDS = (b"atomic", b"connect", b"receiver")

Plan = tuple[tuple[int, int], ...]  # line ranges to blank out, 1-based and inclusive
# what keeps a definition: a word it holds, or a tuple of words it holds all of
KeepWords = tuple["bytes | tuple[bytes, ...]", ...]

# decorators no rule reads (a decorator's own words, e.g. `@mock.patch("x.delay")`, still keep
# its function): the builtins, when the module does not rebind them, and these by resolved name
_PLAIN_BUILTINS = frozenset({"classmethod", "staticmethod", "property"})
_PLAIN_DECORATORS = frozenset({
    "dataclasses.dataclass", "functools.cached_property", "functools.lru_cache", "functools.cache",
    "functools.wraps", "functools.total_ordering", "abc.abstractmethod", "typing.overload",
    "typing.final", "typing_extensions.overload", "django.utils.functional.cached_property",
    "django.test.override_settings", "django.test.utils.override_settings", "django.test.modify_settings",
})
_PLAIN_DECORATOR_MODULES = ("pytest.", "unittest.mock.", "mock.", "freezegun.")


def reduce_module(source: bytes, keep_words: KeepWords) -> bytes | None:
    """`source` with the top-level definitions no rule can need blanked out; None when nothing
    is blanked out (or the module is small, or `ast` cannot parse it)."""
    if not worth_reducing(source):
        return None
    try:
        body = ast.parse(source).body
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None
    return apply_plan(source, blank_plan(body, source, keep_words))


def outline_of(source: bytes) -> Outline | None:
    """The module's outline (below); None when it is not worth reducing or `ast` cannot parse it."""
    if not worth_reducing(source):
        return None
    try:
        return outline(ast.parse(source).body, source)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None


def worth_reducing(source: bytes) -> bool:
    if len(source) < MIN_SIZE or b"\r" in source.replace(b"\r\n", b""):
        return False  # a lone `\r` ends a line for the tokenizer but not for the line split here
    # a module of a few definitions: nothing to gain
    return sum(source.count(start) for start in _TOP_LEVEL_DEFS) >= MIN_DEFS


def blank_plan(body: list[ast.stmt], source: bytes, keep_words: KeepWords) -> Plan:
    """The lines of the top-level statements of `body` (the module's `ast`) no rule can need."""
    return plan_of(outline(body, source), source, keep_words)


# what of a module's `ast` the plan needs, whatever the words (plain tuples: a worker process sends
# it back): per top-level statement (first line, last line, name or None, kept whatever the words,
# the class's methods or None), the index of the statement a fix's imports go before (or None), and
# the size of the source it describes. A method: (first line, last line, name or None, kept
# whatever the words, on lines of its own).
Outline = tuple[tuple[tuple[int, int, "bytes | None", bool, "tuple | None"], ...], "int | None", int]


def outline(body: list[ast.stmt], source: bytes) -> Outline:
    """The word-independent part of the plan (the index's worker works it out with its `ast`)."""
    names = _names_of(body)
    entries = []
    for statement in body:
        methods = None
        if isinstance(statement, ast.ClassDef) and len(statement.body) >= 2:
            methods = _method_outline(statement, names)
        entries.append((_first_line(statement), statement.end_lineno, _name(statement), _fixed(statement, names), methods))
    return tuple(entries), _import_anchor(body), len(source)


def first_lines(shape: Outline, plan: Plan = ()) -> tuple[int, ...]:
    """The line of the first token of each top-level statement libcst sees in the source the
    outline describes, with the statements `plan` blanks out gone (positions.statement_spans):
    `ast` statements joined by `;` are one statement there."""
    blanked = set(plan)
    return _joined((first, last) for first, last, *_ in shape[0] if (first, last) not in blanked)


def first_lines_of(body: list[ast.stmt]) -> tuple[int, ...]:
    """first_lines, from a module's `ast`."""
    return _joined((_first_line(statement), statement.end_lineno) for statement in body)


def _joined(ranges) -> tuple[int, ...]:
    lines: list[int] = []
    end = 0
    for first, last in ranges:
        if first > end:
            lines.append(first)
        end = max(end, last)
    return tuple(lines)


def plan_of(shape: Outline, source: bytes, keep_words: KeepWords) -> Plan:
    """The lines to blank out for these words, from the module's outline (of this `source`)."""
    entries, anchor, size = shape
    assert size == len(source), "an outline of other source"
    lines = source.split(b"\n")
    texts = [b"\n".join(lines[first - 1 : last]) for first, last, *_ in entries]
    keep = [fixed or _holds_any(text, keep_words) for (_, _, _, fixed, _), text in zip(entries, texts)]
    _follow_names([entry[2] for entry in entries], texts, keep)
    if anchor is not None:
        keep[anchor] = True  # for the layout only: what it names need not stay
    plan = [(entry[0], entry[1]) for entry, kept in zip(entries, keep) if not kept]
    for entry, kept in zip(entries, keep):
        if kept and entry[4] is not None:
            plan += _method_plan(entry[4], lines, keep_words)
    return tuple(sorted(plan))


def _name(statement: ast.stmt) -> bytes | None:
    return statement.name.encode() if isinstance(statement, _DEFS) else None


def _holds_any(text: bytes, keep_words: KeepWords) -> bool:
    return any(holds(text, word) for word in keep_words)


def _first_line(statement: ast.stmt) -> int:
    """A definition starts at its first decorator (`lineno` is its `def`/`class` line)."""
    decorators = getattr(statement, "decorator_list", None)
    return min(statement.lineno, *(d.lineno for d in decorators)) if decorators else statement.lineno


def _names_of(body: list[ast.stmt]) -> NameTable | None:
    """What the module's top-level names are bound to; None after a star import (any name may
    then be bound to anything)."""
    statements = list(top_level_statements(body))
    if any(isinstance(s, ast.ImportFrom) and any(a.name == "*" for a in s.names) for s in statements):
        return None
    table = NameTable()
    bind_statements(table, ((s, s) for s in statements))
    return table


def _plain_decorator(decorator: ast.expr, names: NameTable | None) -> bool:
    """Whether no rule reads this decorator (its function is then judged by its words alone)."""
    if names is None:
        return False
    dotted = dotted_name(decorator.func if isinstance(decorator, ast.Call) else decorator)
    if dotted is None:
        return False
    if dotted in _PLAIN_BUILTINS:
        return dotted not in names.bindings
    qualname = names.resolve_dotted(dotted)
    return qualname is not None and (qualname in _PLAIN_DECORATORS or qualname.startswith(_PLAIN_DECORATOR_MODULES))


# methods rules read whatever words they hold: a class task's body, a model's save()/delete()
_ALWAYS_KEPT_METHODS = frozenset({
    "run", "__call__", "__init__", "save", "delete", "apply_async", "delay", "on_failure", "on_retry",
    "on_success", "after_return", "retry",
})


def _method_outline(cls: ast.ClassDef, names: NameTable | None) -> tuple:
    body = cls.body
    methods = []
    for index, statement in enumerate(body):
        first = _first_line(statement)
        before = body[index - 1].end_lineno if index else cls.lineno
        after = _first_line(body[index + 1]) if index + 1 < len(body) else None
        fixed = (
            not isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef)) or statement.name in _ALWAYS_KEPT_METHODS
            or _fixed(statement, names, method=True)
        )
        # only a method on lines of its own (`class A: def f(self): ...` shares the class's line)
        own_lines = first > before and (after is None or after > statement.end_lineno)
        methods.append((first, statement.end_lineno, _name(statement), fixed, own_lines))
    return tuple(methods)


def _method_plan(methods: tuple, lines: list[bytes], keep_words: KeepWords) -> list[tuple[int, int]]:
    texts = [b"\n".join(lines[first - 1 : last]) for first, last, *_ in methods]
    keep = [fixed or _holds_any(text, keep_words) for (_, _, _, fixed, _), text in zip(methods, texts)]
    _follow_names([method[2] for method in methods], texts, keep)
    if not any(keep):
        keep[0] = True  # a class body cannot be empty
    return [(method[0], method[1]) for method, kept in zip(methods, keep) if not kept and method[4]]


def apply_plan(source: bytes, plan: Plan) -> bytes | None:
    """`source` with the planned lines emptied (their line breaks kept); None for an empty plan."""
    if not plan:
        return None
    lines = source.split(b"\n")
    for first, last in plan:
        for number in range(first - 1, last):
            lines[number] = b"\r" if lines[number].endswith(b"\r") else b""
    return b"\n".join(lines)


def _fixed(statement: ast.stmt, names: NameTable | None, method: bool = False) -> bool:
    """Whether the statement is kept whatever words it holds."""
    if not isinstance(statement, _DEFS):
        return True
    decorators = [d for d in statement.decorator_list if not _plain_decorator(d, names)]
    if method or (decorators and isinstance(statement, ast.ClassDef)):
        # a class's or a method's decorator (`@extend_schema_view(...)`, `@action(...)`) is read by
        # no rule but the task rules: it keeps the definition when it may make a task
        if any(_task_like(d, names) for d in decorators):
            return True
    elif decorators:
        return True  # a function's: a task, a receiver, `@atomic`, a beat hook, the project's own
    return isinstance(statement, ast.ClassDef) and _may_hold_task(statement, names)


def holds(text: bytes, word: bytes | tuple[bytes, ...]) -> bool:
    """`word` is in `text`; a tuple of words: all of them are."""
    if type(word) is bytes:
        return word in text
    return all(part in text for part in word)


def _may_hold_task(cls: ast.ClassDef, names: NameTable | None) -> bool:
    """A class-based task (a `run` method) or a class body defining a task (`@app.task` on a
    method, in nested classes too): the task rules read these whatever words they hold, so their
    KEEP_WORDS need not name them."""
    for statement in cls.body:
        if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef)):
            if statement.name == "run" or any(_task_like(d, names) for d in statement.decorator_list):
                return True
        elif isinstance(statement, ast.ClassDef) and _may_hold_task(statement, names):
            return True
        elif isinstance(statement, (ast.If, ast.Try, ast.With)) and any(
            isinstance(s, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) for s in ast.walk(statement)
        ):
            return True  # a definition under a condition in a class body: rare, keep it
    return False


def _task_like(decorator: ast.expr, names: NameTable | None) -> bool:
    dotted = dotted_name(decorator.func if isinstance(decorator, ast.Call) else decorator)
    if dotted is None or names is None or "task" in dotted.lower():
        return True  # a decorator we cannot name or resolve may make a task
    binding = names.bindings.get(dotted.partition(".")[0])
    return names.is_task_factory_dotted(dotted) or (
        binding is not None and binding.kind in ("app", "task_preset", "task_decorator")
    )


def _import_anchor(body: list[ast.stmt]) -> int | None:
    """The statement a fix's new imports go before (imports._insert_position, on `ast`): kept, so
    that they land where they would in the whole module."""
    position = 1 if body and _is_docstring(body[0]) else 0
    last_import = None
    for index, statement in enumerate(body):
        if isinstance(statement, (ast.Import, ast.ImportFrom)):
            last_import = index
        elif index > position and not _is_docstring(statement) and last_import is not None:
            break
    anchor = last_import + 1 if last_import is not None else position
    return anchor if anchor < len(body) else None


def _is_docstring(statement: ast.stmt) -> bool:
    return (
        isinstance(statement, ast.Expr)
        and isinstance(statement.value, ast.Constant)
        and isinstance(statement.value.value, (str, bytes))
    )


def _follow_names(names: list[bytes | None], texts: list[bytes], keep: list[bool]) -> None:
    """Keep, besides what is kept for its own sake, its callers (a view calling a helper that
    waits; their callers in turn) and what any kept code names (a `connect(handler)`, the helper
    a task calls). A helper kept only because kept code calls it keeps nothing more that calls it:
    it holds nothing a rule looks for, so neither does a caller reaching it."""
    used = [set(_IDENTIFIER.findall(text)) for text in texts]
    up = {names[i] for i, kept in enumerate(keep) if kept and names[i] is not None}
    changed = True
    while changed:  # callers of what is kept for its own sake
        changed = False
        for i, kept in enumerate(keep):
            if not kept and used[i] & up:
                keep[i] = changed = True
                if names[i] is not None:
                    up.add(names[i])
    named = set().union(*(used[i] for i, kept in enumerate(keep) if kept))
    changed = True
    while changed:  # what kept code names, and what that names in turn
        changed = False
        for i, kept in enumerate(keep):
            if not kept and names[i] in named:
                keep[i] = changed = True
                named |= used[i]
