"""The words every page, export and comparison uses for a recommendation's values.

Money, an answer's label and value, a decision's extra values, the order risks are read in and
how an estimate compares with a budget: each is worded here once.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from advisor.engine import CONCERNS_BY_NAME, FIELDS_BY_NAME
from advisor.engine.concerns import EXTRAS
from advisor.engine.describe import short_name, value_words
from advisor.engine.evaluate import SEVERITY_ORDER

from .snapshot import Cost, Decision, Money, Risk

MISSING = "\N{EM DASH}"


# -- money -----------------------------------------------------------------------------------------


def usd(value: Any) -> str:
    """A dollar amount in whole dollars: 1234.6 -> $1,235."""
    try:
        return f"${float(value):,.0f}"
    except (TypeError, ValueError):
        return MISSING


def usd_range(low: Any, high: Any) -> str:
    """$716-$723 with an en dash, or one figure when both ends round the same."""
    first, last = usd(low), usd(high)
    return first if first == last else f"{first}\N{EN DASH}{last}"


def usd_estimate(money: Money) -> str:
    """The expected figure with its range ("$392 ($388-$395)"); a range alone in older snapshots."""
    spread = usd_range(money.low, money.high)
    if money.expected is None:
        return spread
    point = usd(money.expected)
    return point if spread == point else f"{point} ({spread})"


def signed_usd(value: float) -> str:
    """+$300, minus $45 (with a minus sign) or ±$0, in whole dollars."""
    rounded = round(value)
    if rounded == 0:
        return "\N{PLUS-MINUS SIGN}$0"
    sign = "+" if rounded > 0 else "\N{MINUS SIGN}"
    return f"{sign}${abs(rounded):,}"


def budget_verdict(money: Money, budget: int | None) -> tuple[str, str]:
    """How an estimate compares with the budget: a tone for the styling and the words."""
    if budget is None:
        return "neutral", "No fixed budget"
    if money.high <= budget:
        return "good", f"Within the {usd(budget)} budget"
    if money.point > budget:
        return "bad", f"Over the {usd(budget)} budget"
    return "warn", f"May exceed the {usd(budget)} budget"


def cost_verdict(cost: Cost) -> tuple[str, str]:
    return budget_verdict(cost.monthly_usd, cost.budget_usd)


# -- answers --------------------------------------------------------------------------------------


def answer_label(name: str) -> str:
    field = FIELDS_BY_NAME.get(name)
    return field.label if field else name.replace("_", " ").capitalize()


def answer_value(name: str, value: Any) -> str:
    """An answer's value in the words the pages use ("Yes", "Seconds: …", "$5,000")."""
    field = FIELDS_BY_NAME.get(name)
    if field is None:
        if isinstance(value, list):
            return ", ".join(map(str, value)) or "None"
        return str(value)
    if field.kind == "bool":
        return "Yes" if value else "No"
    if field.kind == "list":
        items = value if isinstance(value, list | tuple) else []
        return ", ".join(field.choice_label(item) for item in items) or "None"
    if value is None:
        words = field.words.none or "not set"
        return words[:1].upper() + words[1:]
    if field.kind == "choice":
        return field.choice_label(value)
    if isinstance(value, int) and not isinstance(value, bool):
        return f"${value:,}" if name == "monthly_budget_usd" else f"{value:,}"
    return str(value)


def choice_name(field_name: str, value: Any) -> str:
    """An answer's choice in short: its label without a parenthetical ("Another engine")."""
    field = FIELDS_BY_NAME.get(field_name)
    label = field.choice_label(value) if field else str(value)
    return label.split(" (")[0] if label != str(value) else str(value)


# -- decisions ------------------------------------------------------------------------------------


def concern_title(name: str) -> str:
    concern = CONCERNS_BY_NAME.get(name)
    return concern.title if concern else str(name).replace("_", " ").capitalize()


def extra_value(key: str, value: Any) -> str:
    """A decision's extra value in words: "db.r7g.large", "2", "1,000 GiB", "7 days"."""
    extra = EXTRAS.get(key)
    if extra and extra.answer:
        return FIELDS_BY_NAME[extra.answer].choice_label(value)
    words = dict(extra.words) if extra else {}
    if value in words:
        return words[value][:1].upper() + words[value][1:]
    if extra is None or not isinstance(value, int) or isinstance(value, bool):
        return str(value)
    if extra.unit == "day":
        return f"{value:,} day{'s' if value != 1 else ''}"
    return f"{value:,} {extra.unit}" if extra.unit else f"{value:,}"


def extras(decision: Decision) -> tuple[tuple[str, str], ...]:
    """A decision's extra values (instance class, read copies...) as label and words; a count
    of copies is left out where the decision chose none."""
    concern = CONCERNS_BY_NAME.get(decision.concern)
    shown = []
    for key in concern.extras if concern else ():
        value = decision.extras.get(key)
        if value is None or EXTRAS[key].in_label:
            continue
        if EXTRAS[key].default == 0 and decision.choice == "none":
            continue
        shown.append((EXTRAS[key].label_for(decision.choice), extra_value(key, value)))
    return tuple(shown)


# -- risks ----------------------------------------------------------------------------------------


def severity_rank(risk: Risk) -> int:
    return SEVERITY_ORDER.get(risk.severity, len(SEVERITY_ORDER))


def most_severe_first(risk: Risk) -> tuple[int, bool]:
    """The order the recommendation page reads risks in: by severity, one-way doors first."""
    return severity_rank(risk), not risk.one_way_door


def top_risks(risks: Iterable[Risk]) -> list[Risk]:
    """What a first screen shows: up to three risks above low severity, most severe first, or
    the one risk first in line when all are low."""
    ordered = sorted(risks, key=most_severe_first)
    return [risk for risk in ordered[:3] if risk.severity != "low"] or ordered[:1]


def doors_first(risk: Risk) -> tuple[bool, int]:
    """The order comparisons and the decision record read risks in: one-way doors, then severity."""
    return not risk.one_way_door, severity_rank(risk)


def changes_words(changes: Mapping[str, Any], answers: Mapping[str, Any]) -> list[str]:
    """Answer changes, each as "Pricing: on-demand → reserved for 3 years"."""
    return [
        f"{short_name(name)[:1].upper()}{short_name(name)[1:]}: "
        f"{value_words(name, answers.get(name))} \N{RIGHTWARDS ARROW} {value_words(name, value)}"
        for name, value in changes.items()
        if name in FIELDS_BY_NAME
    ]
