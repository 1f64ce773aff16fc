"""Reading and writing source files without ever corrupting one."""

from __future__ import annotations

import errno
import hashlib
import os
import signal
import stat
from contextlib import contextmanager
from pathlib import Path

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


TEMP_PREFIX, TEMP_SUFFIX = ".celery-fix-", ".tmp"  # short: a 255-byte file name still gets a temp name


NUL = b"\0"
_WIDE_BOMS = (b"\xff\xfe", b"\xfe\xff")  # UTF-16 (and UTF-32) byte order marks


def refuse_unsupported(path: Path | str, source: bytes) -> None:
    """Bytes CPython refuses as source, whatever the rules: a NUL byte, UTF-16/32 text (which no
    coding cookie can declare). Reported, never checked or fixed: a fix would pass a file off as
    Python that Python cannot run."""
    if NUL not in source:
        return
    if source.startswith(_WIDE_BOMS):
        raise FileError(f"{path}: UTF-16/UTF-32 text; Python source must be UTF-8 or an ASCII-based encoding")
    line = source.count(b"\n", 0, source.index(NUL)) + 1
    raise FileError(f"{path}:{line}: source contains a NUL byte, which Python refuses; skipped")


def write_atomic(path: Path, new: bytes, expected_old: bytes) -> None:
    """Replace the contents of `path` with `new`, refusing when the file no longer holds
    `expected_old` (changed by someone else during the run) or is read-only (like ruff).

    The file keeps its permissions, owner and group. A file with one link is replaced by
    temp file + rename (never half-written); a hard-linked file is written in place so that
    every link sees the fix, with the space reserved first and interrupts held off while it is
    written. A symlink is written through (the link stays a link)."""
    try:
        target = Path(os.path.realpath(path))
        info = os.stat(target)
        current = target.read_bytes()
    except OSError as exc:
        raise FileError(f"{path}: cannot re-read before writing: {exc.strerror or exc}") from None
    if current != expected_old:
        raise FileError(f"{path}: changed on disk during the run; not written")
    if not info.st_mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH):
        raise FileError(f"{path}: read-only file; not written (make it writable to apply fixes)")
    try:
        with signals_held():  # Ctrl-C waits for this file: it is left old or new, no temp file
            if info.st_nlink > 1:
                _write_in_place(target, new)
            else:
                _replace(target, new, info)
    except OSError as exc:
        raise FileError(f"{path}: cannot write: {exc.strerror or exc}") from None


def _replace(target: Path, new: bytes, info: os.stat_result) -> None:
    import tempfile  # (random, shutil: only a run that writes needs them)

    fd, temp_name = tempfile.mkstemp(dir=target.parent, prefix=TEMP_PREFIX, suffix=TEMP_SUFFIX)
    try:
        # no fsync: a run must not take 5 ms a file; the rename is atomic for every process, and
        # file systems order a rename over a file after its data (ext4's auto_da_alloc, xfs, btrfs)
        with os.fdopen(fd, "wb") as handle:
            handle.write(new)
        os.chmod(temp_name, stat.S_IMODE(info.st_mode))
        if (info.st_uid, info.st_gid) != (os.geteuid(), os.getegid()):
            try:
                os.chown(temp_name, info.st_uid, info.st_gid)  # root fixing a user's file keeps the owner
            except PermissionError:
                os.chown(temp_name, -1, info.st_gid) if info.st_gid in os.getgroups() else None
        os.replace(temp_name, target)
    except BaseException:  # an interrupt too: no temp file is left behind
        try:
            os.unlink(temp_name)
        except OSError:
            pass
        raise


def _write_in_place(target: Path, new: bytes) -> None:
    fd = os.open(target, os.O_RDWR)
    try:
        if len(new) and hasattr(os, "posix_fallocate"):
            try:
                os.posix_fallocate(fd, 0, len(new))  # no "disk full" half way through the write
            except OSError as exc:
                if exc.errno not in (errno.EOPNOTSUPP, errno.EINVAL, errno.ENOSYS):
                    raise
        view = memoryview(new)
        while view:
            view = view[os.write(fd, view):]
        os.ftruncate(fd, len(new))
    finally:
        os.close(fd)


@contextmanager
def signals_held():
    """SIGINT/SIGTERM wait until the write is done (main thread only; elsewhere as is)."""
    held = {signal.SIGINT, signal.SIGTERM}
    try:
        old = signal.pthread_sigmask(signal.SIG_BLOCK, held)
    except (AttributeError, ValueError, OSError):
        yield
        return
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, old)


def same_file_once(paths: list[Path], stats: dict[str, os.stat_result] | None = None) -> list[Path]:
    """`paths` less the ones that are another of them reached again (a symlink, a hard link, the
    same file named twice): each file is checked and written once, under the path that is not a
    link when there is one. `stats` gets each path's stat (the run entry's key needs them too)."""
    chosen: dict[tuple[int, int] | str, int] = {}
    result: list[Path | None] = []
    for path in paths:
        try:
            info = os.stat(path)
            if stats is not None:
                stats[str(path)] = info
            key: tuple[int, int] | str = (info.st_dev, info.st_ino)
        except OSError:
            key = os.path.abspath(path)  # unreadable: reported later, once
        first = chosen.get(key)
        if first is None:
            chosen[key] = len(result)
            result.append(path)
        elif os.path.islink(result[first]) and not os.path.islink(path):
            result[first] = path
    return [p for p in result if p is not None]


def content_digest(source: bytes) -> bytes:
    return hashlib.blake2b(source, digest_size=16).digest()


class SourceReader:
    """Reads each file once per run: the index pass and the engine both need the bytes, their
    digest, and the words `scan` finds in them (each file is scanned once, and not at all when
    `scan_cache` knows its digest)."""

    def __init__(self, scan: WordScan | None = None, scan_cache: ScanCache | None = None, digests=None) -> None:
        self._sources: dict[str, bytes] = {}
        self._digests: dict[str, bytes] = {}
        self.scan = scan
        self.scan_cache = scan_cache
        self._found: dict[str, Found] = {}
        self._plans: dict[str, tuple] = {}
        self.digests = digests  # an engine/stat_digests.py StatDigests, or None
        self._stats: dict[str, os.stat_result] = {}  # taken before the file was read
        self._by_stat: set[str] = set()  # digests taken from the table, not from the bytes
        # a file read after its digest came from the table held other bytes (written meanwhile):
        # what was keyed by the table's digest must not be kept
        self.stale = False

    def __call__(self, path: Path) -> bytes:
        key = str(path)
        source = self._sources.get(key)
        if source is None:
            source = self._sources[key] = read_source(path)
            if self.digests is not None:
                self._checked_read(key, source)
        return source

    def _checked_read(self, key: str, source: bytes) -> None:
        digest = content_digest(source)
        if key in self._by_stat:
            self._by_stat.discard(key)
            if digest != self._digests.get(key):
                self.stale = True
                self._found.pop(key, None)
        self._digests[key] = digest
        found = self._found.get(key)
        if found is not None and found.source is None:
            self._found[key] = Found(source, found.words, found.scanned)
        info = self._stats.get(key)
        if info is not None and not self.stale:
            self.digests.record(os.path.abspath(key), info, digest)

    def note_stat(self, path: Path | str, info: os.stat_result) -> None:
        """The file's stat, taken before any read of it this run."""
        self._stats[str(path)] = info

    def digest_by_stat(self, path: Path | str) -> bytes | None:
        """The file's digest from the stat table (no read), when its noted stat is the kept one."""
        key = str(path)
        info = self._stats.get(key)
        if self.digests is None or info is None or key in self._sources:
            return None
        digest = self.digests.digest(os.path.abspath(key), info)
        if digest is not None:
            self._digests[key] = digest
            self._by_stat.add(key)
        return digest

    def known_digest(self, path: Path | str) -> bytes | None:
        """The file's digest when this run has it (from its bytes or the stat table)."""
        return self._digests.get(str(path))

    def found_by_digest(self, path: Path | str) -> Found | None:
        """The scan's words of a file not read, by its digest, when the scan cache knows them."""
        key = str(path)
        known = self._found.get(key)
        if known is not None:
            return known
        digest = self._digests.get(key)
        if self.scan is None or self.scan_cache is None or digest is None:
            return None
        words = self.scan_cache.known.get(digest)
        if words is None:
            return None
        self.scan_cache.record(digest, words)
        found = self._found[key] = Found(None, words, self.scan.words)
        return found

    def supply(self, path: Path | str, source: bytes) -> None:
        """`path` reads as `source` for this run (standard input stands in for the file on disk)."""
        self._sources[str(path)] = source

    def holds(self, path: Path | str) -> bool:
        return str(path) in self._sources

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
        if str(path) in self._found:
            return True
        if self.scan_cache is None:
            return False
        digest = self.digest(path, source) if source is not None else self._digests.get(str(path))
        return digest in self.scan_cache.known

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
