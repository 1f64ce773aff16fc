"""Add `soft_time_limit`/`time_limit` to a task decorator (the CEL301 fix): `@shared_task` becomes
`@shared_task(soft_time_limit=300, time_limit=360)`, a decorator call gets the keywords appended in
its own layout."""

from __future__ import annotations

import libcst as cst

from celery_fix.syntax.edit import append_kwargs, keyword_arg

DEFAULT_SOFT = 300
DEFAULT_HARD = 360


def add_limits(decorator: cst.Decorator, soft: int | None, hard: int | None) -> cst.Decorator:
    """`decorator` with the limits that are not written yet (None: leave that one out)."""
    expr = decorator.decorator
    call = expr if isinstance(expr, cst.Call) else cst.Call(func=expr)
    present = {arg.keyword.value for arg in call.args if arg.keyword is not None}
    wanted = [(key, value) for key, value in (("soft_time_limit", soft), ("time_limit", hard))
              if value is not None and key not in present]
    new_args = [keyword_arg(key, cst.Integer(str(value))) for key, value in wanted]
    return decorator.with_changes(decorator=append_kwargs(call, new_args))
