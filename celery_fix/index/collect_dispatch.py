"""Dispatch sites, canvases and result consumers: the call-handling half of the collector."""

from __future__ import annotations

import libcst as cst

from celery_fix.index.facts import CallFact, ConsumerFact, DispatchFact
from celery_fix.index.scopes import _Frame

DISPATCH_METHODS = frozenset({"delay", "apply_async"})
MAY_DISPATCH_METHODS = DISPATCH_METHODS | {"send_task"}
SIGNATURE_METHODS = frozenset({"s", "si", "signature", "subtask"})
CANVAS_NAMES = {
    "celery.group": "group", "celery.chain": "chain", "celery.chord": "chord",
    "celery.canvas.group": "group", "celery.canvas.chain": "chain", "celery.canvas.chord": "chord",
    "celery.canvas._chain": "chain", "celery.canvas.chunks": "chunks",
}
SIGNATURE_FACTORIES = frozenset({"celery.signature", "celery.canvas.signature", "celery.Signature", "celery.canvas.Signature"})
RESULT_ATTRIBUTES = frozenset({
    "get", "wait", "join", "join_native", "ready", "result", "state", "status", "successful", "failed",
    "collect", "then", "info", "traceback", "children", "forget", "revoke", "id", "task_id",
})
ASYNC_RESULT_NAMES = frozenset({"AsyncResult", "GroupResult", "ResultSet"})
ON_COMMIT = frozenset({"django.db.transaction.on_commit"})


class DispatchMixin:
    """visit_Call and friends; the state lives on the collector (see `_Collector.__init__`)."""

    def visit_Attribute(self, node: cst.Attribute) -> None:
        value = node.value
        attr = node.attr.value
        if isinstance(value, cst.Call):
            self.attribute_of[id(value)] = attr
        elif isinstance(value, cst.Name) and self.frames:
            frame = self.frames[-1]
            tracked = frame.results.get(value.value)
            if tracked is not None:
                frame.result_uses[value.value] = frame.result_uses.get(value.value, 0) - 1
                if attr in RESULT_ATTRIBUTES:
                    kind = "id" if attr in ("id", "task_id") else attr
                    for target, task_name in tracked[2]:
                        self.add_consumer(kind, target, task_name, node)
        if attr in DISPATCH_METHODS and id(node) not in self.call_funcs:
            # `partial(task.delay, ...)` / `on_commit(task.delay)`: a reference, run later
            target = self.resolve(value)
            if target:
                fact = DispatchFact(attr, target, function=self.function, atomic_context=self.contexts(),
                                    runs=self.on_commit_depth > 0, deferred=self.on_commit_depth > 0, value_used=True)
                self.facts.dispatches.append(self.at(fact, node))

    def visit_Name(self, node: cst.Name) -> None:
        if self.frames:
            frame = self.frames[-1]
            if node.value in frame.results:
                frame.result_uses[node.value] = frame.result_uses.get(node.value, 0) + 1

    def finish_results(self, frame: _Frame) -> None:
        for name, (_, _, targets) in frame.results.items():
            # uses other than `name.attr`: returned, passed on, stored, re-assigned
            if frame.result_uses.get(name, 0) > 0:
                for target, task_name in targets:
                    consumer = ConsumerFact("escape", target, task_name, frame.qualname)
                    self.facts.consumers.append(consumer)

    def add_consumer(self, kind: str, target: str | None, task_name: str | None, node: cst.CSTNode) -> None:
        self.facts.consumers.append(self.at(ConsumerFact(kind, target, task_name, self.function), node))

    # -- calls -----------------------------------------------------------------------------------
    def visit_Call(self, node: cst.Call) -> None:
        self.call_funcs.add(id(node.func))
        func = node.func
        name = func.attr.value if isinstance(func, cst.Attribute) else func.value if isinstance(func, cst.Name) else None
        resolved = self.resolve(func)
        if (isinstance(func, cst.Attribute) and name in MAY_DISPATCH_METHODS) or isinstance(func, (cst.Call, cst.BinaryOperation)):
            self.facts.may_dispatch = True
            if id(node) not in self.unused:
                self.facts.dispatch_value_used = True
        if resolved in ON_COMMIT or name == "on_commit":
            self.on_commit_depth += 1
            self.on_commit_calls.add(id(node))
        if name in ASYNC_RESULT_NAMES or (resolved and resolved.endswith((".AsyncResult", ".GroupResult"))):
            self.facts.async_result_anywhere = True
            target = self.resolve(func.value) if isinstance(func, cst.Attribute) else None
            self.add_consumer("AsyncResult", target, None, node)
        if isinstance(func, cst.Attribute):
            if name in DISPATCH_METHODS:
                self.dispatch_call(node, func)
            elif name == "send_task":
                self.send_task(node)
            elif name == "add_periodic_task":
                self.periodic_task(node)
            elif name == "config_from_object":
                self.config_call(node, func)
            elif name == "register_task":
                self.registration(node, func)
            elif name == "setdefault" and node.args and self.value(node.args[0].value) == "DJANGO_SETTINGS_MODULE":
                if len(node.args) > 1 and isinstance(self.value(node.args[1].value), str):
                    self.facts.django_settings_module.append(self.value(node.args[1].value))
            elif name == "update" and not self.frames:
                self.update_call(node, func)
        if resolved in CANVAS_NAMES:
            self.canvas(node, CANVAS_NAMES[resolved])
        elif isinstance(func, cst.Call) and self.resolve(func.func) in ("celery.chord", "celery.canvas.chord"):
            # chord(header)(body): the body receives the header's results
            for arg in node.args[:1]:
                for target, task_name, _ in self.signatures(arg.value):
                    self.record_member("chord", target, task_name, arg.value)
        if resolved in ("celery.Celery", "celery.app.Celery", "celery.app.base.Celery"):
            self.app_created(node)
        # the call graph: calls of plain (dotted) names
        if resolved and not self.in_decorator:
            contexts = self.contexts()
            if id(node) in self.with_items:
                contexts = contexts[: len(contexts) - self.with_counts[-1]] if self.with_counts and self.with_counts[-1] else contexts
            fact = CallFact(self.function, resolved, contexts)
            if fact.atomic_context:
                self.at(fact, node)
            self.facts.calls.append(fact)
        # link= / link_error=: the linked task receives this task's result (or its failure)
        for arg in node.args:
            if arg.keyword is not None and arg.keyword.value in ("link", "link_error"):
                self.link_callbacks(node, arg)
                self.partial_link(node, resolved, arg)

    def partial_link(self, node: cst.Call, resolved: str | None, arg: cst.Arg) -> None:
        """`partial(t.apply_async, (x,), link=cb.s())` (the CEL701 fix): the link consumes t's
        result, as in ast_collect.partial_link."""
        first = node.args[0] if resolved == "functools.partial" and node.args and node.args[0].keyword is None else None
        value = first.value if first is not None else None
        if isinstance(value, cst.Attribute) and value.attr.value in DISPATCH_METHODS:
            target = self.resolve(value.value)
            if target:
                self.add_consumer(arg.keyword.value, target, None, arg)

    def leave_Call(self, original_node: cst.Call) -> None:
        if id(original_node) in self.on_commit_calls:
            self.on_commit_calls.discard(id(original_node))
            self.on_commit_depth -= 1

    def value_use(self, node: cst.Call) -> tuple[bool, str | None, str | None]:
        """(value used, local name it is assigned to, attribute read on it)."""
        if id(node) in self.unused:
            return False, None, None
        return True, self.assigned.get(id(node)), self.attribute_of.get(id(node))

    def dispatch_call(self, node: cst.Call, func: cst.Attribute) -> None:
        receiver = func.value
        method = func.attr.value
        args = tuple(self.arg_code(a) for a in node.args)
        targets: list[tuple[str | None, str | None]]
        if isinstance(receiver, cst.Call) and isinstance(receiver.func, cst.Attribute) and receiver.func.attr.value in SIGNATURE_METHODS:
            # task.s(...).delay(): one dispatch, with the signature's arguments
            method = receiver.func.attr.value
            targets = [(self.resolve(receiver.func.value), None)]
            args = tuple(self.arg_code(a) for a in receiver.args)
            self.canvas_members.add(id(receiver))
        elif isinstance(receiver, cst.Call) and self.resolve(receiver.func) in SIGNATURE_FACTORIES:
            method = "signature"
            name = self.value(receiver.args[0].value) if receiver.args else None
            targets = [(None, name if isinstance(name, str) else None)]
            self.canvas_members.add(id(receiver))
        elif isinstance(receiver, cst.Call) and (self.resolve(receiver.func) in CANVAS_NAMES or id(receiver) in self.canvas_members):
            targets = []  # a canvas run: its members were recorded with the canvas
            self.canvas_run(node, receiver)
            return
        else:
            target = self.resolve(receiver)
            if target is None:
                if isinstance(receiver, (cst.BinaryOperation, cst.Call)):
                    self.canvas_run(node, receiver)
                    return
                targets = [(None, None)]
            else:
                targets = [(target, None)]
        used, local, attribute = self.value_use(node)
        for target, task_name in targets:
            fact = DispatchFact(method, target, task_name, value_used=used, function=self.function,
                                atomic_context=self.contexts(), deferred=self.on_commit_depth > 0, args=args)
            self.facts.dispatches.append(self.at(fact, node))
        self.track_result(node, targets, used, local, attribute)
        for arg in node.args:
            if arg.keyword is not None and arg.keyword.value in ("link", "link_error"):
                for target, task_name in targets:
                    self.add_consumer(arg.keyword.value, target, task_name, arg)

    def track_result(self, node: cst.Call, targets, used: bool, local: str | None, attribute: str | None) -> None:
        if not used:
            return
        if attribute is not None:
            if attribute in RESULT_ATTRIBUTES:
                kind = "id" if attribute in ("id", "task_id") else attribute
                for target, task_name in targets:
                    self.add_consumer(kind, target, task_name, node)
            return
        if local is not None and self.frames:
            frame = self.frames[-1]
            existing = frame.results.get(local)
            merged = (existing[2] if existing else []) + list(targets)
            frame.results[local] = (None, None, merged)
            return
        if id(node) in self.consumed_nodes:
            return
        for target, task_name in targets:
            self.add_consumer("escape", target, task_name, node)

    def canvas_run(self, node: cst.Call, receiver: cst.BaseExpression) -> None:
        used, local, attribute = self.value_use(node)
        members = self.canvas_members_by_node.get(id(receiver), [])
        self.track_result(node, [(t, n) for t, n in members], used, local, attribute)

    def signatures(self, expr: cst.BaseExpression) -> list[tuple[str | None, str | None, bool]]:
        """The task signatures in `expr` (a signature, a list/tuple/generator of them, a canvas):
        (target, literal name, immutable)."""
        if isinstance(expr, cst.Call):
            func = expr.func
            if isinstance(func, cst.Attribute) and func.attr.value in SIGNATURE_METHODS:
                self.canvas_members.add(id(expr))
                immutable = func.attr.value == "si" or any(
                    a.keyword is not None and a.keyword.value == "immutable" and self.value(a.value) is True for a in expr.args
                )
                return [(self.resolve(func.value), None, immutable)]
            resolved = self.resolve(func)
            if resolved in SIGNATURE_FACTORIES:
                name = self.value(expr.args[0].value) if expr.args else None
                return [(None, name if isinstance(name, str) else None, False)]
            if resolved in CANVAS_NAMES:
                return [m for arg in expr.args if arg.keyword is None for m in self.signatures(arg.value)]
        if isinstance(expr, (cst.List, cst.Tuple)):
            return [m for element in expr.elements for m in self.signatures(element.value)]
        if isinstance(expr, (cst.GeneratorExp, cst.ListComp)):
            return self.signatures(expr.elt)
        if isinstance(expr, cst.BinaryOperation) and isinstance(expr.operator, cst.BitOr):
            return self.signatures(expr.left) + self.signatures(expr.right)
        return []

    def record_member(self, method: str, target: str | None, task_name: str | None, node: cst.CSTNode) -> None:
        fact = DispatchFact(method, target, task_name, value_used=True, function=self.function,
                            atomic_context=self.contexts(), deferred=self.on_commit_depth > 0)
        self.facts.dispatches.append(self.at(fact, node))

    def canvas(self, node: cst.Call, kind: str) -> None:
        positional = [a.value for a in node.args if a.keyword is None]
        groups = [self.signatures(expr) for expr in positional]
        if kind == "chain" and len(positional) == 1 and isinstance(positional[0], (cst.List, cst.Tuple, cst.GeneratorExp)):
            groups = [[m] for m in groups[0]]
        members = [m for g in groups for m in g]
        for target, task_name, _ in members:
            self.record_member(kind, target, task_name, node)
        if kind == "chord" and groups:
            for target, task_name, _ in groups[0]:
                self.add_consumer("chord_header", target, task_name, node)
        if kind == "chain":
            self.chain_links(groups, node)
        self.canvas_members_by_node[id(node)] = [(t, n) for t, n, _ in members]

    def chain_links(self, groups, node: cst.CSTNode) -> None:
        for current, following in zip(groups, groups[1:]):
            if following and not following[0][2]:  # the next link takes the previous result
                for target, task_name, _ in current:
                    self.add_consumer("chain_link", target, task_name, node)

    def visit_BinaryOperation(self, node: cst.BinaryOperation) -> None:
        # sig1 | sig2 | sig3: a chain
        if not isinstance(node.operator, cst.BitOr) or id(node) in self.chain_parts:
            return
        parts = []
        expr: cst.BaseExpression = node
        while isinstance(expr, cst.BinaryOperation) and isinstance(expr.operator, cst.BitOr):
            self.chain_parts.add(id(expr))
            parts.insert(0, expr.right)
            expr = expr.left
        parts.insert(0, expr)
        groups = [self.signatures(p) for p in parts]
        if sum(1 for g in groups if g) < 2:
            return
        for group in groups:
            for target, task_name, _ in group:
                self.record_member("chain", target, task_name, node)
        self.chain_links(groups, node)
        self.canvas_members_by_node[id(node)] = [(t, n) for g in groups for t, n, _ in g]

    def link_callbacks(self, node: cst.Call, arg: cst.Arg) -> None:
        func = node.func
        if isinstance(func, cst.Attribute) and func.attr.value in DISPATCH_METHODS:
            return  # handled with the dispatch
        if isinstance(func, cst.Attribute) and func.attr.value in SIGNATURE_METHODS:
            target = self.resolve(func.value)
            if target:
                self.add_consumer(arg.keyword.value, target, None, arg)

    def send_task(self, node: cst.Call) -> None:
        positional = [a for a in node.args if a.keyword is None]
        name = self.value(positional[0].value) if positional else None
        for arg in node.args:
            if arg.keyword is not None and arg.keyword.value == "name":
                name = self.value(arg.value)
        task_name = name if isinstance(name, str) else None
        used, local, attribute = self.value_use(node)
        args = tuple(self.arg_code(a) for a in positional[1:])
        fact = DispatchFact("send_task", None, task_name, value_used=used, function=self.function,
                            atomic_context=self.contexts(), deferred=self.on_commit_depth > 0, args=args)
        self.facts.dispatches.append(self.at(fact, node))
        self.track_result(node, [(None, task_name)], used, local, attribute)
