"""Give beat entries an expiry (the CEL801 fix): `"options": {"expires": N}` in the entry (merged
into an existing `options`), `expires=N` for `add_periodic_task(...)`; `expire_seconds` instead of
`expires` for django-celery-beat's DatabaseScheduler, which drops `expires` from settings entries.

N is written in seconds (`60 * 60`): Celery raises TypeError on a `timedelta` here.
"""

from __future__ import annotations

import libcst as cst

from celery_fix.codemods._lazy import lazy_command
from celery_fix.constructs.beat import BeatEntry, expires_seconds, module_entries, seconds_source
from celery_fix.syntax.edit import append_kwargs, keyword_arg
from celery_fix.constructs.names import NameTable, build_name_table

DEFAULT_EXPIRES = 3600
EXPIRES, EXPIRE_SECONDS = "expires", "expire_seconds"


def plan_expiry(entry: BeatEntry) -> bool:
    """Whether the entry is written so that the fix can edit it in place."""
    if entry.form not in ("dict", "dict_call", "add_periodic_task"):
        return False
    if entry.options_unknown or entry.fields_unknown or entry.dynamic:
        return False
    if entry.options_node is not None and not (entry.options_editable and _is_mapping(entry.options_node)):
        return False
    return True


def add_expiry(entry: BeatEntry, seconds: int, key: str = EXPIRES) -> cst.CSTNode:
    """The replacement of `entry.report_node` with the expiry added."""
    value = cst.parse_expression(seconds_source(seconds))
    if entry.form == "add_periodic_task":
        return append_kwargs(entry.entry, [keyword_arg(key, value)])
    new_entry = _with_expiry(entry, key, value)
    return _replace_value(entry.report_node, new_entry)


def rename_key(entry: BeatEntry, old: str, new: str) -> cst.CSTNode | None:
    """`entry` with its option `old` renamed to `new` (`expires` -> `expire_seconds`)."""
    if entry.form == "add_periodic_task":
        call = entry.entry
        if not any(arg.keyword is not None and arg.keyword.value == old for arg in call.args):
            return None
        args = [arg.with_changes(keyword=cst.Name(new)) if arg.keyword is not None and arg.keyword.value == old else arg
                for arg in call.args]
        return call.with_changes(args=args)
    options = entry.options_node
    if options is None or not entry.options_editable or not _is_mapping(options):
        return None
    renamed = _rename_in_mapping(options, old, new)
    new_entry = _replace_field(entry.entry, "options", renamed)
    return _replace_value(entry.report_node, new_entry)


# -- building blocks -------------------------------------------------------------------------
def _is_mapping(node: cst.BaseExpression) -> bool:
    if isinstance(node, cst.Dict):
        return all(isinstance(e, cst.DictElement) for e in node.elements)
    return (isinstance(node, cst.Call) and isinstance(node.func, cst.Name) and node.func.value == "dict"
            and all(arg.keyword is not None for arg in node.args))


def _with_expiry(entry: BeatEntry, key: str, value: cst.BaseExpression) -> cst.BaseExpression:
    mapping = entry.entry
    quote = _quote_of(mapping)
    if entry.options_node is None:
        options = cst.Dict([cst.DictElement(_key(key, quote), value)])
        return add_item(mapping, "options", options, quote)
    return _replace_field(mapping, "options", add_item(entry.options_node, key, value, quote))


def add_item(mapping: cst.BaseExpression, key: str, value: cst.BaseExpression, quote: str = '"') -> cst.BaseExpression:
    """`{...}` / `dict(...)` with `key: value` appended in the mapping's own layout."""
    if isinstance(mapping, cst.Call):
        return append_kwargs(mapping, [keyword_arg(key, value)])
    assert isinstance(mapping, cst.Dict)
    return append_dict_element(mapping, cst.DictElement(_key(key, quote), value))


def append_dict_element(node: cst.Dict, element: cst.DictElement) -> cst.Dict:
    """Append to a dict literal keeping its layout: a one-line dict stays on one line, an exploded
    dict gets the new item on its own line with the same indent and keeps (or not) its trailing
    comma; a comment after the old last item stays with it."""
    elements = list(node.elements)
    if not elements:
        return node.with_changes(elements=[element])
    last = elements[-1]
    had_comma = isinstance(last.comma, cst.Comma)
    closing = node.rbrace.whitespace_before
    between = _between(node)
    if isinstance(closing, cst.ParenthesizedWhitespace):
        # exploded: the newline (and a comment after the last item) before `}` lives in the brace
        if isinstance(between, cst.ParenthesizedWhitespace):
            kept = closing.with_changes(indent=between.indent, last_line=between.last_line)
        else:
            kept = closing.with_changes(last_line=cst.SimpleWhitespace("    "))
        elements[-1] = last.with_changes(comma=cst.Comma(whitespace_after=kept))
        new_comma = last.comma if had_comma else cst.MaybeSentinel.DEFAULT
        elements.append(element.with_changes(comma=new_comma))
        fresh = closing.with_changes(first_line=cst.TrailingWhitespace(), empty_lines=())
        return node.with_changes(elements=elements, rbrace=node.rbrace.with_changes(whitespace_before=fresh))
    if isinstance(between, cst.ParenthesizedWhitespace):  # hanging layout: `{"a": 1,\n "b": 2}`
        elements[-1] = last.with_changes(comma=cst.Comma(whitespace_after=between))
        elements.append(element.with_changes(comma=last.comma if had_comma else cst.MaybeSentinel.DEFAULT))
        return node.with_changes(elements=elements)
    elements[-1] = last.with_changes(comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" ")))
    elements.append(element.with_changes(comma=last.comma if had_comma else cst.MaybeSentinel.DEFAULT))
    return node.with_changes(elements=elements)


def _between(node: cst.Dict):
    elements = node.elements
    if len(elements) >= 2 and isinstance(elements[-2].comma, cst.Comma):
        ws = elements[-2].comma.whitespace_after
        if isinstance(ws, cst.ParenthesizedWhitespace):
            return ws.with_changes(first_line=cst.TrailingWhitespace(), empty_lines=())
    opening = node.lbrace.whitespace_after
    if isinstance(opening, cst.ParenthesizedWhitespace):
        return opening.with_changes(first_line=cst.TrailingWhitespace(), empty_lines=())
    return cst.SimpleWhitespace(" ")


def _replace_field(mapping: cst.BaseExpression, key: str, value: cst.BaseExpression) -> cst.BaseExpression:
    if isinstance(mapping, cst.Call):
        args = [arg.with_changes(value=value) if arg.keyword is not None and arg.keyword.value == key else arg
                for arg in mapping.args]
        return mapping.with_changes(args=args)
    elements = [
        e.with_changes(value=value) if isinstance(e, cst.DictElement) and _key_text(e.key) == key else e
        for e in mapping.elements
    ]
    return mapping.with_changes(elements=elements)


def _rename_in_mapping(mapping: cst.BaseExpression, old: str, new: str) -> cst.BaseExpression:
    if isinstance(mapping, cst.Call):
        return mapping.with_changes(args=[
            arg.with_changes(keyword=cst.Name(new)) if arg.keyword is not None and arg.keyword.value == old else arg
            for arg in mapping.args
        ])
    quote = _quote_of(mapping)
    return mapping.with_changes(elements=[
        e.with_changes(key=_key(new, quote)) if isinstance(e, cst.DictElement) and _key_text(e.key) == old else e
        for e in mapping.elements
    ])


def _replace_value(report_node: cst.CSTNode, value: cst.BaseExpression) -> cst.CSTNode:
    # DictElement (`"name": {...}`), Arg (`update(name={...})`), Assign / AnnAssign (`X["name"] = {...}`)
    return report_node.with_changes(value=value)


def _key_text(expr: cst.BaseExpression) -> str | None:
    if isinstance(expr, cst.SimpleString):
        value = expr.evaluated_value
        return value if isinstance(value, str) else None
    return None


def _quote_of(mapping: cst.BaseExpression) -> str:
    if isinstance(mapping, cst.Dict):
        for element in mapping.elements:
            if isinstance(element, cst.DictElement) and isinstance(element.key, cst.SimpleString):
                return element.key.quote[0] if element.key.quote in ('"', "'") else '"'
    return '"'


def _key(name: str, quote: str) -> cst.SimpleString:
    return cst.SimpleString(f"{quote}{name}{quote}")


def _build_command():
    import argparse

    from libcst.codemod import CodemodContext, VisitorBasedCodemodCommand

    class BeatExpiresCommand(VisitorBasedCodemodCommand):
        DESCRIPTION = 'Add "options": {"expires": N} to Celery beat entries that have no expiry.'

        @staticmethod
        def add_args(arg_parser: argparse.ArgumentParser) -> None:
            arg_parser.add_argument("--default-expires", dest="default_expires", type=int, default=DEFAULT_EXPIRES)
            arg_parser.add_argument(
                "--database-scheduler", dest="database", action="store_true",
                help="write expire_seconds (django-celery-beat's DatabaseScheduler) instead of expires",
            )

        def __init__(self, context: CodemodContext, default_expires: int = DEFAULT_EXPIRES, database: bool = False) -> None:
            super().__init__(context)
            self.default_expires = default_expires
            self.key = EXPIRE_SECONDS if database else EXPIRES
            self.replacements: dict[int, cst.CSTNode] = {}

        def visit_Module(self, node: cst.Module) -> bool:
            names: NameTable = build_name_table(node, self.context.full_module_name or "")
            self.replacements = {}
            for entry in module_entries(node, names):
                if entry.has_expiry or not plan_expiry(entry):
                    continue
                seconds = expires_seconds(entry, self.default_expires)
                if seconds is not None:
                    self.replacements[id(entry.report_node)] = add_expiry(entry, seconds, self.key)
            return True

        def on_visit(self, node: cst.CSTNode) -> bool:
            if id(node) in self.replacements:
                return False
            return super().on_visit(node)

        def on_leave(self, original_node, updated_node):
            replacement = self.replacements.get(id(original_node))
            if replacement is not None:
                return replacement
            return super().on_leave(original_node, updated_node)

    return BeatExpiresCommand


__getattr__, __dir__ = lazy_command(globals(), "BeatExpiresCommand", _build_command)
