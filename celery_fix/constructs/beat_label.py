"""How a message names a beat entry: by its key in backticks, as every message quotes names."""

from __future__ import annotations

from typing import Any


def entry_label(entry: Any) -> str:
    return f"beat entry `{entry.name}`" if entry.name else "beat entry"
