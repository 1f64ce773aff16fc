"""Adding the imports a fix needs (`from functools import partial`) where an import sorter puts them.

Fixes are node replacements; a new import is not a replacement of any reported node, so a rule
lists the imports its fix needs and the engine adds the missing ones once per fixed module:
a name joins an existing `from <module> import ...` of the same module (in its layout, in sorted
position), else a new statement goes into its isort/ruff section (profile black: future, standard
library, third party, first party, local) in sorted position, or opens that section's block.
"""

from __future__ import annotations

from dataclasses import dataclass

import libcst as cst

from celery_fix.constructs.names import build_name_table, dotted_name
from celery_fix.engine.style import CodeStyle
from celery_fix.engine.wrap import black_statement, too_long

_ONE_SPACE = cst.SimpleWhitespace(" ")


@dataclass(frozen=True)
class ImportPlan:
    """Replace `module.body[start:end]` with `statements` (start == end: insert before body[start])."""

    start: int
    end: int
    statements: tuple[cst.BaseStatement, ...]


def ensure_imports(module: cst.Module, needed: list[tuple[str, str]], style: CodeStyle = CodeStyle()) -> cst.Module:
    """`module` with `from <module> import <name>` added for each pair not bound yet. A rule
    checks that `name` is free (or already that object) before it relies on it."""
    plan = plan_imports(module, needed, style)
    if plan is None:
        return module
    body = list(module.body)
    return module.with_changes(body=[*body[: plan.start], *plan.statements, *body[plan.end :]])


def plan_imports(module: cst.Module, needed: list[tuple[str, str]], style: CodeStyle = CodeStyle()) -> ImportPlan | None:
    """None when every needed name is bound to the right object already."""
    table = build_name_table(module)
    missing: list[tuple[str, str]] = []
    for source, name in needed:
        binding = table.bindings.get(name)
        if binding is not None and binding.qualname == f"{source}.{name}" and table.at_run_time(binding):
            continue
        if (source, name) not in missing:
            missing.append((source, name))
    if not missing:
        return None
    body = list(module.body)
    head = _head_length(body)
    items = [_Item(statement, *_classify(statement, style)) for statement in body[:head]]
    original = [item.statement for item in items]
    for source, name in sorted(missing, key=lambda pair: (style.section_of(pair[0]), _module_key(pair[0]), pair[1])):
        if not style.force_single_line and _merge(items, source, name, style):
            continue
        _insert(items, source, name, style, docstring=bool(body) and _is_docstring(body[0]))
    _space_code_after(items)
    new = [item.statement for item in items]
    # the plan covers only what changed
    prefix = 0
    while prefix < min(len(new), len(original)) and new[prefix] is original[prefix]:
        prefix += 1
    suffix = 0
    while suffix < min(len(new), len(original)) - prefix and new[-1 - suffix] is original[-1 - suffix]:
        suffix += 1
    return ImportPlan(prefix, len(original) - suffix, tuple(new[prefix : len(new) - suffix]))


# -- the module's head: docstring, import blocks, `if TYPE_CHECKING:` blocks between them -------------
@dataclass
class _Item:
    statement: cst.BaseStatement
    section: int | None  # None: not an import
    key: tuple = ()
    added: bool = False


def _head_length(body) -> int:
    """The statements up to and including the first one after the leading imports (that one
    may need blank lines before it)."""
    index = 1 if body and _is_docstring(body[0]) else 0
    while index < len(body) and (_is_import(body[index]) or _is_type_checking(body[index])):
        index += 1
    return min(index + 1, len(body))


def _classify(statement: cst.BaseStatement, style: CodeStyle) -> tuple[int | None, tuple]:
    if not _is_import(statement):
        return None, ()
    node = statement.body[0]
    if isinstance(node, cst.Import):
        module = dotted_name(node.names[0].name) or ""
        return style.section_of(module), _import_key(module)
    module = dotted_name(node.module) if node.module is not None else ""
    level = len(node.relative)
    first = "" if isinstance(node.names, cst.ImportStar) else (dotted_name(node.names[0].name) or "")
    return style.section_of(module or "", level), _from_key(module or "", first, level)


def _module_key(module: str) -> tuple:
    return (module.lower(), module)


def _import_key(module: str) -> tuple:
    # within a section `import x` lines come before `from x import y` lines (isort's default)
    return (0, 0, *_module_key(module))


def _from_key(module: str, first_name: str, level: int = 0) -> tuple:
    return (1, -level, *_module_key(module), _member_key(first_name))


def _member_key(name: str) -> tuple:
    # order-by-type, as ruff and isort: CONSTANTS, then Classes, then the rest; case-insensitively
    if len(name) > 1 and name.isupper():
        kind = 0
    elif name[:1].isupper():
        kind = 1
    else:
        kind = 2
    return (kind, name.lower(), name)


# -- joining an existing from-import ---------------------------------------------------------------
def _merge(items: list[_Item], source: str, name: str, style: CodeStyle) -> bool:
    for item in items:
        node = item.statement.body[0] if item.section is not None else None
        if (
            isinstance(node, cst.ImportFrom)
            and len(item.statement.body) == 1
            and not node.relative
            and node.module is not None
            and dotted_name(node.module) == source
            and not isinstance(node.names, cst.ImportStar)
            and not any(alias.asname for alias in node.names)  # sorters keep `as` imports apart
        ):
            merged = item.statement.with_changes(body=[node.with_changes(**_names_with(node, name))])
            item.statement = _fitted(merged, style)
            return True
    return False


def _names_with(node: cst.ImportFrom, name: str) -> dict:
    names = list(node.names)
    key = _member_key(name)
    position = next((i for i, alias in enumerate(names) if _member_key(dotted_name(alias.name) or "") > key), len(names))
    separator = next((alias.comma for alias in names[:-1] if isinstance(alias.comma, cst.Comma)), None)
    if separator is None:
        opening = node.lpar.whitespace_after if node.lpar else None
        separator = cst.Comma(whitespace_after=opening if isinstance(opening, cst.ParenthesizedWhitespace) else _ONE_SPACE)
    separator = _without_comment(separator)
    alias = cst.ImportAlias(name=cst.Name(name))
    if position < len(names):
        names.insert(position, alias.with_changes(comma=separator))
        return {"names": names}
    last = names[-1]
    closing = last.comma
    if isinstance(closing, cst.Comma) and isinstance(closing.whitespace_after, cst.ParenthesizedWhitespace):
        # exploded, trailing comma: the last line keeps its comment, the new name closes the list
        between = separator.whitespace_after
        kept = closing.whitespace_after
        if isinstance(between, cst.ParenthesizedWhitespace):
            kept = kept.with_changes(indent=between.indent, last_line=between.last_line)
        names[-1] = last.with_changes(comma=closing.with_changes(whitespace_after=kept))
        names.append(alias.with_changes(comma=_without_comment(closing)))
    else:
        names[-1] = last.with_changes(comma=separator)
        names.append(alias.with_changes(comma=closing))
    changes: dict = {"names": names}
    if node.lpar is None and len(names) > 1:
        changes["lpar"], changes["rpar"] = None, None
    return changes


def _without_comment(comma: cst.Comma) -> cst.Comma:
    after = comma.whitespace_after
    if isinstance(after, cst.ParenthesizedWhitespace):
        return comma.with_changes(whitespace_after=after.with_changes(first_line=cst.TrailingWhitespace(), empty_lines=()))
    return comma


def _fitted(statement: cst.SimpleStatementLine, style: CodeStyle) -> cst.SimpleStatementLine:
    """A merged import that no longer fits the line length, wrapped as black wraps it."""
    bare = statement.with_changes(leading_lines=())
    code = cst.Module(body=[bare]).code
    if not too_long(code, style.line_length):
        return statement
    line = black_statement(code, style.line_length)
    return statement if line is None else line.with_changes(leading_lines=statement.leading_lines)


# -- a new statement in its section ------------------------------------------------------------------
def _insert(items: list[_Item], source: str, name: str, style: CodeStyle, docstring: bool) -> None:
    section = style.section_of(source)
    key = _from_key(source, name)
    statement = cst.SimpleStatementLine(
        body=[cst.ImportFrom(module=cst.parse_expression(source), names=[cst.ImportAlias(name=cst.Name(name))])]
    )
    imports = [i for i, item in enumerate(items) if item.section is not None]
    same = [i for i in imports if items[i].section == section]
    if same:
        block = _block_of(items, same[0])
        same = [i for i in same if i in block]
        later = next((i for i in same if items[i].key > key), None)
        if later is not None:
            _put_before(items, later, _Item(statement, section, key, True), new_block=False)
        else:
            items.insert(same[-1] + 1, _Item(statement, section, key, True))
        return
    if imports:
        earlier = [i for i in imports if items[i].section < section]
        if earlier:
            blank = cst.EmptyLine()
            items.insert(earlier[-1] + 1, _Item(statement.with_changes(leading_lines=[blank]), section, key, True))
        else:
            _put_before(items, imports[0], _Item(statement, section, key, True), new_block=True)
        return
    # no imports yet: after the docstring (one blank line), or at the top
    position = 1 if docstring else 0
    leading = [cst.EmptyLine()] if docstring else []
    if position < len(items):
        _put_before(items, position, _Item(statement, section, key, True), new_block=False)
        if docstring:
            items[position].statement = items[position].statement.with_changes(leading_lines=leading)
    else:
        items.append(_Item(statement.with_changes(leading_lines=leading), section, key, True))


def _block_of(items: list[_Item], index: int) -> set[int]:
    """The imports of the block (no blank line, no other statement between them) holding items[index]."""
    start = index
    while start > 0 and items[start - 1].section is not None and not _starts_block(items[start]):
        start -= 1
    end = index
    while end + 1 < len(items) and items[end + 1].section is not None and not _starts_block(items[end + 1]):
        end += 1
    return set(range(start, end + 1))


def _starts_block(item: _Item) -> bool:
    return any(line.comment is None for line in item.statement.leading_lines)


def _put_before(items: list[_Item], index: int, new: _Item, new_block: bool) -> None:
    """Insert `new` before items[index]: it takes over the blank lines above that statement (the
    comments right above it stay with it); with `new_block`, a blank line then separates them."""
    anchor = items[index].statement
    lines = list(anchor.leading_lines)
    cut = max((i + 1 for i, line in enumerate(lines) if line.comment is None), default=0)
    new.statement = new.statement.with_changes(leading_lines=lines[:cut])
    rest = ([cst.EmptyLine()] if new_block else []) + lines[cut:]
    items[index].statement = anchor.with_changes(leading_lines=rest)
    items.insert(index, new)


def _space_code_after(items: list[_Item]) -> None:
    """Code right after new imports gets the blank lines PEP 8 and black ask for."""
    for index in range(1, len(items)):
        item, before = items[index], items[index - 1]
        if item.section is not None or not before.added:
            continue
        lines = item.statement.leading_lines
        if lines and lines[0].comment is None:
            continue
        if _is_docstring(item.statement) or _is_type_checking(item.statement):
            continue
        count = 2 if isinstance(item.statement, (cst.FunctionDef, cst.ClassDef)) else 1
        item.statement = item.statement.with_changes(leading_lines=[*[cst.EmptyLine()] * count, *lines])


def _is_import(statement: cst.CSTNode) -> bool:
    return isinstance(statement, cst.SimpleStatementLine) and all(
        isinstance(s, (cst.Import, cst.ImportFrom)) for s in statement.body
    )


def _is_type_checking(statement: cst.CSTNode) -> bool:
    """`if TYPE_CHECKING:` (or `typing.TYPE_CHECKING`): imports the code never runs, so new ones
    do not go there, but the import blocks may continue after it."""
    return isinstance(statement, cst.If) and (dotted_name(statement.test) or "").split(".")[-1] == "TYPE_CHECKING"


def _is_docstring(statement: cst.CSTNode) -> bool:
    return (
        isinstance(statement, cst.SimpleStatementLine)
        and len(statement.body) == 1
        and isinstance(statement.body[0], cst.Expr)
        and isinstance(statement.body[0].value, (cst.SimpleString, cst.ConcatenatedString))
    )
