"""Where a statement runs: function-local shadowing, atomic blocks, deferred (`on_commit`) code,
and what may run after a statement inside a block.

Rules run in one batched pass without libcst metadata, so they cannot ask for a node's parent.
`ScopeTracker` keeps the stack of enclosing functions, lambdas, classes, `with` blocks and
`on_commit(...)` calls as the visitor goes down and up; a rule calls its `enter_*`/`leave_*` hooks
from its own `visit_*`/`leave_*` methods (see `TrackingRule` below for the ready-made wiring).

Names resolve through the module's NameTable (`celery_fix.constructs.names`); a name bound inside an
enclosing function (a parameter, an assignment, a `for` target, a local import, ...) is not the
module-level object of the same name, whatever it is called.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable, Iterator, Optional, Sequence

import libcst as cst

from celery_fix.constructs.names import NameTable, dotted_name
from celery_fix.syntax.walk import visit_readonly, walk

ATOMIC = frozenset({"django.db.transaction.atomic"})
ON_COMMIT = frozenset({"django.db.transaction.on_commit"})
TRANSACTION_MODULE = "django.db.transaction"
NON_ATOMIC_REQUESTS = frozenset({"django.db.transaction.non_atomic_requests"})


# -- function-local names ---------------------------------------------------------------------
def _target_names(target: cst.BaseExpression) -> Iterator[str]:
    if isinstance(target, cst.Name):
        yield target.value
    elif isinstance(target, (cst.Tuple, cst.List)):
        for element in target.elements:
            yield from _target_names(element.value)
    elif isinstance(target, cst.StarredElement):
        yield from _target_names(target.value)


_COMPREHENSIONS = frozenset({cst.ListComp, cst.SetComp, cst.DictComp, cst.GeneratorExp})


def _bound_in_body(body: cst.CSTNode) -> tuple[set[str], set[str]]:
    """Names a function body binds in its own scope (not in nested functions, classes, lambdas or
    comprehensions, whose names are their own), and its `global`/`nonlocal` declarations."""
    bound: set[str] = set()
    declared_outer: set[str] = set()

    def enter(node: cst.CSTNode) -> bool:
        kind = type(node)  # dispatch on the concrete type: isinstance() on libcst's ABCs is slow
        if kind in _BINDING_TARGET:
            bound.update(_target_names(getattr(node, _BINDING_TARGET[kind])))
        elif kind is cst.FunctionDef or kind is cst.ClassDef:
            bound.add(node.name.value)
            return False
        elif kind is cst.Lambda:
            return False
        elif kind in _COMPREHENSIONS:
            walk(node, walrus_only)  # `(x := ...)` in a comprehension binds in the function (PEP 572)
            return False
        elif kind is cst.Import:
            for alias in node.names:
                name = dotted_name(alias.name) if alias.asname is None else None
                if name:
                    bound.add(name.split(".")[0])
        elif kind is cst.ImportFrom and not isinstance(node.names, cst.ImportStar):
            bound.update(a.name.value for a in node.names if a.asname is None and isinstance(a.name, cst.Name))
        elif kind is cst.Global or kind is cst.Nonlocal:
            declared_outer.update(item.name.value for item in node.names)
        return True

    def walrus_only(node: cst.CSTNode) -> bool:
        kind = type(node)
        if kind is cst.NamedExpr:
            bound.update(_target_names(node.target))
        return kind not in (cst.FunctionDef, cst.ClassDef, cst.Lambda)

    walk(body, enter)
    return bound, declared_outer


_BINDING_TARGET = {
    cst.AssignTarget: "target", cst.AnnAssign: "target", cst.AugAssign: "target", cst.For: "target",
    cst.NamedExpr: "target", cst.AsName: "name",
}


def parameter_names(params: cst.Parameters) -> list[str]:
    names = [p.name.value for p in (*params.posonly_params, *params.params, *params.kwonly_params)]
    for star in (params.star_arg, params.star_kwarg):
        if isinstance(star, cst.Param):
            names.append(star.name.value)
    return names


def local_names(function: cst.FunctionDef | cst.Lambda) -> frozenset[str]:
    """The names `function` binds locally: its parameters and everything assigned in its body."""
    bound, declared_outer = _bound_in_body(function.body)
    return frozenset((set(parameter_names(function.params)) | bound) - declared_outer)


# -- the frame stack ----------------------------------------------------------------------------
@dataclass
class Frame:
    """kind: "function", "lambda", "class", "with" or "deferred" (inside an `on_commit(...)` call).

    For "with": `atomic` tells whether one of its items enters an atomic block, `using` the
    database alias expression of that block. For "function": `atomic` means decorated with atomic.
    """

    kind: str
    node: cst.CSTNode
    atomic: bool = False
    using: Optional[cst.BaseExpression] = None
    atomic_via: str = ""  # what made it atomic: "transaction.atomic", or a wrapper's name
    _locals: Optional[frozenset[str]] = field(default=None, repr=False)

    def locals(self) -> frozenset[str]:
        if self._locals is None:
            if isinstance(self.node, (cst.FunctionDef, cst.Lambda)):
                self._locals = local_names(self.node)
            else:
                self._locals = frozenset()
        return self._locals


@dataclass(frozen=True)
class AtomicContext:
    """The atomic block a statement runs in: the innermost block (its `using`) and the outermost
    one in the same function (where everything that can roll the transaction back lives)."""

    innermost: Frame
    outermost: Frame

    @property
    def using(self) -> Optional[cst.BaseExpression]:
        return self.innermost.using


class ScopeTracker:
    def __init__(self, names: NameTable, atomic_functions: Iterable[str] = (), atomic_wrappers: Iterable[str] = ()):
        self.names = names
        self.frames: list[Frame] = []
        self.atomic_functions = tuple(atomic_functions)
        self.atomic_wrappers = frozenset(atomic_wrappers)
        self._pushed: set[int] = set()  # ids of nodes that pushed a frame (so leave pops only those)
        self._local_wrappers: dict[str, bool] = {}

    # -- name resolution with shadowing -------------------------------------------------------
    def shadowed(self, name: str) -> bool:
        """Whether `name` is bound by an enclosing function (so it is not the module's name).
        Class bodies do not count: their names are not visible from methods."""
        for frame in self.frames:
            if frame.kind in ("function", "lambda") and name in frame.locals():
                return True
        return False

    def resolve(self, expr: cst.BaseExpression) -> Optional[str]:
        root = expr
        while isinstance(root, cst.Attribute):
            root = root.value
        if not isinstance(root, cst.Name) or self.shadowed(root.value):
            return None
        return self.names.resolve(expr)

    def name_free(self, name: str) -> bool:
        """`name` is unbound at module level and in every enclosing function."""
        return name not in self.names.bindings and not self.shadowed(name) and name not in _BUILTINS

    def module_alias_for(self, qualname: str) -> Optional[str]:
        """A module-level name bound to exactly `qualname` and not shadowed here."""
        for local in self.names.imported_as(qualname):
            if self.names.at_run_time(self.names.bindings[local]) and not self.shadowed(local):
                return local
        return None

    # -- atomic recognition ---------------------------------------------------------------------
    def atomic_kind(self, expr: cst.BaseExpression) -> Optional[str]:
        """If `expr` (a `with` item or decorator, with or without a call) enters an atomic block:
        a short description of how; else None."""
        target = expr.func if isinstance(expr, cst.Call) else expr
        qualname = self.resolve(target)
        if qualname is None:
            return None
        if qualname in ATOMIC:
            return "transaction.atomic"
        if qualname in self.atomic_wrappers or self._configured(qualname) or self._local_wrapper(target, qualname):
            return dotted_name(target) or qualname
        return None

    def _configured(self, qualname: str) -> bool:
        return any(qualname == entry or qualname.endswith("." + entry) for entry in self.atomic_functions)

    def _local_wrapper(self, target: cst.BaseExpression, qualname: str) -> bool:
        """A function defined in this module whose body enters `transaction.atomic` (a context
        manager like `traced_atomic_transaction`): found without the ProjectIndex."""
        if not isinstance(target, cst.Name):
            return False
        binding = self.names.binding_of(target)
        if binding is None or binding.kind != "def" or not isinstance(binding.node, cst.FunctionDef):
            return False
        name = target.value
        if name not in self._local_wrappers:
            self._local_wrappers[name] = function_enters_atomic(self.names, binding.node)
        return self._local_wrappers[name]

    @staticmethod
    def using_of(expr: cst.BaseExpression, kind: str = "transaction.atomic") -> Optional[cst.BaseExpression]:
        """`atomic(using="x")` / `atomic("x")` -> the alias expression; None for the default DB
        (and for project wrappers, whose arguments mean something else)."""
        if not isinstance(expr, cst.Call) or kind != "transaction.atomic":
            return None
        for index, arg in enumerate(expr.args):
            if arg.keyword is not None and arg.keyword.value == "using":
                return arg.value
            if index == 0 and arg.keyword is None and not arg.star:
                return arg.value
        return None

    # -- hooks ----------------------------------------------------------------------------------
    def enter_function(self, node: cst.FunctionDef) -> Frame:
        atomic, using, via = False, None, ""
        for decorator in node.decorators:
            kind = self.atomic_kind(decorator.decorator)  # resolved in the enclosing scope
            if kind:
                atomic, using, via = True, self.using_of(decorator.decorator, kind), kind
        frame = Frame("function", node, atomic=atomic, using=using, atomic_via=via)
        self._push(node, frame)
        return frame

    def enter_lambda(self, node: cst.Lambda) -> None:
        self._push(node, Frame("lambda", node))

    def enter_class(self, node: cst.ClassDef) -> None:
        self._push(node, Frame("class", node))

    def enter_with(self, node: cst.With) -> None:
        atomic, using, via = False, None, ""
        for item in node.items:
            kind = self.atomic_kind(item.item)
            if kind:
                atomic, using, via = True, self.using_of(item.item, kind), kind
        if atomic:
            self._push(node, Frame("with", node, atomic=True, using=using, atomic_via=via))

    def enter_call(self, node: cst.Call) -> None:
        if self.is_on_commit(node.func) or self.is_on_commit_method(node):
            self._push(node, Frame("deferred", node))

    def is_on_commit(self, func: cst.BaseExpression) -> bool:
        # cheap tests first: this runs for every call in the file
        if isinstance(func, cst.Attribute):
            if func.attr.value != "on_commit":
                return False
        elif isinstance(func, cst.Name):
            binding = self.names.bindings.get(func.value)
            if binding is None or binding.qualname not in ON_COMMIT:
                return False
        else:
            return False
        return self.resolve(func) in ON_COMMIT

    @staticmethod
    def is_on_commit_method(node: cst.Call) -> bool:
        """`task.delay_on_commit(...)` / `apply_async_on_commit(...)`: already deferred."""
        return isinstance(node.func, cst.Attribute) and node.func.attr.value in ("delay_on_commit", "apply_async_on_commit")

    def leave(self, node: cst.CSTNode) -> None:
        if id(node) in self._pushed:
            self._pushed.discard(id(node))
            self.frames.pop()

    def _push(self, node: cst.CSTNode, frame: Frame) -> None:
        self._pushed.add(id(node))
        self.frames.append(frame)

    # -- queries ----------------------------------------------------------------------------------
    def barrier_index(self) -> int:
        """Index of the innermost function/lambda/class/deferred frame, -1 at module level."""
        for index in range(len(self.frames) - 1, -1, -1):
            if self.frames[index].kind != "with":
                return index
        return -1

    def innermost_barrier(self) -> Optional[Frame]:
        index = self.barrier_index()
        return self.frames[index] if index >= 0 else None

    def atomic_context(self) -> Optional[AtomicContext]:
        """The atomic block the current code runs in, within the current function; None when it
        does not run inside one (or runs later: nested def, lambda, class body, on_commit)."""
        start = self.barrier_index()
        blocks = [f for f in self.frames[start + 1:] if f.atomic]
        barrier = self.frames[start] if start >= 0 else None
        if barrier is not None and barrier.kind == "function" and barrier.atomic:
            blocks.insert(0, barrier)
        elif barrier is not None and barrier.kind != "function":
            return None
        if not blocks:
            return None
        return AtomicContext(innermost=blocks[-1], outermost=blocks[0])

    def deferred(self) -> bool:
        barrier = self.innermost_barrier()
        return barrier is not None and barrier.kind in ("deferred", "lambda")

    def enclosing_function(self) -> Optional[Frame]:
        """The function the current code runs in directly (None at module level, in a class body,
        in a lambda or an on_commit argument)."""
        barrier = self.innermost_barrier()
        return barrier if barrier is not None and barrier.kind == "function" else None

    def enclosing_class_of(self, function: Frame) -> Optional[cst.ClassDef]:
        """The class whose body defines `function` directly (a method), else None."""
        index = self.frames.index(function)
        for frame in reversed(self.frames[:index]):
            if frame.kind == "with":
                continue
            return frame.node if frame.kind == "class" else None
        return None

    def function_qualname(self, function: Frame) -> Optional[str]:
        """`module.func`, `module.Class.method`, `module.outer.inner`: the ProjectIndex's names."""
        parts = []
        for frame in self.frames[: self.frames.index(function) + 1]:
            if frame.kind == "with":
                continue
            if frame.kind not in ("function", "class"):
                return None
            parts.append(frame.node.name.value)
        return ".".join(p for p in (self.names.module_name, *parts) if p)


_BUILTINS = frozenset(dir(__import__("builtins")))


def function_enters_atomic(names: NameTable, function: cst.FunctionDef) -> bool:
    """Whether `function`'s own body (not nested defs) has `with transaction.atomic(...)`."""
    tracker = ScopeTracker(names)
    tracker.enter_function(function)
    found = False

    class Finder(cst.CSTVisitor):
        def visit_FunctionDef(self, node) -> bool:
            return False

        visit_ClassDef = visit_Lambda = visit_FunctionDef

        def visit_With(self, node: cst.With) -> bool:
            nonlocal found
            if any(tracker.resolve(i.item.func if isinstance(i.item, cst.Call) else i.item) in ATOMIC for i in node.items):
                found = True
            return not found

    visit_readonly(function.body, Finder())
    return found


# -- what can run after a statement inside a block -----------------------------------------------
@dataclass
class After:
    """Code that may run after a target statement, before the enclosing block ends."""

    nodes: list[cst.CSTNode] = field(default_factory=list)
    found: bool = False


def _body_of(node: cst.CSTNode) -> Sequence[cst.BaseStatement]:
    body = getattr(node, "body", None)
    if isinstance(body, (cst.IndentedBlock,)):
        return body.body
    if isinstance(body, cst.SimpleStatementSuite):
        return [cst.SimpleStatementLine(body=body.body)]  # the small statements, same identities
    return []


def code_after(container: cst.CSTNode, target: cst.CSTNode) -> Optional[After]:
    """Everything inside `container` (a `with` block or a function) that may execute after the
    small statement `target` (an `Expr`, by identity): the statements after it at each level, the
    whole body of every loop around it (later iterations), and the `except`/`else`/`finally`
    parts of a `try` around it. None when `target` is not found."""
    after = After()
    if _search_block(_body_of(container), target, after):
        after.found = True
        return after
    return None


def _search_block(statements: Sequence[cst.CSTNode], target: cst.CSTNode, after: After) -> bool:
    for index, statement in enumerate(statements):
        if _search_statement(statement, target, after):
            after.nodes.extend(statements[index + 1:])
            return True
    return False


def _search_statement(statement: cst.CSTNode, target: cst.CSTNode, after: After) -> bool:
    if isinstance(statement, cst.SimpleStatementLine):
        for index, small in enumerate(statement.body):
            if small is target:
                after.nodes.extend(statement.body[index + 1:])
                return True
        return False
    if isinstance(statement, (cst.FunctionDef, cst.ClassDef)):
        return False
    if isinstance(statement, (cst.With,)):
        return _search_block(_body_of(statement), target, after)
    if isinstance(statement, cst.If):
        if _search_block(_body_of(statement), target, after):
            return True
        return statement.orelse is not None and _search_statement(statement.orelse, target, after)
    if isinstance(statement, cst.Else):
        return _search_block(_body_of(statement), target, after)
    if isinstance(statement, (cst.For, cst.While)):
        if _search_block(_body_of(statement), target, after):
            after.nodes.append(statement)  # the loop runs again: all of it may come after
            return True
        return statement.orelse is not None and _search_block(_body_of(statement.orelse), target, after)
    if isinstance(statement, (cst.Try, cst.TryStar)):
        parts = [("body", statement)] + [("handler", h) for h in statement.handlers]
        if statement.orelse is not None:
            parts.append(("orelse", statement.orelse))
        if statement.finalbody is not None:
            parts.append(("finally", statement.finalbody))
        for position, (kind, part) in enumerate(parts):
            if _search_block(_body_of(part), target, after):
                if kind == "body":
                    after.nodes.extend(p for _, p in parts[1:])
                elif kind in ("handler", "orelse") and statement.finalbody is not None:
                    after.nodes.append(statement.finalbody)
                return True
        return False
    if isinstance(statement, cst.Match):
        return any(_search_block(_body_of(case), target, after) for case in statement.cases)
    return False


class _RaiseFinder(cst.CSTVisitor):
    def __init__(self) -> None:
        self.found = False

    def visit_Raise(self, node) -> bool:
        self.found = True
        return False

    visit_Assert = visit_Raise

    def visit_FunctionDef(self, node) -> bool:
        return False

    visit_ClassDef = visit_Lambda = visit_FunctionDef


def can_raise(nodes: Iterable[cst.CSTNode]) -> bool:
    """A `raise` or `assert` in `nodes` (not in nested functions, lambdas or classes)."""
    finder = _RaiseFinder()
    for node in nodes:
        visit_readonly(node, finder)
        if finder.found:
            return True
    return False


class _LocalNames(cst.CSTVisitor):
    """Names a function binds in its own scope (not in nested functions, classes, lambdas or
    comprehensions, whose names are their own), minus `global`/`nonlocal` declarations."""

    def __init__(self) -> None:
        self.bound: set[str] = set()
        self.declared_outer: set[str] = set()

    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        self.bound.add(node.name.value)
        return False

    def visit_ClassDef(self, node: cst.ClassDef) -> bool:
        self.bound.add(node.name.value)
        return False

    def visit_Lambda(self, node: cst.Lambda) -> bool:
        return False

    def visit_ListComp(self, node) -> bool:
        return False

    visit_SetComp = visit_DictComp = visit_GeneratorExp = visit_ListComp

    def visit_AssignTarget(self, node: cst.AssignTarget) -> None:
        self.bound.update(_target_names(node.target))

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        self.bound.update(_target_names(node.target))

    def visit_AugAssign(self, node: cst.AugAssign) -> None:
        self.bound.update(_target_names(node.target))

    def visit_For(self, node: cst.For) -> None:
        self.bound.update(_target_names(node.target))

    def visit_AsName(self, node: cst.AsName) -> None:
        self.bound.update(_target_names(node.name))

    def visit_NamedExpr(self, node: cst.NamedExpr) -> None:
        self.bound.update(_target_names(node.target))

    def visit_Import(self, node: cst.Import) -> None:
        for alias in node.names:
            if alias.asname is None:
                name = dotted_name(alias.name)
                if name:
                    self.bound.add(name.split(".")[0])

    def visit_ImportFrom(self, node: cst.ImportFrom) -> None:
        if isinstance(node.names, cst.ImportStar):
            return
        for alias in node.names:
            if alias.asname is None and isinstance(alias.name, cst.Name):
                self.bound.add(alias.name.value)

    def visit_Global(self, node: cst.Global) -> None:
        self.declared_outer.update(item.name.value for item in node.names)

    def visit_Nonlocal(self, node: cst.Nonlocal) -> None:
        self.declared_outer.update(item.name.value for item in node.names)


class _Rebinds(_LocalNames):
    """Names (re)bound in some code, plus the base names of attributes/subscripts assigned
    (`order.total = 3` changes what `order.total` reads later)."""

    def visit_Lambda(self, node) -> bool:
        return False

    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        self.bound.add(node.name.value)
        return False

    def _base(self, target: cst.BaseExpression) -> None:
        while isinstance(target, (cst.Attribute, cst.Subscript)):
            target = target.value
        if isinstance(target, cst.Name):
            self.bound.add(target.value)

    def visit_AssignTarget(self, node: cst.AssignTarget) -> None:
        super().visit_AssignTarget(node)
        self._base(node.target)

    def visit_AugAssign(self, node: cst.AugAssign) -> None:
        super().visit_AugAssign(node)
        self._base(node.target)

    def visit_Del(self, node: cst.Del) -> None:
        self.bound.update(_target_names(node.target))
        self._base(node.target)


def names_rebound(nodes: Iterable[cst.CSTNode]) -> set[str]:
    collector = _Rebinds()
    for node in nodes:
        if isinstance(node, cst.For):
            collector.bound.update(_target_names(node.target))
        visit_readonly(node, collector)
    return collector.bound


class _NamesRead(cst.CSTVisitor):
    def __init__(self) -> None:
        self.names: set[str] = set()

    def visit_Name(self, node: cst.Name) -> None:
        self.names.add(node.value)

    def visit_Attribute(self, node: cst.Attribute) -> bool:
        visit_readonly(node.value, self)  # not the attribute name
        return False

    def visit_Arg(self, node: cst.Arg) -> bool:
        visit_readonly(node.value, self)  # not the keyword
        return False


def names_read(node: cst.CSTNode) -> set[str]:
    collector = _NamesRead()
    visit_readonly(node, collector)
    return collector.names


class TrackingRule:
    """Mixin for rules that need the ScopeTracker: wires the visitor hooks. Subclasses that
    define the same hooks must call these (`super().visit_With(node)` etc.)."""

    tracker: ScopeTracker

    def make_tracker(self) -> ScopeTracker:  # overridden to pass the index's wrappers/options
        return ScopeTracker(self.names)

    def visit_Module(self, node: cst.Module) -> None:
        super().visit_Module(node)  # type: ignore[misc]  # CeleryRule builds self.names
        self.tracker = self.make_tracker()

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self.tracker.enter_function(node)

    def leave_FunctionDef(self, original_node: cst.FunctionDef) -> None:
        self.tracker.leave(original_node)

    def visit_Lambda(self, node: cst.Lambda) -> None:
        self.tracker.enter_lambda(node)

    def leave_Lambda(self, original_node: cst.Lambda) -> None:
        self.tracker.leave(original_node)

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        self.tracker.enter_class(node)

    def leave_ClassDef(self, original_node: cst.ClassDef) -> None:
        self.tracker.leave(original_node)

    def visit_With(self, node: cst.With) -> None:
        self.tracker.enter_with(node)

    def leave_With(self, original_node: cst.With) -> None:
        self.tracker.leave(original_node)

    def leave_Call(self, original_node: cst.Call) -> None:
        self.tracker.leave(original_node)
