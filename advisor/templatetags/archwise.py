"""Presentation helpers for the pages: money, budget verdicts, facts and decision extras."""

from __future__ import annotations

import json
from typing import Any

from django import template

from .. import compare
from ..engine import CONCERNS_BY_NAME, FIELDS_BY_NAME, default_engine
from ..engine.describe import short_name, value_words
from ..engine.knowledge import Fact

register = template.Library()


@register.filter
def usd(value: Any) -> str:
    """A dollar amount in whole dollars: 1234.5 -> $1,235."""
    try:
        return f"${float(value):,.0f}"
    except (TypeError, ValueError):
        return "—"


@register.simple_tag
def usd_range(low: Any, high: Any) -> str:
    """$716-$723 with an en dash, or one figure when both ends round the same."""
    first, last = usd(low), usd(high)
    return first if first == last else f"{first}\N{EN DASH}{last}"


@register.simple_tag
def usd_estimate(money: dict[str, Any]) -> str:
    """The expected figure with its range ("$392 ($388-$395)"); a range alone in older snapshots."""
    if "expected" not in money:
        return usd_range(money.get("low"), money.get("high"))
    spread = usd_range(money["low"], money["high"])
    point = usd(money["expected"])
    return point if spread == point else f"{point} ({spread})"


@register.simple_tag
def budget_verdict(cost: dict[str, Any]) -> dict[str, str]:
    """How the estimate compares with the budget, in words, with a tone for the styling."""
    budget = cost.get("budget_usd")
    if budget is None:
        return {"tone": "neutral", "text": "No fixed budget"}
    money = cost["monthly_usd"]
    point, high = money.get("expected", money["low"]), money["high"]
    if high <= budget:
        return {"tone": "good", "text": f"Within the {usd(budget)} budget"}
    if point > budget:
        return {"tone": "bad", "text": f"Over the {usd(budget)} budget"}
    return {"tone": "warn", "text": f"May exceed the {usd(budget)} budget"}


@register.simple_tag
def option_changes(changes: dict[str, Any], answers: dict[str, Any]) -> list[str]:
    """A budget option's answer changes, each as "Pricing: on-demand → reserved for 3 years"."""
    return [
        f"{short_name(name)[:1].upper()}{short_name(name)[1:]}: "
        f"{value_words(name, answers.get(name))} \N{RIGHTWARDS ARROW} {value_words(name, value)}"
        for name, value in changes.items()
        if name in FIELDS_BY_NAME
    ]


@register.filter
def as_json(value: Any) -> str:
    return json.dumps(value, separators=(",", ":"))


VERDICT_BADGES = {
    "wrong": "Notes were wrong",
    "outdated": "Notes outdated",
    "imprecise": "Notes imprecise",
}


def _entry(fact_id: str, repeat: bool = False) -> dict[str, Any]:
    found: Fact | None = default_engine().facts.get(fact_id)
    return {
        "id": fact_id,
        "fact": found,
        "repeat": repeat,
        "badge": VERDICT_BADGES.get(found.verdict, "") if found else "",
    }


@register.filter
def facts_of(fact_ids: list[str]) -> list[dict[str, Any]]:
    """Facts of the knowledge base by id (fact is None where one has since been removed)."""
    return [_entry(fact_id) for fact_id in fact_ids or ()]


@register.filter
def cited(rationale: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """A decision's reasons with their facts; a fact cited again is marked as a repeat."""
    seen: set[str] = set()
    reasons = []
    for reason in rationale or ():
        entries = []
        for fact_id in reason.get("facts", ()):
            entries.append(_entry(fact_id, repeat=fact_id in seen))
            seen.add(fact_id)
        reasons.append(
            {"rule": reason.get("rule", ""), "text": reason.get("text", ""), "facts": entries}
        )
    return reasons


@register.filter
def is_rule(rule_id: str) -> bool:
    """Whether a rationale names a rule of today's catalog (the rule pages document those)."""
    return any(rule.id == rule_id for rule in default_engine().catalog.rules)


@register.filter
def concern_title(name: str) -> str:
    concern = CONCERNS_BY_NAME.get(name)
    return concern.title if concern else str(name).replace("_", " ")


@register.filter
def plain(text: str) -> str:
    """The classic notes are Markdown; quote them without the emphasis markers."""
    return " ".join(str(text).replace("**", "").split())


@register.filter
def extras(decision: dict[str, Any], concern: Any) -> tuple[tuple[str, str], ...]:
    """The extra keys of a decision (instance class, replica count...) as label and value."""
    return compare.extras(concern.name, decision)
