"""Add `reject_on_worker_lost=True` to an `acks_late` task's decorator (the CEL903 fix)."""

from __future__ import annotations

import libcst as cst

from celery_fix.codemods.ignore_result import add_decorator_option


def add_reject_on_worker_lost(decorator: cst.Decorator) -> cst.Decorator:
    return add_decorator_option(decorator, "reject_on_worker_lost", cst.Name("True"))
