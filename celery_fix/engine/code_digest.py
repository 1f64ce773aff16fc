"""A digest of celery-fix's own code, part of where its cache lives.

The version alone is not enough: a checkout with new code (an editable install, a branch) would
read facts and results the old code cached. The digest is of every module's name, size and mtime,
read with stat calls only (~150 files: well under a millisecond); any edit changes it. It also
covers the two pieces of other code results depend on: the Python running it (its `ast` makes the
index's facts) and libcst (its parser makes the rules' trees), by version and by the stat of its
version file and native parser, so an upgrade of either never reads what the old one cached.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.util
import os
import sys

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
    rows.append(_runtime())
    return hashlib.blake2b("\n".join(sorted(rows)).encode(), digest_size=8).hexdigest()


def _runtime() -> str:
    """The Python and the libcst this run uses (libcst located, not imported: a warm run needs none of it)."""
    parts = [sys.implementation.cache_tag or "", sys.version]
    spec = importlib.util.find_spec("libcst")
    for directory in (spec.submodule_search_locations or ()) if spec is not None else ():
        try:
            entries = sorted(e.name for e in os.scandir(directory))
        except OSError:
            continue
        for name in entries:
            if name == "_version.py" or name.startswith("native."):
                try:
                    stat = os.stat(os.path.join(directory, name))
                except OSError:
                    continue
                parts.append(f"libcst/{name}\0{stat.st_size}\0{stat.st_mtime_ns}")
    return "\0".join(parts)
