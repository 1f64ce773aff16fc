"""Results of parsed files, kept in `.celery-fix-cache/` so a run on an unchanged tree parses nothing.

An entry's key covers everything its result depends on: the file's bytes, the tool version and
code (the directory, engine/code_digest.py), the engine settings (rules, options, fix policy) and the digest of the ProjectIndex facts. One file
per entry, written with temp file + rename, so concurrent runs never see half an entry; an entry
that cannot be read is treated as a miss.

Entries are JSON of plain data (engine/plain.py), never pickle: the cache directory may come from
anyone who can commit to the project, and loading an entry must not be able to run code.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import fields
from pathlib import Path

from celery_fix import __version__
from celery_fix.engine import plain, tempfiles
from celery_fix.engine.code_digest import code_digest
from celery_fix.engine.files import signals_held

CACHE_DIR = ".celery-fix-cache"
_README = "Cache of celery-fix results; safe to delete. https://pypi.org/project/celery-fix/\n"


# where the cache goes instead of `<project>/.celery-fix-cache` (like ruff's RUFF_CACHE_DIR): a
# benchmark or a read-only checkout keeps the project untouched
CACHE_DIR_VARIABLE = "CELERY_FIX_CACHE_DIR"


def cache_top(root: Path) -> Path:
    chosen = os.environ.get(CACHE_DIR_VARIABLE)
    return Path(chosen) if chosen else root / CACHE_DIR


def version_directory(root: Path) -> Path:
    """This version's and code's directory: a checkout with other code never reads its entries."""
    return cache_top(root) / f"{__version__}-{code_digest()}"


class ResultCache:
    def __init__(self, root: Path, fingerprint: str) -> None:
        self.directory = version_directory(root)
        self.fingerprint = fingerprint
        self.writable = True
        self._made: set[str] = set()  # entry directories known to exist (one mkdir each per run)

    def key(self, path: str, source: bytes) -> str:
        digest = hashlib.blake2b(digest_size=20)
        digest.update(self.fingerprint.encode())
        # the path matters too: module names (and so task names) come from where the file sits
        digest.update(os.path.abspath(path).encode("utf-8", "surrogateescape"))
        digest.update(b"\0")
        digest.update(source)
        return digest.hexdigest()

    def get(self, key: str, expected: type | None = None):
        """The entry under `key`, or None: a missing, unreadable or malformed entry is a miss."""
        try:
            with open(self.directory / key[:2] / key, "rb") as handle:
                return plain.loads(handle.read(), expected)
        except (OSError, ValueError, MemoryError, OverflowError):
            return None

    def put(self, key: str, value) -> None:
        if not self.writable:
            return
        try:
            data = plain.dumps(value)
        except (plain.PlainError, RecursionError):
            return  # not plain data (a bug worth a test, not a failed run): just not cached
        target_dir = self.directory / key[:2]
        try:
            if key[:2] not in self._made:
                target_dir.mkdir(parents=True, exist_ok=True)
                self._mark_ignorable()
                self._made.add(key[:2])
            with signals_held():  # an interrupt waits for the entry in the main process
                fd, temp = tempfiles.create(target_dir, ".tmp-")  # a stopped worker removes it
                try:
                    with os.fdopen(fd, "wb") as handle:
                        handle.write(data)
                    os.replace(temp, target_dir / key)
                except BaseException:
                    _unlink(temp)
                    raise
                finally:
                    tempfiles.live.discard(temp)
        except OSError:
            self.writable = False  # read-only checkout: run without a cache, never fail for it

    def _mark_ignorable(self) -> None:
        top = self.directory.parent
        gitignore = top / ".gitignore"
        if not gitignore.exists():
            gitignore.write_text("*\n")  # like ruff: the cache ignores itself
            (top / "README.txt").write_text(_README)


def _unlink(name: str) -> None:
    try:
        os.unlink(name)
    except OSError:
        pass


def settings_fingerprint(settings) -> str:
    """Everything in the engine settings that changes results (not the index object itself)."""
    from celery_fix.engine.cache_key import canonical_json

    data = {f.name: getattr(settings, f.name) for f in fields(settings) if f.name not in ("index", "root")}
    # canonical, not repr(): a frozenset's order changes from run to run (string hashing)
    return canonical_json(data)
