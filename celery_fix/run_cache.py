"""The whole-run result entry: a run on a tree unchanged since the last run like it reads no clean file.

Its key is the stat signature (path as spelled, device, inode, size, mtime, ctime) of every file
the run indexes and checks, taken before any is read, with the working directory, the engine
settings (rules, options, fix policy, style) and the index's own settings; the cache directory adds
the tool's version and code. The linked index depends on nothing else, so a hit needs neither the
index nor any clean file. The entry keeps only the results that are not bare (findings, a fix, an
error, a parsed flag) and the index's messages the run prints. A file whose result has findings or a
fix is read again (its bytes are diffed, shown, written) and must have the digest the entry was
made from; any mismatch, or an unreadable or malformed entry, is a miss and the run takes the
normal path. A run that could not stat a file, that holds an internal error, or that saw a file
changed in its last RACY_NS keeps no entry. Standard input and the review format (which prints the
index) never use one (run.py).
"""

from __future__ import annotations

import hashlib
import os
import time
from dataclasses import replace
from pathlib import Path

from celery_fix.engine.files import FileError, content_digest, read_source
from celery_fix.engine.model import FileResult

_TAG = "run-entry-1"


RACY_NS = 2_000_000_000  # a file changed this close to the run may change again unseen (coarse clocks)


class RunKey(str):
    """The key, and whether the entry may be kept: not when a file changed within RACY_NS of the
    run, as git does for its index (a second write in the same clock tick, same size, would keep
    the signature)."""

    racy: bool = False


def run_key(fingerprint: str, project: list[Path], checked: list[Path], stats: dict | None = None) -> RunKey | None:
    """The entry's key; None when a file cannot be stat'ed (such a run keeps no entry). `stats`: the
    files' stats this run already took (before reading any), by path."""
    stats = stats or {}
    recent = time.time_ns() - RACY_NS
    newest = 0
    digest = hashlib.blake2b(f"{_TAG}\0{fingerprint}\0{os.getcwd()}\0".encode("utf-8", "surrogateescape"), digest_size=20)
    seen: dict[str, bytes] = {}
    names = [str(p) for p in project]
    checked_names = names if checked is project else [str(p) for p in checked]
    for part, listed in ((b"P", names), (b"C", checked_names if checked_names != names else None)):
        digest.update(part)
        if listed is None:  # the checked files are the indexed ones (a whole run): hashed once
            continue
        for name in listed:
            signature = seen.get(name)
            if signature is None:
                info = stats.get(name)
                if info is None:
                    try:
                        info = os.stat(name)
                    except OSError:
                        return None
                # the relative spelling with the working directory names the file (abspath is slow)
                newest = max(newest, info.st_mtime_ns, info.st_ctime_ns)
                signature = seen[name] = (
                    f"{name}\0{info.st_dev} {info.st_ino} {info.st_size} {info.st_mtime_ns} {info.st_ctime_ns}\0"
                ).encode("utf-8", "surrogateescape")
            digest.update(signature)
    key = RunKey("run-" + digest.hexdigest())
    key.racy = newest >= recent
    return key


def load(cache, key: str, checked: list[Path]) -> tuple[list[FileResult], list[str], list[str]] | None:
    """The results for `checked`, the index's warnings and its errors, from the entry under `key`;
    None for a miss (also when a file with findings or a fix no longer holds the bytes they came from)."""
    entry = cache.get(key)
    if not _well_formed(entry, len(checked)):
        return None
    names = [str(p) for p in checked]
    results = [FileResult(name) for name in names]
    for position, result, digest in entry["results"]:
        if result.path != names[position]:
            return None
        if digest is not None:
            try:
                source = read_source(Path(result.path))
            except FileError:
                return None
            if content_digest(source) != digest:
                return None
            result.original = source
        results[position] = result
    return results, list(entry["warnings"]), list(entry["errors"])


def store(cache, key: RunKey, results: list[FileResult], warnings: list[str], errors: list[str]) -> None:
    if key.racy:
        return
    kept = []
    for position, result in enumerate(results):
        if result.internal_error:
            return  # not cached per file either: the next run tries again
        bare = replace(result, original=b"")
        if bare == FileResult(result.path):
            continue
        needs_bytes = bool(result.findings) or result.fixed is not None
        kept.append((position, bare, content_digest(result.original) if needs_bytes else None))
    cache.put(key, {"count": len(results), "results": kept, "warnings": list(warnings), "errors": list(errors)})


def _well_formed(entry, count: int) -> bool:
    if not (isinstance(entry, dict) and entry.get("count") == count):
        return False
    parts = (entry.get("results"), entry.get("warnings"), entry.get("errors"))
    if not all(isinstance(part, list) for part in parts):
        return False
    for item in entry["results"]:
        if not (isinstance(item, tuple) and len(item) == 3):
            return False
        position, result, digest = item
        if not (type(position) is int and 0 <= position < count and isinstance(result, FileResult)):
            return False
        if not (digest is None or type(digest) is bytes):
            return False
    return all(isinstance(m, str) for m in entry["warnings"]) and all(isinstance(m, str) for m in entry["errors"])
