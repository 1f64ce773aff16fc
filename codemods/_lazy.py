"""A codemod command class built on first use, yet picklable by name.

libcst.codemod costs half a second to import and the engine never needs a command, so each
transformer module builds its command class only when `python -m libcst.tool` (or a test) asks for
it. The class is then published as a module attribute under its own name, with the `__qualname__`
that says so: pickle (libcst's parallel workers) finds it by reference, as a module-level class.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


def lazy_command(module_globals: dict[str, Any], name: str, build: Callable[[], type]):
    """`__getattr__` and `__dir__` for a transformer module whose command `name` comes from `build()`."""

    def __getattr__(attribute: str) -> type:
        if attribute != name:
            raise AttributeError(f"module {module_globals['__name__']!r} has no attribute {attribute!r}")
        command = build()
        command.__qualname__ = name
        command.__module__ = module_globals["__name__"]
        module_globals[name] = command
        return command

    def __dir__() -> list[str]:
        return sorted({*module_globals, name})

    return __getattr__, __dir__
