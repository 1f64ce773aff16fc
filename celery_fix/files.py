"""Finding the Python files to check, and reading and writing them without ever corrupting one."""

from __future__ import annotations

import fnmatch
import hashlib
import os
import re
import stat
import tempfile
from dataclasses import dataclass
from pathlib import Path

from celery_fix.config import DEFAULT_EXCLUDES, Config
from celery_fix.wordscan import Found, ScanCache, WordScan


class FileError(Exception):
    """A file that cannot be read, parsed or written: reported in one line, the run goes on."""


@dataclass(frozen=True)
class Discovery:
    files: list[Path]
    errors: list[str]  # paths that do not exist or cannot be listed


def discover(paths: list[Path], config: Config) -> Discovery:
    files: list[Path] = []
    errors: list[str] = []
    seen: set[str] = set()
    ignore = _GitIgnore(config.root) if config.respect_gitignore else None
    for path in paths:
        if not path.exists():
            errors.append(f"{path}: no such file or directory")
            continue
        if path.is_file():
            # a file named on the command line is always checked, like ruff and black do
            _add(files, seen, path)
            continue
        try:
            for found in _walk(path, config, ignore, errors):
                _add(files, seen, found)
        except OSError as exc:
            errors.append(f"{path}: {exc.strerror or exc}")
    return Discovery(files, errors)


def _add(files: list[Path], seen: set[str], path: Path) -> None:
    key = os.path.abspath(path)
    if key not in seen:
        seen.add(key)
        files.append(path)


def _walk(root: Path, config: Config, ignore, errors: list[str]):
    """Python files under `root`. Works on strings: on a 4,000-file tree, Path objects and
    resolve() per file cost more than the rest of a warm run."""
    root_abs = os.path.abspath(root)
    project_root = str(config.root)

    def on_error(exc: OSError) -> None:
        errors.append(f"{exc.filename}: {exc.strerror}")

    for directory, subdirs, filenames in os.walk(root, onerror=on_error):
        relative_dir = _relative_str(os.path.join(root_abs, os.path.relpath(directory, root)), project_root)
        subdirs[:] = sorted(
            d for d in subdirs if not _skip_dir(directory, d, _join(relative_dir, d), config, ignore)
        )
        for name in sorted(filenames):
            if name.endswith((".py", ".pyi")):
                relative = _join(relative_dir, name)
                if not _excluded(relative, name, config) and not (ignore and ignore.matches(relative)):
                    yield Path(directory, name)


def _join(relative_dir: str, name: str) -> str:
    return f"{relative_dir}/{name}" if relative_dir else name


def _relative_str(absolute: str, project_root: str) -> str:
    """Path relative to the project root, "/"-separated; absolute when outside it."""
    absolute = os.path.normpath(absolute)
    if absolute == project_root:
        return ""
    if absolute.startswith(project_root + os.sep):
        return absolute[len(project_root) + 1 :].replace(os.sep, "/")
    return absolute.replace(os.sep, "/")


def _skip_dir(parent: str, name: str, relative: str, config: Config, ignore) -> bool:
    if name in DEFAULT_EXCLUDES:
        return True
    if name == "migrations" and not config.include_migrations:
        return True
    if os.path.exists(os.path.join(parent, name, "pyvenv.cfg")):
        return True
    return _excluded(relative, name, config) or bool(ignore and ignore.matches(relative, is_dir=True))


def _excluded(relative: str, name: str, config: Config) -> bool:
    return any(
        fnmatch.fnmatch(relative, pattern) or fnmatch.fnmatch(relative, pattern.rstrip("/") + "/*")
        or fnmatch.fnmatch(name, pattern)
        for pattern in config.exclude
    )


class _GitIgnore:
    """The root .gitignore, when there is one (pathspec comes with Fixit's trailrunner)."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.spec = None
        self.groups = None
        gitignore = root / ".gitignore"
        if gitignore.is_file():
            try:
                import pathspec

                lines = gitignore.read_text(encoding="utf-8", errors="replace").splitlines()
                # "gitignore" is the current name; older pathspec releases only know "gitwildmatch"
                factory = "gitignore" if "gitignore" in pathspec.util._registered_patterns else "gitwildmatch"
                self.spec = pathspec.PathSpec.from_lines(factory, lines)
                self.groups = _sign_groups(self.spec)
            except (OSError, ImportError):
                self.spec = None

    def matches(self, relative: str, is_dir: bool = False) -> bool:
        if self.spec is None or relative.startswith("/"):
            return False  # no .gitignore, or outside the project root
        path = relative + ("/" if is_dir else "")
        if self.groups is None:
            return self.spec.match_file(path)
        for ignores, regex in reversed(self.groups):
            if regex.match(path) is not None:
                return ignores  # the last pattern that matches decides
        return False


def _sign_groups(spec):
    """The .gitignore patterns as few regexes: each run of consecutive patterns of one sign
    (ignore, or `!` re-include) as one alternation (pathspec tries them one by one, per file).
    The last matching pattern decides, so the last run with a match does."""
    groups: list[tuple[bool, list[str]]] = []
    for pattern in getattr(spec, "patterns", ()):
        regex = getattr(pattern, "regex", None)
        if getattr(pattern, "include", None) is None:
            continue  # a blank or comment line
        if regex is None:
            return None
        if groups and groups[-1][0] == pattern.include:
            groups[-1][1].append(regex.pattern)
        else:
            groups.append((pattern.include, [regex.pattern]))
    try:
        return [(ignores, re.compile("|".join(f"(?:{r})" for r in regexes))) for ignores, regexes in groups]
    except re.error:
        return None


def read_source(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except IsADirectoryError:
        raise FileError(f"{path}: is a directory") from None
    except OSError as exc:
        raise FileError(f"{path}: cannot read: {exc.strerror or exc}") from None


def write_atomic(path: Path, new: bytes, expected_old: bytes) -> None:
    """Replace `path` with `new` (temp file + rename, same permissions), refusing when the file
    no longer holds `expected_old` (changed by someone else during the run)."""
    try:
        current = path.read_bytes()
        mode = stat.S_IMODE(path.stat().st_mode)
    except OSError as exc:
        raise FileError(f"{path}: cannot re-read before writing: {exc.strerror or exc}") from None
    if current != expected_old:
        raise FileError(f"{path}: changed on disk during the run; not written")
    target = path.resolve()  # write through a symlink, keep the link
    fd, temp_name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".celery-fix-tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(new)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temp_name, mode)
        os.replace(temp_name, target)
    except OSError as exc:
        try:
            os.unlink(temp_name)
        except OSError:
            pass
        raise FileError(f"{path}: cannot write: {exc.strerror or exc}") from None


def module_name_for(path: Path) -> str:
    """The dotted module name Python imports `path` as, from its `__init__.py` chain
    (`src/shop/orders/tasks.py` -> `shop.orders.tasks`). A directory without `__init__.py`
    inside a regular package (a namespace sub-package, e.g. saleor's `order/migrations/tasks/`)
    is still part of the dotted path, as Python and Celery's autodiscovery import it."""
    path = path.resolve()
    parts = [] if path.stem == "__init__" else [path.stem]
    directory = path.parent
    while directory.parent != directory:
        if (directory / "__init__.py").is_file() or (directory.parent / "__init__.py").is_file():
            parts.insert(0, directory.name)
            directory = directory.parent
            continue
        break
    return ".".join(parts)


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
