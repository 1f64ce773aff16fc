"""Plain data to JSON and back, for the result cache: loading an entry can build nothing but plain
values and our own result dataclasses, never run code (pickle would run whatever a planted entry
says). Every value is checked against its field's type on the way back; an entry that does not fit
is an error (`PlainError`), which the cache treats as a miss.

Encoding: JSON null/bools/numbers/strings/arrays are themselves (arrays are lists); every object is
tagged by its only key: {"t": [...]} tuple, {"s": [...]} set, {"f": [...]} frozenset, {"b": "..."}
bytes (latin-1), {"d": [[k, v], ...]} dict, {"c": "Name", "v": {...}} one of our dataclasses.
"""

from __future__ import annotations

import dataclasses
import importlib
import json
import types
import typing
from typing import Any

# the only modules whose dataclasses an entry may name; the class must be a dataclass defined there
_MODULES = (
    "celery_fix.engine.model",
    "celery_fix.index.model",
    "celery_fix.index.values",
    "celery_fix.index.facts",
    "celery_fix.index.build",
)


class PlainError(ValueError):
    """Data that is not plain, or an entry that does not decode to what it claims."""


def dumps(value: Any) -> bytes:
    return json.dumps(_encode(value), separators=(",", ":"), allow_nan=True).encode()


def loads(data: bytes, expected: type | None = None) -> Any:
    try:
        value = _decode(json.loads(data))
    except PlainError:
        raise
    except (ValueError, TypeError, KeyError, RecursionError, MemoryError, AttributeError) as exc:
        raise PlainError(f"not a valid entry: {type(exc).__name__}") from None
    if expected is not None and not isinstance(value, expected):
        raise PlainError(f"expected {expected.__name__}, found {type(value).__name__}")
    return value


def _encode(value: Any) -> Any:
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    kind = type(value)
    if kind is list:
        return [_encode(v) for v in value]
    if kind is tuple:
        return {"t": [_encode(v) for v in value]}
    if kind is dict:
        return {"d": [[_encode(k), _encode(v)] for k, v in value.items()]}
    if kind is set:
        return {"s": [_encode(v) for v in value]}
    if kind is frozenset:
        return {"f": [_encode(v) for v in value]}
    if kind is bytes:
        return {"b": value.decode("latin-1")}
    if dataclasses.is_dataclass(value) and kind.__module__ in _MODULES:
        fields = {f.name: _encode(getattr(value, f.name)) for f in _fields(kind)}
        return {"c": kind.__qualname__, "m": kind.__module__, "v": fields}
    raise PlainError(f"cannot store a {kind.__name__}")


# JSON gives exactly these types (never a subclass): a value of one of them is itself
_SCALARS = frozenset({type(None), bool, int, float, str})


def _decode(data: Any) -> Any:
    kind = type(data)
    if kind in _SCALARS:
        return data
    if kind is list:
        return [v if type(v) in _SCALARS else _decode(v) for v in data]
    if kind is not dict:
        raise PlainError("not JSON data")
    if "t" in data:
        return tuple([v if type(v) in _SCALARS else _decode(v) for v in _items(data, "t")])
    if "c" in data:
        return _decode_dataclass(data)
    if "d" in data:
        pairs = _items(data, "d")
        result = {}
        for pair in pairs:
            if type(pair) is not list or len(pair) != 2:
                raise PlainError("bad dict item")
            key, value = pair
            # TypeError (unhashable key): a bad entry
            result[key if type(key) in _SCALARS else _decode(key)] = value if type(value) in _SCALARS else _decode(value)
        return result
    if "s" in data:
        return {_decode(v) for v in _items(data, "s")}
    if "f" in data:
        return frozenset(_decode(v) for v in _items(data, "f"))
    if "b" in data:
        if len(data) != 1 or not isinstance(data["b"], str):
            raise PlainError("bad bytes")
        return data["b"].encode("latin-1")
    raise PlainError("unknown tag")


def _items(data: dict, tag: str) -> list:
    items = data[tag]
    if len(data) != 1 or not isinstance(items, list):
        raise PlainError(f"bad {tag!r} item")
    return items


_OBJECT_KEYS = frozenset({"c", "m", "v"})


def _decode_dataclass(data: dict) -> Any:
    cls = _class(data.get("m"), data.get("c"))
    values = data.get("v")
    if data.keys() != _OBJECT_KEYS or type(values) is not dict:
        raise PlainError("bad object")
    names, checks = _layout(cls)
    if values.keys() != names:
        raise PlainError(f"{cls.__name__}: fields do not match")
    kwargs = {}
    for name, check in checks:
        value = values[name]
        if type(value) not in _SCALARS:
            value = _decode(value)
        if check is not None and not check(value):
            raise PlainError(f"{cls.__name__}.{name}: wrong type")
        kwargs[name] = value
    return cls(**kwargs)


_LAYOUTS: dict[type, tuple] = {}


def _layout(cls: type) -> tuple[frozenset[str], tuple[tuple[str, Any], ...]]:
    """The stored fields' names, and each with its type check, once per class."""
    found = _LAYOUTS.get(cls)
    if found is None:
        fields = _fields(cls)
        found = _LAYOUTS[cls] = (frozenset(f.name for f in fields), tuple(zip((f.name for f in fields), _checks(cls))))
    return found


_CLASSES: dict[tuple[str, str], type] = {}


def _class(module: Any, name: Any) -> type:
    found = _CLASSES.get((module, name)) if type(module) is str and type(name) is str else None
    if found is None:  # (only classes that passed the checks below are in _CLASSES)
        if module not in _MODULES or not isinstance(name, str):
            raise PlainError("not one of ours")
        candidate = getattr(importlib.import_module(module), name, None)  # only our own modules
        if not (isinstance(candidate, type) and dataclasses.is_dataclass(candidate) and candidate.__module__ == module):
            raise PlainError(f"{name}: not a dataclass of {module}")
        found = _CLASSES[(module, name)] = candidate
    return found


_FIELDS: dict[type, tuple] = {}


def _fields(cls: type) -> tuple:
    """The fields an entry holds: those set through __init__, less the private ones (derived in
    __post_init__, like ProjectIndex's lookup tables)."""
    found = _FIELDS.get(cls)
    if found is None:
        found = _FIELDS[cls] = tuple(f for f in dataclasses.fields(cls) if f.init and not f.name.startswith("_"))
    return found


_CHECKS: dict[type, tuple] = {}


def _checks(cls: type) -> tuple:
    """One type check per stored field of `cls` (None: any value), built once per class."""
    found = _CHECKS.get(cls)
    if found is None:
        hints = typing.get_type_hints(cls)
        found = _CHECKS[cls] = tuple(_checker(hints.get(f.name, Any)) for f in _fields(cls))
    return found


_CHECKERS: dict[Any, Any] = {}


def _checker(hint: Any):
    """A function telling whether a value fits `hint` (None: any value fits). Decoding checks
    every field of every entry, so each hint is turned into its test once, not read per value."""
    try:
        return _CHECKERS[hint]
    except KeyError:
        pass
    except TypeError:  # an unhashable hint: build it each time
        return _build_checker(hint)
    found = _CHECKERS[hint] = _build_checker(hint)
    return found


def _build_checker(hint: Any):
    if hint is Any:
        return None
    origin = typing.get_origin(hint)
    if origin is typing.Union or origin is types.UnionType:
        options = [_checker(option) for option in typing.get_args(hint)]
        if any(option is None for option in options):
            return None
        others = [option for option, hint_part in zip(options, typing.get_args(hint)) if hint_part is not type(None)]
        if len(others) == 1 and len(options) == 2:  # `X | None`, the common case
            only = others[0]
            return lambda value: value is None or only(value)
        return lambda value: any(option(value) for option in options)
    if hint is None or hint is type(None):
        return lambda value: value is None
    if origin is None:
        if hint is float:
            return lambda value: isinstance(value, (int, float)) and not isinstance(value, bool)
        if not isinstance(hint, type):
            return lambda value: False
        return lambda value: isinstance(value, hint)
    args = typing.get_args(hint)
    if not args:
        return lambda value: isinstance(value, origin)
    if origin is dict:
        key, item = _checker(args[0]) or _anything, _checker(args[1]) or _anything
        return lambda value: isinstance(value, dict) and all(map(key, value)) and all(map(item, value.values()))
    if origin is tuple:
        if len(args) == 2 and args[1] is Ellipsis:
            each = _checker(args[0]) or _anything
            return lambda value: isinstance(value, tuple) and all(map(each, value))
        parts = [_checker(a) or _anything for a in args]
        return lambda value: isinstance(value, tuple) and len(value) == len(parts) and all(
            part(v) for v, part in zip(value, parts)
        )
    if origin in (list, set, frozenset):
        each = _checker(args[0]) or _anything
        return lambda value: isinstance(value, origin) and all(map(each, value))
    return lambda value: isinstance(value, origin)


def _anything(value: Any) -> bool:
    return True
