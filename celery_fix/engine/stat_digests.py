"""Each file's content digest by its stat signature, kept between runs: an unchanged file's digest
(the index's key, the word scan's key) needs no read of the file.

A signature is the absolute path, device, inode, size, mtime and ctime, taken before the file is
read (a write after the stat then leaves a signature the next run does not match). As git does for
its index, a file changed within RACY_NS of the run is not kept: a second write in the same clock
tick with the same size would keep its signature. An entry that cannot be read or is malformed is
an empty table.
"""

from __future__ import annotations

import os
import time
from typing import Any

RACY_NS = 2_000_000_000
_KEY = "stat-digests-1"
SAVE_AFTER = 32  # files the table must newly know before it is rewritten

Signature = tuple[int, int, int, int, int]  # dev, ino, size, mtime_ns, ctime_ns


def signature(info: os.stat_result) -> Signature:
    return (info.st_dev, info.st_ino, info.st_size, info.st_mtime_ns, info.st_ctime_ns)


class StatDigests:
    """`store`: a ResultCache (or None: nothing kept, nothing known)."""

    def __init__(self, store: Any) -> None:
        self.store = store
        loaded = store.get(_KEY) if store is not None else None
        self.known: dict[str, tuple[Signature, bytes]] = loaded if _is_table(loaded) else {}
        self.seen: dict[str, tuple[Signature, bytes]] = {}
        self.changed = 0  # entries recorded that the table did not hold
        self._racy_after = time.time_ns() - RACY_NS

    def digest(self, path: str, info: os.stat_result) -> bytes | None:
        """The digest of the file at `path` (absolute) if its signature is the kept one."""
        kept = self.known.get(path)
        if kept is None or kept[0] != signature(info):
            return None
        self.seen[path] = kept
        return kept[1]

    def record(self, path: str, info: os.stat_result, digest: bytes) -> None:
        """`digest` of the bytes read after `info` was taken; not kept when the file is racy."""
        if max(info.st_mtime_ns, info.st_ctime_ns) >= self._racy_after:
            return
        entry = (signature(info), digest)
        if self.known.get(path) != entry:
            self.changed += 1
        self.seen[path] = entry

    def save(self) -> None:
        """Keep what this run saw, when that spares the next run enough reads: rewriting saleor's
        table costs as much as reading a few dozen files, and a file changed since is read anyway
        (pre-commit's one edited file is read to be checked). A run that saw under half the table
        (one file) keeps the rest too."""
        if self.store is None:
            return
        worth = min(SAVE_AFTER, max(1, len(self.seen) // 8))
        if len(self.seen) * 2 < len(self.known):
            if self.changed >= worth:
                self.store.put(_KEY, {**self.known, **self.seen})
        elif self.changed >= worth or len(self.known) - len(self.seen) >= worth:
            self.store.put(_KEY, self.seen)


def _is_table(value: Any) -> bool:
    if not isinstance(value, dict):
        return False
    for path, entry in value.items():
        if not (type(path) is str and type(entry) is tuple and len(entry) == 2 and type(entry[1]) is bytes):
            return False
        kept = entry[0]
        if not (type(kept) is tuple and len(kept) == 5 and all(type(n) is int for n in kept)):
            return False
    return True
