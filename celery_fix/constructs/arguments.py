"""The arguments a dispatch sends, and what each one is: a model instance (CEL601) or something the
JSON serializer cannot encode (CEL602). Shared by both rules.

Where a name comes from is read from its function: parameters (a signal receiver's `instance`, a
model-typed annotation, `request`, `self`), assignments and `for` targets. A name assigned twice
to different kinds of things is not classified (we do not follow which assignment reaches the call).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Optional

import libcst as cst

from celery_fix.constructs.names import NameTable, dotted_name
from celery_fix.constructs.side_effects import INSTANCE_METHODS, manager_chain
from celery_fix.syntax.walk import walk

QUERYSET_METHODS = frozenset({
    "all", "filter", "exclude", "order_by", "select_related", "prefetch_related", "values", "values_list",
    "annotate", "none", "distinct", "only", "defer", "using", "select_for_update", "reverse", "union",
})
UPLOAD_CLASSES = frozenset({
    "django.core.files.uploadedfile.UploadedFile", "django.core.files.uploadedfile.InMemoryUploadedFile",
    "django.core.files.uploadedfile.TemporaryUploadedFile", "django.core.files.File",
    "django.core.files.base.File",
})
MODEL_BASES = frozenset({"django.db.models.Model", "django.db.models.base.Model"})
SIGNATURE_METHODS = frozenset({"s", "si", "signature"})
ID_SUFFIXES = ("_id", "_pk")
ID_NAMES = frozenset({"pk", "id"})


@dataclass(frozen=True)
class Kind:
    model: bool  # True: a model instance (CEL601); False: unserializable (CEL602)
    what: str  # for messages: "a model instance from `Order.objects.get()`", "a queryset", ...


@dataclass(frozen=True)
class Argument:
    value: cst.BaseExpression  # the expression sent
    position: Optional[int]  # positional index among the task's arguments
    keyword: Optional[str]


def is_id_param(name: str) -> bool:
    return name in ID_NAMES or name.endswith(ID_SUFFIXES)


def sent_arguments(call: cst.Call) -> Optional[list[Argument]]:
    """The task arguments `call` sends (`t.delay(a, b=1)`, `t.apply_async((a,), {"b": 1})`,
    `t.s(a)`, `t.signature((a,))`, `app.send_task(name, args=[a])`); None when it is no such call."""
    func = call.func
    if not isinstance(func, cst.Attribute):
        return None
    method = func.attr.value
    if method in ("delay", "s", "si"):
        found = []
        for position, arg in enumerate(call.args):
            if arg.star:
                break
            if arg.keyword is None:
                found.append(Argument(arg.value, position, None))
        found += [Argument(a.value, None, a.keyword.value) for a in call.args if a.keyword is not None and not a.star]
        return found
    if method in ("apply_async", "signature", "send_task"):
        positional = [a for a in call.args if a.keyword is None and not a.star]
        if method == "send_task":
            positional = positional[1:]
        args = positional[0].value if positional else _keyword(call, "args")
        kwargs = positional[1].value if len(positional) > 1 else _keyword(call, "kwargs")
        found = []
        if isinstance(args, (cst.Tuple, cst.List)):
            for position, element in enumerate(args.elements):
                if isinstance(element, cst.StarredElement):
                    break
                found.append(Argument(element.value, position, None))
        if isinstance(kwargs, cst.Dict):
            for element in kwargs.elements:
                if isinstance(element, cst.DictElement) and isinstance(element.key, cst.SimpleString):
                    try:
                        key = element.key.evaluated_value
                    except (SyntaxError, ValueError):  # "\N{NO SUCH NAME}": not a valid literal
                        continue
                    if isinstance(key, str):
                        found.append(Argument(element.value, None, key))
        elif isinstance(kwargs, cst.Call) and dotted_name(kwargs.func) == "dict":
            found += [Argument(a.value, None, a.keyword.value) for a in kwargs.args if a.keyword is not None]
        return found
    return None


def _keyword(call: cst.Call, name: str) -> Optional[cst.BaseExpression]:
    for arg in call.args:
        if arg.keyword is not None and arg.keyword.value == name:
            return arg.value
    return None


class Origins:
    """What the names of one function (or the module) are bound to."""

    def __init__(self, names: NameTable, resolve: Callable, module: Optional[cst.Module] = None) -> None:
        self.names = names
        self.resolve = resolve
        self.kinds: dict[str, Optional[Kind]] = {}
        self.local_defs: set[str] = set()
        self.model_classes = _module_models(module, names) if module is not None else frozenset()

    # -- building --------------------------------------------------------------------------------
    def read_function(self, function: cst.FunctionDef, method: bool) -> None:
        params = function.params
        all_params = [*params.posonly_params, *params.params, *params.kwonly_params]
        param_names = [p.name.value for p in all_params]
        receiver_decorated = any(self.resolve(_callee(d.decorator)) == "django.dispatch.receiver"
                                 for d in function.decorators)
        for position, param in enumerate(all_params):
            name = param.name.value
            kind: Optional[Kind] = None
            if name == "instance" and ("sender" in param_names or receiver_decorated):
                kind = Kind(True, "a signal receiver's `instance` (a model instance)")
            elif method and position == 0 and name == "self":
                kind = Kind(False, "`self` (the object itself)")
            elif name == "request" and param.annotation is None:
                kind = Kind(False, "the `request` object")
            elif param.annotation is not None:
                annotation = param.annotation.annotation
                qualname = self.resolve(annotation)
                if qualname in UPLOAD_CLASSES:
                    kind = Kind(False, "an uploaded file")
                elif self.is_model_class(annotation):
                    kind = Kind(True, f"a parameter annotated `{dotted_name(annotation)}` (a model instance)")
            self.kinds[name] = kind
        self._read_body(function)

    def _read_body(self, function: cst.FunctionDef) -> None:
        def enter(node: cst.CSTNode) -> bool:
            if node is not function and isinstance(node, (cst.FunctionDef, cst.ClassDef)):
                if isinstance(node, cst.FunctionDef):
                    self.local_defs.add(node.name.value)
                return False
            if isinstance(node, cst.Lambda):
                return False
            if isinstance(node, cst.Assign) and len(node.targets) == 1:
                self._bind(node.targets[0].target, node.value)
            elif isinstance(node, cst.AnnAssign) and node.value is not None:
                self._bind(node.target, node.value)
            elif isinstance(node, cst.For):
                source = self.kind(node.iter)
                if isinstance(node.target, cst.Name):
                    queryset = source is not None and source.what == "a queryset"
                    self._set(node.target.value, Kind(True, "a loop variable over a queryset (a model instance)")
                              if queryset else None)
            elif isinstance(node, cst.CompFor) and isinstance(node.target, cst.Name):
                source = self.kind(node.iter)
                if source is not None and source.what == "a queryset":
                    self._set(node.target.value, Kind(True, "a loop variable over a queryset (a model instance)"))
            elif isinstance(node, cst.WithItem) and node.asname is not None and isinstance(node.asname.name, cst.Name):
                self._set(node.asname.name.value, self.kind(node.item))
            return True

        walk(function.body, enter)

    def _bind(self, target: cst.BaseExpression, value: cst.BaseExpression) -> None:
        if isinstance(target, cst.Name):
            self._set(target.value, self.kind(value))
        elif isinstance(target, (cst.Tuple, cst.List)) and target.elements:
            first = target.elements[0].value
            if isinstance(value, cst.Call) and isinstance(value.func, cst.Attribute) \
                    and value.func.attr.value in ("get_or_create", "update_or_create") \
                    and manager_chain(value.func) is not None and isinstance(first, cst.Name):
                self._set(first.value, Kind(True, f"a model instance from `{value.func.attr.value}()`"))
            for element in target.elements:
                if isinstance(element.value, cst.Name) and element.value is not first:
                    self._set(element.value.value, None)

    def _set(self, name: str, kind: Optional[Kind]) -> None:
        if name in self.kinds and self.kinds[name] != kind:
            self.kinds[name] = None  # bound to different things: we do not know which one is sent
            self.kinds[f"\0{name}"] = None
            return
        if f"\0{name}" not in self.kinds:
            self.kinds[name] = kind

    # -- classifying -----------------------------------------------------------------------------
    def is_model_class(self, expr: cst.BaseExpression) -> bool:
        """A project or Django model class: defined in this module on a `Model` base, or imported
        from a `models` module (`shop.models.Order`, `django.contrib.auth.models.User`)."""
        if isinstance(expr, cst.SimpleString):  # "Order" forward reference
            return False
        written = dotted_name(expr)
        if written is None:
            return False
        if written in self.model_classes:
            return True
        binding = self.names.binding_of(expr) if isinstance(expr, cst.Name) else None
        if binding is not None and binding.kind != "import":
            return False
        qualname = self.resolve(expr)
        return qualname is not None and ".models." in f".{qualname}" and qualname.rsplit(".", 1)[-1][:1].isupper()

    def kind(self, expr: cst.BaseExpression) -> Optional[Kind]:
        """What `expr` is, when it is one of the things these rules look for."""
        if isinstance(expr, cst.Name):
            if expr.value in self.kinds:
                return self.kinds[expr.value]
            if expr.value in self.local_defs:
                return Kind(False, f"the function `{expr.value}` (a function object)")
            binding = self.names.bindings.get(expr.value)
            if binding is not None and binding.kind == "def" and isinstance(binding.node, cst.FunctionDef):
                return Kind(False, f"the function `{expr.value}` (a function object)")
            return None
        if isinstance(expr, cst.Lambda):
            return Kind(False, "a lambda")
        if isinstance(expr, cst.GeneratorExp):
            return Kind(False, "a generator")
        if isinstance(expr, cst.Attribute):
            written = dotted_name(expr)
            if written in ("request.user", "self.request.user"):
                return Kind(True, f"`{written}` (a model instance)")
            return None
        if isinstance(expr, cst.Subscript):
            if dotted_name(expr.value) in ("request.FILES", "self.request.FILES"):
                return Kind(False, "an uploaded file (`request.FILES[...]`)")
            return None
        if not isinstance(expr, cst.Call):
            return None
        func = expr.func
        qualname = self.resolve(func)
        if isinstance(func, cst.Name) and func.value == "open" and "open" not in self.names.bindings:
            return Kind(False, "an open file")
        if qualname in ("django.shortcuts.get_object_or_404",):
            return Kind(True, "a model instance from `get_object_or_404()`")
        if isinstance(func, cst.Attribute):
            method = func.attr.value
            written = dotted_name(func)
            if written == "self.get_object":
                return Kind(True, "a model instance from `self.get_object()`")
            if written in ("request.FILES.get", "self.request.FILES.get"):
                return Kind(False, "an uploaded file (`request.FILES.get(...)`)")
            if method == "save" and isinstance(func.value, cst.Name) and func.value.value.lower().endswith(
                    ("form", "serializer")):
                return Kind(True, f"a model instance from `{func.value.value}.save()`")
            if manager_chain(func) is not None or (
                isinstance(func.value, cst.Name) and self.kinds.get(func.value.value) is not None
                and self.kinds[func.value.value].what == "a queryset"
            ):
                if method in INSTANCE_METHODS:
                    return Kind(True, f"a model instance from `.{method}()`")
                if method in QUERYSET_METHODS:
                    return Kind(False, "a queryset")
            return None
        if self.is_model_class(func):
            return Kind(True, f"a new `{dotted_name(func)}` instance")
        return None


def _callee(expr: cst.BaseExpression) -> cst.BaseExpression:
    return expr.func if isinstance(expr, cst.Call) else expr


def _module_models(module: cst.Module, names: NameTable) -> frozenset[str]:
    """Classes this module defines on a Django `Model` base (or on another one of them)."""
    found: set[str] = set()
    for statement in module.body:
        if isinstance(statement, cst.ClassDef):
            for base in statement.bases:
                written = dotted_name(base.value)
                if names.resolve(base.value) in MODEL_BASES or written in found:
                    found.add(statement.name.value)
    return frozenset(found)

