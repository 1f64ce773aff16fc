"""All rules, and selecting them by code (`CEL202`), area prefix (`CEL2`) or `ALL`.

Selection works on the catalogue (`celery_fix/engine/catalogue.py`, generated from the rule classes):
each rule's code, name, options and prefilter words, without importing the rules. Importing
them loads libcst and Fixit, about half a second, which a run whose results all come from the
cache does not need. `RuleInfo.load()` imports one rule class when it is needed.
"""

from __future__ import annotations

import difflib
import importlib
import pkgutil
import re
from functools import lru_cache

from celery_fix.engine.rule_info import RuleInfo

CODE_PATTERN = re.compile(r"^CEL[1-9]\d{2}$")


class SelectionError(ValueError):
    pass


def all_rule_infos() -> tuple[RuleInfo, ...]:
    from celery_fix.engine.catalogue import RULES

    return RULES


@lru_cache(maxsize=None)
def all_rule_classes() -> tuple[type, ...]:
    """Every rule class, found by importing every module of `celery_fix.rules`."""
    from celery_fix import rules as rules_package
    from celery_fix.ruleset import base as rule_base

    found: dict[str, type] = {}
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


def rule_class(code: str) -> type:
    return next(r for r in all_rule_infos() if r.CODE == code).load()


def fix_kind(rule_cls) -> str:
    return getattr(rule_cls, "FIX_KIND", None) or ("safe" if rule_cls.FIX_TITLE else "lint")


def rule_by_code(code: str) -> type | None:
    code = code.strip().upper()
    info = next((r for r in all_rule_infos() if r.CODE == code or r.NAME == code.lower()), None)
    return info.load() if info is not None else None


def _matching(selector: str) -> list[RuleInfo]:
    selector = selector.strip().upper()
    if selector == "ALL":
        return list(all_rule_infos())
    matched = [r for r in all_rule_infos() if r.CODE.startswith(selector) or r.NAME.upper() == selector]
    if not matched or not selector.startswith("CEL") and len(matched) != 1:
        raise SelectionError(f"unknown rule code or prefix: {selector}{close_code_hint(selector)}")
    return matched


def close_code_hint(selector: str) -> str:
    known = [r.CODE for r in all_rule_infos()] + [r.NAME.upper() for r in all_rule_infos()]
    close = difflib.get_close_matches(selector, known, n=1, cutoff=0.7)
    return f" (did you mean {close[0] if close[0].startswith('CEL') else close[0].lower()}?)" if close else ""


def validate_selectors(selectors: list[str] | tuple[str, ...]) -> None:
    for selector in selectors:
        _matching(selector)


def select_rule_infos(select: list[str] | None, ignore: list[str]) -> list[RuleInfo]:
    """`select` None means the default set (rules enabled by default); explicit selection turns on
    off-by-default rules too. `ignore` is applied last."""
    if select is None:
        chosen = [r for r in all_rule_infos() if r.ENABLED_BY_DEFAULT]
    else:
        chosen = []
        for selector in select:
            chosen += [r for r in _matching(selector) if r not in chosen]
    ignored = {r.CODE for selector in ignore for r in _matching(selector)}
    return [r for r in all_rule_infos() if r in chosen and r.CODE not in ignored]


def select_rules(select: list[str] | None, ignore: list[str]) -> list[type]:
    """The selected rule classes (imports them)."""
    return [info.load() for info in select_rule_infos(select, ignore)]


def parse_codes(text: str | None) -> list[str]:
    return [part.strip() for part in (text or "").split(",") if part.strip()]
