"""What the catalogue holds of one rule: read without importing the rule."""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class RuleInfo:
    """What the catalogue knows of a rule, under the names the rule class uses."""

    CODE: str
    NAME: str
    module: str
    class_name: str
    ENABLED_BY_DEFAULT: bool = True
    OPTIONS: dict[str, Any] = field(default_factory=dict, hash=False, compare=False)
    TRIGGERS: tuple[bytes, ...] = ()
    FIX_TITLE: str | None = None  # the json/sarif formats print it: known without importing the rule

    def load(self) -> type:
        return getattr(importlib.import_module(self.module), self.class_name)

    @classmethod
    def of(cls, rule_cls: type) -> RuleInfo:
        return cls(
            rule_cls.CODE, rule_cls.NAME, rule_cls.__module__, rule_cls.__name__, rule_cls.ENABLED_BY_DEFAULT,
            dict(rule_cls.OPTIONS), tuple(rule_cls.TRIGGERS), getattr(rule_cls, "FIX_TITLE", None) or None,
        )
