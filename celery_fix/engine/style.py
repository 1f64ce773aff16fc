"""The project's code style the fixes follow: line length and how its import sorter groups imports.

Plain data (it travels to worker processes and into cache keys); `celery_fix.project_style`
reads it from the project's ruff, black, isort and flake8 configuration.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass

# isort / ruff section order (profile black): each section is one block of imports
FUTURE, STDLIB, THIRD_PARTY, FIRST_PARTY, LOCAL = range(5)
_STDLIB = frozenset(sys.stdlib_module_names)


@dataclass(frozen=True)
class CodeStyle:
    line_length: int = 88
    first_party: frozenset[str] = frozenset()  # top-level module names
    third_party: frozenset[str] = frozenset()
    force_single_line: bool = False  # one `from m import name` per name (isort force-single-line)

    def section_of(self, module: str, level: int = 0) -> int:
        if level:
            return LOCAL
        top = module.split(".", 1)[0]
        if top == "__future__":
            return FUTURE
        if top in self.first_party:
            return FIRST_PARTY
        if top in self.third_party:
            return THIRD_PARTY
        return STDLIB if top in _STDLIB else THIRD_PARTY
