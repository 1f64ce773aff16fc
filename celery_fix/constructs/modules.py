"""The dotted module name Python (and so Celery) gives a source file."""

from __future__ import annotations

from pathlib import Path


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
