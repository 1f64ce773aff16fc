"""Switch a pickle serializer setting to JSON (the CEL603 fix): `"pickle"` becomes `"json"`, and
`pickle` leaves an `accept_content` list (replaced by `json` when `json` is not there yet)."""

from __future__ import annotations

import libcst as cst

PICKLE = frozenset({"pickle", "application/x-python-serialize"})


def quoted_like(node: cst.SimpleString, text: str) -> cst.SimpleString:
    """A string literal with the same prefix and quote as `node`."""
    quote = node.quote
    return cst.SimpleString(f"{node.prefix}{quote}{text}{quote}")


def string_of(node: cst.BaseExpression) -> str | None:
    if isinstance(node, cst.SimpleString):
        try:
            value = node.evaluated_value
        except (SyntaxError, ValueError):
            return None
        return value if isinstance(value, str) else None
    return None


def json_instead(node: cst.SimpleString) -> cst.SimpleString:
    return quoted_like(node, "json")


def drop_pickle(container: cst.List | cst.Tuple | cst.Set) -> cst.BaseExpression | None:
    """The sequence without its pickle entries (one becomes `"json"` when no entry is json);
    None when an entry is not a plain string (we cannot tell what it is)."""
    values = [string_of(e.value) if isinstance(e, cst.Element) else None for e in container.elements]
    if any(v is None for v in values):
        return None
    has_json = any(v in ("json", "application/json") for v in values)
    elements = list(container.elements)
    kept: list[cst.BaseElement] = []
    for element, value in zip(elements, values):
        if value in PICKLE:
            if not has_json:
                kept.append(element.with_changes(value=json_instead(element.value)))
                has_json = True
            continue
        kept.append(element)
    if kept and len(kept) < len(elements):
        # the last kept element takes the removed last element's comma (trailing comma or none)
        last_comma = elements[-1].comma
        kept[-1] = kept[-1].with_changes(comma=last_comma)
    if isinstance(container, cst.Tuple) and len(kept) == 1 and not isinstance(kept[0].comma, cst.Comma):
        kept[0] = kept[0].with_changes(comma=cst.Comma())
    return container.with_changes(elements=kept)
