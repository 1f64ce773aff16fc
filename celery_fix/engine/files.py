"""Reading and writing source files without ever corrupting one."""

from __future__ import annotations

import hashlib
import os
import stat
from pathlib import Path

from celery_fix.engine import tempfiles
from celery_fix.engine.wordscan import Found, ScanCache, WordScan


class FileError(Exception):
    """A file that cannot be read, parsed or written: reported in one line, the run goes on."""


def read_source(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except IsADirectoryError:
        raise FileError(f"{path}: is a directory") from None
    except OSError as exc:
        raise FileError(f"{path}: cannot read: {exc.strerror or exc}") from None


def write_atomic(path: Path, new: bytes, expected_old: bytes) -> None:
    """Replace the contents of `path` with `new`, refusing when the file no longer holds `expected_old`
    (changed by someone else during the run) or is read-only. A temp file + rename keeps the file
    whole at every instant; its mode and owner are copied over. A file with other hard links is
    written in place instead (after the same checks), so that every link keeps seeing it."""
    target = Path(os.path.realpath(path))  # write through a symlink, keep the link
    try:
        current = target.read_bytes()
        info = target.stat()
    except OSError as exc:
        raise FileError(f"{path}: cannot re-read before writing: {exc.strerror or exc}") from None
    if current != expected_old:
        raise FileError(f"{path}: changed on disk during the run; not written")
    if not info.st_mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH) or not os.access(target, os.W_OK):
        raise FileError(f"{path}: read-only file; not written")
    if info.st_nlink > 1:
        _write_in_place(path, target, new)
        return
    try:
        # a short fixed-size name: the file's own name may already be at the file system's limit
        fd, temp_name = tempfiles.create(target.parent, ".celery-fix-", ".tmp")
    except OSError as exc:
        raise FileError(f"{path}: cannot write: {exc.strerror or exc}") from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(new)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temp_name, stat.S_IMODE(info.st_mode))
        if hasattr(os, "chown") and (info.st_uid, info.st_gid) != (os.getuid(), os.getgid()):
            try:
                os.chown(temp_name, info.st_uid, info.st_gid)
            except OSError:
                pass  # not allowed to give it away: it stays ours, as an editor would leave it
        os.replace(temp_name, target)
    except BaseException as exc:  # Ctrl-C included: the temp file goes, the file stays as it was
        try:
            os.unlink(temp_name)
        except OSError:
            pass
        if isinstance(exc, OSError):
            raise FileError(f"{path}: cannot write: {exc.strerror or exc}") from None
        raise
    finally:
        tempfiles.live.discard(temp_name)


def _write_in_place(path: Path, target: Path, new: bytes) -> None:
    try:
        with open(target, "r+b") as handle:
            handle.write(new)
            handle.truncate()
            handle.flush()
            os.fsync(handle.fileno())
    except OSError as exc:
        raise FileError(f"{path}: cannot write: {exc.strerror or exc}") from None


def content_digest(source: bytes) -> bytes:
    return hashlib.blake2b(source, digest_size=16).digest()


class SourceReader:
    """Reads each file once per run: the index pass and the engine both need the bytes, their
    digest, and the words `scan` finds in them (each file is scanned once, and not at all when
    `scan_cache` knows its digest)."""

    def __init__(self, scan: WordScan | None = None, scan_cache: ScanCache | None = None) -> None:
        self._sources: dict[str, bytes] = {}
        self._digests: dict[str, bytes] = {}
        self.scan = scan
        self.scan_cache = scan_cache
        self._found: dict[str, Found] = {}
        self._plans: dict[str, tuple] = {}

    def __call__(self, path: Path) -> bytes:
        key = str(path)
        source = self._sources.get(key)
        if source is None:
            source = self._sources[key] = read_source(path)
        return source

    def digest(self, path: Path | str, source: bytes) -> bytes:
        key = str(path)
        digest = self._digests.get(key)
        if digest is None:
            digest = self._digests[key] = content_digest(source)
        return digest

    def plan(self, path: Path | str):
        """The lines the engine may blank out in this file (elide.py), if the index worked them out."""
        return self._plans.get(str(path))

    def remember_plan(self, path: Path | str, plan) -> None:
        self._plans[str(path)] = plan

    def knows_words(self, path: Path | str, source: bytes) -> bool:
        """Whether the words of the file are known without scanning it."""
        return str(path) in self._found or (
            self.scan_cache is not None and self.digest(path, source) in self.scan_cache.known
        )

    def remember_words(self, path: Path | str, source: bytes | None, words: frozenset[bytes]) -> None:
        """The scan's words for the file, found elsewhere (a worker process; `source` None when
        the worker read the file itself)."""
        assert self.scan is not None
        self._found[str(path)] = Found(source, words, self.scan.words)
        if self.scan_cache is not None and source is not None:
            self.scan_cache.record(self.digest(path, source), words)

    def known_words(self, path: Path | str) -> Found | None:
        """The file's words when already known, without reading it."""
        return self._found.get(str(path))

    def found(self, path: Path | str, source: bytes) -> Found | None:
        """The scan's words in `source` (the bytes of `path`); None without a scan."""
        if self.scan is None:
            return None
        key = str(path)
        found = self._found.get(key)
        if found is None:
            if self.scan_cache is not None:
                found = self.scan_cache.found(self.scan, source, self.digest(path, source))
            else:
                found = self.scan.found(source)
            self._found[key] = found
        return found
