"""What git ignores, read as git reads it: the `.gitignore` of every directory from the repository
root down (each pattern relative to its own directory) and `.git/info/exclude`.

The last matching pattern decides; a deeper `.gitignore` overrides a shallower one and
`info/exclude` comes under all of them (gitignore(5)). As in git, nothing below an ignored
directory can be re-included: callers check a path's directories first (the walk prunes them).
Not read: the user's global `core.excludesFile` (a run must not depend on who runs it).
Outside a git repository, the `.gitignore` files from the project root down still count.
"""

from __future__ import annotations

import os
import re
from pathlib import Path


class GitIgnore:
    def __init__(self, project_root: Path) -> None:
        root = os.path.normpath(os.path.abspath(project_root))
        repository = work_tree(root)
        self.top = repository or root
        self._chains: dict[str, tuple[list[tuple[int, _IgnoreFile]], bool]] = {}  # directory -> see _chain
        self._exclude = _IgnoreFile.read(_git_dir(repository) / "info" / "exclude") if repository else None

    def matches(self, path: str, is_dir: bool = False) -> bool:
        """Whether git ignores `path` (absolute and normalized, or relative to the working directory)."""
        absolute = path if os.path.isabs(path) else os.path.abspath(path)  # the walk's paths are absolute
        if not absolute.startswith(self.top + os.sep):
            return False  # outside the repository: none of its files speak for it
        relative = absolute[len(self.top) + 1 :].replace(os.sep, "/")
        chain, nested = self._chain(relative.rpartition("/")[0])
        for offset, ignore_file in chain:
            verdict = ignore_file.decide(relative[offset:], is_dir)
            if verdict is not None:
                return verdict
        if self._exclude is not None and not nested:
            return bool(self._exclude.decide(relative, is_dir))
        return False

    def _chain(self, directory: str) -> tuple[list[tuple[int, _IgnoreFile]], bool]:
        """The .gitignore files that speak for the entries of `directory` (relative to top), the
        deepest first (it has the last word), each with where its own relative paths start; and
        whether `directory` is inside a repository nested in this one. git reads none of the outer
        repository's patterns there (its own `info/exclude` is not read either)."""
        found = self._chains.get(directory)
        if found is None:
            base = os.path.join(self.top, directory) if directory else self.top
            if directory and os.path.exists(os.path.join(base, ".git")):
                parent, nested = [], True  # a repository of its own: the outer patterns end here
            else:
                parent, nested = self._chain(directory.rpartition("/")[0]) if directory else ([], False)
            candidate = os.path.join(base, ".gitignore")
            own = _IgnoreFile.read(Path(candidate)) if os.path.isfile(candidate) else None  # a stat, not an OSError per directory
            chain = [(len(directory) + 1 if directory else 0, own), *parent] if own is not None else parent
            found = self._chains[directory] = (chain, nested)
        return found


class _IgnoreFile:
    """One file of patterns (pathspec's gitignore patterns, as git matches them)."""

    def __init__(self, spec) -> None:
        self.spec = spec
        self.groups = _sign_groups(spec)

    @classmethod
    def read(cls, path: Path) -> _IgnoreFile | None:
        try:
            lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
        except OSError:
            return None  # absent (the common case) or unreadable: no patterns
        try:
            import pathspec
        except ImportError:  # pragma: no cover - pathspec comes with Fixit's trailrunner
            return None
        # "gitignore" is the current name; older pathspec releases only know "gitwildmatch"
        factory = "gitignore" if "gitignore" in pathspec.util._registered_patterns else "gitwildmatch"
        spec = pathspec.PathSpec.from_lines(factory, lines)
        return cls(spec) if spec.patterns else None

    def decide(self, relative: str, is_dir: bool) -> bool | None:
        """True ignored, False re-included (`!`), None when no pattern of this file matches."""
        path = relative + ("/" if is_dir else "")
        if self.groups is None:
            if hasattr(self.spec, "check_file"):
                return self.spec.check_file(path).include
            return True if self.spec.match_file(path) else None  # pathspec < 0.12 cannot tell `!` from no match
        for ignores, regex in reversed(self.groups):
            if regex.search(path) is not None:  # as pathspec: `*` is the unanchored regex "."
                return ignores  # the last pattern that matches decides
        return None


def work_tree(start: str) -> str | None:
    """The top of the git work tree holding `start`: the nearest directory with a `.git`."""
    directory = start
    while True:
        if os.path.exists(os.path.join(directory, ".git")):
            return directory
        parent = os.path.dirname(directory)
        if parent == directory:
            return None
        directory = parent


def _git_dir(work_tree: str) -> Path:
    """The git directory whose info/exclude counts: `.git`, or for a linked work tree (`.git` is a
    file `gitdir: ...`) the repository's common directory."""
    dot_git = Path(work_tree, ".git")
    if dot_git.is_dir():
        return dot_git
    try:
        text = dot_git.read_text(encoding="utf-8", errors="replace").strip()
    except OSError:
        return dot_git
    if not text.startswith("gitdir:"):
        return dot_git
    git_dir = (dot_git.parent / text[len("gitdir:") :].strip()).resolve()
    try:
        common = (git_dir / "commondir").read_text(encoding="utf-8").strip()
    except OSError:
        return git_dir
    return (git_dir / common).resolve()


def _sign_groups(spec):
    """The patterns as few regexes: each run of consecutive patterns of one sign (ignore, or `!`
    re-include) as one alternation (pathspec tries them one by one, per file). The last matching
    pattern decides, so the last run with a match does. None when a pattern has no regex."""
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
