"""The dotted module name Python (and so Celery) gives a source file.

A file in a package is named by its `__init__.py` chain. A file in a directory without
`__init__.py` (a PEP 420 namespace package, common in hand-made layouts: `search/tasks.py`) is
named from its source root, as Python does when the worker runs from there. The source roots are
decided like ruff's `src` option: option `src` of `[tool.celery-fix]` (paths relative to the
project root), by default the project root and its `src/`, plus every directory below the project
root that holds Django's `manage.py` (and its `src/`): a `backend/` folder the worker runs from.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path


def module_name_for(path: Path, roots: Iterable[str | Path] = ()) -> str:
    """The dotted module name Python imports `path` as, from its `__init__.py` chain
    (`src/shop/orders/tasks.py` -> `shop.orders.tasks`). A directory without `__init__.py`
    inside a regular package (a namespace sub-package, e.g. saleor's `order/migrations/tasks/`)
    is still part of the dotted path, as Python and Celery's autodiscovery import it; so are the
    directories between a file outside any package and its source root (`search/tasks.py` ->
    `search.tasks` below a root)."""
    path = path.resolve()
    parts = [] if path.stem == "__init__" else [path.stem]
    directory = path.parent
    while directory.parent != directory:
        if (directory / "__init__.py").is_file() or (directory.parent / "__init__.py").is_file():
            parts.insert(0, directory.name)
            directory = directory.parent
            continue
        break
    if len(parts) == 1 and path.stem != "__init__":
        root = _nearest_root(directory, roots)
        if root is not None and root != directory:
            parts = [*directory.relative_to(root).parts, *parts]
    return ".".join(parts)


def _nearest_root(directory: Path, roots: Iterable[str | Path]) -> Path | None:
    best: Path | None = None
    for root in roots:
        root = Path(root)
        if (root == directory or root in directory.parents) and (best is None or len(root.parts) > len(best.parts)):
            best = root
    return best


def source_roots(project_root: Path, files: Iterable[Path], src: Iterable[str] = ()) -> tuple[str, ...]:
    """The source roots of a project (absolute paths, deepest last): see the module docstring."""
    base = project_root.resolve()
    configured = tuple(src)
    if configured:
        return tuple(sorted({str((base / entry).resolve()) for entry in configured}, key=len))
    roots = {base, base / "src"}
    for path in files:
        if path.name == "manage.py":
            parent = path.resolve().parent
            if parent == base or base in parent.parents:
                roots.update((parent, parent / "src"))
    return tuple(sorted((str(r) for r in roots), key=len))


def is_test_path(path: str | Path, roots: Iterable[str | Path] = ()) -> bool:
    """Test code: a file under a `tests/` directory, `test_*.py`, `*_test.py` or `conftest.py`
    (judged below the project's source roots, so a checkout inside some `tests/` is not all tests).
    Beat entries, settings and callers written there are fixtures, not the project's configuration."""
    path = Path(path)
    name = path.name
    if name == "conftest.py" or name.startswith("test_") or name.endswith("_test.py"):
        return True
    for root in sorted((Path(r) for r in roots), key=lambda r: len(r.parts)):
        try:
            return "tests" in path.relative_to(root).parts[:-1]
        except ValueError:
            continue
    return False  # no project root known: directories say nothing
