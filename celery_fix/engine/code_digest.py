"""A digest of celery-fix's own code, part of where its cache lives.

The version alone is not enough: a checkout with new code (an editable install, a branch) would
read facts and results the old code cached. The digest is of every module's name, size and mtime,
read with stat calls only (~150 files: well under a millisecond); any edit changes it.
"""

from __future__ import annotations

import functools
import hashlib
import os

_PACKAGE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


@functools.cache
def code_digest(package: str = _PACKAGE) -> str:
    rows: list[str] = []
    pending = [package]
    while pending:
        directory = pending.pop()
        try:
            entries = list(os.scandir(directory))
        except OSError:
            continue  # removed while we look: the next run sees the new tree
        for entry in entries:
            if entry.name.endswith(".py"):
                try:
                    stat = entry.stat()
                except OSError:
                    continue
                rows.append(f"{entry.path[len(package):]}\0{stat.st_size}\0{stat.st_mtime_ns}")
            elif entry.name != "__pycache__" and entry.is_dir(follow_symlinks=False):
                pending.append(entry.path)
    return hashlib.blake2b("\n".join(sorted(rows)).encode(), digest_size=8).hexdigest()
