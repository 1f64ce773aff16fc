"""A stable digest of the ProjectIndex, part of every result-cache key.

pickle is not stable across runs (set order follows string hash randomisation), so the index is
rendered canonically: dataclasses as sorted dicts, sets sorted.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json


def _canonical(value):
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {
            f.name: _canonical(getattr(value, f.name))
            for f in dataclasses.fields(value)
            if not f.name.startswith("_") and f.name not in ("stats", "errors", "digest", "complete")
        }
    if isinstance(value, dict):
        return {str(k): _canonical(v) for k, v in sorted(value.items(), key=lambda kv: repr(kv[0]))}
    if isinstance(value, (set, frozenset)):
        return sorted((_canonical(v) for v in value), key=repr)
    if isinstance(value, (list, tuple)):
        return [_canonical(v) for v in value]
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    return repr(value)


def canonical_json(value) -> str:
    return json.dumps(_canonical(value), sort_keys=True, separators=(",", ":"))


def index_digest(index) -> str:
    if index is None:
        return ""
    text = canonical_json(index)
    return hashlib.blake2b(text.encode(), digest_size=16).hexdigest()
