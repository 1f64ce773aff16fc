"""libcst edits that keep the author's formatting: one-line calls stay one line, exploded calls
keep one argument per line and their trailing comma."""

from __future__ import annotations

import libcst as cst

NO_SPACE = cst.SimpleWhitespace("")
ONE_SPACE = cst.SimpleWhitespace(" ")
TIGHT_EQUAL = cst.AssignEqual(whitespace_before=NO_SPACE, whitespace_after=NO_SPACE)


def keyword_arg(name: str, value: cst.BaseExpression) -> cst.Arg:
    # cst.Arg's default AssignEqual renders "x = v"; keyword arguments are written "x=v"
    return cst.Arg(keyword=cst.Name(name), value=value, equal=TIGHT_EQUAL)


def append_kwargs(call: cst.Call, new_args: list[cst.Arg]) -> cst.Call:
    """`call` with `new_args` added after its last argument, in the call's own layout."""
    if not new_args:
        return call
    args = list(call.args)
    if not args:
        return call.with_changes(args=new_args)

    last = args[-1]
    if isinstance(last.whitespace_after_arg, cst.ParenthesizedWhitespace):
        return _append_exploded_without_trailing_comma(call, new_args)
    exploded = isinstance(last.comma, cst.Comma) and isinstance(last.comma.whitespace_after, cst.ParenthesizedWhitespace)
    if not exploded:
        had_trailing_comma = isinstance(last.comma, cst.Comma)
        args[-1] = last.with_changes(comma=cst.Comma(whitespace_after=ONE_SPACE))
        for arg in new_args[:-1]:
            args.append(arg.with_changes(comma=cst.Comma(whitespace_after=ONE_SPACE)))
        closing = last.comma if had_trailing_comma else cst.MaybeSentinel.DEFAULT
        args.append(new_args[-1].with_changes(comma=closing))
        return call.with_changes(args=args)

    # Exploded with a trailing comma: the newline + indent before ")" lives in the last comma.
    closing_ws: cst.ParenthesizedWhitespace = last.comma.whitespace_after
    between = _between_args_whitespace(call, closing_ws)
    # the old last argument keeps its trailing comment, but now continues at argument indent
    kept = closing_ws.with_changes(indent=between.indent, last_line=between.last_line)
    args[-1] = last.with_changes(comma=last.comma.with_changes(whitespace_after=kept))
    for arg in new_args[:-1]:
        args.append(arg.with_changes(comma=cst.Comma(whitespace_after=between)))
    fresh_closing = closing_ws.with_changes(first_line=cst.TrailingWhitespace(), empty_lines=())
    args.append(new_args[-1].with_changes(comma=cst.Comma(whitespace_after=fresh_closing)))
    return call.with_changes(args=args)


def _between_args_whitespace(call: cst.Call, closing: cst.ParenthesizedWhitespace) -> cst.ParenthesizedWhitespace:
    """Whitespace that separates two arguments of an exploded call: newline + argument indent."""
    args = call.args
    if len(args) >= 2 and isinstance(args[-2].comma, cst.Comma):
        ws = args[-2].comma.whitespace_after
        if isinstance(ws, cst.ParenthesizedWhitespace):
            return ws.with_changes(first_line=cst.TrailingWhitespace(), empty_lines=())
    opening = call.whitespace_before_args
    if isinstance(opening, cst.ParenthesizedWhitespace):
        return opening.with_changes(first_line=cst.TrailingWhitespace(), empty_lines=())
    # `f(\n    a,\n)` seen only through the closing whitespace: indent one level deeper than ")"
    return closing.with_changes(
        first_line=cst.TrailingWhitespace(), empty_lines=(), indent=True, last_line=cst.SimpleWhitespace("    ")
    )


def _append_exploded_without_trailing_comma(call: cst.Call, new_args: list[cst.Arg]) -> cst.Call:
    """`f(\n    a,\n    b\n)`: the newline before ")" lives in the last argument's whitespace."""
    args = list(call.args)
    last = args[-1]
    closing_ws: cst.ParenthesizedWhitespace = last.whitespace_after_arg
    between = _between_args_whitespace(call, closing_ws)
    kept = closing_ws.with_changes(indent=between.indent, last_line=between.last_line)
    args[-1] = last.with_changes(comma=cst.Comma(whitespace_after=kept), whitespace_after_arg=NO_SPACE)
    for arg in new_args[:-1]:
        args.append(arg.with_changes(comma=cst.Comma(whitespace_after=between)))
    fresh_closing = closing_ws.with_changes(first_line=cst.TrailingWhitespace(), empty_lines=())
    if len(call.args) == 1:
        # `f(\n    long_argument\n)` is black's shape for one argument; with more, black writes
        # one per line with a trailing comma
        args.append(new_args[-1].with_changes(comma=cst.Comma(whitespace_after=fresh_closing)))
    else:
        args.append(new_args[-1].with_changes(whitespace_after_arg=fresh_closing))
    return call.with_changes(args=args)
