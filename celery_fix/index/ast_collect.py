"""One file's FileFacts, from the stdlib `ast`: the index's only collector.

The stdlib parser is about 8x faster than libcst's, and its nodes carry their positions. A file the
running Python cannot parse (newer syntax than the interpreter, or a broken file) gets a one-line
warning and no facts; the rules, which parse with libcst, still check it (and report a broken file).

Conventions kept from the libcst collector this replaced, which the linker and the rules rely on:
children are visited in libcst's field order (a function's parameters and body before its
decorators, an except clause's body before its type); columns are characters, not UTF-8 bytes; a
decorator's position is that of its `@`, a class's that of its name; a dispatch argument's text
(`DispatchFact.args`) is the source from the argument's first token to the comma or bracket that ends it.
"""

from __future__ import annotations

import ast
import re
import sys
import tokenize
from io import BytesIO
from typing import Any

from celery_fix.constructs.bindings import CELERY_APP_FACTORIES, COMPOUND_TOP
from celery_fix.constructs.celery_api import (
    ASYNC_RESULT_NAMES,
    CANVAS_NAMES,
    DISPATCH_METHODS,
    MAY_DISPATCH_METHODS,
    ON_COMMIT,
    RESULT_ATTRIBUTES,
    SIGNATURE_FACTORIES,
    SIGNATURE_METHODS,
)
from celery_fix.constructs.signals import MODEL_SIGNALS, RECEIVER
from celery_fix.index.ast_names import (
    Arg,
    AstNameTable,
    build_name_table,
    call_args,
    dotted_name,
    evaluate,
)
from celery_fix.index.facts import (
    AppFact,
    AssignFact,
    CallFact,
    ClassFact,
    ConfigFromObject,
    ConsumerFact,
    Decorated,
    DispatchFact,
    Entry,
    FileFacts,
    FunctionFact,
    PeriodicFact,
    Registration,
)
from celery_fix.index.local_types import local_types, module_instances
from celery_fix.index.settings import settings_module_name
from celery_fix.index.values import UNKNOWN, Ref

_Name, _Attribute, _Call = ast.Name, ast.Attribute, ast.Call
_FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef)
_NEWLINE = re.compile(r"\r\n|\r|\n")


def collect_source_ast(
    path: str, source: bytes, module_name: str, is_package: bool | None = None, tree: ast.Module | None = None
) -> FileFacts:
    """FileFacts from `ast` (`tree`: the source's, when parsed already); no facts and a warning when
    the running Python cannot parse the source."""
    if tree is None:
        try:
            tree = ast.parse(source)
        except (SyntaxError, ValueError, UnicodeDecodeError, LookupError, MemoryError) as exc:
            return FileFacts(path, module_name, warning=not_indexed(path, exc))
    if is_package is None:
        is_package = path.endswith(("__init__.py", "__init__.pyi"))
    collector = AstCollector(path, source, tree, module_name, is_package)
    collector.read_top_level()
    collector.walk_body(tree.body)
    collector.facts.instances = module_instances(tree, collector.table.resolve, collector.global_names)
    facts = collector.facts
    # the collector's table of its own bound methods is a reference cycle that held the whole
    # tree until a garbage collection walked it (a third of a second over saleor): break it
    vars(collector).clear()
    return facts


def not_indexed(path: str, exc: Exception) -> str:
    if isinstance(exc, SyntaxError) and exc.lineno:
        reason = f"{exc.msg} at line {exc.lineno}, column {exc.offset or 0}"
    else:
        reason = " ".join(str(exc).split()) or type(exc).__name__
    version = ".".join(map(str, sys.version_info[:2]))
    return f"{path}: not indexed, Python {version} cannot parse it ({reason}); its cross-file facts are left out"


class _Source:
    """The decoded text, for character columns and argument text (built on first use)."""

    def __init__(self, source: bytes) -> None:
        self.raw = source
        self.ascii = source.isascii()
        self.backslash = b"\\\n" in source or b"\\\r" in source
        self._text: str | None = None
        self._starts: list[int] = []

    def _load(self) -> None:
        try:
            encoding, _ = tokenize.detect_encoding(BytesIO(self.raw).readline)
        except SyntaxError:
            encoding = "utf-8"
        if encoding == "utf-8" and self.raw.startswith(b"\xef\xbb\xbf"):
            encoding = "utf-8-sig"
        self._text = self.raw.decode(encoding)
        self._starts = [0] + [m.end() for m in _NEWLINE.finditer(self._text)]

    @property
    def text(self) -> str:
        if self._text is None:
            self._load()
        return self._text  # type: ignore[return-value]

    def line_text(self, line: int) -> str:
        text = self.text
        starts = self._starts
        start = starts[line - 1]
        end = starts[line] if line < len(starts) else len(text)
        return text[start:end]

    def column(self, line: int, byte_col: int) -> int:
        if self.ascii:
            return byte_col
        text = self.line_text(line)
        if text.isascii():
            return byte_col
        return len(text.encode("utf-8")[:byte_col].decode("utf-8", "replace"))

    def offset(self, line: int, byte_col: int) -> int:
        self.text  # noqa: B018 (loads the line table)
        return self._starts[line - 1] + self.column(line, byte_col)


def _skip_space(text: str, pos: int) -> int:
    """The position of the next token at or after `pos` (skips whitespace, comments, continuations)."""
    size = len(text)
    while pos < size:
        char = text[pos]
        if char in " \t\r\n\f\\":
            pos += 1
        elif char == "#":
            while pos < size and text[pos] not in "\r\n":
                pos += 1
        else:
            break
    return pos


def _is_suite(src: _Source, body: list) -> bool:
    """A one-line body (`if x: y = 1`), which libcst keeps as a SimpleStatementSuite."""
    first = body[0]
    before = src.line_text(first.lineno)[: src.column(first.lineno, first.col_offset)]
    return before.strip() != ""


def _docstring(body: list) -> bool:
    first = body[0] if body else None
    return (type(first) is ast.Expr and type(first.value) is ast.Constant and isinstance(first.value.value, str))


def _setting_like(name: str) -> bool:
    return name.isupper() or name.startswith(("task_", "result_", "broker_", "beat_", "worker_")) or name in (
        "accept_content", "timezone", "imports", "include", "enable_utc")


class _Frame:
    """A function (or lambda) being visited."""

    __slots__ = ("qualname", "locals", "contexts", "results", "result_uses", "fact", "is_lambda", "call_locals",
                 "node", "types", "annotated")

    def __init__(self, qualname, locals_, fact=None, is_lambda=False):
        self.qualname = qualname
        self.locals = locals_
        self.contexts: list[str] = []  # with-items and decorators in effect (resolved dotted names)
        self.results: dict[str, tuple[str | None, str | None, list]] = {}  # local name -> dispatched target
        self.result_uses: dict[str, int] = {}
        self.fact = fact
        self.is_lambda = is_lambda
        self.call_locals: dict[str, str] = {}  # local name -> the callee of the call it was set from
        self.node = None  # the def, for local_types (read on first `local.method()`)
        self.types: dict[str, str] | None = None
        self.annotated: set[str] = set()  # locals with an annotated assignment (`x: Service = ...`)


class AstCollector:
    def __init__(self, path: str, source: bytes, tree: ast.Module, module_name: str, is_package: bool) -> None:
        self.path = path
        self.src = _Source(source)
        self.tree = tree
        self.module_name = module_name
        self.table: AstNameTable = build_name_table(tree, module_name, is_package)
        self.facts = FileFacts(path, module_name)
        self.frames: list[_Frame] = []
        self.scope_names: list[str] = []
        self.class_stack: list[ClassFact | None] = []
        self.call_funcs: set[int] = set()
        self.unused: set[int] = set()
        self.assigned: dict[int, str] = {}
        self.attribute_of: dict[int, str] = {}
        self.consumed_nodes: set[int] = set()
        self.on_commit_depth = 0
        self.canvas_members: set[int] = set()
        self.with_counts: list[int] = []
        self.in_decorator = 0
        self.with_items: set[int] = set()
        self.on_commit_calls: set[int] = set()
        self.canvas_members_by_node: dict[int, list] = {}
        self.chain_parts: set[int] = set()
        self.statement_line = 1  # the first line of the innermost statement being walked
        self.top_values: dict[str, Any] = {}  # module-level name -> its value at this point (UNKNOWN too)
        self.branch_names: set[str] = set()  # names an `if`/`else` made unknown
        self.global_names: set[str] = set()  # names a function declares `global` (it may rebind them)
        self.module_branches = 0  # depth of module-level `if`s around the statement walked
        self._dispatch = {
            _Name: self._walk_name, _Attribute: self._walk_attribute, _Call: self._walk_call,
            ast.FunctionDef: self._walk_function, ast.AsyncFunctionDef: self._walk_function,
            ast.Lambda: self._walk_lambda, ast.ClassDef: self._walk_class, ast.Dict: self._walk_dict,
            ast.ExceptHandler: self._walk_handler, ast.With: self._walk_with, ast.AsyncWith: self._walk_with,
            ast.Expr: self._walk_expr, ast.Assign: self._walk_assign, ast.Return: self._walk_return,
            ast.Yield: self._walk_yield, ast.YieldFrom: self._walk_yield, ast.BinOp: self._walk_binop,
            ast.Global: self._walk_global, ast.Nonlocal: self._walk_global, ast.Import: self._walk_import,
            ast.ImportFrom: self._walk_import, ast.match_case: self._walk_case, ast.MatchAs: self._walk_pattern,
            ast.MatchStar: self._walk_pattern, ast.MatchMapping: self._walk_pattern, ast.MatchClass: self._walk_pattern,
            ast.AnnAssign: self._walk_annassign, ast.If: self._walk_if,
            ast.Constant: _noop, ast.Load: _noop, ast.Store: _noop, ast.Del: _noop,
        }

    # -- traversal -------------------------------------------------------------------------------
    def walk(self, node: ast.AST) -> None:
        if isinstance(node, ast.stmt):
            saved, self.statement_line = self.statement_line, node.lineno
            self._walk(node)
            self.statement_line = saved
        else:
            self._walk(node)

    def _walk(self, node: ast.AST) -> None:
        handler = self._dispatch.get(type(node))
        if handler is not None:
            handler(node)
        else:
            self._walk_children(node)

    def walk_body(self, body: list) -> None:
        for statement in body:
            self.walk(statement)

    def walk_opt(self, node) -> None:
        if node is not None:
            self.walk(node)

    def _walk_children(self, node: ast.AST) -> None:
        for name in node._fields:
            child = getattr(node, name, None)
            if isinstance(child, list):
                for item in child:
                    if isinstance(item, ast.AST):
                        self.walk(item)
            elif isinstance(child, ast.AST):
                self.walk(child)

    def _walk_params(self, args: ast.arguments) -> None:
        # libcst order: params, star_arg, kwonly_params, star_kwarg, posonly_params; each name, annotation, default
        positional = [*args.posonlyargs, *args.args]
        defaults: list = [None] * (len(positional) - len(args.defaults)) + list(args.defaults)
        posonly = len(args.posonlyargs)
        pairs = list(zip(positional, defaults))
        order = [*pairs[posonly:], (args.vararg, None), *zip(args.kwonlyargs, args.kw_defaults), (args.kwarg, None), *pairs[:posonly]]
        for param, default in order:
            if param is None:
                continue
            self.identifier(param.arg)
            self.walk_opt(param.annotation)
            self.walk_opt(default)

    def _walk_function(self, node) -> None:
        self.visit_FunctionDef(node)
        self.identifier(node.name)
        self._walk_params(node.args)
        self.walk_body(node.body)
        for decorator in node.decorator_list:
            self.in_decorator += 1
            self.walk(decorator)
            self.in_decorator -= 1
        self.walk_opt(node.returns)
        self.leave_FunctionDef(node)

    def _walk_lambda(self, node: ast.Lambda) -> None:
        self.visit_Lambda(node)
        self._walk_params(node.args)
        self.walk(node.body)
        self.frames.pop()

    def _walk_class(self, node: ast.ClassDef) -> None:
        self.visit_ClassDef(node)
        self.identifier(node.name)
        self.walk_body(node.body)
        for base in node.bases:
            self.walk(base)
        for keyword in node.keywords:
            self.walk(keyword.value)
            if keyword.arg is not None:
                self.identifier(keyword.arg)
        for decorator in node.decorator_list:
            self.in_decorator += 1
            self.walk(decorator)
            self.in_decorator -= 1
        self.scope_names.pop()
        self.class_stack.pop()

    def _walk_dict(self, node: ast.Dict) -> None:
        for key, value in zip(node.keys, node.values):
            if key is not None:
                self.walk(key)
            self.walk(value)

    def _walk_handler(self, node: ast.ExceptHandler) -> None:
        self.walk_body(node.body)
        self.walk_opt(node.type)
        if node.name is not None:
            self.identifier(node.name)

    def _walk_case(self, node) -> None:
        self.walk(node.pattern)
        self.walk_body(node.body)
        self.walk_opt(node.guard)

    def _walk_pattern(self, node) -> None:
        kind = type(node)
        if kind is ast.MatchAs or kind is ast.MatchStar:
            self.walk_opt(getattr(node, "pattern", None))
            if node.name is not None:
                self.identifier(node.name)
            return
        if kind is ast.MatchMapping:
            for key, pattern in zip(node.keys, node.patterns):
                self.walk(key)
                self.walk(pattern)
            if node.rest is not None:
                self.identifier(node.rest)
            return
        self.walk(node.cls)
        for pattern in node.patterns:
            self.walk(pattern)
        for name, pattern in zip(node.kwd_attrs, node.kwd_patterns):
            self.identifier(name)
            self.walk(pattern)

    def _walk_global(self, node) -> None:
        for name in node.names:
            self.identifier(name)
        if type(node) is ast.Global:
            self.global_names.update(node.names)

    def _walk_import(self, node) -> None:
        if type(node) is ast.ImportFrom and node.module:
            for part in node.module.split("."):
                self.identifier(part)
        for alias in node.names:
            if alias.name != "*":
                for part in alias.name.split("."):
                    self.identifier(part)
            if alias.asname is not None:
                self.identifier(alias.asname)

    def _walk_if(self, node: ast.If) -> None:
        top = not self.frames
        self.module_branches += top
        self._walk_children(node)
        self.module_branches -= top

    def _walk_with(self, node) -> None:
        self.visit_With(node)
        for item in node.items:
            self.walk(item.context_expr)
            self.walk_opt(item.optional_vars)
        self.walk_body(node.body)
        self.leave_With(node)

    def _walk_expr(self, node: ast.Expr) -> None:
        self.unused.add(id(node.value))
        if type(node.value) is ast.Await:
            self.unused.add(id(node.value.value))
        self.walk(node.value)

    def _walk_assign(self, node: ast.Assign) -> None:
        self.visit_Assign(node)
        for target in node.targets:
            self.walk(target)
        self.walk(node.value)

    def _walk_annassign(self, node: ast.AnnAssign) -> None:
        if self.frames and type(node.target) is _Name:
            self.frames[-1].annotated.add(node.target.id)
        self._walk_children(node)

    def _walk_return(self, node: ast.Return) -> None:
        self.visit_Return(node)
        self.walk_opt(node.value)

    def _walk_yield(self, node) -> None:
        frame = self.frame
        if frame is not None and frame.fact is not None and node.value is not None:
            frame.fact.returns_value = True
        self.walk_opt(node.value)

    def _walk_binop(self, node: ast.BinOp) -> None:
        self.visit_BinaryOperation(node)
        self.walk(node.left)
        self.walk(node.right)

    def _walk_name(self, node: ast.Name) -> None:
        self.identifier(node.id)

    def _walk_attribute(self, node: ast.Attribute) -> None:
        self.visit_Attribute(node)
        self.walk(node.value)
        self.identifier(node.attr)

    def _walk_call(self, node: ast.Call) -> None:
        self.visit_Call(node)
        self.walk(node.func)
        for arg in call_args(node):
            self.walk(arg.value)
            if arg.keyword is not None:
                self.identifier(arg.keyword)
        if id(node) in self.on_commit_calls:
            self.on_commit_calls.discard(id(node))
            self.on_commit_depth -= 1

    def identifier(self, name: str) -> None:
        """libcst's visit_Name: a use of a variable holding a dispatch's result."""
        if self.frames:
            frame = self.frames[-1]
            if name in frame.results:
                frame.result_uses[name] = frame.result_uses.get(name, 0) + 1

    # -- helpers ---------------------------------------------------------------------------------
    def at(self, fact: Any, node: ast.AST) -> Any:
        fact.line = node.lineno
        if hasattr(fact, "column"):
            fact.column = self.src.column(node.lineno, node.col_offset)
        return fact

    def at_arg(self, fact: Any, arg: Arg) -> Any:
        node = arg.node if arg.star or arg.keyword is not None else arg.value
        return self.at(fact, node)

    def resolve(self, expr: ast.AST) -> str | None:
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

    def value(self, expr: ast.AST) -> Any:
        return evaluate(expr, self.resolve, self.constant)

    def arg_code(self, call: ast.Call, arg: Arg) -> str:
        codes = getattr(call, "_cf_codes", None)
        if codes is None:
            codes = call._cf_codes = self._arg_codes(call)
        return codes[id(arg)]

    def _arg_codes(self, call: ast.Call) -> dict[int, str]:
        """libcst's `code_for_node(arg)` without its comma, for each argument: the source from
        its first token (its star, keyword or opening parenthesis) to the comma or bracket that ends it."""
        src = self.src
        text = src.text
        args = call_args(call)
        codes: dict[int, str] = {}
        if len(args) == 1 and type(args[0].value) is ast.GeneratorExp and not args[0].star and args[0].keyword is None:
            value = args[0].value
            if (value.end_lineno, value.end_col_offset) == (call.end_lineno, call.end_col_offset):
                # `f(x for x in y)`: the generator's brackets are the call's
                start = src.offset(value.lineno, value.col_offset)
                end = src.offset(value.end_lineno, value.end_col_offset)
                codes[id(args[0])] = text[start + 1: end - 1].strip()
                return codes
        # the call's opening bracket: after the callee and any brackets around it
        lower = src.offset(call.func.end_lineno, call.func.end_col_offset)
        size = len(text)
        while True:
            lower = _skip_space(text, lower)
            if lower < size and text[lower] == ")":
                lower += 1
                continue
            break
        lower += 1  # past "("
        for arg in args:
            value = arg.value
            value_start = src.offset(value.lineno, value.col_offset)
            value_end = src.offset(value.end_lineno, value.end_col_offset)
            if arg.star or arg.keyword is not None:
                start = src.offset(arg.node.lineno, arg.node.col_offset)
            else:
                start = min(_skip_space(text, lower), value_start)
            opened = text.count("(", start, value_start)
            end = value_end
            while opened:
                after = _skip_space(text, end)
                if after < size and text[after] == ")":
                    end = after + 1
                    opened -= 1
                else:
                    break
            after = _skip_space(text, end)
            if after < size and text[after] in ",)":
                end = after
            code = text[start:end].strip()
            if "\n" in code or "\r" in code:
                code = self._dedent(code)
            codes[id(arg)] = code
            lower = end + 1
        return codes

    def _dedent(self, code: str) -> str:
        """libcst keeps the indentation of the enclosing blocks in the blocks, so a node's code on
        its own lacks it: continuation lines that start with the block's indentation lose it
        (not lines inside a multi-line string)."""
        line = self.src.line_text(self.statement_line)
        indent = line[: len(line) - len(line.lstrip(" \t\f"))]
        if not indent:
            return code
        lines = code.splitlines(keepends=True)
        in_string: set[int] = set()
        try:
            for token in tokenize.generate_tokens(iter(lines).__next__):
                if token.type == tokenize.STRING and token.end[0] > token.start[0]:
                    in_string.update(range(token.start[0] + 1, token.end[0] + 1))
        except (tokenize.TokenError, SyntaxError, IndentationError):
            pass
        for number in range(1, len(lines)):
            if number + 1 not in in_string and lines[number].startswith(indent):
                lines[number] = lines[number][len(indent):]
        return "".join(lines)

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

    def read_options(self, call: ast.Call, into: Decorated) -> None:
        for arg in call_args(call):
            if arg.keyword is not None:
                into.options.setdefault(arg.keyword, self.value(arg.value))
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

    def decorated(self, expr: ast.AST) -> Decorated:
        if type(expr) is _Call:
            fact = Decorated(self.resolve(expr.func), True)
            self.read_options(expr, fact)
        else:
            fact = Decorated(self.resolve(expr), False)
        # the position of the `@`
        src = self.src
        text = src.text
        pos = src.offset(expr.lineno, expr.col_offset) - 1
        while pos >= 0 and text[pos] != "@":
            pos -= 1
        line = _line_of(src, pos)
        fact.line = line
        fact.column = pos - src._starts[line - 1]
        return fact

    # -- module level (ConfigMixin.read_top_level) -----------------------------------------------
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
        self.read_statements(self.tree.body)

    def read_statements(self, body: list) -> None:
        """Module-level statements in order; an `if` decides which of its branches' values hold after it."""
        for statement in body:
            kind = type(statement)
            if kind is ast.If:
                self.read_branches(statement)
            elif kind in COMPOUND_TOP:  # try/with: their blocks run at import time
                self.read_statements(statement.body)
                for handler in getattr(statement, "handlers", ()):
                    self.read_statements(handler.body)
                self.read_statements(getattr(statement, "orelse", ()))
                self.read_statements(getattr(statement, "finalbody", ()))
            else:
                self.read_statement(statement)

    def read_branches(self, node: ast.If) -> None:
        """`if DEBUG: X = a` / `else: X = b`: X keeps a value only when every branch leaves it the
        same; else it is unknown after the `if` (never the last branch's). Every branch's beat
        entries stay recorded (their union)."""
        facts = self.facts
        values, constants = dict(self.top_values), dict(facts.constants)
        self.read_statements(node.body)
        after_body, constants_body = self.top_values, facts.constants
        self.top_values, facts.constants = dict(values), dict(constants)
        self.read_statements(node.orelse)
        after_else = self.top_values
        facts.constants.update({k: v for k, v in constants_body.items() if k not in facts.constants})
        self.top_values = {}
        for name in after_body.keys() | after_else.keys():
            one, other = after_body.get(name, _UNSET), after_else.get(name, _UNSET)
            if _same(one, other):
                self.top_values[name] = one
                continue
            self.top_values[name] = UNKNOWN
            self.branch_names.add(name)
            facts.constants.pop(name, None)
            assign = AssignFact("module", name, UNKNOWN)
            facts.assignments.append(self.at(assign, node) if _setting_like(name) else assign)

    def read_statement(self, statement: ast.stmt) -> None:
        facts = self.facts
        kind = type(statement)
        if kind is ast.AugAssign and type(statement.target) is _Name:
            self.top_values[statement.target.id] = UNKNOWN
        if kind is ast.AugAssign and type(statement.target) is _Name and type(statement.op) is ast.BitOr:
            # `SCHEDULE |= MORE`: MORE's entries join SCHEDULE's
            entries = self.merged_entries(statement.value)
            if entries:
                fact = AssignFact("module", statement.target.id, UNKNOWN, how="merge", entries=entries)
                facts.assignments.append(self.at(fact, statement.target))
            return
        if kind is ast.Expr or (kind is ast.Assign and type(statement.targets[0]) is ast.Subscript):
            self.mark_written(statement)
            return
        if (kind is ast.Assign or kind is ast.AnnAssign) and statement.value is not None:
            targets = statement.targets if kind is ast.Assign else [statement.target]
            names = [t.id for t in targets if type(t) is _Name]
            if not names:
                return
            value_node = statement.value
            value = self.value(value_node)
            for name in names:
                self.top_values[name] = value
                if value is not UNKNOWN:
                    facts.constants[name] = value
                if type(value_node) is _Call:
                    self.maybe_preset(name, value_node)
                    self.app_hint(name, value_node, statement)
                assign = AssignFact("module", name, value)
                if type(value_node) is ast.Dict and ("beat_schedule" in name.lower() or _schedule_like(value_node)):
                    assign.entries = self.dict_entries(value_node)
                elif type(value_node) is _Call and ("beat_schedule" in name.lower() or _schedule_like(value_node)):
                    assign.entries = self.call_entries(value_node)
                elif type(value_node) in (_Name, _Attribute, ast.BinOp) and "beat_schedule" in name.lower():
                    assign.entries = self.merged_entries(value_node)
                facts.assignments.append(self.at(assign, targets[0]) if _setting_like(name) else assign)

    def mark_written(self, statement: ast.Expr | ast.Assign) -> None:
        """`NAME[key] = value` / `NAME.update(...)`: NAME's value changes here (the walk records the
        write itself), so `if`/`else` branches that write it differently leave it unknown, like
        branches that assign it differently (read_branches)."""
        if type(statement) is ast.Assign:
            base = statement.targets[0]
            keys = []
            while type(base) is ast.Subscript:
                keys.append(self.value(base.slice))
                base = base.value
            written = ("item", tuple(keys), self.value(statement.value))
        else:
            call = statement.value
            if type(call) is not _Call or type(call.func) is not _Attribute or call.func.attr != "update":
                return
            base = call.func.value
            written = ("update", tuple((a.keyword, self.value(a.value)) for a in call_args(call)))
        if type(base) is _Name:
            self.top_values[base.id] = (self.top_values.get(base.id, _UNSET), written)

    def app_hint(self, name: str, call: ast.Call, statement: ast.AST) -> None:
        """`app = create_app()` / `app = ProjectCelery("x")`: an app when linking finds that the
        callee returns (or is a subclass of) `Celery`."""
        callee = self.resolve(call.func)
        if callee and callee not in CELERY_APP_FACTORIES and name not in self.facts.presets:
            self.facts.app_hints.append((self.qualname(name), f"call:{callee}", statement.lineno))

    def app_method(self, receiver: ast.AST, node: ast.AST) -> None:
        """A Celery-only app method called on a name (`celery_class(...)` chosen at run time)."""
        while type(receiver) is _Attribute and receiver.attr == "conf":
            receiver = receiver.value
        if type(receiver) is not _Name:
            return
        qualname = self.resolve(receiver)
        if qualname and not qualname.startswith("celery."):
            self.facts.app_hints.append((qualname, "method", node.lineno))

    def own_method(self, func: ast.Attribute) -> str | None:
        """`self.name` / `cls.name` in a method (not a nested function): `<Class qualname>.name`."""
        frame = self.frame
        if type(func.value) is not _Name or frame is None or frame.fact is None or not frame.fact.is_method:
            return None
        owner = self.class_stack[-2] if len(self.class_stack) > 1 else None
        params = frame.fact.params
        if not isinstance(owner, ClassFact) or not params or func.value.id != params[0]:
            return None
        return f"{owner.qualname}.{func.attr}"

    def passed_function(self, callee: str, node: ast.Call) -> None:
        """`register(handler)`: a name of this module (or imported) given as the first argument,
        which a receiver helper (linking decides) connects to a signal."""
        first = node.args[0] if node.args else None
        if type(first) is not _Name:
            return
        if any(first.id in f.locals for f in self.frames):
            target = self.resolve(first)  # a local import or def (a plain local variable is None)
        else:
            binding = self.table.bindings.get(first.id)
            target = binding.qualname if binding is not None and binding.kind in ("def", "import") else None
        if target:
            self.facts.passed.append((callee, target, node.lineno))

    def receiver_class(self, receiver: ast.AST) -> str | None:
        """The class a method is called on: `Service()` (the callee, when it resolves), or a local
        whose one binding says its class (index/local_types.py)."""
        if type(receiver) is _Call:
            return self.resolve(receiver.func)
        if type(receiver) is not _Name:
            return None
        for frame in reversed(self.frames):
            if receiver.id in frame.locals:
                if frame.is_lambda or frame.node is None or not _may_be_typed(frame, receiver.id):
                    return None
                if frame.types is None:
                    frame.types = local_types(frame.node, self.resolve)
                return frame.types.get(receiver.id)
        return None

    def signal_connect(self, node: ast.Call, func: ast.Attribute) -> None:
        """`post_save.connect(handler, sender=...)`: CEL704 covers `handler`, wherever it is defined."""
        signal = self.resolve(func.value) or ""
        if not signal.startswith("django.db.models.signals."):
            return
        args = call_args(node)
        handler = next((a.value for a in args if a.keyword is None or a.keyword == "receiver"), None)
        target = self.resolve(handler) if handler is not None else None
        if target:
            self.facts.connects.append((signal.rsplit(".", 1)[1], target, node.lineno))
            return
        frame = self.frame
        if type(handler) is _Name and frame is not None and frame.fact is not None and handler.id in frame.fact.params:
            # a project helper connecting the function it is given (`register(handler)`, `@register`)
            position = frame.fact.params.index(handler.id)
            self.facts.receiver_helpers.append(("connect", frame.qualname, signal.rsplit(".", 1)[1], position))

    def receiver_wrapper(self, fact: FunctionFact, call: ast.Call) -> None:
        """`return receiver(post_save, ...)`: a project decorator factory whose decorated functions
        are receivers of that signal."""
        positional = [a.value for a in call_args(call) if a.keyword is None]
        first = positional[0] if positional else None
        candidates = first.elts if type(first) in (ast.List, ast.Tuple) else [first] if first is not None else []
        for candidate in candidates:
            signal = MODEL_SIGNALS.get(self.resolve(candidate) or "")
            if signal:
                self.facts.receiver_helpers.append(("receiver", fact.qualname, signal, -1))

    def maybe_preset(self, name: str, call: ast.Call) -> None:
        if name in self.facts.presets:
            return
        callee = self.resolve(call.func)
        if callee and "task" in callee.rsplit(".", 1)[-1].lower():
            preset = Decorated(callee, True)
            self.read_options(call, preset)
            self.facts.presets[name] = preset

    def dict_entries(self, node: ast.Dict) -> list:
        entries = []
        for key, value in zip(node.keys, node.values):
            if key is not None:
                entries.append(self.at(Entry(self.value(key), self.value(value)), key))
            else:
                entries.append(self.at(Entry(None, self.spread_value(value), spread=True), value))
        return entries

    def spread_value(self, node: ast.AST) -> Any:
        """A spread schedule: a Ref to a module-level name of this module (linking follows it to the
        entries where they are written), else its value."""
        known = node.id in self.facts.constants or node.id in self.branch_names if type(node) is _Name else False
        if known and not self.frames and self.module_name:
            return Ref(f"{self.module_name}.{node.id}")
        return self.value(node)

    def merged_entries(self, node: ast.AST) -> list:
        """Entries of `A`, `A | B`, `{**A}`: names to follow across modules (spreads), dicts read here."""
        if type(node) is ast.BinOp and type(node.op) is ast.BitOr:
            return self.merged_entries(node.left) + self.merged_entries(node.right)
        if type(node) is ast.Dict:
            return self.dict_entries(node)
        if type(node) is _Call:
            return self.call_entries(node) or []
        if type(node) in (_Name, _Attribute):
            return [self.at(Entry(None, self.spread_value(node), spread=True), node)]
        return []

    def call_entries(self, node: ast.Call) -> list | None:
        if self.resolve(node.func) != "dict" and not (type(node.func) is _Name and node.func.id == "dict"):
            return None
        entries = []
        for arg in call_args(node):
            if arg.keyword is not None:
                entries.append(self.at_arg(Entry(arg.keyword, self.value(arg.value)), arg))
            elif type(arg.value) is ast.Dict:
                entries.extend(self.dict_entries(arg.value))
            else:
                entries.append(self.at_arg(Entry(None, self.spread_value(arg.value), spread=True), arg))
        return entries

    def module_item_assignment(self, target: ast.Subscript, value_node: ast.AST) -> None:
        keys = []
        base: ast.AST = target
        while type(base) is ast.Subscript:
            index = base.slice
            if type(index) in (ast.Slice, ast.Tuple):
                # libcst: a slice, or several subscript elements (`x[a, b]`, not `x[(a, b)]`)
                if type(index) is ast.Slice or not _parenthesized(self.src, index):
                    return
            keys.insert(0, self.value(index))
            base = base.value
        if type(base) is _Name:
            fact = AssignFact("module", base.id, self.value(value_node), key_path=tuple(keys), how="item")
            if len(keys) == 1:
                fact.entries = [self.at(Entry(keys[0], fact.value), target)]
            self.facts.assignments.append(self.at(fact, target))
        elif type(base) is _Attribute and type(base.value) is _Attribute and base.value.attr == "conf":
            owner = self.resolve(base.value.value) or "?"
            fact = AssignFact(owner, base.attr, self.value(value_node), key_path=tuple(keys), how="conf_item")
            if len(keys) == 1:
                fact.entries = [self.at(Entry(keys[0], fact.value), target)]
            self.facts.assignments.append(self.at(self.conf_write(fact), target))

    def conf_assignment(self, target: ast.Attribute, value_node: ast.AST) -> None:
        if type(target.value) is _Attribute and target.value.attr == "conf":
            owner = self.resolve(target.value.value) or "?"
            fact = AssignFact(owner, target.attr, self.value(value_node), how="conf")
            if type(value_node) is ast.Dict:
                fact.entries = self.dict_entries(value_node)
            self.facts.assignments.append(self.at(self.conf_write(fact), target))

    def conf_write(self, fact: AssignFact) -> AssignFact:
        """An `app.conf` write inside a module-level `if` may not happen: the setting is unknown
        after it (its beat entries still count). Not compared across branches, unlike names."""
        if self.module_branches:
            fact.value, fact.key_path = UNKNOWN, ()
        return fact

    # -- definitions -----------------------------------------------------------------------------
    def visit_FunctionDef(self, node) -> None:
        name = node.name
        qualname = self.qualname(name)
        if self.frames:
            self.frames[-1].locals[name] = qualname
        fact = FunctionFact(qualname, name, line=self._name_line(node))
        owner = self.class_stack[-1] if self.class_stack and isinstance(self.class_stack[-1], ClassFact) else None
        module_level = not self.frames and not self.class_stack
        fact.is_method = owner is not None
        fact.decorators = [self.decorated(d) for d in node.decorator_list]
        fact.contextmanager = any(d.target in ("contextlib.contextmanager", "contextlib.asynccontextmanager") for d in fact.decorators)
        args = node.args
        fact.params = tuple(p.arg for p in (*args.posonlyargs, *args.args, *args.kwonlyargs))
        fact.docstring = _docstring(node.body)
        self.facts.functions.append(fact)
        frame = _Frame(qualname, self._local_names(node), fact)
        frame.node = node
        frame.contexts = [d.target for d in fact.decorators if d.target]
        self.frames.append(frame)
        self.scope_names.append(name)
        self.class_stack.append(None)
        if owner is not None and name == "run":
            owner.has_run = True
            owner.run_params = fact.params
        if module_level and not _is_suite(self.src, node.body):
            self.maybe_factory(node)

    def _name_line(self, node) -> int:
        """The line of a def's or class's name (the keyword's line, unless split by a backslash)."""
        line = node.lineno
        text = self.src.line_text(line) if self.src.backslash else ""
        if text.rstrip("\r\n").endswith("\\"):
            pos = _skip_space(self.src.text, self.src.offset(line, node.col_offset))
            pattern = re.compile(r"(?:async[ \t\f\\\r\n]+)?(?:def|class)[ \t\f\\\r\n]+")
            found = pattern.match(self.src.text, pos)
            if found:
                return _line_of(self.src, found.end())
        return line

    def leave_FunctionDef(self, node) -> None:
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

    def maybe_factory(self, node) -> None:
        last = node.body[-1] if node.body else None
        if type(last) is ast.Return:
            returned = last.value
            if type(returned) is _Call:
                callee = self.resolve(returned.func)
                binding = self.table.binding_of(returned.func)
                if callee and ("task" in callee.rsplit(".", 1)[-1].lower() or (binding and binding.kind == "task_preset")):
                    factory = Decorated(callee, True)
                    for arg in call_args(returned):
                        if arg.keyword is not None:
                            factory.options.setdefault(arg.keyword, self.value(arg.value))
                        elif arg.star == "**":
                            spread = self.value(arg.value)
                            if isinstance(spread, dict):
                                for key, value in spread.items():
                                    factory.options.setdefault(key, value)
                    self.facts.factories[node.name] = factory

    def visit_Lambda(self, node: ast.Lambda) -> None:
        if self.on_commit_depth:
            self.unused.add(id(node.body))
        frame = _Frame(self.function or "<lambda>", self._local_names(node), is_lambda=True)
        self.frames.append(frame)

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        qualname = self.qualname(node.name)
        if self.frames:
            self.frames[-1].locals[node.name] = qualname
        fact = ClassFact(qualname, node.name)
        self._class_position(fact, node)
        fact.bases = tuple(self.resolve(base) for base in node.bases)
        fact.docstring = _docstring(node.body)
        if not _is_suite(self.src, node.body):
            for statement in node.body:
                kind = type(statement)
                if kind is ast.Assign:
                    for target in statement.targets:
                        if type(target) is _Name:
                            fact.attributes[target.id] = self.value(statement.value)
                elif kind is ast.AnnAssign and statement.value is not None and type(statement.target) is _Name:
                    fact.attributes[statement.target.id] = self.value(statement.value)
            if not self.frames and not self.class_stack and settings_module_name(self.module_name):
                self.class_settings(fact, node)
        self.facts.classes.append(fact)
        self.scope_names.append(node.name)
        self.class_stack.append(fact)

    def class_settings(self, fact: ClassFact, node: ast.ClassDef) -> None:
        """The upper-case names a settings class defines (`CELERY_TASK_ROUTES = {...}`; a property
        is computed at load time: unknown), for a settings module that loads the class."""
        for statement in node.body:
            kind = type(statement)
            if kind is ast.Assign or (kind is ast.AnnAssign and statement.value is not None):
                targets = statement.targets if kind is ast.Assign else [statement.target]
                for target in targets:
                    if type(target) is _Name and target.id.isupper():
                        assign = self.at(AssignFact(fact.qualname, target.id, fact.attributes.get(target.id, UNKNOWN)), target)
                        if type(statement.value) is ast.Dict:
                            assign.entries = self.dict_entries(statement.value)
                        fact.settings.append(assign)
            elif kind in _FUNCTIONS and statement.name.isupper() and statement.decorator_list:
                fact.settings.append(self.at(AssignFact(fact.qualname, statement.name, UNKNOWN), statement))

    def _class_position(self, fact: ClassFact, node: ast.ClassDef) -> None:
        src = self.src
        pos = src.offset(node.lineno, node.col_offset) + len("class")
        pos = _skip_space(src.text, pos)
        line = _line_of(src, pos)
        fact.line = line
        fact.column = pos - src._starts[line - 1]

    def visit_Return(self, node: ast.Return) -> None:
        frame = self.frame
        if frame is None or frame.is_lambda or frame.fact is None:
            return
        value = node.value
        if value is not None and not (type(value) is ast.Constant and value.value is None):
            frame.fact.returns_value = True
            if type(value) is _Name and value.id in frame.call_locals and frame.fact.returns_call is None:
                frame.fact.returns_call = frame.call_locals[value.id]
            if type(value) is _Call:
                target = self.resolve(value.func)
                if target:
                    frame.fact.atomic_evidence.append(("return", target))
                    if target in RECEIVER:
                        self.receiver_wrapper(frame.fact, value)
                    if frame.fact.returns_call is None:
                        frame.fact.returns_call = target
            elif type(value) in (_Name, _Attribute):
                target = self.resolve(value)
                if target:
                    frame.fact.atomic_evidence.append(("return", target))
                if type(value) is _Name and (frame.locals.get(value.id) or "").startswith(frame.qualname + "."):
                    frame.fact.returns_nested_function = True
                    frame.fact.returns_local = frame.locals[value.id]

    def visit_With(self, node) -> None:
        names = []
        for item in node.items:
            expr = item.context_expr
            self.with_items.add(id(expr))
            target = self.resolve(expr.func if type(expr) is _Call else expr)
            if target:
                names.append(target)
        if self.frames:
            self.frames[-1].contexts.extend(names)
            fact = self.frames[-1].fact
            if fact is not None:
                fact.atomic_evidence.extend(("with", n) for n in names)
        self.with_counts.append(len(names) if self.frames else 0)

    def leave_With(self, node) -> None:
        count = self.with_counts.pop()
        if count and self.frames:
            del self.frames[-1].contexts[-count:]

    def visit_Assign(self, node: ast.Assign) -> None:
        if len(node.targets) == 1 and type(node.targets[0]) is _Name:
            self.assigned[id(node.value)] = node.targets[0].id
        target = node.targets[0] if len(node.targets) == 1 else None
        if self.frames:
            if type(target) is _Name and type(node.value) is _Call and self.frames[-1].fact is not None:
                callee = self.resolve(node.value.func)
                if callee:
                    self.frames[-1].call_locals[target.id] = callee
            return
        if type(target) is ast.Subscript:
            self.module_item_assignment(target, node.value)
        elif type(target) is _Attribute:
            self.conf_assignment(target, node.value)

    # -- names bound in a function (scopes._local_names) -----------------------------------------
    def _local_names(self, node) -> dict[str, str | None]:
        names: dict[str, str | None] = {}
        args = node.args
        for param in (*args.posonlyargs, *args.args, *args.kwonlyargs):
            names[param.arg] = None
        for star in (args.vararg, args.kwarg):
            if star is not None:
                names[star.arg] = None
        if type(node) is not ast.Lambda:
            self._scan_block(node.body, names)
        return names

    def _scan_block(self, body: list, names: dict[str, str | None]) -> None:
        if not body or _is_suite(self.src, body):
            return  # libcst's collector skips the small statements of a one-line suite
        for statement in body:
            kind = type(statement)
            if kind is ast.Assign:
                for target in statement.targets:
                    _bind_target(target, names)
            elif kind is ast.AnnAssign or kind is ast.AugAssign:
                _bind_target(statement.target, names)
            elif kind is ast.Import:
                for alias in statement.names:
                    if alias.asname is not None:
                        names[alias.asname] = alias.name
                    else:
                        top = alias.name.split(".")[0]
                        names[top] = top
            elif kind is ast.ImportFrom:
                if any(alias.name == "*" for alias in statement.names):
                    continue
                from celery_fix.index.ast_names import absolute_module

                base = absolute_module(self.table, statement)
                for alias in statement.names:
                    names[alias.asname or alias.name] = f"{base}.{alias.name}" if base else None
            elif kind in (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef):
                names[statement.name] = None
            elif kind is ast.For or kind is ast.AsyncFor:
                _bind_target(statement.target, names)
                self._scan_block(statement.body, names)
                self._scan_block(statement.orelse, names)
            elif kind is ast.With or kind is ast.AsyncWith:
                for item in statement.items:
                    if item.optional_vars is not None:
                        _bind_target(item.optional_vars, names)
                self._scan_block(statement.body, names)
            elif kind is ast.If or kind is ast.While:
                self._scan_block(statement.body, names)
                orelse = statement.orelse
                while orelse:
                    # `elif` and `else: if ...` bind the same names
                    self._scan_block(orelse, names)
                    orelse = None
            elif kind is ast.Try or kind.__name__ == "TryStar":
                self._scan_block(statement.body, names)
                for handler in statement.handlers:
                    if handler.name is not None:
                        names[handler.name] = None
                    self._scan_block(handler.body, names)
                self._scan_block(statement.orelse, names)
                self._scan_block(statement.finalbody, names)
            elif kind.__name__ == "Match":
                for case in statement.cases:
                    self._scan_block(case.body, names)

    # -- dispatch sites (DispatchMixin) ----------------------------------------------------------
    def visit_Attribute(self, node: ast.Attribute) -> None:
        value = node.value
        attr = node.attr
        if type(value) is _Call:
            self.attribute_of[id(value)] = attr
        elif type(value) is _Name and self.frames:
            frame = self.frames[-1]
            tracked = frame.results.get(value.id)
            if tracked is not None:
                frame.result_uses[value.id] = frame.result_uses.get(value.id, 0) - 1
                if attr in RESULT_ATTRIBUTES:
                    kind = "id" if attr in ("id", "task_id") else attr
                    for target, task_name in tracked[2]:
                        self.add_consumer(kind, target, task_name, node)
        if attr == "on_after_configure":
            self.app_method(value, node)
        if attr in DISPATCH_METHODS and id(node) not in self.call_funcs:
            target = self.resolve(value)
            if target:
                fact = DispatchFact(attr, target, function=self.function, atomic_context=self.contexts(),
                                    runs=self.on_commit_depth > 0, deferred=self.on_commit_depth > 0, value_used=True)
                self.facts.dispatches.append(self.at(fact, node))

    def finish_results(self, frame: _Frame) -> None:
        for name, (_, _, targets) in frame.results.items():
            if frame.result_uses.get(name, 0) > 0:
                for target, task_name in targets:
                    self.facts.consumers.append(ConsumerFact("escape", target, task_name, frame.qualname))

    def add_consumer(self, kind: str, target, task_name, node) -> None:
        fact = ConsumerFact(kind, target, task_name, self.function)
        if isinstance(node, Arg):
            self.at_arg(fact, node)
        else:
            self.at(fact, node)
        self.facts.consumers.append(fact)

    def visit_Call(self, node: ast.Call) -> None:
        self.call_funcs.add(id(node.func))
        for keyword in node.keywords:
            # a mock's `wraps=t.delay` sends nothing itself and reads no result (build._DISPATCH_USE)
            if keyword.arg == "wraps" and type(keyword.value) is _Attribute and keyword.value.attr in DISPATCH_METHODS:
                self.call_funcs.add(id(keyword.value))
        func = node.func
        kind = type(func)
        name = func.attr if kind is _Attribute else func.id if kind is _Name else None
        resolved = self.resolve(func)
        args = call_args(node)
        if (kind is _Attribute and name in MAY_DISPATCH_METHODS) or kind is _Call or kind is ast.BinOp:
            self.facts.may_dispatch = True
            if id(node) not in self.unused:
                self.facts.dispatch_value_used = True
        if resolved in ON_COMMIT or name == "on_commit":
            self.on_commit_depth += 1
            self.on_commit_calls.add(id(node))
        if name in ASYNC_RESULT_NAMES or (resolved and resolved.endswith((".AsyncResult", ".GroupResult"))):
            self.facts.async_result_anywhere = True
            target = self.resolve(func.value) if kind is _Attribute else None
            self.add_consumer("AsyncResult", target, None, node)
        if kind is _Attribute:
            if name in DISPATCH_METHODS:
                self.dispatch_call(node, func)
            elif name == "send_task":
                self.send_task(node)
            elif name == "add_periodic_task":
                self.periodic_task(node)
            elif name == "config_from_object":
                self.config_call(node, func)
                self.app_method(func.value, node)
            elif name == "register_task":
                self.registration(node, func)
                self.app_method(func.value, node)
            elif name == "autodiscover_tasks":
                self.app_method(func.value, node)
            elif name == "connect":
                self.signal_connect(node, func)
            elif name == "setdefault" and args and self.value(args[0].value) == "DJANGO_SETTINGS_MODULE":
                if len(args) > 1 and isinstance(self.value(args[1].value), str):
                    self.facts.django_settings_module.append(self.value(args[1].value))
            elif (args and type(args[0].value) is _Name and args[0].value.id == "__name__" and not self.frames
                  and settings_module_name(self.module_name)):
                owner = self.resolve(func.value)  # `Settings.load_settings(__name__)`: the class fills the module
                if owner and not self.class_stack:
                    self.facts.settings_loads.append((owner, node.lineno))
            elif name == "update" and not self.frames:
                self.update_call(node, func)
                if type(func.value) is _Attribute and func.value.attr == "conf":
                    self.app_method(func.value, node)
        if resolved in CANVAS_NAMES:
            self.canvas(node, CANVAS_NAMES[resolved])
        elif kind is _Call and self.resolve(func.func) in ("celery.chord", "celery.canvas.chord"):
            for arg in args[:1]:
                for target, task_name, _ in self.signatures(arg.value):
                    self.record_member("chord", target, task_name, arg.value)
        if resolved in ("celery.Celery", "celery.app.Celery", "celery.app.base.Celery"):
            self.app_created(node)
        method_of = None
        if resolved is None and kind is _Attribute and not self.in_decorator:
            resolved = self.own_method(func)  # `self.helper()`: the call graph follows it to the method
            if resolved is None:
                method_of = self.receiver_class(func.value)  # `svc.notify()`, `Service().notify()`
                resolved = f"{method_of}.{func.attr}" if method_of else None
        if resolved and not self.in_decorator:
            contexts = self.contexts()
            if id(node) in self.with_items:
                contexts = contexts[: len(contexts) - self.with_counts[-1]] if self.with_counts and self.with_counts[-1] else contexts
            fact = CallFact(self.function, resolved, contexts, method_of=method_of)
            if fact.atomic_context:
                self.at(fact, node)
            self.facts.calls.append(fact)
            self.passed_function(resolved, node)
        for arg in args:
            if arg.keyword in ("link", "link_error"):
                self.link_callbacks(node, arg)
                self.partial_link(node, resolved, arg)

    def partial_link(self, node: ast.Call, resolved: str | None, arg) -> None:
        """`partial(t.apply_async, (x,), link=cb.s())`, as the CEL701 fix writes a dispatch: the
        `link=` still consumes t's result (the index sees through its own fixes)."""
        first = node.args[0] if resolved == "functools.partial" and node.args else None
        if type(first) is _Attribute and first.attr in DISPATCH_METHODS:
            target = self.resolve(first.value)
            if target:
                self.add_consumer(arg.keyword, target, None, arg)

    def value_use(self, node: ast.Call) -> tuple[bool, str | None, str | None]:
        if id(node) in self.unused:
            return False, None, None
        return True, self.assigned.get(id(node)), self.attribute_of.get(id(node))

    def dispatch_call(self, node: ast.Call, func: ast.Attribute) -> None:
        receiver = func.value
        method = func.attr
        args = tuple(self.arg_code(node, a) for a in call_args(node))
        targets: list[tuple[str | None, str | None]]
        if type(receiver) is _Call and type(receiver.func) is _Attribute and receiver.func.attr in SIGNATURE_METHODS:
            method = receiver.func.attr
            targets = [(self.resolve(receiver.func.value), None)]
            args = tuple(self.arg_code(receiver, a) for a in call_args(receiver))
            self.canvas_members.add(id(receiver))
        elif type(receiver) is _Call and self.resolve(receiver.func) in SIGNATURE_FACTORIES:
            method = "signature"
            receiver_args = call_args(receiver)
            name = self.value(receiver_args[0].value) if receiver_args else None
            targets = [(None, name if isinstance(name, str) else None)]
            self.canvas_members.add(id(receiver))
        elif type(receiver) is _Call and (self.resolve(receiver.func) in CANVAS_NAMES or id(receiver) in self.canvas_members):
            self.canvas_run(node, receiver)
            return
        else:
            target = self.resolve(receiver)
            if target is None:
                if type(receiver) in (ast.BinOp, _Call):
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
        for arg in call_args(node):
            if arg.keyword in ("link", "link_error"):
                for target, task_name in targets:
                    self.add_consumer(arg.keyword, target, task_name, arg)

    def track_result(self, node: ast.Call, targets, used: bool, local: str | None, attribute: str | None) -> None:
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

    def canvas_run(self, node: ast.Call, receiver: ast.AST) -> None:
        used, local, attribute = self.value_use(node)
        members = self.canvas_members_by_node.get(id(receiver), [])
        self.track_result(node, [(t, n) for t, n in members], used, local, attribute)

    def signatures(self, expr: ast.AST) -> list[tuple[str | None, str | None, bool]]:
        kind = type(expr)
        if kind is _Call:
            func = expr.func
            if type(func) is _Attribute and func.attr in SIGNATURE_METHODS:
                self.canvas_members.add(id(expr))
                immutable = func.attr == "si" or any(
                    a.keyword == "immutable" and self.value(a.value) is True for a in call_args(expr)
                )
                return [(self.resolve(func.value), None, immutable)]
            resolved = self.resolve(func)
            if resolved in SIGNATURE_FACTORIES:
                args = call_args(expr)
                name = self.value(args[0].value) if args else None
                return [(None, name if isinstance(name, str) else None, False)]
            if resolved in CANVAS_NAMES:
                return [m for arg in call_args(expr) if arg.keyword is None for m in self.signatures(arg.value)]
        if kind is ast.List or kind is ast.Tuple:
            return [m for element in expr.elts for m in self.signatures(element.value if type(element) is ast.Starred else element)]
        if kind is ast.GeneratorExp or kind is ast.ListComp:
            return self.signatures(expr.elt)
        if kind is ast.BinOp and type(expr.op) is ast.BitOr:
            return self.signatures(expr.left) + self.signatures(expr.right)
        return []

    def record_member(self, method: str, target, task_name, node) -> None:
        fact = DispatchFact(method, target, task_name, value_used=True, function=self.function,
                            atomic_context=self.contexts(), deferred=self.on_commit_depth > 0)
        self.facts.dispatches.append(self.at(fact, node))

    def canvas(self, node: ast.Call, kind: str) -> None:
        positional = [a.value for a in call_args(node) if a.keyword is None]
        groups = [self.signatures(expr) for expr in positional]
        if kind == "chain" and len(positional) == 1 and type(positional[0]) in (ast.List, ast.Tuple, ast.GeneratorExp):
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

    def chain_links(self, groups, node) -> None:
        for current, following in zip(groups, groups[1:]):
            if following and not following[0][2]:
                for target, task_name, _ in current:
                    self.add_consumer("chain_link", target, task_name, node)

    def visit_BinaryOperation(self, node: ast.BinOp) -> None:
        if type(node.op) is not ast.BitOr or id(node) in self.chain_parts:
            return
        parts = []
        expr: ast.AST = node
        while type(expr) is ast.BinOp and type(expr.op) is ast.BitOr:
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

    def link_callbacks(self, node: ast.Call, arg: Arg) -> None:
        func = node.func
        if type(func) is _Attribute and func.attr in DISPATCH_METHODS:
            return
        if type(func) is _Attribute and func.attr in SIGNATURE_METHODS:
            target = self.resolve(func.value)
            if target:
                self.add_consumer(arg.keyword, target, None, arg)

    def send_task(self, node: ast.Call) -> None:
        args = call_args(node)
        positional = [a for a in args if a.keyword is None]
        name = self.value(positional[0].value) if positional else None
        for arg in args:
            if arg.keyword == "name":
                name = self.value(arg.value)
        task_name = name if isinstance(name, str) else None
        used, local, attribute = self.value_use(node)
        code = tuple(self.arg_code(node, a) for a in positional[1:])
        fact = DispatchFact("send_task", None, task_name, value_used=used, function=self.function,
                            atomic_context=self.contexts(), deferred=self.on_commit_depth > 0, args=code)
        self.facts.dispatches.append(self.at(fact, node))
        self.track_result(node, [(None, task_name)], used, local, attribute)

    # -- configuration (ConfigMixin) -------------------------------------------------------------
    def app_created(self, node: ast.Call) -> None:
        fact = AppFact("")
        for index, arg in enumerate(call_args(node)):
            if arg.keyword is None and index == 0:
                fact.main = self.value(arg.value)
            elif arg.keyword is not None:
                fact.kwargs[arg.keyword] = self.value(arg.value)
                self.facts.assignments.append(
                    self.at_arg(AssignFact("<app>", arg.keyword, fact.kwargs[arg.keyword], how="celery_kwarg"), arg)
                )
        for binding in self.table.bindings.values():
            if binding.kind == "app" and getattr(binding.node, "value", None) is node:
                fact.qualname = binding.qualname
        if not fact.qualname:
            return
        for assign in self.facts.assignments:
            if assign.owner == "<app>":
                assign.owner = fact.qualname
        self.facts.apps.append(self.at(fact, node))

    def config_call(self, node: ast.Call, func: ast.Attribute) -> None:
        args = call_args(node)
        target = self.value(args[0].value) if args else UNKNOWN
        namespace = None
        for arg in args[1:]:
            if arg.keyword == "namespace":
                namespace = self.value(arg.value)
        receiver = func.value
        if type(receiver) is _Attribute and receiver.attr == "conf":
            receiver = receiver.value
        self.facts.config_from_object.append(self.at(ConfigFromObject(self.resolve(receiver), target, namespace), node))

    def registration(self, node: ast.Call, func: ast.Attribute) -> None:
        args = call_args(node)
        if not args:
            return
        expr = args[0].value
        if type(expr) is _Call and not expr.args and not expr.keywords:
            expr = expr.func
        self.facts.registrations.append(self.at(Registration(self.resolve(func.value), self.resolve(expr)), node))

    def update_call(self, node: ast.Call, func: ast.Attribute) -> None:
        receiver = func.value
        if type(receiver) is _Attribute and receiver.attr == "conf":
            owner = self.resolve(receiver.value) or "?"
            for arg in call_args(node):
                if arg.keyword is not None:
                    fact = AssignFact(owner, arg.keyword, self.value(arg.value), how="conf_update")
                    if type(arg.value) is ast.Dict:
                        fact.entries = self.dict_entries(arg.value)
                    self.facts.assignments.append(self.at_arg(self.conf_write(fact), arg))
                elif type(arg.value) is ast.Dict:
                    for key_node, value_node in zip(arg.value.keys, arg.value.values):
                        if key_node is not None:
                            key = self.value(key_node)
                            if isinstance(key, str):
                                fact = AssignFact(owner, key, self.value(value_node), how="conf_update")
                                if type(value_node) is ast.Dict:
                                    fact.entries = self.dict_entries(value_node)
                                self.facts.assignments.append(self.at(self.conf_write(fact), key_node))
        elif type(receiver) is _Attribute and type(receiver.value) is _Attribute and receiver.value.attr == "conf":
            owner = self.resolve(receiver.value.value) or "?"
            self.mapping_update(owner, receiver.attr, node, "conf_item")
        elif type(receiver) is _Name:
            self.mapping_update("module", receiver.id, node, "item")

    def mapping_update(self, owner: str, name: str, node: ast.Call, how: str) -> None:
        for arg in call_args(node):
            if owner == "module" and arg.keyword is None and type(arg.value) in (_Name, _Attribute):
                entry = self.at_arg(Entry(None, self.spread_value(arg.value), spread=True), arg)
                self.facts.assignments.append(self.at_arg(AssignFact(owner, name, UNKNOWN, how="merge", entries=[entry]), arg))
                continue
            if arg.keyword is None and type(arg.value) is ast.Dict:
                for entry in self.dict_entries(arg.value):
                    fact = AssignFact(owner, name, entry.value, key_path=(entry.name,), how=how, entries=[entry])
                    self.facts.assignments.append(self.at(self.conf_write(fact) if how == "conf_item" else fact, arg.value))
            elif arg.keyword is not None:
                entry = self.at_arg(Entry(arg.keyword, self.value(arg.value)), arg)
                fact = AssignFact(owner, name, entry.value, key_path=(entry.name,), how=how, entries=[entry])
                self.facts.assignments.append(self.at_arg(self.conf_write(fact) if how == "conf_item" else fact, arg))

    def periodic_task(self, node: ast.Call) -> None:
        args = call_args(node)
        positional = [a.value for a in args if a.keyword is None]
        keywords = {a.keyword: a.value for a in args if a.keyword is not None}
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
        if any(a.star == "**" for a in args):
            fact.options_unknown = True
        if sig is not None:
            found = self.signatures(sig)
            if found:
                fact.target, fact.task_name, _ = found[0]
            if type(sig) is _Call and call_args(sig) and fact.args is None:
                fact.args = tuple(self.value(a.value) for a in call_args(sig) if a.keyword is None)
        self.facts.periodic.append(self.at(fact, node))


def _schedule_like(node: ast.AST) -> bool:
    """A dict literal (or `dict(...)` call) some value of which is a beat entry: a dict with a
    `"task"` or `"schedule"` key. Its entries are kept, for a schedule assembled in another module."""
    if type(node) is _Call:
        values = [k.value for k in node.keywords] + [a for a in node.args if type(a) is ast.Dict]
    elif type(node) is ast.Dict:
        values = node.values
    else:
        return False
    for value in values:
        if type(value) is ast.Dict and any(
            type(k) is ast.Constant and k.value in ("task", "schedule") for k in value.keys
        ):
            return True
    return False


def _may_be_typed(frame: _Frame, name: str) -> bool:
    """Cheap test before local_types reads the whole function: `name` was set from a call of a
    class-like (CapWords) name, or is annotated."""
    callee = frame.call_locals.get(name)
    if callee is not None and callee.rpartition(".")[2][:1].isupper():
        return True
    if name in frame.annotated:
        return True
    args = frame.node.args
    return any(p.arg == name and p.annotation is not None for p in (*args.posonlyargs, *args.args, *args.kwonlyargs))


_UNSET = object()  # a name no branch assigned


def _same(one: Any, other: Any) -> bool:
    """The same value after two branches (UNKNOWN is a value: unreadable either way)."""
    if one is _UNSET or other is _UNSET:
        return one is other
    try:
        return type(one) is type(other) and bool(one == other)
    except Exception:  # noqa: BLE001 (a value that cannot compare is not the same)
        return False


def _noop(node) -> None:
    return None


def _line_of(src: _Source, pos: int) -> int:
    import bisect

    src.text  # noqa: B018 (loads the line table)
    return bisect.bisect_right(src._starts, pos)


def _parenthesized(src: _Source, node: ast.AST) -> bool:
    text = src.text
    return text[src.offset(node.lineno, node.col_offset)] == "("


def _bind_target(target: ast.AST, names: dict[str, str | None]) -> None:
    kind = type(target)
    if kind is _Name:
        names[target.id] = None
    elif kind is ast.Tuple or kind is ast.List:
        for element in target.elts:
            _bind_target(element, names)
    elif kind is ast.Starred:
        _bind_target(target.value, names)
