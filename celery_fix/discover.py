"""Finding the Python files to check: paths, excludes, `.gitignore` (celery_fix/gitignore.py)."""

from __future__ import annotations

import fnmatch
import os
from dataclasses import dataclass
from pathlib import Path

from celery_fix.config import DEFAULT_EXCLUDES, Config
from celery_fix.engine.syntax_error import PYTHON_SUFFIXES, python_syntax_error
from celery_fix.gitignore import GitIgnore


@dataclass(frozen=True)
class Discovery:
    files: list[Path]
    errors: list[str]  # paths that do not exist or cannot be listed


def discover(paths: list[Path], config: Config, listed: list[str] | None = None) -> Discovery:
    """`listed`, when given, gets every directory the walk lists or leaves out (absolute): what
    the file list depends on, besides the configuration and the ignore files (project_files.py)."""
    files: list[Path] = []
    errors: list[str] = []
    seen: set[str] = set()
    ignore = GitIgnore(config.root) if config.respect_gitignore else None
    for path in paths:
        if not path.exists():
            errors.append(f"{path}: no such file or directory")
            continue
        if path.is_file():
            # a file named on the command line is always checked, like ruff and black do; one
            # that is not Python gets its syntax error even when no rule would parse it
            problem = _not_python(path)
            if problem is not None:
                errors.append(problem)
                continue
            _add(files, seen, path)
            continue
        try:
            for found in _walk(path, config, ignore, errors, listed):
                _add(files, seen, found)
        except OSError as exc:
            errors.append(f"{path}: {exc.strerror or exc}")
    return Discovery(files, errors)


def _not_python(path: Path) -> str | None:
    """The syntax error of a named file whose name is not `.py`/`.pyi` (`celery-fix uv.lock`), or
    None. A file that cannot be read is left to the engine, which reports it."""
    if path.name.endswith(PYTHON_SUFFIXES):
        return None
    try:
        source = path.read_bytes()
    except OSError:
        return None
    return python_syntax_error(str(path), source)


def without_excluded(files: list[Path], config: Config) -> list[Path]:
    """`files` less those `excluded_file` leaves out, reading each .gitignore once for all of them."""
    ignore = GitIgnore(config.root) if config.respect_gitignore else None
    real_dirs: dict[str, str] = {}
    return [f for f in files if not excluded_file(f, config, ignore, real_dirs)]


def excluded_file(path: Path, config: Config, ignore: GitIgnore | None = None,
                  real_dirs: dict[str, str] | None = None) -> bool:
    """Whether `exclude`, the default excludes or `.gitignore` leave out a file named on the
    command line (`--force-exclude`: pre-commit and editors name files one by one)."""
    absolute = _real_parent(path, {} if real_dirs is None else real_dirs)
    relative = _relative_str(absolute, str(config.root))
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
    if not config.respect_gitignore:
        return False
    ignore = ignore or GitIgnore(config.root)
    # its directories first, as the walk meets them: git does not look inside an ignored one
    parents = reversed(Path(absolute).parents)
    return any(ignore.matches(str(d), is_dir=True) for d in parents) or ignore.matches(absolute)


def _real_parent(path: Path, real_dirs: dict[str, str]) -> str:
    """`path` absolute, its directories' symlinks resolved (config.root is resolved: `/tmp` is
    `/private/tmp` on macOS), the file itself not: a symlink in the tree is judged by its own name.
    `real_dirs`: the directories resolved so far (one realpath per directory of a batch)."""
    head, name = os.path.split(os.path.abspath(path))
    real = real_dirs.get(head)
    if real is None:
        real = real_dirs[head] = os.path.realpath(head)
    return os.path.join(real, name)


def _add(files: list[Path], seen: set[str], path: Path) -> None:
    key = os.path.abspath(path)
    if key not in seen:
        seen.add(key)
        files.append(path)


def _walk(root: Path, config: Config, ignore, errors: list[str], listed: list[str] | None = None):
    """Python files under `root`. Works on strings: on a 4,000-file tree, Path objects and
    resolve() per file cost more than the rest of a warm run."""
    # matched as the real directories (config.root is resolved), yielded as the user spells them
    root_abs = os.path.realpath(root)
    project_root = str(config.root)

    def on_error(exc: OSError) -> None:
        errors.append(f"{exc.filename}: {exc.strerror}")

    for directory, subdirs, filenames in os.walk(root, onerror=on_error):
        absolute_dir = os.path.normpath(os.path.join(root_abs, os.path.relpath(directory, root)))
        relative_dir = _relative_str(absolute_dir, project_root)
        if listed is not None:
            listed.append(absolute_dir)
            # a virtualenv left out: its `pyvenv.cfg` going away changes its own mtime
            listed += [os.path.join(absolute_dir, d) for d in subdirs
                       if not _left_out_by_name(d, config) and _is_virtualenv(directory, d)]
        subdirs[:] = sorted(
            d for d in subdirs
            if not _skip_dir(directory, d, _join(relative_dir, d), config)
            and not (ignore and ignore.matches(os.path.join(absolute_dir, d), is_dir=True))
        )
        for name in sorted(filenames):
            if (name.endswith(PYTHON_SUFFIXES) and not _excluded(_join(relative_dir, name), name, config)
                    and not (ignore and ignore.matches(os.path.join(absolute_dir, name)))):
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


def _left_out_by_name(name: str, config: Config) -> bool:
    """A directory left out whatever it holds (`.git`, the cache, migrations)."""
    return name in DEFAULT_EXCLUDES or name == "migrations" and not config.include_migrations


def _skip_dir(parent: str, name: str, relative: str, config: Config) -> bool:
    if _left_out_by_name(name, config):
        return True
    if _is_virtualenv(parent, name):
        return True
    return _excluded(relative, name, config)


def _is_virtualenv(parent: str, name: str) -> bool:
    return os.path.exists(os.path.join(parent, name, "pyvenv.cfg"))


def _excluded(relative: str, name: str, config: Config) -> bool:
    return any(
        fnmatch.fnmatch(relative, pattern) or fnmatch.fnmatch(relative, pattern.rstrip("/") + "/*")
        or fnmatch.fnmatch(name, pattern)
        for pattern in config.exclude
    )
