"""The machinery shared by the transaction rules (CEL701-CEL704): find each dispatch with its
statement and scope, and report it with the `on_commit` fix (codemods/on_commit.py).

A rule mixes `DispatchRuleMixin` in before `rule.CeleryRule` and implements `check_dispatch()`.
"""

from __future__ import annotations

from typing import Any, Optional

import libcst as cst

from celery_fix.ruleset import base as rule_base
from celery_fix.codemods.on_commit import STYLES, plan_on_commit
from celery_fix.constructs.dispatch import TRIGGERS, Dispatch, as_dispatch
from celery_fix.constructs.scopes import ScopeTracker, TrackingRule

# the options every transaction rule reads (one [tool.celery-fix] key each, shared by the rules)
OPTIONS = {"on-commit-style": "partial", "atomic-functions": []}
DISPATCH_TRIGGERS = TRIGGERS
# and what keeps a definition for them: an atomic block (with no dispatch of its own when it calls
# a dispatching function of another module), a signal hookup (`post_save.connect(handler)`)
DISPATCH_KEEP_WORDS = (*TRIGGERS, b"atomic", b"connect", b"receiver")
_SNIPPET = cst.Module(body=[])


def snippet(node: cst.CSTNode, limit: int = 60) -> str:
    text = " ".join(_SNIPPET.code_for_node(node).split())
    return text if len(text) <= limit else text[: limit - 3] + "..."


class DispatchRuleMixin(TrackingRule):
    context: Any
    names: Any

    @classmethod
    def survives_fixes(cls, report: Any) -> bool:
        # no fix when the dispatch's value is used or a name the fix needs is taken: no other
        # fix changes either (a report with a fix may be superseded by another rule's)
        return report.replacement is None

    @classmethod
    def relevant(cls, source: bytes, index: Any = None, path: str | None = None) -> bool:
        # these rules report dispatches: none where the index saw no call that could send a task
        return not rule_base.sends_no_task(index, path) and super().relevant(source, index, path)  # type: ignore[misc]

    def make_tracker(self) -> ScopeTracker:
        index = self.index
        wrappers = getattr(index, "atomic_wrappers", None) or () if index is not None else ()
        return ScopeTracker(self.names, self.option("atomic-functions"), wrappers)

    @property
    def index(self) -> Any:
        return getattr(self.context, "index", None) if self.context is not None else None

    def visit_Module(self, node: cst.Module) -> None:
        super().visit_Module(node)
        # id(call) -> the expression statement whose whole value it is (its value is unused)
        self._statements: dict[int, cst.Expr] = {}

    def visit_Expr(self, node: cst.Expr) -> None:
        if isinstance(node.value, cst.Call):
            self._statements[id(node.value)] = node

    def visit_Call(self, node: cst.Call) -> None:
        tracker = self.tracker
        if not tracker.deferred() and not tracker.is_on_commit_method(node):
            dispatch = as_dispatch(self.names, node, tracker.resolve)
            if dispatch is not None:
                self.check_dispatch(dispatch, self._statements.get(id(node)))
        tracker.enter_call(node)

    def check_dispatch(self, dispatch: Dispatch, statement: Optional[cst.Expr]) -> None:
        raise NotImplementedError

    # -- reporting ------------------------------------------------------------------------------
    def report_dispatch(
        self,
        dispatch: Dispatch,
        statement: Optional[cst.Expr],
        message: str,
        container: Optional[cst.CSTNode],
        using: Optional[cst.BaseExpression] = None,
        check_raise: bool = True,
        help: Optional[str] = None,
    ) -> None:
        style = self.option("on-commit-style")
        if style not in STYLES:
            style = "partial"
        plan = plan_on_commit(
            self.tracker, statement, dispatch, container, using=using, style=style, index=self.index,
            check_raise=check_raise,
        )
        self.report(statement if statement is not None else dispatch.call, message, help=help, note=plan.note,
                    replacement=plan.replacement, unsafe=plan.unsafe, imports=plan.imports)
