"""Finding the Python files to check: paths, excludes, `.gitignore`."""

from __future__ import annotations

import fnmatch
import os
import re
from dataclasses import dataclass
from pathlib import Path

from celery_fix.config import DEFAULT_EXCLUDES, Config


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


def excluded_file(path: Path, config: Config) -> bool:
    """Whether `exclude`, the default excludes or `.gitignore` leave out a file named on the
    command line (`--force-exclude`: pre-commit and editors name files one by one)."""
    relative = _relative_str(os.path.abspath(path), str(config.root))
    parts = relative.split("/")
    if relative.startswith("/"):
        return any(part in DEFAULT_EXCLUDES for part in parts[:-1]) or _excluded(relative, parts[-1], config)
    if any(part in DEFAULT_EXCLUDES for part in parts[:-1]):
        return True
    if "migrations" in parts[:-1] and not config.include_migrations:
        return True
    for depth in range(1, len(parts)):
        if _excluded("/".join(parts[:depth]), parts[depth - 1], config):
            return True
    if _excluded(relative, parts[-1], config):
        return True
    ignore = _GitIgnore(config.root) if config.respect_gitignore else None
    if ignore is None:
        return False
    return any(ignore.matches("/".join(parts[:d]), is_dir=True) for d in range(1, len(parts))) or ignore.matches(relative)


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
