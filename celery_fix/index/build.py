"""The ProjectIndex: the cross-file facts about a project's Celery tasks (DESIGN.md, data flow step 2).

One pass over the files that can matter (a byte prefilter skips the rest), one libcst traversal
per file (`index/ast_collect.py`, in worker processes for large projects), then a cheap linking step
(`index/link.py`). The index is plain data: worker processes can receive it.

Task names follow Celery's `gen_task_name` (celery/utils/imports.py), which `shared_task` and
`app.task` both use: an explicit `name=`, else `<module>.<function __name__>` where the module
is the dotted path Python imports the file as (its `__init__.py` chain, so `src/` layouts work).
Not modelled: a task module run as `__main__` (Celery then uses `app.main`), a project override
of `Celery.gen_task_name`, and decorators without `functools.wraps` that rename the function.
"""

from __future__ import annotations

import ast
import functools
import hashlib
import os
import re
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from celery_fix.constructs.modules import module_name_for, source_roots
from celery_fix.engine import meter, profile
from celery_fix.engine.cache_key import index_digest
from celery_fix.engine.files import FileError, SourceReader, content_digest, read_source
from celery_fix.engine.gcpause import gc_paused
from celery_fix.engine.jobs import worker_count
from celery_fix.engine.wordscan import Found
from celery_fix.index.facts import FileFacts
from celery_fix.index.model import (
    READING_KINDS,
    AppInfo,
    BeatEntry,
    Consumer,
    DispatchSite,
    IndexStats,
    SettingValue,
    TaskInfo,
)
from celery_fix.index.values import UNKNOWN, Call, Ref, plain

__all__ = [
    "ProjectIndex", "TaskInfo", "DispatchSite", "Consumer", "SettingValue", "BeatEntry", "AppInfo",
    "IndexStats", "UNKNOWN", "Ref", "Call", "PREFILTER_WORDS", "build_index", "plain", "mentions_celery",
]

# A file that contains none of these bytes cannot define a task, app, setting, beat entry,
# dispatch or result consumer, so it is not parsed for the index. (`.task(`/`.task\n` catch
# `@app.task` with an imported app; `celery`/`CELERY` imports, settings and app modules.)
PREFILTER_WORDS: tuple[bytes, ...] = (
    b"celery", b"CELERY", b"Celery", b"shared_task", b".task(", b".task\n", b".task\r", b".task ", b".delay",
    b"apply_async", b"send_task", b".signature(", b".s(", b".si(", b"AsyncResult", b"beat_schedule",
    b"BEAT_SCHEDULE", b"register_task", b"ATOMIC_REQUESTS", b"_save.connect", b"_delete.connect", b"m2m_changed.connect",
    b"return receiver(",  # a project decorator wrapping `@receiver` (its handlers are CEL704's)
)
# Some words count only in some places. `.delay`/`apply_async`: where they can send or pass on a
# task, or define the method; a test module that only mocks them (`send.delay.assert_called_once()`,
# `patch("x.send.delay")`, `mocked_apply_async.call_args`) holds no dispatch. `CELERY`: at the start
# of a name (`CELERY_TASK_ROUTES`, `namespace="CELERY"`), not inside one read from the settings
# (`settings.ORDER_EVENTS_CELERY_QUEUE`).
# `mock.patch.object(t, "delay", wraps=t.delay)` neither: the mock hands the real result back to
# the code under test (ast_collect does not count it either).
_DISPATCH_USE = re.compile(rb"(?:\.|def )(?:delay|apply_async)(?![.\"'\w])")
_WRAPPED = re.compile(rb"(?<![\w.])wraps\s*=\s*[\w.]+$")


def _dispatch_used(source: bytes) -> bool:
    for match in _DISPATCH_USE.finditer(source):
        start = match.start()
        if _WRAPPED.search(source[source.rfind(b"\n", 0, start) + 1 : start]) is None:
            return True
    return False


_CELERY_NAME = re.compile(rb"(?<!\w)CELERY")
_WHERE_IT_COUNTS = {  # word: whether it counts in this source
    b".delay": _dispatch_used, b"apply_async": _dispatch_used, b"CELERY": lambda s: _CELERY_NAME.search(s) is not None,
}
# A file that mentions only these (transaction.atomic, and the `atomic-functions` names) matters
# for the call graph only when it calls a function that dispatches: it is parsed in a second
# round when it contains the name of one (or on demand, when it defines an atomic wrapper).
ATOMIC_WORDS: tuple[bytes, ...] = (b"atomic",)
PARALLEL_THRESHOLD = 8  # files to parse before worker processes pay off (forking costs ~30 ms)


@dataclass
class ProjectIndex:
    tasks: list[TaskInfo] = field(default_factory=list)
    apps: set[str] = field(default_factory=set)  # app qualnames, and their re-exported aliases
    app_infos: dict[str, AppInfo] = field(default_factory=dict)
    dispatches: list[DispatchSite] = field(default_factory=list)
    consumers: list[Consumer] = field(default_factory=list)
    async_result_anywhere: bool = False  # some code looks results up by id: `AsyncResult(...)`
    settings: dict[str, SettingValue] = field(default_factory=dict)  # the value Celery uses (main settings)
    all_settings: dict[str, list[SettingValue]] = field(default_factory=dict)  # every assignment, in file order
    atomic_requests: bool | None = None
    beat_entries: list[BeatEntry] = field(default_factory=list)
    atomic_wrappers: set[str] = field(default_factory=set)
    calls: dict[str, set[str]] = field(default_factory=dict)
    atomic_call_sites: list[tuple[str, str, str, int]] = field(default_factory=list)
    # per file (as the run spells it), its one-line message: files that could not be read, and
    # files `ast` cannot parse (no cross-file facts)
    errors: dict[str, str] = field(default_factory=dict)
    warnings: dict[str, str] = field(default_factory=dict)
    not_indexed: set[str] = field(default_factory=set)  # their absolute paths: rules judge them without the index
    notes: list[str] = field(default_factory=list)  # one-line hints about what the index could not see
    source_roots: tuple[str, ...] = ()  # where module names start (constructs/modules.py)
    # module-level dicts (qualnames) a beat schedule is assembled from in other modules, and the
    # files beat entries are written in: the beat rules report there
    schedule_names: set[str] = field(default_factory=set)
    schedule_files: set[str] = field(default_factory=set)
    signal_receivers: dict[str, str] = field(default_factory=dict)  # handler qualname -> model signal (`.connect`)
    receiver_helpers: dict[str, str] = field(default_factory=dict)  # handler -> the project helper registering it
    # per-file facts for the engine's prefilter: the files the index read (parsed without error,
    # or skipped by its prefilter), and those with a call that could send a task (FileFacts.may_dispatch)
    indexed_files: set[str] = field(default_factory=set)
    dispatching_files: set[str] = field(default_factory=set)
    result_files: set[str] = field(default_factory=set)  # ... and of those, with a dispatch's value used
    # built over the whole project (the paths cover the project root), not a few paths picked on
    # the command line: only then can "no such task anywhere" be said
    complete: bool = False
    digest: str = ""  # canonical digest of the facts above (index_digest), kept with the cached index
    stats: IndexStats = field(default_factory=IndexStats)
    _by_name: dict[str, TaskInfo] = field(default_factory=dict, repr=False)
    _by_qualname: dict[str, TaskInfo] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        self.reindex()

    def reindex(self) -> None:
        self._by_qualname = {t.qualname: t for t in self.tasks}
        self._by_name = {}
        for task in self.tasks:
            if task.name is not None:
                self._by_name.setdefault(task.name, task)

    def module_name(self, path: str | Path) -> str:
        """The module name of `path`, from this project's source roots (as the index named it).
        Remembered per index (not a field: neither cached nor compared): the engine and CEL704's
        relevance test ask for each file several times, and each answer costs a few `stat`s."""
        memo = self.__dict__.setdefault("_module_names", {})
        key = str(path)
        name = memo.get(key)
        if name is None:
            name = memo[key] = module_name_for(Path(path), self.source_roots)
        return name

    def task_by_name(self, name: str) -> TaskInfo | None:
        return self._by_name.get(name)

    def task_by_qualname(self, qualname: str) -> TaskInfo | None:
        return self._by_qualname.get(qualname)

    def consumers_of(self, task: TaskInfo) -> list[Consumer]:
        return [c for c in self.consumers if c.task == task.qualname]

    def is_consumed(self, task: TaskInfo) -> bool:
        """Whether any code in the project reads this task's result (or may: the result object
        escapes, or its id is kept while some code calls `AsyncResult(...)`)."""
        for consumer in self.consumers:
            if consumer.task != task.qualname:
                continue
            if consumer.kind in READING_KINDS or consumer.kind == "AsyncResult":
                return True
            if consumer.kind == "id" and self.async_result_anywhere:
                return True
        return False

    def dispatches_of(self, task: TaskInfo) -> list[DispatchSite]:
        return [d for d in self.dispatches if d.task == task.qualname]

    def beat_entries_for(self, task: TaskInfo) -> list[BeatEntry]:
        return [b for b in self.beat_entries if b.task is not None and b.task == task.name]

    def setting(self, key: str, default: Any = None) -> Any:
        """The value of a Celery setting: its literal, UNKNOWN when set to an expression, else `default`."""
        found = self.settings.get(key)
        return default if found is None else found.value

    def dispatching_functions(self) -> set[str]:
        return {d.function for d in self.dispatches if d.function and d.runs and not d.deferred}


def mentions_celery(source: bytes, words: tuple[bytes, ...] = PREFILTER_WORDS, found: Found | None = None) -> bool:
    """Whether the index must read `source`: it holds one of `words` (`found`, when given, has
    the file's words from the run's one scan)."""
    def any_of(words: tuple[bytes, ...]) -> bool:
        return found.any(words) if found is not None else any(word in source for word in _minimal(words))

    if words is not PREFILTER_WORDS:
        return any_of(words)
    if any_of(_PLAIN_WORDS):
        return True
    return any(any_of((word,)) and counts(source) for word, counts in _WHERE_IT_COUNTS.items())


_PLAIN_WORDS = tuple(w for w in PREFILTER_WORDS if w not in _WHERE_IT_COUNTS)


@functools.lru_cache(maxsize=16)
def _minimal(words: tuple[bytes, ...]) -> tuple[bytes, ...]:
    from celery_fix.engine.selection import minimal_words

    return minimal_words(words)


def build_index(
    files: list[Path], root: Path, atomic_functions: tuple[str, ...] = (), jobs: int | None = None, cache: Any = None,
    read: Any = read_source, while_waiting: Callable[[], None] | None = None, celery_apps: tuple[str, ...] = (),
    src: tuple[str, ...] = (),
) -> ProjectIndex:
    """`cache`: an object with `key(path, source) -> str`, `get(key)` and `put(key, value)` (a
    `celery_fix.engine.cache.ResultCache`): each parsed file's FileFacts are kept under its path, module
    name and bytes, so a build on an unchanged tree parses nothing. The cache's own fingerprint must
    cover the tool version (the facts depend on nothing else: `atomic_functions` is applied in linking).
    `while_waiting` runs in this process while worker processes collect facts (once, if ever)."""
    started = time.perf_counter()
    meter.stage("indexing", len(files))
    roots = source_roots(root, files, src)
    atomic_words = ATOMIC_WORDS + tuple(a.rsplit(".", 1)[-1].encode() for a in atomic_functions)
    stats = IndexStats(files=len(files))
    errors: dict[str, str] = {}
    selected: list[tuple[str, bytes, str]] = []
    atomic_only: list[tuple[Path, bytes]] = []
    skipped: list[Path] = []
    # the linked index depends on every file (linking may load a skipped module's `**OPTIONS`):
    # an unchanged tree gets the whole index from the cache, with no linking
    settings_part = repr((_CACHE_TAG, atomic_functions, celery_apps, roots)).encode()
    tree = hashlib.blake2b(settings_part, digest_size=20)
    spelling = _spelling(files) if cache is not None else ""
    # files unchanged since a run that stored their stat signature: the index's key without reading them
    infos: dict[str, os.stat_result] = {}
    by_stat = _stat_key(files, settings_part, infos) if cache is not None else None
    # unchanged files' digests from the stat table (engine/stat_digests.py): no read for the key
    by_table = cache is not None and isinstance(read, SourceReader) and read.digests is not None
    if by_table:
        for name, info in infos.items():
            read.note_stat(name, info)
    known_key = cache.get(by_stat) if by_stat is not None else None
    if isinstance(known_key, str) and known_key.startswith("linked-index-"):
        cached = _cached_index(cache.get(known_key), spelling, files)
        if cached is not None:
            return _served(cached, started)
    sources: list[tuple[Path, bytes | None]] = []
    # without a cache no key needs every file's bytes up front: the triage workers read them
    workers_read = cache is None and _workers_can_triage(read, jobs) and len(files) >= TRIAGE_THRESHOLD
    for path in files:
        if workers_read and not read.holds(path):  # (a file given on stdin is read here)
            sources.append((path, None))
            continue
        if by_table and not read.holds(path):
            digest = read.digest_by_stat(path)
            if digest is not None:
                tree.update(os.path.abspath(path).encode("utf-8", "surrogateescape") + b"\0" + digest)
                sources.append((path, None))  # read in the triage only if its words ask for it
                continue
        source = _read_noting_error(read, path, errors)
        if source is None:
            continue
        if cache is not None:
            digest = read.digest(path, source) if isinstance(read, SourceReader) else content_digest(source)
            # absolute: a run naming the tree otherwise finds the index too, and renames its files
            tree.update(os.path.abspath(path).encode("utf-8", "surrogateescape") + b"\0" + digest)
        sources.append((path, source))
    tree_key = f"linked-index-{tree.hexdigest()}-{len(errors)}" if cache is not None else None
    cached = _cached_index(cache.get(tree_key), spelling, files) if tree_key is not None else None
    if cached is not None:
        return _served(cached, started, cache, by_stat, tree_key)
    # the index of a tree that differs only in files no word of which the index looks at
    words_key, free = _words_key(sources, read, settings_part, atomic_words) if by_table and not errors else (None, {})
    pointed = _pointed(cache.get(words_key), free) if words_key is not None else None
    if pointed is not None:
        cached = _cached_index(cache.get(pointed), spelling, files)
        if cached is not None:
            return _served(cached, started, cache, by_stat, pointed)
    lazy = by_table and any(source is None for _, source in sources)
    # (files not read yet are triaged here: a read that finds other bytes than the table said is seen)
    if workers_read or (not lazy and _triage_in_workers(sources, read, jobs)):
        facts, atomic_only, skipped, read_errors = _triage_parallel(
            sources, read, atomic_words, jobs, cache, while_waiting, roots
        )
        errors.update(read_errors)
        first_round = len(facts)
    else:
        triaged: list[tuple[Path, bytes | None]] = []
        for path, source in sources:
            if source is None:
                found = read.found_by_digest(path)
                if found is None or _needs_bytes(found, atomic_words) or path.stem == "celeryconfig":
                    source = _read_noting_error(read, path, errors)
                    if source is None:
                        continue
                else:  # no word of either round's first test: skipped, its bytes not needed
                    triaged.append((path, None))
                    skipped.append(path)
                    continue
            triaged.append((path, source))
            found = read.found(path, source) if isinstance(read, SourceReader) else None
            if mentions_celery(source, found=found) or path.stem == "celeryconfig":
                selected.append((str(path), source, index_module_name(path, roots)))
            elif mentions_celery(source, atomic_words, found):
                atomic_only.append((path, source))
            else:
                skipped.append(path)
        sources = triaged
        meter.advance(len(skipped))
        outlines = {} if isinstance(read, SourceReader) else None
        facts = _collect_cached(selected, jobs, cache, while_waiting, outlines)
        for path_name, shape in (outlines or {}).items():
            read.remember_plan(path_name, shape)  # the engine plans its reduction from it
        first_round = len(selected)
    # second round: atomic-only files that call a function which dispatches, and files that use
    # a project helper registering signal receivers (an `apps.py` whose `ready()` only calls
    # `register(handler)`: no word of the first round's)
    dispatchers = _dispatcher_names(facts)
    helpers = _receiver_helper_names(facts)
    candidates: list[tuple[Path, bytes | None, bool]] = [(path, source, True) for path, source in atomic_only]
    if helpers:
        held = dict(sources)
        candidates += [(path, held.get(path), False) for path in skipped]
        skipped = []
    second = []
    for path, source, atomic in candidates:
        if source is None:  # a triage worker read it
            try:
                source = read(path)
            except FileError:
                skipped.append(path)  # (reported by the engine, which reads it too)
                continue
        if (atomic and _may_call_any(source, dispatchers)) or any(_may_use_helper(source, name) for name in helpers):
            second.append((str(path), source, index_module_name(path, roots)))
        else:
            skipped.append(path)
            if atomic:
                meter.advance()
    outlines = {} if isinstance(read, SourceReader) else None
    facts += _collect_cached(second, jobs, cache, outlines=outlines)
    for path_name, shape in (outlines or {}).items():
        read.remember_plan(path_name, shape)
    stats.parsed = first_round + len(second)
    stats.skipped = len(skipped)
    for f in facts:
        if f.error:
            errors[f.path] = f.error
    read = [f for f in facts if f.error is None and f.warning is None]

    profile.lap("index: read, scan, parse")
    loader = _SkippedLoader(skipped, stats, cache, roots)
    from celery_fix.index.link import (
        Linker,  # not needed when the cache has the linked index
    )

    linker = Linker(facts, atomic_functions, load=loader.load, celery_apps=celery_apps)
    linker.source_roots = roots
    index = link(linker)
    profile.lap("index: link")
    index.source_roots = roots
    index.errors = {**errors, **loader.errors}
    index.warnings = {**{f.path: f.warning for f in facts if f.warning}, **loader.warnings}
    index.not_indexed = {os.path.abspath(f.path) for f in facts if f.warning}
    # a file the prefilter skipped holds no dispatch either: every dispatch passes it
    index.indexed_files = {f.path for f in read} | {str(p) for p in skipped}
    index.dispatching_files = {f.path for f in read if f.may_dispatch}
    index.result_files = {f.path for f in read if f.dispatch_value_used}
    stats.errors = len(index.errors)
    stats.seconds = time.perf_counter() - started
    index.stats = stats
    index.digest = index_digest(index)
    if tree_key is not None and not loader.errors and not getattr(read, "stale", False):
        cache.put(tree_key, (os.getcwd(), spelling, index))
        if by_stat is not None:
            cache.put(by_stat, tree_key)
        # only while no free file's bytes count but those the linker loaded (kept with their
        # digests, which must match): round two had no receiver helper to look for in them
        loaded = {os.path.abspath(p): d for p, d in loader.loaded.items()}
        if words_key is not None and not helpers and all(free.get(p, d) == d for p, d in loaded.items()):
            cache.put(words_key, (tree_key, {p: d for p, d in loaded.items() if p in free}))
    return index


def _read_noting_error(read: Any, path: Path, errors: dict[str, str]) -> bytes | None:
    """The file's bytes; None when it cannot be read (the error noted, the file counted done)."""
    try:
        return read(path)
    except FileError as exc:
        errors[str(path)] = str(exc)
        meter.advance()
        return None


def _served(cached: ProjectIndex, started: float, cache: Any = None, by_stat: str | None = None, key: str | None = None) -> ProjectIndex:
    """A linked index from the cache, returned as the build's; the stat key (when there is one)
    then points at the entry it came from, so the next run on these stats finds it at once."""
    if by_stat is not None and key is not None:
        cache.put(by_stat, key)
    cached.stats.seconds = time.perf_counter() - started
    return cached


def _spelling(files: list[Path]) -> str:
    """How this run names the files (respell.py): their names, and the directory relative ones start from."""
    spelling = hashlib.blake2b(digest_size=20)
    for path in files:
        spelling.update(str(path).encode("utf-8", "surrogateescape") + b"\0")
    if any(not p.is_absolute() for p in files):
        spelling.update(os.getcwd().encode("utf-8", "surrogateescape"))
    return spelling.hexdigest()


WORDS_KEY_SCANS = 64  # files the words key may scan here (the edited ones); more: no such key


def _pointed(entry: Any, free: dict[str, bytes]) -> str | None:
    """The linked index's key a words key's entry points at, when the free files the linker
    loaded for it still have their digests."""
    if not (isinstance(entry, tuple) and len(entry) == 2 and isinstance(entry[0], str) and isinstance(entry[1], dict)):
        return None
    tree_key, loaded = entry
    if not tree_key.startswith("linked-index-"):
        return None
    return tree_key if all(free.get(p) == d for p, d in loaded.items()) else None


def _words_key(sources: list, read: SourceReader, settings_part: bytes, atomic_words: tuple[bytes, ...]) -> tuple[str | None, dict[str, bytes]]:
    """A key of the linked index that leaves out the bytes of *free* files: those with no word of
    the first round (nor named celeryconfig). Such a file is skipped whatever else it holds, so
    while the index needs no free file's bytes later (round two's receiver helpers, the linker's
    loads: the build stores this key only then), the files' names and the other files' digests
    decide the index. Also the free files' digests by absolute path; None without every file's words."""
    key = hashlib.blake2b(settings_part + b"\0words\0", digest_size=20)
    free: dict[str, bytes] = {}
    unknown = 0
    for path, source in sources:
        found = read.found_by_digest(path) if source is None else None
        if found is None:
            if source is None or not read.knows_words(path, source):
                unknown += 1
                if unknown > WORDS_KEY_SCANS:  # a cold tree: its files are scanned by the triage, on workers
                    return None, {}
            if source is None:
                return None, {}  # (words of an unread file unknown: rare, the scan table was lost)
            found = read.found(path, source)
        digest = read.known_digest(path)
        if found is None or digest is None:
            return None, {}
        absolute = os.path.abspath(path)
        name = absolute.encode("utf-8", "surrogateescape")
        if path.stem != "celeryconfig" and not _needs_bytes(found, atomic_words):
            free[absolute] = digest
            key.update(name + b"\0free\0")
        else:
            key.update(name + b"\0" + digest)
    return f"words-index-{key.hexdigest()}", free


def _needs_bytes(found: Any, atomic_words: tuple[bytes, ...]) -> bool:
    """Whether the first round's triage of a file needs its bytes: `mentions_celery` decides a
    file with none of these words (every one is in the run's scan) from its words alone."""
    return found.any(PREFILTER_WORDS) or found.any(atomic_words)


def _stat_key(files: list[Path], settings_part: bytes, infos: dict | None = None) -> str | None:
    """A key from every file's absolute path and stat signature, taken before any is read (a
    file written meanwhile then has a new signature next time). The change time is in it: a write
    always sets it, `touch -d` or a checkout keeping the modification time cannot set it back.
    None when a file cannot be stat'ed (that run reads them all)."""
    digest = hashlib.blake2b(settings_part, digest_size=20)
    for path in files:
        try:
            info = os.stat(path)
        except OSError:
            return None
        if infos is not None:
            infos[str(path)] = info
        digest.update(
            f"{os.path.abspath(path)}\0{info.st_dev} {info.st_ino} {info.st_size} {info.st_mtime_ns} {info.st_ctime_ns}\0"
            .encode("utf-8", "surrogateescape")
        )
    return f"stat-index-{digest.hexdigest()}"


def _cached_index(entry: Any, spelling: str, files: list[Path]) -> ProjectIndex | None:
    """The linked index of a cache entry (working directory, spelling, index), its files renamed
    to this run's names when it was built from paths spelled otherwise; None for a miss."""
    if not (isinstance(entry, tuple) and len(entry) == 3 and isinstance(entry[2], ProjectIndex)):
        return None
    built_in, built_spelling, index = entry
    if not isinstance(built_in, str) or not isinstance(built_spelling, str):
        return None
    if built_spelling != spelling:
        from celery_fix.index.respell import Unmapped, respell

        try:
            respell(index, built_in, files)
        except Unmapped:
            return None
        # results depend on the names too (a finding points at another file): a digest of its own
        index.digest = hashlib.blake2b(f"{index.digest} {spelling}".encode(), digest_size=16).hexdigest()
    index.reindex()
    return index


TRIAGE_THRESHOLD = 400  # files to scan before the scan itself goes to worker processes
TRIAGE_CHUNK = 32
# what forked triage workers read (set only while their pool runs): the sources are inherited
# through fork, not sent
_TRIAGE: tuple | None = None


def _workers_can_triage(read: Any, jobs: int | None) -> bool:
    from multiprocessing import get_all_start_methods  # loaded only by a run that may need workers

    if (jobs or os.cpu_count() or 1) <= 1 or "fork" not in get_all_start_methods():
        return False
    return isinstance(read, SourceReader) and read.scan is not None


def _triage_in_workers(sources: list[tuple[Path, bytes]], read: Any, jobs: int | None) -> bool:
    """Whether to scan and sort the files in worker processes: a cold run over a large tree (the
    scan is about 0.2 ms a file; a warm one has the words of most files cached)."""
    if not _workers_can_triage(read, jobs):
        return False
    return sum(not read.knows_words(path, source) for path, source in sources) >= TRIAGE_THRESHOLD


def _triage_parallel(sources, read: SourceReader, atomic_words, jobs, cache, while_waiting, roots=()):
    """The first round in worker processes: each scans its files for the run's words, sorts them
    (selected, atomic-only, skipped) and collects the facts of the selected ones. The words found
    come back for the engine's prefilter."""
    global _TRIAGE
    _TRIAGE = (sources, read.scan, atomic_words, cache, roots)
    try:
        chunks = [(start, min(start + TRIAGE_CHUNK, len(sources))) for start in range(0, len(sources), TRIAGE_CHUNK)]
        from celery_fix.engine.pool import WorkerPool

        with WorkerPool(max_workers=jobs or os.cpu_count()) as pool:
            done = pool.map(_triage_chunk, chunks)
            if while_waiting is not None:
                while_waiting()
            rows = []
            for part in done:
                rows += part
                meter.advance(sum(row[2] != "atomic" for row in part))  # atomic-only files: decided in round two
    finally:
        _TRIAGE = None
    facts: list[FileFacts] = []
    atomic_only: list[tuple[Path, bytes]] = []
    skipped: list[Path] = []
    errors: dict[str, str] = {}
    for position, words, kind, file_facts, plan, read_here in rows:
        path, source = sources[position]
        if kind == "error":
            errors[str(path)] = read_here
            continue
        read.remember_words(path, source, words)  # (None: a worker read the file)
        if plan is not None:
            read.remember_plan(path, plan)
        if kind == "selected":
            facts.append(file_facts)
        elif kind == "atomic":
            atomic_only.append((path, source if source is not None else read_here))
        else:
            skipped.append(path)
    return facts, atomic_only, skipped, errors


def _triage_chunk(bounds: tuple[int, int]) -> list[tuple]:
    sources, scan, atomic_words, cache, roots = _TRIAGE  # type: ignore[misc]
    rows = []
    for position in range(*bounds):
        path, source = sources[position]
        read_here = None
        if source is None:
            try:
                source = read_here = read_source(path)
            except FileError as exc:
                rows.append((position, None, "error", None, None, str(exc)))
                continue
        found = scan.found(source)
        if mentions_celery(source, found=found) or path.stem == "celeryconfig":
            facts, plan = _collect_with_plan((str(path), source, index_module_name(path, roots)), cache)
            rows.append((position, found.words, "selected", facts, plan, None))
        elif mentions_celery(source, atomic_words, found):
            rows.append((position, found.words, "atomic", None, None, read_here))  # round two needs it
        else:
            rows.append((position, found.words, "skipped", None, None, None))
    return rows


def _collect_with_plan(item: tuple[str, bytes, str], cache: Any):
    """The file's facts (from the cache, or collected) and, when its `ast` is parsed here anyway,
    its outline (elide.py), from which the engine plans its reduction without a second `ast` parse."""
    from celery_fix.engine.elide import worth_reducing

    if not worth_reducing(item[1]):
        return _collect_cached([item], 1, cache)[0], None
    key, cached = _cached_facts(cache, item)
    if cached is not None:
        return cached, None
    facts, shape = _collect_outlined(item)
    if key is not None:
        cache.put(key, facts)
    return facts, shape


def _collect_outlined(item: tuple[str, bytes, str]):
    """(facts, outline or None): one `ast` parse for both."""
    from celery_fix.engine.elide import outline, worth_reducing

    path, source, module = item
    if not worth_reducing(source):
        return _collect_one(item), None
    with gc_paused():  # as for the collector's own parse (engine/gcpause.py)
        try:
            tree = ast.parse(source)
        except (SyntaxError, ValueError, RecursionError, MemoryError, UnicodeDecodeError, LookupError):
            tree = None
        facts = _collect_one(item, tree)
        if tree is None or facts.error is not None:
            return facts, None
        try:
            return facts, outline(tree.body, source)
        except RecursionError:
            return facts, None


def _dispatcher_names(facts: list[FileFacts]) -> set[tuple[bytes, bytes | None]]:
    """(name, class name or None) of every function that sends a task. The linker follows a call
    to a method only when it is written through the class (`Mutation.perform_mutation(...)`,
    never `self.`/`super().`, whose receivers it cannot resolve), so the caller names the class."""
    classes = {c.qualname for f in facts for c in f.classes}
    dispatchers = {d.function for f in facts for d in f.dispatches if d.function}
    # and their callers in these files, up to the chain CEL702 follows (a view calls a service
    # that calls the helper that dispatches): the atomic block may call any of them
    level = dispatchers
    for _ in range(2):
        names = {q.rpartition(".")[2] for q in level}
        level = {c.caller for f in facts for c in f.calls
                 if c.caller and c.callee.rpartition(".")[2] in names and c.caller not in dispatchers}
        dispatchers |= level
    # a method is also called through a module-level instance of its class (`svc.notify()`)
    instances: dict[str, set[bytes]] = {}
    for f in facts:
        for name, cls in f.instances.items():
            instances.setdefault(cls.rpartition(".")[2], set()).add(name.encode())
    found = set()
    for function in dispatchers:
        owner, _, name = function.rpartition(".")
        found.add((name.encode(), owner.rpartition(".")[2].encode() if owner in classes else None))
        if owner in classes:
            found.update((name.encode(), instance) for instance in instances.get(owner.rpartition(".")[2], ()))
    return found


def _receiver_helper_names(facts: list[FileFacts]) -> set[bytes]:
    """The names a file must spell to use a project helper that registers receivers
    (constructs/signals.py): the helper's, and for a decorator defined inside a function
    (`def on_delete_of(model): def register(func): ...`), the enclosing function's."""
    names = set()
    for f in facts:
        for _, helper, _, _ in f.receiver_helpers:
            owner, _, name = helper.rpartition(".")
            names.add(name.encode())
            if any(fn.qualname == owner for fn in f.functions):
                names.add(owner.rpartition(".")[2].encode())
    return names


def _may_use_helper(source: bytes, name: bytes) -> bool:
    """Whether `source` may call or decorate with the helper `name` (`register(h)`, `@register`)."""
    return name in source and (name + b"(" in source or b"@" in source or b" as " in source)


_IDENTIFIER = re.compile(rb"[A-Za-z_\x80-\xff][A-Za-z0-9_\x80-\xff]*")  # (any non-ASCII byte: a UTF-8 identifier)


def _may_call_any(source: bytes, dispatchers: set[tuple[bytes, bytes | None]]) -> bool:
    """Whether `source` may call one of `dispatchers` (`_may_call`). A call, and an `import ... as`
    alias, spells the name (and the class) as a whole identifier: one pass over the source finds
    them all, where a search per name scanned it hundreds of times (saleor: 322 names, 156 files)."""
    if not dispatchers:
        return False
    spelled = set(_IDENTIFIER.findall(source))
    return any(
        name in spelled and (owner is None or owner in spelled) and _may_call(source, name, owner)
        for name, owner in dispatchers
    )


def _may_call(source: bytes, name: bytes, owner: bytes | None) -> bool:
    """Whether `source` may call the function `name` (of class `owner`): by name, or through an
    `import ... as` alias (which still spells the name once)."""
    if name not in source or (owner is not None and owner not in source):
        return False
    return name + b"(" in source or b" as " in source


def link(linker: Any) -> ProjectIndex:
    app_infos, apps = linker.link_apps()
    tasks = linker.link_tasks()
    index = ProjectIndex(tasks=tasks, apps=apps, app_infos=app_infos)
    by_qualname, by_name = index._by_qualname, index._by_name
    index.atomic_wrappers = linker.link_atomic()
    index.dispatches = linker.link_dispatches(by_qualname, by_name)
    index.consumers = linker.link_consumers(by_qualname, by_name)
    index.async_result_anywhere = any(f.async_result_anywhere for f in linker.facts)
    values, beat_sources = linker.link_settings()
    index.all_settings = values
    main = _main_settings_module(linker)
    for key, assignments in values.items():
        preferred = [v for v in assignments if v.module == main] or assignments
        index.settings[key] = preferred[-1] if key != "DATABASES" else preferred[0]
    index.atomic_requests = _atomic_requests(values.get("DATABASES", []), main)
    index.beat_entries = linker.beat_entries(beat_sources, by_qualname, by_name)
    index.signal_receivers, index.receiver_helpers = linker.link_receivers()
    index.schedule_names = set(linker.schedule_names)
    index.schedule_files = {e.path for e in index.beat_entries if e.path} if linker.schedule_names else set()
    index.calls, index.atomic_call_sites = linker.link_calls()
    unresolved = linker.unresolved_task_decorators()
    if unresolved and not tasks:
        index.notes.append(
            f"{len(unresolved)} `@<app>.task` decorator{'s' if len(unresolved) != 1 else ''} (e.g. `@{unresolved[0]}`) name "
            f"no Celery app the index can find, so no task is checked; name the app with option "
            f"`celery-apps = [\"{unresolved[0].rsplit('.', 1)[0]}\"]` in [tool.celery-fix]"
        )
    return index


# one definition of "the module a file is imported as", shared with the engine
index_module_name = module_name_for


def _main_settings_module(linker: Any) -> str | None:
    hints = [m for f in linker.facts for m in f.django_settings_module]
    return hints[0] if hints else None


def _atomic_requests(databases: list[SettingValue], main: str | None) -> bool | None:
    preferred = [v for v in databases if v.module == main] or databases
    if not preferred:
        return None
    result: bool | None = False
    for setting in preferred:
        if not isinstance(setting.value, dict):
            result = None
            continue
        for alias in setting.value.values():
            if not isinstance(alias, dict):
                result = None if result is False else result
                continue
            flag = alias.get("ATOMIC_REQUESTS", False)
            if flag is True:
                return True
            if flag is not False:
                result = None
    return result


class _SkippedLoader:
    """Parses a module the prefilter skipped when linking needs it (a `**OPTIONS` dict, a base
    class, a config module named by `config_from_object`)."""

    def __init__(self, skipped: list[Path], stats: IndexStats, cache: Any = None, roots: tuple[str, ...] = ()) -> None:
        self.skipped = skipped
        self.roots = roots
        self.stats = stats
        self.cache = cache
        self.errors: dict[str, str] = {}
        self.warnings: dict[str, str] = {}
        self._names: dict[str, list[Path]] | None = None
        self.loaded: dict[str, bytes | None] = {}  # the files read, their bytes' digests (they count for the index)

    def _by_name(self) -> dict[str, list[Path]]:
        """Skipped files by the last part of the module name they can be (`tasks.py` and
        `tasks/__init__.py` are both `tasks`)."""
        if self._names is None:
            self._names = {}
            for path in self.skipped:
                name = path.parent.name if path.name == "__init__.py" else path.stem
                self._names.setdefault(name, []).append(path)
        return self._names

    def load(self, module: str) -> FileFacts | None:
        tail = module.replace(".", "/")
        for path in self._by_name().get(module.rpartition(".")[2], ()):
            posix = path.as_posix()
            if not (posix.endswith(tail + ".py") or posix.endswith(tail + "/__init__.py")):
                continue
            if index_module_name(path, self.roots) != module:
                continue
            self.loaded[str(path)] = None
            try:
                source = read_source(path)
            except FileError as exc:
                self.errors[str(path)] = str(exc)
                return None
            self.loaded[str(path)] = content_digest(source)
            facts = _collect_cached([(str(path), source, module)], 1, self.cache)[0]
            if facts.error:
                self.errors[facts.path] = facts.error
                return None
            if facts.warning:
                self.warnings[facts.path] = facts.warning
                return None
            self.stats.parsed += 1
            self.stats.skipped -= 1
            return facts
        return None


def collect_file(path: str, source: bytes, module: str, tree: Any = None) -> FileFacts:
    """One file's facts, from the stdlib `ast`."""
    # imported here: a run whose index comes from the cache never loads the collector
    from celery_fix.index.ast_collect import collect_source_ast

    return collect_source_ast(path, source, module, tree=tree)


def _collect_one(item: tuple[str, bytes, str], tree: Any = None) -> FileFacts:
    path, source, module = item
    try:
        with gc_paused():  # linear time in the size of the module (engine/gcpause.py)
            return collect_file(path, source, module, tree)
    except RecursionError:
        return FileFacts(path, module, error=f"{path}: too deeply nested to analyse (RecursionError); skipped")
    except Exception as exc:  # one file's problem (or a collector bug) must not end the run
        return FileFacts(path, module, error=f"{path}: cannot be indexed: {type(exc).__name__}: {' '.join(str(exc).split())}")


_CACHE_TAG = b"celery-fix index facts v7\0"


def _collect_cached(
    selected: list[tuple[str, bytes, str]], jobs: int | None, cache: Any, while_waiting: Callable[[], None] | None = None,
    outlines: dict | None = None,
) -> list[FileFacts]:
    """FileFacts in the order of `selected`: from the cache when it has them, else collected (and stored).
    `outlines` (path -> elide outline) gets those of the files parsed here."""
    if cache is None:
        return _collect_all(selected, jobs, while_waiting, outlines)
    results: list[FileFacts | None] = []
    missing: list[int] = []
    keys: list[str] = []
    for position, item in enumerate(selected):
        key, found = _cached_facts(cache, item)
        keys.append(key)  # type: ignore[arg-type]
        results.append(found)
        if found is None:
            missing.append(position)
    meter.advance(len(selected) - len(missing))
    if missing:
        collected = _collect_all([selected[i] for i in missing], jobs, while_waiting, outlines)
        for position, facts in zip(missing, collected):
            results[position] = facts
            cache.put(keys[position], facts)
    return results  # type: ignore[return-value]


def _cached_facts(cache: Any, item: tuple[str, bytes, str]) -> tuple[str | None, FileFacts | None]:
    """The file's cache key (None without a cache) and its FileFacts when the cache has them."""
    if cache is None:
        return None, None
    path, source, module = item
    # the module name is part of the key: it changes when an `__init__.py` appears or goes
    key = cache.key(path, _CACHE_TAG + module.encode("utf-8", "surrogateescape") + b"\0" + source)
    found = cache.get(key)
    return key, found if isinstance(found, FileFacts) and found.path == path else None


def _collect_all(
    selected: list[tuple[str, bytes, str]], jobs: int | None, while_waiting: Callable[[], None] | None = None,
    outlines: dict | None = None,
) -> list[FileFacts]:
    jobs = worker_count(jobs)
    if outlines is None:
        collect = _collect_one
    else:
        collect = _collect_outlined  # type: ignore[assignment]
    if jobs <= 1 or len(selected) < PARALLEL_THRESHOLD:
        return [_counted(_outlined(item, collect(item), outlines)) for item in selected]
    # largest first, in small chunks: a few big modules decide the wall time (paperless-ngx: views.py,
    # 200 KB of 2 MB, sat in one chunk of six files)
    order = sorted(range(len(selected)), key=lambda i: -len(selected[i][1]))
    chunk = max(1, len(selected) // (jobs * 16))
    from celery_fix.engine.pool import WorkerPool

    with WorkerPool(max_workers=jobs) as pool:
        collected = pool.map(collect, [selected[i] for i in order], chunksize=chunk)  # submitted: the workers start
        if while_waiting is not None:
            while_waiting()
        found: list[Any] = [None] * len(selected)
        for position, result in zip(order, collected):
            found[position] = _counted(result)  # (as each arrives: the progress bar)
        return [_outlined(item, result, outlines) for item, result in zip(selected, found)]


def _outlined(item: tuple[str, bytes, str], found: Any, outlines: dict | None) -> FileFacts:
    """The facts of `found`, its outline (when asked for and made) kept in `outlines`."""
    if outlines is None:
        return found
    facts, shape = found
    if shape is not None:
        outlines[item[0]] = shape
    return facts


def _counted(facts: FileFacts) -> FileFacts:
    meter.advance()
    return facts
