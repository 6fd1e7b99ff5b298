"""Ways to fit a budget, and what spare budget could buy: each a concrete change to the answers.

Every option is priced by running the engine on the changed answers, so applying an option's
changes gives a recommendation whose expected cost is the option's.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from . import cost

MAX_OPTIONS = 5
# Spare budget worth pointing out: the estimate uses at most this share of it.
HEADROOM_SHARE = 0.6

Change = tuple[dict[str, Any], bool, str]  # changes, keeps every requirement, what it gives up


def _keeping(answers: dict[str, Any], decisions: dict[str, Any], prices: dict[str, Any]):
    """Changes that keep every requirement: a commitment, or the previous class generation."""
    pricing = answers.get("pricing") or "on_demand"
    sizing = cost.size_class(answers, prices)
    # A class the budget forced is kept: a reservation could otherwise afford a bigger one.
    keep = {"instance_class": sizing.klass.name} if sizing.reason == "budget" else {}
    if pricing == "on_demand":
        yield (
            {"pricing": "reserved_1yr", **keep},
            True,
            "a 1-year commitment to this class and Region, paid monthly with nothing upfront",
        )
    if pricing != "reserved_3yr":
        yield (
            {"pricing": "reserved_3yr", **keep},
            True,
            "a 3-year commitment to this class and Region, with part of it paid upfront",
        )
    # An older generation is slower: not a way to keep a performance priority.
    if decisions["platform"]["choice"] == "aurora_serverless_v2":
        return
    if answers["cost_priority"] == "performance":
        return
    klass = sizing.klass
    older = _previous_generation(klass, prices)
    if older is not None:
        yield (
            {"instance_class": older},
            True,
            f"some speed: {older} has the same memory and vCPUs as {klass.name} on the previous "
            "Graviton generation",
        )


def _previous_generation(klass: cost.InstanceClass, prices: dict[str, Any]) -> str | None:
    for family in prices["rds"]["families"]:
        same_kind = family["kind"] == klass.kind and family["processor"] == klass.processor
        if same_kind and family["generation"] == klass.generation - 1:
            name = klass.sibling(family["name"])
            return name if name in cost.instance_classes(prices) else None
    return None


def _relaxing(answers: dict[str, Any], decisions: dict[str, Any], prices: dict[str, Any]):
    """Changes that give up a requirement, each saying which."""
    if decisions["availability"]["choice"] != "single_az" and answers["rto"] != "hours":
        yield (
            {"rto": "hours"},
            False,
            "automatic failover: after an instance or AZ failure the database is down until it "
            "is restored or replaced, which takes hours",
        )
    count = decisions["read_scaling"]["count"]
    if count and answers["read_replicas"]:
        for fewer in sorted({count // 2, 0}):
            if fewer < answers["read_replicas"]:
                lost = answers["read_replicas"] - fewer
                yield (
                    {"read_replicas": fewer},
                    False,
                    f"{lost} read cop{'y' if lost == 1 else 'ies'}: the reads they would carry "
                    "go to the primary",
                )
    if answers["region_dr"] in ("minutes", "seconds"):
        yield (
            {"region_dr": "hours"},
            False,
            "a quick recovery from a Region-wide outage: restoring copied backups in another "
            "Region takes hours",
        )
    if answers["region_dr"] != "none":
        yield ({"region_dr": "none"}, False, "any recovery plan for a Region-wide outage")
    if answers["cross_region_reads"]:
        yield ({"cross_region_reads": False}, False, "low-latency reads in a second Region")
    if answers["restore_window_days"] > 35:
        yield (
            {"restore_window_days": 35},
            False,
            "restores from further back than 35 days",
        )
    if decisions["cache"]["replicas"] and answers["cache_must_survive_node_failure"]:
        yield (
            {"cache_must_survive_node_failure": False},
            False,
            "the cache replica: a node failure empties the cache, and whatever it held is lost",
        )
    sizing = cost.size_class(answers, prices)
    if sizing.reason != "given" and sizing.working_set_gb > 1:
        half = max(1, sizing.working_set_gb // 2)
        yield (
            {"working_set_gb": half},
            False,
            f"memory for half the hot data ({half:,} GB of {sizing.working_set_gb:,}): more "
            "reads go to storage, so busy queries slow down",
        )


def _combined(keeping: list[Change], relaxing: list[Change]) -> Iterator[Change]:
    yield from keeping
    yield from relaxing
    cheapest_terms = [c for c in keeping if "pricing" in c[0]][-1:]
    others = [c for c in keeping if "pricing" not in c[0]]
    base = cheapest_terms + others
    if len(base) > 1:
        yield _merge(base)
    for relax in relaxing:
        if base:
            yield _merge([*base, relax])


def _merge(changes: list[Change]) -> Change:
    merged: dict[str, Any] = {}
    for change, _, _ in changes:
        merged.update(change)
    keeps = all(keep for _, keep, _ in changes)
    return merged, keeps, "; ".join(words for _, _, words in changes)


Pricer = Callable[[dict[str, Any]], dict[str, Any]]


def _priced(answers, changes, price: Pricer, budget) -> dict[str, Any] | None:
    try:
        estimate = price({**answers, **changes})
    except ValueError:  # a change the answers cannot take; never offered
        return None
    money = estimate["monthly_usd"]
    return {
        "changes": changes,
        "monthly_usd": {k: money[k] for k in ("low", "expected", "high")},
        "meets_budget": money["expected"] <= budget,
    }


def options(
    answers: dict[str, Any],
    decisions: dict[str, Any],
    estimate: dict[str, Any],
    prices: dict[str, Any],
    price: Pricer,
) -> tuple[list[dict[str, Any]], float | None]:
    """Up to five ways to fit the budget, and what the cheapest compliant design costs."""
    budget = answers["monthly_budget_usd"]
    current = estimate["monthly_usd"]["expected"]
    if budget is None or current <= budget:
        return [], None
    keeping = list(_keeping(answers, decisions, prices))
    relaxing = list(_relaxing(answers, decisions, prices))
    found: dict[str, dict[str, Any]] = {}
    for changes, keeps, gives_up in _combined(keeping, relaxing):
        key = repr(sorted(changes.items()))
        if key in found:
            continue
        option = _priced(answers, changes, price, budget)
        if option is None or option["monthly_usd"]["expected"] >= current:
            continue
        option["keeps_requirements"] = keeps
        option["gives_up"] = gives_up[0].upper() + gives_up[1:] + "."
        found[key] = option
    # A change that saves nothing beside the others it comes with is not worth giving up.
    kept = [
        option
        for option in found.values()
        if not any(
            other is not option
            and other["changes"].items() < option["changes"].items()
            and other["monthly_usd"]["expected"] <= option["monthly_usd"]["expected"]
            for other in found.values()
        )
    ]
    ranked = sorted(
        kept,
        key=lambda o: (
            not o["meets_budget"],
            not o["keeps_requirements"],
            o["monthly_usd"]["expected"],
        ),
    )
    compliant = [o["monthly_usd"]["expected"] for o in kept if o["keeps_requirements"]]
    cheapest = min([current, *compliant])
    return ranked[:MAX_OPTIONS], cheapest


def _adding(answers: dict[str, Any], decisions: dict[str, Any]) -> Iterator[tuple[dict, str]]:
    if answers["environment"] != "production":
        return
    if decisions["availability"]["choice"] == "single_az":
        yield (
            {"rto": "minutes"},
            "a standby in another AZ with automatic failover in 1-2 minutes (Multi-AZ)",
        )
    if answers["region_dr"] == "none":
        yield (
            {"region_dr": "hours"},
            "backups copied to a second Region, to recover from a Region-wide outage",
        )
    if answers["read_write"] == "read_heavy" and not decisions["read_scaling"]["count"]:
        yield ({"read_replicas": 1}, "a read copy to take reads off the primary")


def headroom(
    answers: dict[str, Any], decisions: dict[str, Any], estimate: dict[str, Any], price: Pricer
) -> list[dict[str, Any]]:
    """What a budget with room to spare could buy that the answers hint at."""
    budget = answers["monthly_budget_usd"]
    if budget is None or estimate["monthly_usd"]["expected"] > budget * HEADROOM_SHARE:
        return []
    found = []
    for changes, adds in _adding(answers, decisions):
        option = _priced(answers, changes, price, budget)
        if option and option["meets_budget"]:
            option["adds"] = adds[0].upper() + adds[1:] + "."
            found.append(option)
    return found
