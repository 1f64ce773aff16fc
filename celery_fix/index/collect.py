"""One file's facts for the ProjectIndex, from one libcst traversal (no metadata providers).

The facts are plain data with names resolved only as far as this module's imports allow
("shop.celery.app.task", "orders.tasks.send_receipt"); `link.py` resolves them across modules
(re-exports, apps defined elsewhere, presets and base classes in other files). Lines are
worked out at the end for the recorded nodes only (`positions.spans_of`, one codegen pass).
"""

from __future__ import annotations

from typing import Any

import libcst as cst

from celery_fix.index.collect_config import ConfigMixin
from celery_fix.index.collect_dispatch import DispatchMixin
from celery_fix.index.facts import ClassFact, Decorated, FileFacts, FunctionFact
from celery_fix.index.scopes import _Frame, _local_names, walk
from celery_fix.index.evaluate import evaluate
from celery_fix.index.values import UNKNOWN, Ref
from celery_fix.constructs.names import NameTable, build_name_table, dotted_name
from celery_fix.engine.positions import spans_of


def parse_error(path: str, exc: Exception) -> str:
    if isinstance(exc, cst.ParserSyntaxError):
        message = " ".join(exc.message.split())
        return f"{path}:{exc.raw_line}:{exc.raw_column + 1}: syntax error: {message}"
    return f"{path}: cannot decode: {exc}"


def collect_source(path: str, source: bytes, module_name: str, is_package: bool | None = None) -> FileFacts:
    try:
        module = cst.parse_module(source)
    except (cst.ParserSyntaxError, UnicodeDecodeError, LookupError, SyntaxError) as exc:
        return FileFacts(path, module_name, error=parse_error(path, exc))
    if is_package is None:
        is_package = path.endswith(("__init__.py", "__init__.pyi"))
    return collect_module(path, module, module_name, is_package)


def collect_module(path: str, module: cst.Module, module_name: str, is_package: bool = False) -> FileFacts:
    table = build_name_table(module, module_name, is_package=is_package)
    collector = _Collector(path, module, module_name, table)
    collector.read_top_level()
    walk(module, collector)
    collector.fill_positions()
    return collector.facts


class _Collector(DispatchMixin, ConfigMixin, cst.CSTVisitor):
    def __init__(self, path: str, module: cst.Module, module_name: str, table: NameTable) -> None:
        self.path = path
        self.module = module
        self.module_name = module_name
        self.table = table
        self.facts = FileFacts(path, module_name)
        self.frames: list[_Frame] = []
        self.scope_names: list[str] = []  # class and function names, for qualnames
        self.class_stack: list[ClassFact | None] = []
        self.positions: list[tuple[Any, cst.CSTNode]] = []
        self.call_funcs: set[int] = set()
        self.unused: set[int] = set()  # calls whose value is thrown away (expression statements)
        self.assigned: dict[int, str] = {}  # call id -> the local name it is assigned to
        self.attribute_of: dict[int, str] = {}  # call id -> attribute read on its value
        self.consumed_nodes: set[int] = set()  # nodes whose value is passed to a canvas, link=, ...
        self.on_commit_depth = 0
        self.canvas_members: set[int] = set()
        self.with_counts: list[int] = []
        self.in_decorator = 0
        self.with_items: set[int] = set()  # `with x():` items are evaluated before the block is entered
        self.on_commit_calls: set[int] = set()
        self.canvas_members_by_node: dict[int, list] = {}
        self.chain_parts: set[int] = set()

    # -- helpers ---------------------------------------------------------------------------------
    def at(self, fact: Any, node: cst.CSTNode) -> Any:
        self.positions.append((fact, node))
        return fact

    def fill_positions(self) -> None:
        if not self.positions:
            return
        spans = spans_of(self.module, [node for _, node in self.positions])
        for fact, node in self.positions:
            span = spans.get(id(node))
            if span is not None:
                fact.line = span.line
                if hasattr(fact, "column"):
                    fact.column = span.column

    def resolve(self, expr: cst.BaseExpression) -> str | None:
        dotted = dotted_name(expr)
        if dotted is None:
            return None
        root, _, rest = dotted.partition(".")
        for frame in reversed(self.frames):
            if root in frame.locals:
                base = frame.locals[root]
                if base is None:
                    return None
                return f"{base}.{rest}" if rest else base
        return self.table.resolve(expr)

    def constant(self, name: str) -> Any:
        for frame in reversed(self.frames):
            if name in frame.locals:
                return UNKNOWN
        return self.facts.constants.get(name, UNKNOWN)

    def value(self, expr: cst.BaseExpression) -> Any:
        return evaluate(expr, self.resolve, self.constant)

    def arg_code(self, arg: cst.Arg) -> str:
        return self.module.code_for_node(arg.with_changes(comma=cst.MaybeSentinel.DEFAULT)).strip()

    @property
    def function(self) -> str | None:
        for frame in reversed(self.frames):
            if not frame.is_lambda:
                return frame.qualname
        return None

    @property
    def frame(self) -> _Frame | None:
        return self.frames[-1] if self.frames else None

    def qualname(self, name: str) -> str:
        return ".".join(p for p in (self.module_name, *self.scope_names, name) if p)

    def contexts(self) -> tuple[str, ...]:
        return tuple(self.frames[-1].contexts) if self.frames else ()

    def read_options(self, call: cst.Call, into: Decorated) -> None:
        for arg in call.args:
            if arg.keyword is not None:
                into.options.setdefault(arg.keyword.value, self.value(arg.value))
            elif arg.star == "**":
                spread = self.value(arg.value)
                if isinstance(spread, dict):
                    for key, value in spread.items():
                        if isinstance(key, str):
                            into.options.setdefault(key, value)
                elif isinstance(spread, Ref):
                    into.spreads += (spread.name,)
                else:
                    into.options_unknown = True

    def decorated(self, decorator: cst.Decorator) -> Decorated:
        expr = decorator.decorator
        if isinstance(expr, cst.Call):
            fact = Decorated(self.resolve(expr.func), True)
            self.read_options(expr, fact)
        else:
            fact = Decorated(self.resolve(expr), False)
        return self.at(fact, decorator)

    # -- definitions -----------------------------------------------------------------------------
    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        qualname = self.qualname(node.name.value)
        if self.frames:
            self.frames[-1].locals[node.name.value] = qualname
        fact = self.at(FunctionFact(qualname, node.name.value), node.name)
        owner = self.class_stack[-1] if self.class_stack and isinstance(self.class_stack[-1], ClassFact) else None
        module_level = not self.frames and not self.class_stack
        fact.is_method = owner is not None
        fact.decorators = [self.decorated(d) for d in node.decorators]
        fact.contextmanager = any(d.target in ("contextlib.contextmanager", "contextlib.asynccontextmanager") for d in fact.decorators)
        params = node.params
        fact.params = tuple(p.name.value for p in (*params.posonly_params, *params.params, *params.kwonly_params))
        fact.docstring = node.get_docstring() is not None
        self.facts.functions.append(fact)
        frame = _Frame(qualname, _local_names(self.table, node), fact)
        # the decorators wrap the body; a nested function does not run inside its parent's blocks
        frame.contexts = [d.target for d in fact.decorators if d.target]
        self.frames.append(frame)
        self.scope_names.append(node.name.value)
        self.class_stack.append(None)
        if owner is not None and node.name.value == "run":
            owner.has_run = True
            owner.run_params = fact.params
        if module_level and isinstance(node.body, cst.IndentedBlock):
            self.maybe_factory(node)

    def leave_FunctionDef(self, original_node: cst.FunctionDef) -> None:
        frame = self.frames.pop()
        self.scope_names.pop()
        self.class_stack.pop()
        self.finish_results(frame)
        fact = frame.fact
        if self.class_stack and isinstance(self.class_stack[-1], ClassFact) and fact.name == "run":
            self.class_stack[-1].run_returns_value = fact.returns_value
        if self.frames and not self.frames[-1].is_lambda:
            parent = self.frames[-1].fact
            for mode, target in fact.atomic_evidence:
                if mode in ("with", "nested_with"):
                    parent.atomic_evidence.append(("nested_with", target))

    def maybe_factory(self, node: cst.FunctionDef) -> None:
        """`def retrying_task(**kw): return shared_task(acks_late=True, **kw)`: a decorator factory."""
        body = node.body.body
        last = body[-1] if body else None
        if isinstance(last, cst.SimpleStatementLine) and isinstance(last.body[-1], cst.Return):
            returned = last.body[-1].value
            if isinstance(returned, cst.Call):
                callee = self.resolve(returned.func)
                binding = self.table.binding_of(returned.func)
                if callee and ("task" in callee.rsplit(".", 1)[-1].lower() or (binding and binding.kind == "task_preset")):
                    factory = Decorated(callee, True)
                    for arg in returned.args:
                        if arg.keyword is not None:
                            factory.options.setdefault(arg.keyword.value, self.value(arg.value))
                        elif arg.star == "**":
                            spread = self.value(arg.value)
                            if isinstance(spread, dict):
                                for key, value in spread.items():
                                    factory.options.setdefault(key, value)
                            # `**kwargs` of the factory itself: the caller's options, read at the use
                    self.facts.factories[node.name.value] = factory

    def visit_Lambda(self, node: cst.Lambda) -> None:
        if self.on_commit_depth:
            self.unused.add(id(node.body))  # on_commit(lambda: task.delay(...)): the value is dropped
        frame = _Frame(self.function or "<lambda>", _local_names(self.table, node), is_lambda=True)
        self.frames.append(frame)

    def leave_Lambda(self, original_node: cst.Lambda) -> None:
        self.frames.pop()

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        qualname = self.qualname(node.name.value)
        if self.frames:
            self.frames[-1].locals[node.name.value] = qualname
        fact = self.at(ClassFact(qualname, node.name.value), node.name)
        fact.bases = tuple(self.resolve(arg.value) for arg in node.bases if arg.keyword is None)
        fact.docstring = node.get_docstring() is not None
        if isinstance(node.body, cst.IndentedBlock):
            for statement in node.body.body:
                if not isinstance(statement, cst.SimpleStatementLine):
                    continue
                for small in statement.body:
                    if isinstance(small, cst.Assign):
                        for target in small.targets:
                            if isinstance(target.target, cst.Name):
                                fact.attributes[target.target.value] = self.value(small.value)
                    elif isinstance(small, cst.AnnAssign) and small.value is not None and isinstance(small.target, cst.Name):
                        fact.attributes[small.target.value] = self.value(small.value)
        self.facts.classes.append(fact)
        self.scope_names.append(node.name.value)
        self.class_stack.append(fact)

    def leave_ClassDef(self, original_node: cst.ClassDef) -> None:
        self.scope_names.pop()
        self.class_stack.pop()

    def visit_Return(self, node: cst.Return) -> None:
        frame = self.frame
        if frame is None or frame.is_lambda or frame.fact is None:
            return
        value = node.value
        if value is not None and not (isinstance(value, cst.Name) and value.value == "None"):
            frame.fact.returns_value = True
            if isinstance(value, cst.Call):
                target = self.resolve(value.func)
                if target:
                    frame.fact.atomic_evidence.append(("return", target))
            elif isinstance(value, (cst.Name, cst.Attribute)):
                target = self.resolve(value)
                if target:
                    frame.fact.atomic_evidence.append(("return", target))
                if isinstance(value, cst.Name) and (frame.locals.get(value.value) or "").startswith(frame.qualname + "."):
                    frame.fact.returns_nested_function = True

    def visit_Yield(self, node: cst.Yield) -> None:
        frame = self.frame
        if frame is not None and frame.fact is not None and node.value is not None:
            frame.fact.returns_value = True  # a generator's value is its iterator

    def visit_Decorator(self, node: cst.Decorator) -> None:
        self.in_decorator += 1  # decorators run when the function is defined, not when it is called

    def leave_Decorator(self, original_node: cst.Decorator) -> None:
        self.in_decorator -= 1

    # -- with blocks -----------------------------------------------------------------------------
    def visit_With(self, node: cst.With) -> None:
        names = []
        for item in node.items:
            expr = item.item
            self.with_items.add(id(expr))
            target = self.resolve(expr.func if isinstance(expr, cst.Call) else expr)
            if target:
                names.append(target)
        if self.frames:
            self.frames[-1].contexts.extend(names)
            fact = self.frames[-1].fact
            if fact is not None:
                fact.atomic_evidence.extend(("with", n) for n in names)
        self.with_counts.append(len(names) if self.frames else 0)

    def leave_With(self, original_node: cst.With) -> None:
        count = self.with_counts.pop()
        if count and self.frames:
            del self.frames[-1].contexts[-count:]

    # -- expressions: what the value of a call is used for ---------------------------------------
    def visit_Expr(self, node: cst.Expr) -> None:
        self.unused.add(id(node.value))
        if isinstance(node.value, cst.Await):
            self.unused.add(id(node.value.expression))

    def visit_Assign(self, node: cst.Assign) -> None:
        if len(node.targets) == 1 and isinstance(node.targets[0].target, cst.Name):
            self.assigned[id(node.value)] = node.targets[0].target.value
        target = node.targets[0].target if len(node.targets) == 1 else None
        if self.frames:
            return
        # module level: NAME[key] = value (beat entries added later, DATABASES[...][...] = ...)
        if isinstance(target, cst.Subscript):
            self.module_item_assignment(target, node.value)
        elif isinstance(target, cst.Attribute):
            self.conf_assignment(target, node.value)
