"""Module-level facts: presets, settings assignments, `app.conf`, apps, beat entries."""

from __future__ import annotations

from typing import Any

import libcst as cst

from celery_fix.index.facts import (
    AppFact, AssignFact, ConfigFromObject, Decorated, Entry, PeriodicFact, Registration,
)
from celery_fix.index.values import UNKNOWN
from celery_fix.constructs.names import _top_level_statements


def _setting_like(name: str) -> bool:
    return name.isupper() or name.startswith(("task_", "result_", "broker_", "beat_", "worker_")) or name in (
        "accept_content", "timezone", "imports", "include", "enable_utc")


class ConfigMixin:
    """Module-level reading and configuration calls; the state lives on the collector."""

    # -- module level ----------------------------------------------------------------------------
    def read_top_level(self) -> None:
        facts = self.facts
        for name, binding in self.table.bindings.items():
            kind = binding.kind
            if kind == "task_preset":
                call = binding.node
                preset = Decorated(self.table.resolve(call.func), True)
                facts.presets[name] = preset
                self.read_options(call, preset)
                facts.bindings[name] = ("preset", binding.qualname)
            elif kind in ("import", "app", "def", "task_decorator"):
                if kind == "task_decorator":
                    value = getattr(binding.node, "value", None)
                    target = self.table.resolve(value) if value is not None else None
                    facts.bindings[name] = ("alias", target or binding.qualname)
                else:
                    facts.bindings[name] = (kind, binding.qualname)
            else:
                facts.bindings[name] = ("value", binding.qualname)
        for statement in _top_level_statements(self.module.body):
            if isinstance(statement, (cst.Assign, cst.AnnAssign)) and statement.value is not None:
                targets = [t.target for t in statement.targets] if isinstance(statement, cst.Assign) else [statement.target]
                names = [t.value for t in targets if isinstance(t, cst.Name)]
                if not names:
                    continue
                value_node = statement.value
                value = self.value(value_node)
                for name in names:
                    if value is not UNKNOWN:
                        facts.constants[name] = value
                    if isinstance(value_node, cst.Call):
                        self.maybe_preset(name, value_node)
                    assign = AssignFact("module", name, value)
                    if isinstance(value_node, cst.Dict) and "beat_schedule" in name.lower():
                        assign.entries = self.dict_entries(value_node)
                    elif "beat_schedule" in name.lower() and isinstance(value_node, cst.Call):
                        assign.entries = self.call_entries(value_node)
                    # lines only for what can be a setting (a codegen pass per file is the cost)
                    facts.assignments.append(self.at(assign, targets[0]) if _setting_like(name) else assign)

    def maybe_preset(self, name: str, call: cst.Call) -> None:
        """`retrying_task = shared_task(acks_late=True)` when the callee is defined elsewhere."""
        if name in self.facts.presets:
            return
        callee = self.resolve(call.func)
        if callee and "task" in callee.rsplit(".", 1)[-1].lower():
            preset = Decorated(callee, True)
            self.read_options(call, preset)
            self.facts.presets[name] = preset

    def dict_entries(self, node: cst.Dict) -> list[tuple[Any, Any, int]]:
        entries = []
        for element in node.elements:
            if isinstance(element, cst.DictElement):
                entries.append(self.at(Entry(self.value(element.key), self.value(element.value)), element.key))
            else:
                spread = self.value(element.value)
                entries.append(self.at(Entry(None, spread, spread=True), element))
        return entries

    def call_entries(self, node: cst.Call) -> list | None:
        if self.resolve(node.func) != "dict" and not (isinstance(node.func, cst.Name) and node.func.value == "dict"):
            return None
        entries = []
        for arg in node.args:
            if arg.keyword is not None:
                entries.append(self.at(Entry(arg.keyword.value, self.value(arg.value)), arg))
            elif isinstance(arg.value, cst.Dict):
                entries.extend(self.dict_entries(arg.value))
            else:
                entries.append(self.at(Entry(None, self.value(arg.value), spread=True), arg))
        return entries

    def module_item_assignment(self, target: cst.Subscript, value_node: cst.BaseExpression) -> None:
        keys = []
        base: cst.BaseExpression = target
        while isinstance(base, cst.Subscript):
            if len(base.slice) != 1 or not isinstance(base.slice[0].slice, cst.Index):
                return
            keys.insert(0, self.value(base.slice[0].slice.value))
            base = base.value
        if isinstance(base, cst.Name):
            fact = AssignFact("module", base.value, self.value(value_node), key_path=tuple(keys), how="item")
            if len(keys) == 1:
                fact.entries = [self.at(Entry(keys[0], fact.value), target)]
            self.facts.assignments.append(self.at(fact, target))
        elif isinstance(base, cst.Attribute) and isinstance(base.value, cst.Attribute) and base.value.attr.value == "conf":
            # app.conf.beat_schedule["x"] = {...}
            owner = self.resolve(base.value.value) or "?"
            fact = AssignFact(owner, base.attr.value, self.value(value_node), key_path=tuple(keys), how="conf_item")
            if len(keys) == 1:
                fact.entries = [self.at(Entry(keys[0], fact.value), target)]
            self.facts.assignments.append(self.at(fact, target))

    def conf_assignment(self, target: cst.Attribute, value_node: cst.BaseExpression) -> None:
        # app.conf.task_routes = {...}
        if isinstance(target.value, cst.Attribute) and target.value.attr.value == "conf":
            owner = self.resolve(target.value.value) or "?"
            fact = AssignFact(owner, target.attr.value, self.value(value_node), how="conf")
            if isinstance(value_node, cst.Dict):
                fact.entries = self.dict_entries(value_node)
            self.facts.assignments.append(self.at(fact, target))

    # -- configuration ---------------------------------------------------------------------------
    def app_created(self, node: cst.Call) -> None:
        fact = AppFact("")
        for index, arg in enumerate(node.args):
            if arg.keyword is None and index == 0:
                fact.main = self.value(arg.value)
            elif arg.keyword is not None:
                fact.kwargs[arg.keyword.value] = self.value(arg.value)
                self.facts.assignments.append(
                    self.at(AssignFact("<app>", arg.keyword.value, fact.kwargs[arg.keyword.value], how="celery_kwarg"), arg)
                )
        # the app's name: the module-level name it is assigned to
        for binding in self.table.bindings.values():
            if binding.kind == "app" and getattr(binding.node, "value", None) is node:
                fact.qualname = binding.qualname
        if not fact.qualname:
            return
        for assign in self.facts.assignments:
            if assign.owner == "<app>":
                assign.owner = fact.qualname
        self.facts.apps.append(self.at(fact, node))

    def config_call(self, node: cst.Call, func: cst.Attribute) -> None:
        target = self.value(node.args[0].value) if node.args else UNKNOWN
        namespace = None
        for arg in node.args[1:]:
            if arg.keyword is not None and arg.keyword.value == "namespace":
                namespace = self.value(arg.value)
        receiver = func.value
        if isinstance(receiver, cst.Attribute) and receiver.attr.value == "conf":
            receiver = receiver.value
        self.facts.config_from_object.append(self.at(ConfigFromObject(self.resolve(receiver), target, namespace), node))

    def registration(self, node: cst.Call, func: cst.Attribute) -> None:
        if not node.args:
            return
        expr = node.args[0].value
        if isinstance(expr, cst.Call) and not expr.args:
            expr = expr.func  # app.register_task(MyTask())
        self.facts.registrations.append(self.at(Registration(self.resolve(func.value), self.resolve(expr)), node))

    def update_call(self, node: cst.Call, func: cst.Attribute) -> None:
        receiver = func.value
        if isinstance(receiver, cst.Attribute) and receiver.attr.value == "conf":
            # app.conf.update(task_routes=..., beat_schedule={...})
            owner = self.resolve(receiver.value) or "?"
            for arg in node.args:
                if arg.keyword is not None:
                    fact = AssignFact(owner, arg.keyword.value, self.value(arg.value), how="conf_update")
                    if isinstance(arg.value, cst.Dict):
                        fact.entries = self.dict_entries(arg.value)
                    self.facts.assignments.append(self.at(fact, arg))
                elif isinstance(arg.value, cst.Dict):
                    for element in arg.value.elements:
                        if isinstance(element, cst.DictElement):
                            key = self.value(element.key)
                            if isinstance(key, str):
                                fact = AssignFact(owner, key, self.value(element.value), how="conf_update")
                                if isinstance(element.value, cst.Dict):
                                    fact.entries = self.dict_entries(element.value)
                                self.facts.assignments.append(self.at(fact, element.key))
        elif isinstance(receiver, cst.Attribute) and isinstance(receiver.value, cst.Attribute) and receiver.value.attr.value == "conf":
            # app.conf.beat_schedule.update({...})
            owner = self.resolve(receiver.value.value) or "?"
            self.mapping_update(owner, receiver.attr.value, node, "conf_item")
        elif isinstance(receiver, cst.Name):
            # CELERY_BEAT_SCHEDULE.update({...}) in a settings module
            self.mapping_update("module", receiver.value, node, "item")

    def mapping_update(self, owner: str, name: str, node: cst.Call, how: str) -> None:
        for arg in node.args:
            if arg.keyword is None and isinstance(arg.value, cst.Dict):
                for entry in self.dict_entries(arg.value):
                    fact = AssignFact(owner, name, entry.value, key_path=(entry.name,), how=how, entries=[entry])
                    self.facts.assignments.append(self.at(fact, arg.value))
            elif arg.keyword is not None:
                entry = self.at(Entry(arg.keyword.value, self.value(arg.value)), arg)
                fact = AssignFact(owner, name, entry.value, key_path=(entry.name,), how=how, entries=[entry])
                self.facts.assignments.append(self.at(fact, arg))

    def periodic_task(self, node: cst.Call) -> None:
        """`sender.add_periodic_task(schedule, sig, name=None, args=..., **options)`."""
        positional = [a.value for a in node.args if a.keyword is None]
        keywords = {a.keyword.value: a.value for a in node.args if a.keyword is not None}
        schedule = positional[0] if positional else keywords.pop("schedule", None)
        sig = positional[1] if len(positional) > 1 else keywords.pop("sig", None)
        fact = PeriodicFact(self.value(schedule) if schedule is not None else UNKNOWN, None, None)
        if len(positional) > 2:
            fact.args = self.value(positional[2])
        if len(positional) > 3:
            fact.kwargs = self.value(positional[3])
        if len(positional) > 4:
            fact.name = self.value(positional[4])
        for key, expr in keywords.items():
            if key == "name":
                fact.name = self.value(expr)
            elif key == "args":
                fact.args = self.value(expr)
            elif key == "kwargs":
                fact.kwargs = self.value(expr)
            else:
                fact.options[key] = self.value(expr)
        if any(a.star == "**" for a in node.args):
            fact.options_unknown = True
        if sig is not None:
            found = self.signatures(sig)
            if found:
                fact.target, fact.task_name, _ = found[0]
            if isinstance(sig, cst.Call) and sig.args and fact.args is None:
                fact.args = tuple(self.value(a.value) for a in sig.args if a.keyword is None)
        self.facts.periodic.append(self.at(fact, node))
