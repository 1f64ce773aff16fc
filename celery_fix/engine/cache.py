"""Results of parsed files, kept in `.celery-fix-cache/` so a run on an unchanged tree parses nothing.

An entry's key covers everything its result depends on: the file's bytes, the tool version, the
engine settings (rules, options, fix policy) and the digest of the ProjectIndex facts. One file
per entry, written with temp file + rename, so concurrent runs never see half an entry; an entry
that cannot be read is treated as a miss.

The cache sits in the project, where anyone who can open a pull request can plant a file. Entries
are pickles, and unpickling runs code, so every entry carries an HMAC-SHA256 made with a key kept
outside the project (`$XDG_CACHE_HOME/celery-fix/key`, or `~/.cache/celery-fix/key`, mode 0600,
created on first use). An entry whose MAC does not verify is a miss and is never unpickled; without a
usable key the run goes without a cache.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import pickle
import secrets
from dataclasses import fields
from pathlib import Path

from celery_fix import __version__
from celery_fix.engine import tempfiles

CACHE_DIR = ".celery-fix-cache"
_MAGIC = b"cfx-hmac1"
_MAC_SIZE = 32
_README = "Cache of celery-fix results; safe to delete. https://pypi.org/project/celery-fix/\n"


class ResultCache:
    def __init__(self, root: Path, fingerprint: str) -> None:
        self.directory = root / CACHE_DIR / __version__
        self.fingerprint = fingerprint
        self._made: set[str] = set()  # entry directories known to exist (one mkdir each per run)
        self._key = signing_key()
        self.writable = self._key is not None

    def key(self, path: str, source: bytes) -> str:
        digest = hashlib.blake2b(digest_size=20)
        digest.update(self.fingerprint.encode())
        # the path matters too: module names (and so task names) come from where the file sits
        digest.update(os.path.abspath(path).encode("utf-8", "surrogateescape"))
        digest.update(b"\0")
        digest.update(source)
        return digest.hexdigest()

    def get(self, key: str):
        if self._key is None:
            return None
        try:
            with open(self.directory / key[:2] / key, "rb") as handle:
                data = handle.read()
        except OSError:
            return None
        head, mac, payload = data[: len(_MAGIC)], data[len(_MAGIC): len(_MAGIC) + _MAC_SIZE], data[len(_MAGIC) + _MAC_SIZE:]
        if head != _MAGIC or not hmac.compare_digest(mac, self._mac(key, payload)):
            return None  # not written by this user's celery-fix: never unpickled
        try:
            return pickle.loads(payload)
        except Exception:  # an entry of an older layout of our own classes: a miss
            return None

    def _mac(self, key: str, payload: bytes) -> bytes:
        # the entry's name is part of what is signed: a valid entry cannot be copied under another key
        return hmac.new(self._key, key.encode() + b"\0" + payload, hashlib.sha256).digest()

    def put(self, key: str, value) -> None:
        if not self.writable:
            return
        target_dir = self.directory / key[:2]
        try:
            if key[:2] not in self._made:
                target_dir.mkdir(parents=True, exist_ok=True)
                self._mark_ignorable()
                self._made.add(key[:2])
            payload = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
            fd, temp = tempfiles.create(target_dir, ".tmp-")
            try:
                with os.fdopen(fd, "wb") as handle:
                    handle.write(_MAGIC + self._mac(key, payload) + payload)
                os.replace(temp, target_dir / key)
            except BaseException:  # also on Ctrl-C: no temp file left behind
                _unlink_quietly(temp)
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


def _unlink_quietly(path: str) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass


def key_path() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "celery-fix" / "key"


_KEY: list[bytes | None] = []


def signing_key() -> bytes | None:
    """This user's cache key (made once, readable by the user alone); None when it cannot be had."""
    if _KEY:
        return _KEY[0]
    path = key_path()
    key = None
    try:
        key = path.read_bytes()
    except FileNotFoundError:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "wb") as handle:
                handle.write(secrets.token_bytes(32))
            key = path.read_bytes()
        except FileExistsError:  # another run made it meanwhile
            key = path.read_bytes() if path.is_file() else None
        except OSError:
            key = None
    except OSError:
        key = None
    _KEY.append(key if key and len(key) >= 16 else None)
    return _KEY[0]


def settings_fingerprint(settings) -> str:
    """Everything in the engine settings that changes results (not the index object itself)."""
    from celery_fix.engine.cache_key import canonical_json

    data = {f.name: getattr(settings, f.name) for f in fields(settings) if f.name not in ("index", "root")}
    # canonical, not repr(): a frozenset's order changes from run to run (string hashing)
    return canonical_json(data)
