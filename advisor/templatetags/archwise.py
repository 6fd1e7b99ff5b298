"""Presentation helpers for the pages: money, budget verdicts, facts and decision extras."""

from __future__ import annotations

import json
from typing import Any

from django import template

from ..engine import default_engine
from ..engine.knowledge import Fact
from ..reading import Cost, CostLine, Money, Reason, vocabulary

register = template.Library()


register.filter("usd", vocabulary.usd)
register.simple_tag(vocabulary.usd_range, name="usd_range")


@register.simple_tag
def usd_estimate(money: Money | CostLine) -> str:
    """The expected figure with its range ("$392 ($388-$395)"); a range alone in older snapshots."""
    return vocabulary.usd_estimate(money if isinstance(money, Money) else money.monthly)


@register.simple_tag
def budget_verdict(cost: Cost) -> dict[str, str]:
    """How the estimate compares with the budget, in words, with a tone for the styling."""
    tone, text = vocabulary.cost_verdict(cost)
    return {"tone": tone, "text": text}


register.simple_tag(vocabulary.changes_words, name="option_changes")


@register.filter
def as_json(value: Any) -> str:
    return json.dumps(value, separators=(",", ":"))


def _entry(fact_id: str, repeat: bool = False) -> dict[str, Any]:
    found: Fact | None = default_engine().facts.get(fact_id)
    return {"id": fact_id, "fact": found, "repeat": repeat}


@register.filter
def facts_of(fact_ids: list[str]) -> list[dict[str, Any]]:
    """Facts of the knowledge base by id (fact is None where one has since been removed)."""
    return [_entry(fact_id) for fact_id in fact_ids or ()]


@register.filter
def cited(rationale: tuple[Reason, ...]) -> list[dict[str, Any]]:
    """A decision's reasons with their facts; a fact cited again is marked as a repeat."""
    seen: set[str] = set()
    reasons = []
    for reason in rationale:
        entries = []
        for fact_id in reason.facts:
            entries.append(_entry(fact_id, repeat=fact_id in seen))
            seen.add(fact_id)
        reasons.append({"rule": reason.rule, "text": reason.text, "facts": entries})
    return reasons


@register.filter
def is_rule(rule_id: str) -> bool:
    """Whether a rationale names a rule of today's catalog (the rule pages document those)."""
    return any(rule.id == rule_id for rule in default_engine().catalog.rules)


register.filter("concern_title", vocabulary.concern_title)


register.filter("extras", vocabulary.extras)
