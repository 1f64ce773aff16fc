"""The class of a function's local variables, where the function says it once: `svc = Service(...)`
or an annotation (`svc: Service`, a parameter `svc: "Service"`). CEL702's call graph follows
`svc.method()` to that class's method. Also module-level instances (`svc = Service()` at the top
of a module, used in its functions or imported: `from app.services import svc`).

A name bound more than once in the function (assigned again, a loop or `with` target, `global`,
`del`, ...) has no type here: which value reaches the call is not known.
"""

from __future__ import annotations

import ast
from collections import Counter
from collections.abc import Callable

Resolver = Callable[[ast.AST], "str | None"]
_SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)
_COMPREHENSIONS = (ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)


def local_types(function: ast.FunctionDef | ast.AsyncFunctionDef, resolve: Resolver) -> dict[str, str]:
    """Local name -> the resolved dotted name of its class (the callee of its one constructor call,
    or its annotation), for names bound exactly once in `function`'s own scope."""
    bound: Counter[str] = Counter()
    typed: dict[str, str] = {}
    args = function.args
    for param in (*args.posonlyargs, *args.args, *args.kwonlyargs, args.vararg, args.kwarg):
        if param is None:
            continue
        bound[param.arg] += 1
        if param is not args.vararg and param is not args.kwarg:
            _annotated(param.arg, param.annotation, resolve, typed)
    return _once_typed(function.body, resolve, bound, typed)


def module_instances(module: ast.Module, resolve: Resolver, rebound: set[str]) -> dict[str, str]:
    """Module-level name -> the resolved name of the class it is an instance of: `svc = Service()`
    written once at the top of the module (not in an `if`, a loop or a `try`: which value holds is
    not known), never bound again there, and not in `rebound` (names a function declares `global`).
    Linking keeps it only when the class is the project's."""
    if not any(_constructed(statement) for statement in module.body):
        return {}  # (most modules: no walk)
    top = {statement.targets[0].id for statement in module.body if _constructed(statement)}
    found = _once_typed(module.body, resolve, Counter(), {})
    return {name: cls for name, cls in found.items() if name in top and name not in rebound}


def _constructed(statement: ast.stmt) -> bool:
    """`name = CapWords(...)` / `name = module.CapWords(...)`."""
    if type(statement) is not ast.Assign or len(statement.targets) != 1 or type(statement.targets[0]) is not ast.Name:
        return False
    value = statement.value
    if type(value) is not ast.Call:
        return False
    func = value.func
    name = func.id if type(func) is ast.Name else func.attr if type(func) is ast.Attribute else ""
    return name[:1].isupper()


def _once_typed(body: list, resolve: Resolver, bound: Counter, typed: dict[str, str]) -> dict[str, str]:
    for node in _own_nodes(body):
        kind = type(node)
        if kind is ast.Assign:
            for target in node.targets:
                _count(target, bound)
            if len(node.targets) == 1 and type(node.targets[0]) is ast.Name and type(node.value) is ast.Call:
                callee = resolve(node.value.func)
                if callee:
                    typed[node.targets[0].id] = callee
        elif kind is ast.AnnAssign:
            _count(node.target, bound)
            if type(node.target) is ast.Name:
                _annotated(node.target.id, node.annotation, resolve, typed)
        elif kind is ast.AugAssign or kind is ast.For or kind is ast.AsyncFor:
            _count(node.target, bound)
        elif kind is ast.withitem and node.optional_vars is not None:
            _count(node.optional_vars, bound)
        elif kind is ast.NamedExpr:
            _count(node.target, bound)
        elif kind is ast.ExceptHandler and node.name:
            bound[node.name] += 1
        elif kind is ast.Delete:
            for target in node.targets:
                _count(target, bound, twice=True)
        elif kind is ast.Global or kind is ast.Nonlocal:
            for name in node.names:
                bound[name] += 2
        elif kind is ast.Import or kind is ast.ImportFrom:
            for alias in node.names:
                bound[(alias.asname or alias.name).split(".")[0]] += 1
        elif kind in (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef):
            bound[node.name] += 1
    return {name: cls for name, cls in typed.items() if bound[name] == 1}


def _own_nodes(body: list):
    """The nodes of a function body, not those of nested functions, classes, lambdas or
    comprehensions (their own scopes); a nested def's name itself is yielded."""
    stack = list(reversed(body))
    while stack:
        node = stack.pop()
        yield node
        if isinstance(node, (*_SCOPES, *_COMPREHENSIONS)):
            continue
        stack.extend(reversed(list(ast.iter_child_nodes(node))))


def _count(target: ast.AST, bound: Counter, twice: bool = False) -> None:
    kind = type(target)
    if kind is ast.Name:
        bound[target.id] += 2 if twice else 1
    elif kind is ast.Tuple or kind is ast.List:
        for element in target.elts:
            _count(element, bound, twice)
    elif kind is ast.Starred:
        _count(target.value, bound, twice)


def _annotated(name: str, annotation: ast.AST | None, resolve: Resolver, typed: dict[str, str]) -> None:
    """`x: Service` or `x: "Service"` (a dotted name only: `Optional[...]` and unions say no one class)."""
    if type(annotation) is ast.Constant and isinstance(annotation.value, str):
        try:
            annotation = ast.parse(annotation.value.strip(), mode="eval").body
        except SyntaxError:
            return
    if type(annotation) in (ast.Name, ast.Attribute):
        found = resolve(annotation)
        if found:
            typed[name] = found
