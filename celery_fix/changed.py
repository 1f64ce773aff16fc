"""`--changed-since REF`: the files changed since a git ref (what a pull-request job checks).

Changed means `git diff --name-only REF` (committed, staged and unstaged changes against REF) plus
untracked files git does not ignore. The index is still built from the whole project: only the
findings are limited to these files.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path


class ChangedError(Exception):
    """Not a git repository, no git, or an unknown ref: one line, exit 2."""


def changed_files(ref: str, where: Path) -> set[str]:
    """Real paths of the files changed since `ref` in the git repository holding `where`."""
    top = _git(where, "rev-parse", "--show-toplevel", failure=f"{where}: not a git repository").strip()
    if ref.startswith("-"):
        raise ChangedError(f"--changed-since: {ref!r} is not a git ref")
    _git(Path(top), "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}", failure=f"--changed-since: unknown git ref {ref!r}")
    names = _git(Path(top), "diff", "--name-only", "-z", "--no-renames", ref, "--", failure=f"--changed-since: git diff {ref} failed")
    names += _git(Path(top), "ls-files", "--others", "--exclude-standard", "-z", failure="git ls-files failed")
    return {os.path.realpath(os.path.join(top, name)) for name in names.split("\0") if name}


def only_changed(files: list[Path], changed: set[str]) -> list[Path]:
    return [path for path in files if os.path.realpath(path) in changed]


def _git(cwd: Path, *args: str, failure: str) -> str:
    directory = cwd if cwd.is_dir() else cwd.parent
    try:
        done = subprocess.run(
            ["git", "-c", "core.quotepath=off", *args], cwd=directory, capture_output=True, text=True,
            encoding="utf-8", errors="surrogateescape", check=False,
        )
    except OSError as exc:
        raise ChangedError(f"--changed-since needs git: {exc.strerror or exc}") from None
    if done.returncode != 0:
        raise ChangedError(failure)
    return done.stdout
