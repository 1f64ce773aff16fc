"""All rule classes, and selecting them by code (`CEL202`), area prefix (`CEL2`) or `ALL`."""

from __future__ import annotations

import importlib
import pkgutil
import re
from functools import lru_cache

from celery_fix import rule as rule_base
from celery_fix import rules as rules_package

CODE_PATTERN = re.compile(r"^CEL[1-9]\d{2}$")


class SelectionError(ValueError):
    pass


@lru_cache(maxsize=None)
def all_rule_classes() -> tuple[type[rule_base.CeleryRule], ...]:
    found: dict[str, type[rule_base.CeleryRule]] = {}
    for info in pkgutil.iter_modules(rules_package.__path__):
        module = importlib.import_module(f"{rules_package.__name__}.{info.name}")
        for value in vars(module).values():
            if isinstance(value, type) and issubclass(value, rule_base.CeleryRule) and value.CODE:
                if value.CODE in found and found[value.CODE] is not value:
                    raise RuntimeError(f"rule code {value.CODE} is used twice")
                if not CODE_PATTERN.match(value.CODE):
                    raise RuntimeError(f"rule code {value.CODE!r} is not CEL + three digits (CEL0xx is reserved)")
                found[value.CODE] = value
    return tuple(found[code] for code in sorted(found))


def rule_by_code(code: str) -> type[rule_base.CeleryRule] | None:
    code = code.strip().upper()
    return next((r for r in all_rule_classes() if r.CODE == code or r.NAME == code.lower()), None)


def _matching(selector: str) -> list[type[rule_base.CeleryRule]]:
    selector = selector.strip().upper()
    if selector == "ALL":
        return list(all_rule_classes())
    matched = [r for r in all_rule_classes() if r.CODE.startswith(selector) or r.NAME.upper() == selector]
    if not matched or not selector.startswith("CEL") and len(matched) != 1:
        raise SelectionError(f"unknown rule code or prefix: {selector}")
    return matched


def validate_selectors(selectors: list[str] | tuple[str, ...]) -> None:
    for selector in selectors:
        _matching(selector)


def select_rules(select: list[str] | None, ignore: list[str]) -> list[type[rule_base.CeleryRule]]:
    """`select` None means the default set (rules enabled by default); explicit selection turns on
    off-by-default rules too. `ignore` is applied last."""
    if select is None:
        chosen = [r for r in all_rule_classes() if r.ENABLED_BY_DEFAULT]
    else:
        chosen = []
        for selector in select:
            chosen += [r for r in _matching(selector) if r not in chosen]
    ignored = {r for selector in ignore for r in _matching(selector)}
    return [r for r in all_rule_classes() if r in chosen and r not in ignored]


def parse_codes(text: str | None) -> list[str]:
    return [part.strip() for part in (text or "").split(",") if part.strip()]
