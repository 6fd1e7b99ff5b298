"""The recommendation in one sentence, and the risk a budget the estimate exceeds raises."""

from __future__ import annotations

import re
from typing import Any

from .answers import FIELDS_BY_NAME
from .describe import lower_first

SUMMARY_DR = {
    "backup_restore": "backups copied to a second Region",
    "pilot_light": "a cross-Region replica for disaster recovery",
    "aurora_global_database": "Aurora Global Database",
}
SUMMARY_CACHE = {"memcached": "a Memcached cache", "valkey": "a Valkey cache"}


def budget_risks(
    answers: dict[str, Any], estimate: dict[str, Any], cheapest: float | None
) -> list[dict]:
    """The estimate over the budget as a risk, with what drives the cost and the ways out."""
    budget = answers["monthly_budget_usd"]
    money = estimate["monthly_usd"]
    low, expected, high = money["low"], money["expected"], money["high"]
    if budget is None or high <= budget:
        return []
    drivers = sorted(
        (line for line in estimate["lines"] if line["concern"] != "platform"),
        key=lambda line: -line["expected"],
    )
    named = ", ".join(
        f"{lower_first(re.sub(r' [(][0-9]+[)]$', '', line['item']))} "
        f"(${line['expected']:,.0f}, for "
        f"{line['concern'].replace('_', ' ')})"
        for line in drivers[:3]
        if line["expected"] > 0
    )
    over = expected > budget
    range_words = f" (${low:,.0f}-${high:,.0f})" if low != high else ""
    text = (
        f"The estimate of about ${expected:,.0f} a month{range_words} "
        f"{'exceeds' if over else 'may exceed'} the budget of ${budget:,}. The largest costs "
        f"besides the primary instance: {named or 'none, the primary alone is over'}."
    )
    options = estimate["budget_options"]
    if cheapest is not None and cheapest > budget:
        text += (
            f" No design that keeps every requirement fits: the cheapest costs about "
            f"${cheapest:,.0f} a month."
        )
    if options:
        fitting = sum(o["meets_budget"] for o in options)
        text += (
            f" {len(options)} way{'s' if len(options) > 1 else ''} to cut it "
            f"{'are' if len(options) > 1 else 'is'} listed with the cost"
            + (f", {fitting} within the budget." if fitting else ", none within the budget.")
        )
    elif not over:
        text += " Only the top of the range is over: growth and I/O decide it."
    return [
        {
            "id": "engine.budget",
            "severity": "high" if over else "medium",
            "one_way_door": False,
            "text": text,
            "facts": ["rds.billing", "aurora.cost", "pricing.reserved"],
        }
    ]


def summary(answers: dict[str, Any], decisions: dict[str, Any], estimate: dict[str, Any]) -> str:
    """The recommendation in one sentence, with its expected monthly cost."""
    engine = FIELDS_BY_NAME["engine"].choice_label(answers["engine"])
    platform = decisions["platform"]
    parts = [f"{platform['label']} for {engine} ({platform['instance_class']})"]
    parts.append(decisions["availability"]["label"].split(" (")[0])
    reads = decisions["read_scaling"]
    if reads["count"]:
        noun = "Aurora Replica" if reads["choice"] == "aurora_replicas" else "read replica"
        parts.append(f"{reads['count']} {noun}{'s' if reads['count'] > 1 else ''}")
    parts.append(SUMMARY_DR.get(decisions["disaster_recovery"]["choice"], ""))
    if decisions["connections"]["choice"] == "rds_proxy":
        parts.append("behind RDS Proxy")
    parts.append(SUMMARY_CACHE.get(decisions["cache"]["choice"], ""))
    money = estimate["monthly_usd"]
    listed = ", ".join(part for part in parts if part)
    return f"{listed}; about ${money['expected']:,.0f} a month."
