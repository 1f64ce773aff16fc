"""Send a task after the transaction commits (the fix of CEL701-CEL704).

`task.delay(order.id, flag=True)` as a statement becomes
`transaction.on_commit(partial(task.delay, order.id, flag=True))`: the arguments are evaluated now,
exactly as before (a lambda would read them at commit time and, in a loop, see only the last item),
keyword arguments and `apply_async(args=..., countdown=..., queue=...)` keep their meaning, and the
database alias of `atomic(using=...)` is carried to `on_commit(..., using=...)`.

Styles (option `on-commit-style`): "partial" (default), "lambda" (only where no name the call reads
is rebound later in the block; else partial), "delay_on_commit" (`task.delay_on_commit(...)`, only
where the task's class provably is Celery's `DjangoTask`; else on_commit + partial).

The pure functions here are what the rules call; `OnCommitCommand` (built lazily, see the end of the
module) runs the CEL701 fix as a libcst codemod.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Optional

import libcst as cst

from celery_fix.codemods._lazy import lazy_command
from celery_fix.syntax.edit import ONE_SPACE, keyword_arg
from celery_fix.constructs.dispatch import Dispatch
from celery_fix.constructs.scopes import ScopeTracker, code_after, can_raise, names_read, names_rebound
from celery_fix.constructs.tasks import task_decorator

STYLES = ("partial", "lambda", "delay_on_commit")
DJANGO_TASK = frozenset({"celery.contrib.django.task.DjangoTask"})
ON_COMMIT_METHOD = {"delay": "delay_on_commit", "apply_async": "apply_async_on_commit"}


@dataclass
class OnCommitPlan:
    replacement: Optional[cst.Expr]  # None: report only
    imports: tuple[tuple[str, str], ...] = ()
    unsafe: bool = False
    note: str = ""  # why there is no fix, why the fix is unsafe, or why another style was used


def plan_on_commit(
    tracker: ScopeTracker,
    statement: Optional[cst.Expr],
    dispatch: Dispatch,
    container: Optional[cst.CSTNode],
    *,
    using: Optional[cst.BaseExpression] = None,
    style: str = "partial",
    index: Any = None,
    check_raise: bool = True,
) -> OnCommitPlan:
    """How to defer `dispatch`. `statement` is the expression statement whose value is the
    dispatch call (None when the value is used); `container` the block (a `with` or a function)
    whose later code decides about raises and rebinding."""
    if statement is None:
        return OnCommitPlan(None, note="no automatic fix: the dispatch's return value is used "
                                       "(`on_commit` returns None), so move or restructure it by hand")
    after = code_after(container, statement) if container is not None else None
    later = after.nodes if after is not None else []
    unsafe = check_raise and can_raise(later)
    unsafe_note = (
        "unsafe fix: the block can raise after this line; today the task is then sent despite "
        "the rollback, after the fix it is not"
        if unsafe else ""
    )
    notes = [unsafe_note] if unsafe_note else []

    if style == "delay_on_commit":
        reason = _delay_on_commit_blocker(tracker, dispatch, using, index)
        if reason is None:
            call = dispatch.call
            method = call.func.attr.with_changes(value=ON_COMMIT_METHOD[dispatch.method])
            new_call = call.with_changes(func=call.func.with_changes(attr=method))
            return OnCommitPlan(statement.with_changes(value=new_call), (), unsafe, "; ".join(notes))
        notes.append(f"`{ON_COMMIT_METHOD.get(dispatch.method, 'delay_on_commit')}` not used ({reason}): "
                     "`transaction.on_commit` instead")

    on_commit = on_commit_callee(tracker)
    if on_commit is None:
        return OnCommitPlan(None, note="no automatic fix: the name `transaction` is taken here")
    callee, imports = on_commit

    if style == "lambda":
        rebound = names_read(dispatch.call) & names_rebound(later)
        if not rebound:
            wrapped = wrap_lambda(dispatch.call, callee, using)
            return OnCommitPlan(statement.with_changes(value=wrapped), imports, unsafe, "; ".join(notes))
        notes.append(f"a lambda would read {', '.join(f'`{n}`' for n in sorted(rebound))} at commit time, "
                     "after the block rebinds it: used `partial`")

    if not dispatch.call.args:  # nothing to bind: `on_commit(task.delay)`, no partial
        wrapped = wrap_partial(dispatch.call, callee, cst.Name("partial"), using)
        return OnCommitPlan(statement.with_changes(value=wrapped), imports, unsafe, "; ".join(notes))
    partial = partial_callee(tracker)
    if partial is None:
        return OnCommitPlan(None, note="no automatic fix: the name `partial` is taken here")
    partial_expr, partial_imports = partial
    wrapped = wrap_partial(dispatch.call, callee, partial_expr, using)
    return OnCommitPlan(statement.with_changes(value=wrapped), imports + partial_imports, unsafe, "; ".join(notes))


# -- names the fix writes -------------------------------------------------------------------------
def on_commit_callee(tracker: ScopeTracker) -> Optional[tuple[cst.BaseExpression, tuple[tuple[str, str], ...]]]:
    """`transaction.on_commit` through an existing import or alias, or with a new import."""
    alias = tracker.module_alias_for("django.db.transaction")
    if alias:
        return cst.Attribute(cst.Name(alias), cst.Name("on_commit")), ()
    alias = tracker.module_alias_for("django.db.transaction.on_commit")
    if alias:
        return cst.Name(alias), ()
    dotted = _dotted_django_db(tracker)
    if dotted is not None:
        return dotted, ()
    if tracker.name_free("transaction"):
        return cst.Attribute(cst.Name("transaction"), cst.Name("on_commit")), (("django.db", "transaction"),)
    return None


def _dotted_django_db(tracker: ScopeTracker) -> Optional[cst.BaseExpression]:
    """`django.db.transaction.on_commit` through `import django.db` (or `import django.db.transaction`):
    the module is loaded wherever a transaction runs (`atomic` comes from it, the ORM imports it)."""
    if tracker.module_alias_for("django") != "django":
        return None
    node = tracker.names.bindings["django"].node
    names = node.names if isinstance(node, cst.Import) else ()
    if not any(isinstance(a.name, cst.Attribute) and (_dotted(a.name) + ".").startswith("django.db.") for a in names):
        return None
    return cst.parse_expression("django.db.transaction.on_commit")


def _dotted(expr: cst.BaseExpression) -> str:
    if isinstance(expr, cst.Attribute):
        return f"{_dotted(expr.value)}.{expr.attr.value}"
    return expr.value if isinstance(expr, cst.Name) else ""


def partial_callee(tracker: ScopeTracker) -> Optional[tuple[cst.BaseExpression, tuple[tuple[str, str], ...]]]:
    alias = tracker.module_alias_for("functools.partial")
    if alias:
        return cst.Name(alias), ()
    alias = tracker.module_alias_for("functools")
    if alias:
        return cst.Attribute(cst.Name(alias), cst.Name("partial")), ()
    if tracker.name_free("partial"):
        return cst.Name("partial"), (("functools", "partial"),)
    return None


# -- building the new call ----------------------------------------------------------------------
def wrap_partial(
    call: cst.Call, on_commit: cst.BaseExpression, partial: cst.BaseExpression, using: Optional[cst.BaseExpression] = None
) -> cst.Call:
    """`f(a, k=v)` -> `on_commit(partial(f, a, k=v))`, keeping an exploded call exploded;
    `f()` -> `on_commit(f)` (a partial without arguments adds nothing: `f` is evaluated now
    either way)."""
    opening = call.whitespace_before_args
    func = call.func.with_changes(lpar=(), rpar=()) if call.func.lpar else call.func  # an argument needs no parens
    if not call.args:
        return _on_commit_call(call, on_commit, func, using)
    # an exploded call: the new line after `f,` is laid out like the one after `(`, less its
    # comment (which stays after the `(`: written twice it would be duplicated)
    separator = (
        opening.with_changes(first_line=cst.TrailingWhitespace(), empty_lines=())
        if isinstance(opening, cst.ParenthesizedWhitespace) else ONE_SPACE
    )
    first = cst.Arg(func, comma=cst.Comma(whitespace_after=separator))
    bound = cst.Call(func=partial, args=[first, *call.args], whitespace_before_args=opening)
    return _on_commit_call(call, on_commit, bound, using)


def wrap_lambda(call: cst.Call, on_commit: cst.BaseExpression, using: Optional[cst.BaseExpression] = None) -> cst.Call:
    """`f(a)` -> `on_commit(lambda: f(a))`."""
    inner = call.with_changes(lpar=(), rpar=())
    return _on_commit_call(call, on_commit, cst.Lambda(params=cst.Parameters(), body=inner), using)


def _on_commit_call(original: cst.Call, on_commit, callback, using) -> cst.Call:
    args = [cst.Arg(callback)]
    if using is not None:
        args = [cst.Arg(callback, comma=cst.Comma(whitespace_after=ONE_SPACE)), keyword_arg("using", using)]
    return cst.Call(func=on_commit, args=args, lpar=original.lpar, rpar=original.rpar)


# -- delay_on_commit ------------------------------------------------------------------------------
def _delay_on_commit_blocker(tracker: ScopeTracker, dispatch: Dispatch, using, index) -> Optional[str]:
    """None when `task.delay_on_commit` is provably available and equivalent; else the reason."""
    if not dispatch.plain_task:
        return "not a `.delay()`/`.apply_async()` on a task object"
    if using is not None:
        return "it has no `using=` for this block's database"
    if not task_is_django_task(tracker, dispatch.receiver, index):
        return "the task's class is not provably Celery's `DjangoTask`"
    return None


def task_is_django_task(tracker: ScopeTracker, receiver: cst.BaseExpression, index: Any = None) -> bool:
    """Whether the task object `receiver` is an instance of `celery.contrib.django.task.DjangoTask`.

    Provable from one file when the task is defined here with `base=DjangoTask` (or a class-based
    task deriving from it). With the ProjectIndex: the task's `base` is DjangoTask, or it has no
    base and its app provably gets DjangoTask from Celery's Django fixup (the index must say so:
    `AppInfo.django_task_cls`)."""
    binding = tracker.names.binding_of(receiver) if isinstance(receiver, cst.Name) else None
    if binding is not None and isinstance(receiver, cst.Name) and not tracker.shadowed(receiver.value):
        node = binding.node
        if binding.kind == "def" and isinstance(node, cst.FunctionDef):
            for decorator in node.decorators:
                found = task_decorator(tracker.names, decorator)
                if found is not None and "base" in found.options:
                    return tracker.resolve(found.options["base"]) in DJANGO_TASK
        if binding.kind == "def" and isinstance(node, cst.ClassDef):
            return any(tracker.resolve(base.value) in DJANGO_TASK for base in node.bases)
    if index is None:
        return False
    qualname = tracker.resolve(receiver)
    lookup = getattr(index, "task_by_qualname", None)
    task = lookup(qualname) if qualname and callable(lookup) else None
    if task is None:
        return False
    if getattr(task, "options_unknown", False):
        return False
    if task.base is not None:
        return task.base in DJANGO_TASK
    apps = getattr(index, "app_infos", None) or {}
    app = apps.get(task.app) if task.app else (next(iter(apps.values())) if len(apps) == 1 else None)
    return bool(app is not None and getattr(app, "django_task_cls", False))


# -- the libcst codemod (CEL701's fix) --------------------------------------------------------------
def _build_command():
    import argparse

    from libcst.codemod import CodemodContext, VisitorBasedCodemodCommand
    from libcst.codemod.visitors import AddImportsVisitor

    from celery_fix.constructs.dispatch import as_dispatch
    from celery_fix.constructs.names import build_name_table

    class OnCommitCommand(VisitorBasedCodemodCommand):
        DESCRIPTION = "Send tasks dispatched inside transaction.atomic() from transaction.on_commit()."

        @staticmethod
        def add_args(arg_parser: argparse.ArgumentParser) -> None:
            arg_parser.add_argument("--style", dest="style", choices=STYLES, default="partial")
            arg_parser.add_argument("--unsafe", dest="unsafe", action="store_true",
                                    help="also wrap dispatches followed by a possible raise in the block")

        def __init__(self, context: CodemodContext, style: str = "partial", unsafe: bool = False) -> None:
            super().__init__(context)
            self.style = style
            self.unsafe = unsafe
            self.tracker: ScopeTracker | None = None
            self.statements: set[int] = set()
            self.plans: dict[int, OnCommitPlan] = {}

        def visit_Module(self, node: cst.Module) -> bool:
            self.tracker = ScopeTracker(build_name_table(node, self.context.full_module_name or ""))
            return True

        def visit_FunctionDef(self, node):
            self.tracker.enter_function(node)

        def visit_Lambda(self, node):
            self.tracker.enter_lambda(node)

        def visit_ClassDef(self, node):
            self.tracker.enter_class(node)

        def visit_With(self, node):
            self.tracker.enter_with(node)

        def visit_Expr(self, node: cst.Expr):
            if isinstance(node.value, cst.Call):
                self.statements.add(id(node.value))

        def visit_Call(self, node: cst.Call):
            dispatch = as_dispatch(self.tracker.names, node, self.tracker.resolve)
            context = self.tracker.atomic_context()
            if dispatch is not None and context is not None and id(node) in self.statements:
                self.plans[id(node)] = context  # planned on leave_Expr, with the original statement
            self.tracker.enter_call(node)

        def leave_Call(self, original_node, updated_node):
            self.tracker.leave(original_node)
            return updated_node

        def leave_Expr(self, original_node: cst.Expr, updated_node: cst.Expr):
            context = self.plans.pop(id(original_node.value), None)
            if context is None:
                return updated_node
            dispatch = as_dispatch(self.tracker.names, original_node.value, self.tracker.resolve)
            plan = plan_on_commit(self.tracker, original_node, dispatch, context.outermost.node,
                                  using=context.using, style=self.style)
            if plan.replacement is None or (plan.unsafe and not self.unsafe):
                return updated_node
            for module, name in plan.imports:
                AddImportsVisitor.add_needed_import(self.context, module, name)
            return plan.replacement

        def leave_FunctionDef(self, original_node, updated_node):
            self.tracker.leave(original_node)
            return updated_node

        def leave_Lambda(self, original_node, updated_node):
            self.tracker.leave(original_node)
            return updated_node

        def leave_ClassDef(self, original_node, updated_node):
            self.tracker.leave(original_node)
            return updated_node

        def leave_With(self, original_node, updated_node):
            self.tracker.leave(original_node)
            return updated_node

    return OnCommitCommand


__getattr__, __dir__ = lazy_command(globals(), "OnCommitCommand", _build_command)
