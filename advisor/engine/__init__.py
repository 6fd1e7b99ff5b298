"""The decision engine: pure Python, no Django. `recommend(answers)` is the entry point."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import cache
from pathlib import Path
from typing import Any

from .answers import FIELDS, FIELDS_BY_NAME, STEPS, AnswersError, defaults, json_schema, normalise
from .concerns import CONCERNS, CONCERNS_BY_NAME
from .evaluate import SCHEMA, Engine, Result
from .knowledge import KnowledgeError
from .rules import RuleError

__all__ = [
    "CONCERNS",
    "CONCERNS_BY_NAME",
    "FIELDS",
    "FIELDS_BY_NAME",
    "SCHEMA",
    "STEPS",
    "AnswersError",
    "Engine",
    "KnowledgeError",
    "Result",
    "RuleError",
    "default_engine",
    "defaults",
    "json_schema",
    "normalise",
    "recommend",
    "use_rule_packs",
]


_rule_packs: tuple[Path, ...] = ()


def use_rule_packs(paths: Iterable[str | Path]) -> None:
    """Load these team rule files after the built-in catalog from now on."""
    global _rule_packs
    _rule_packs = tuple(Path(path) for path in paths)
    default_engine.cache_clear()


@cache
def default_engine() -> Engine:
    """The built-in catalog and any team rule packs, loaded and validated once per process."""
    return Engine.load(extra_rule_files=_rule_packs)


def recommend(
    answers: Mapping[str, Any], *, explore: bool = True, budget_search: bool = True
) -> Result:
    """Answers in, recommendation out (contract version 1)."""
    return default_engine().recommend(answers, explore=explore, budget_search=budget_search)
