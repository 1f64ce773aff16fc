"""What a module-level name is bound to, and the Celery names that make a binding special (plain data:
the index's `ast` collector reads them without loading libcst)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

CELERY_APP_FACTORIES = frozenset({"celery.Celery", "celery.app.Celery", "celery.app.base.Celery"})
SHARED_TASK = frozenset({"celery.shared_task", "celery.app.shared_task", "celery.app.base.shared_task"})
CURRENT_APP = frozenset({"celery.current_app", "celery.app.current_app"})


@dataclass(frozen=True)
class Binding:
    """What a module-level name is bound to.

    kind: "import" (qualname is the imported object), "app" (a Celery app created here),
    "task_decorator" (an alias of `shared_task` / `app.task`), "task_preset" (`x = shared_task(...)`:
    a decorator with preset options; `node` is that call), "def" (a function or class defined here)
    or "value" (anything else: shadows earlier imports; `node` is the assignment).
    """

    qualname: str
    kind: str
    node: Any = None  # a libcst or an `ast` node, by the table that holds it


def _looks_like_app_import(qualname: str) -> bool:
    parts = qualname.split(".")
    if len(parts) < 2 or parts[0] == "celery":
        return False
    return any("celery" in part.lower() for part in parts)
