"""Running the engine over many files: the prefilter, the result cache and the worker processes.

Light to import on purpose: the rules (libcst, Fixit) are loaded only when some file is not in
the cache and has a rule's words, so a run on an unchanged tree never imports them.
"""

from __future__ import annotations

from pathlib import Path

from celery_fix.engine import meter, profile
from celery_fix.engine.files import (
    NUL,
    FileError,
    SourceReader,
    read_source,
    refuse_unsupported,
)
from celery_fix.engine.model import EngineSettings, FileResult
from celery_fix.engine.jobs import worker_count
from celery_fix.engine.registry import all_rule_infos
from celery_fix.engine.selection import ignored_for_path, trigger_words


def run_files(
    paths: list[str], settings: EngineSettings, jobs: int | None = None, cache=None, read=read_source
) -> list[FileResult]:
    """Check `paths`. The main process reads each file once and applies the rules' words and the
    cache; the rules' own relevance test runs for cache misses; only files that must be parsed
    go to the worker processes."""
    rules = _rule_entries(settings.codes)
    all_words = trigger_words(tuple(rules))
    results: dict[str, FileResult] = {}
    misses: list[tuple[str, bytes, str | None, object]] = []
    reader = read if isinstance(read, SourceReader) else None
    scheduled = getattr(settings.index, "schedule_files", None) or set()  # see checker._schedule_file
    meter.stage("checking", len(paths))
    for path in paths:
        here = [r for r in rules if not ignored_for_path(r.CODE, path, settings)] if settings.per_file_ignores else rules
        words = all_words if here is rules else trigger_words(tuple(here))
        if path in scheduled:
            words = None
        known = reader.known_words(path) if reader is not None else None
        if known is not None and known.source is None and settings.prefilter and words is not None and here:
            if not known.any(words) and not known.any((NUL,)):  # the index's workers scanned it: no need to read it here
                results[path] = FileResult(path)
                continue
        try:
            source = read(Path(path))
            refuse_unsupported(path, source)
        except FileError as exc:
            results[path] = FileResult(path, error=str(exc))
            continue
        found = reader.found(path, source) if reader is not None else None
        if not here or (settings.prefilter and words is not None and not _has_any(source, words, found)):
            results[path] = FileResult(path, original=source)
            continue
        key = cache.key(path, source) if cache is not None else None
        cached = cache.get(key) if key is not None else None
        if isinstance(cached, FileResult):
            cached.original = source
            results[path] = cached
        else:
            misses.append((path, source, key, found))

    meter.advance(len(paths) - len(misses))
    to_parse: list[tuple[str, bytes, str | None, object]] = []
    if misses:
        from celery_fix.engine import (
            checker as engine,  # the rules: needed from here on
        )

        engine._init_worker(settings)
        for path, source, key, found in misses:
            if settings.prefilter and not engine.relevant_here(source, path, found):
                result = results[path] = FileResult(path, original=source)
                _store(cache, key, result, source)
                meter.advance()
            else:
                to_parse.append((path, source, key, read.plan(path) if isinstance(read, SourceReader) else None))

    for (path, source, key, _), result in zip(to_parse, _check_many(to_parse, settings, jobs)):
        results[path] = result
        if not result.internal_error:
            _store(cache, key, result, source)
    return [results[p] for p in paths]


def _rule_entries(codes: tuple[str, ...]) -> list:
    """The catalogue's entries for `codes`; a rule it does not list (a test's double) by its class."""
    infos = {r.CODE: r for r in all_rule_infos()}
    if all(code in infos for code in codes):
        return [infos[code] for code in codes]
    from celery_fix.engine import checker as engine

    classes = {r.CODE: r for r in engine.all_rule_classes()}
    return [infos.get(code) or classes[code] for code in codes]


def _store(cache, key: str | None, result: FileResult, source: bytes) -> None:
    if key is None:
        return
    result.original = b""  # the bytes are the key; do not store them twice
    cache.put(key, result)
    result.original = source


def _has_any(source: bytes, words: tuple[bytes, ...], found) -> bool:
    return found.any(words) if found is not None else any(word in source for word in words)


# source bytes to check before worker processes pay off: starting them and sending the results back
# cost about 0.1 s, the work of some 50 KB (a generated 3-app project: 1.13 s with two workers, 0.97 s without)
PARALLEL_BYTES = 128_000


def _check_many(items, settings: EngineSettings, jobs: int | None) -> list[FileResult]:
    if not items:
        return []
    from celery_fix.engine import checker as engine

    jobs = worker_count(jobs)
    if jobs <= 1 or len(items) < 2 * jobs or sum(len(item[1]) for item in items) < PARALLEL_BYTES:
        return [_counted(engine.check_source(path, source, plan)) for path, source, _, plan in items]
    # largest files first, one at a time: a few big files decide the wall time, and handing them
    # out early keeps the workers equally busy (few files reach here, so the messages are cheap)
    order = sorted(range(len(items)), key=lambda i: -len(items[i][1]))
    from celery_fix.engine.pool import WorkerPool  # multiprocessing: only a run that needs it loads it

    with WorkerPool(max_workers=jobs, initializer=engine._init_worker, initargs=(settings,)) as pool:
        checked = [_counted(done) for done in pool.map(_check_item, [items[i] for i in order])]
    results: list[FileResult] = [None] * len(items)  # type: ignore[list-item]
    for position, (result, work) in zip(order, checked):
        results[position] = result
        profile.merge(work)
    return results


def _counted(done):
    meter.advance()
    return done


def _check_item(item) -> tuple[FileResult, dict[str, float]]:
    from celery_fix.engine import checker as engine

    path, source, _, plan = item
    return engine.check_source(path, source, plan), profile.take()
