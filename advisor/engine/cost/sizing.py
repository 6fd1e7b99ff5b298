"""Instance sizing and prices: the hot data, the class that holds it, what it costs an hour and
a month, the figures rules compare (budget ratio, sizes), and the words that explain the sizing."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from .catalog import COMMERCIAL, GIB_PER_GB, SIZING, InstanceClass, gib, instance_classes


def default_working_set_gb(answers: dict[str, Any]) -> int:
    """Hot data worth keeping in memory when the team does not say: a guess, shown as one.

    About a tenth of a small database, growing with the square root of the size beyond 100 GB
    (the share of data that is hot falls as databases grow); more for read-heavy work, less when
    cost comes first.
    """
    size = answers["data_size_gb"]
    share = {"write_heavy": 0.8, "balanced": 1.0, "read_heavy": 1.5}[answers["read_write"]]
    scale = {"lowest_cost": 0.5, "balanced": 1.0, "performance": 1.5}[answers["cost_priority"]]
    base = size / 10 if size <= 100 else 10 * math.sqrt(size / 100)
    return max(1, math.ceil(base * share * scale))


def working_set_gb(answers: dict[str, Any]) -> int:
    given = answers.get("working_set_gb")
    return default_working_set_gb(answers) if given is None else given


def _families(answers: dict[str, Any], prices: dict[str, Any]) -> list[str]:
    processor = "intel" if answers["engine"] in COMMERCIAL else "graviton"
    newest: dict[str, tuple[int, str]] = {}
    for family in prices["rds"]["families"]:
        if family["processor"] != processor:
            continue
        best = newest.get(family["kind"])
        if best is None or family["generation"] > best[0]:
            newest[family["kind"]] = (family["generation"], family["name"])
    return [name for _, name in newest.values()]


def _fits(klass: InstanceClass, memory_gib: float, vcpu: int | None) -> bool:
    return klass.memory_gib >= memory_gib and (vcpu is None or klass.vcpu >= vcpu)


def _smallest(ladder: list[InstanceClass], memory_gib: float, vcpu: int | None) -> InstanceClass:
    fitting = [c for c in ladder if _fits(c, memory_gib, vcpu)]
    if fitting:
        return min(fitting, key=lambda c: (c.usd_per_hour, -c.memory_gib))
    return max(ladder, key=lambda c: (c.memory_gib, c.vcpu))


@dataclass(frozen=True)
class Sizing:
    """The class the design runs on and how it was chosen."""

    klass: InstanceClass
    working_set_gb: int
    working_set_given: bool
    # "fit": the cheapest current class with memory (and vCPU) for the load; "given": the
    # instance_class answer; "budget": production on a burstable class the budget forced.
    reason: str


# The answers sizing reads; a size is worked out once per distinct set of them.
SIZE_READS = (
    "engine",
    "license_model",
    "environment",
    "monthly_budget_usd",
    "data_size_gb",
    "read_write",
    "cost_priority",
    *SIZING,
)
_SIZED: dict[tuple[Any, ...], tuple[dict[str, Any], Sizing]] = {}


def size_class(answers: dict[str, Any], prices: dict[str, Any]) -> Sizing:
    """The cheapest current-generation class with memory for the working set and the vCPU asked.

    Burstable (T) classes are for development and test (classes.burstable): production gets one
    only when the budget cannot pay for the smallest class of any other kind.
    """
    key = (id(prices), *(answers.get(name) for name in SIZE_READS))
    held = _SIZED.get(key)
    if held is None or held[0] is not prices:
        if len(_SIZED) > 4096:
            _SIZED.clear()
        held = _SIZED[key] = (prices, _size_class(answers, prices))
    return held[1]


def _size_class(answers: dict[str, Any], prices: dict[str, Any]) -> Sizing:
    classes = instance_classes(prices)
    ws = working_set_gb(answers)
    given = answers.get("working_set_gb") is not None
    if answers.get("instance_class"):
        return Sizing(classes[answers["instance_class"]], ws, given, "given")
    families = _families(answers, prices)
    ladder = [c for c in classes.values() if c.family in families]
    steady = [c for c in ladder if not c.burstable]
    memory = ws * GIB_PER_GB
    vcpu = answers.get("peak_vcpu")
    if answers["environment"] == "non_production":
        return Sizing(_smallest(ladder, memory, vcpu), ws, given, "fit")
    budget = answers["monthly_budget_usd"]
    cheapest = min(steady, key=lambda c: c.usd_per_hour)
    if budget is not None and _single_monthly(cheapest, answers, prices) > budget:
        # The class the budget affords: memory for the working set if it can, else the most.
        burstable = [c for c in ladder if c.burstable]
        affordable = [c for c in burstable if _single_monthly(c, answers, prices) <= budget]
        pick = _smallest(affordable, memory, vcpu) if affordable else burstable[0]
        return Sizing(pick, ws, given, "budget")
    return Sizing(_smallest(steady, memory, vcpu), ws, given, "fit")


def region_factor(answers: dict[str, Any], prices: dict[str, Any]) -> float:
    return prices["regions"][answers.get("region") or "us-east-1"]["factor"]


def reserved_factor(answers: dict[str, Any], prices: dict[str, Any]) -> float:
    pricing = answers.get("pricing") or "on_demand"
    return 1.0 if pricing == "on_demand" else prices["reserved"][pricing]["factor"]


def licence_per_hour(klass: InstanceClass, answers: dict[str, Any], prices: dict[str, Any]):
    """The licence charge an hour on top of the class, and the words for it."""
    engine = answers["engine"]
    if engine not in COMMERCIAL:
        return 0.0, ""
    if answers["license_model"] == "bring_your_own":
        return 0.0, "bring your own licence"
    if engine == "sqlserver" and answers["environment"] == "non_production":
        return 0.0, "SQL Server Developer Edition, free for development and test"
    rds = prices["rds"]
    rate = rds["licence_usd_per_vcpu_hour"][engine]
    return rate * klass.vcpu, f"{rds['licence_edition'][engine]} licence included"


def rds_hourly(klass: InstanceClass, answers: dict[str, Any], prices: dict[str, Any]) -> float:
    """On-demand hourly price of one RDS instance of this class, in us-east-1."""
    licence, _ = licence_per_hour(klass, answers, prices)
    return klass.usd_per_hour * prices["rds"]["engine_factor"][answers["engine"]] + licence


def _single_monthly(klass: InstanceClass, answers: dict[str, Any], prices: dict[str, Any]) -> float:
    hourly = rds_hourly(klass, answers, prices) * reserved_factor(answers, prices)
    monthly = hourly * prices["hours_per_month"]
    monthly += answers["data_size_gb"] * prices["rds"]["gp3_usd_per_gb_month"]
    return monthly * region_factor(answers, prices)


# Every answer derive() reads: a change to any other answer leaves the derived values as they were.
DERIVE_READS = frozenset(
    {
        "data_size_gb",
        "read_write",
        "cost_priority",
        "environment",
        "monthly_budget_usd",
        "engine",
        "license_model",
        "growth",
        *SIZING,
    }
)


# Derived values that are sizes: computed from the answers alone, without pricing an instance.
SIZES = ("data_size_gib", "projected_size_gib")


def derived_value(name: str, answers: dict[str, Any], prices: dict[str, Any]) -> Any:
    """One derived value alone; the sizes are cheap to compute."""
    if name == "data_size_gib":
        return gib(answers["data_size_gb"])
    if name == "projected_size_gib":
        growth = prices["storage"]["growth_factor"][answers["growth"]]
        return math.ceil(gib(answers["data_size_gb"]) * growth)
    return derive(answers, prices)[name]


def derive(answers: dict[str, Any], prices: dict[str, Any]) -> dict[str, Any]:
    """Values rules may test besides the answers: what one right-sized instance costs."""
    sizing = size_class(answers, prices)
    single = _single_monthly(sizing.klass, answers, prices)
    budget = answers["monthly_budget_usd"]
    size = gib(answers["data_size_gb"])
    growth = prices["storage"]["growth_factor"][answers["growth"]]
    on_burstable = answers["environment"] == "production" and sizing.klass.burstable
    return {
        "single_instance_monthly_usd": round(single, 2),
        "budget_ratio": None if budget is None else round(budget / single, 3),
        "data_size_gib": size,
        "projected_size_gib": math.ceil(size * growth),
        # Production on a burstable class because the budget left nothing else, or by choice.
        "production_on_burstable": int(on_burstable and sizing.reason != "given"),
        "burstable_chosen_for_production": int(on_burstable and sizing.reason == "given"),
    }


def aurora_class(klass: InstanceClass, prices: dict[str, Any]) -> InstanceClass:
    """The Aurora class for a sized class: Aurora has no db.m class, no T class below medium."""
    aurora = prices["aurora"]
    if klass.family in aurora["families"] and (
        not klass.burstable or klass.size in aurora["burstable_sizes"]
    ):
        return klass
    classes = instance_classes(prices)
    if klass.burstable:
        return classes[f"db.{klass.family}.medium"]
    family = {"graviton": {2: "r6g", 3: "r7g"}, "intel": {2: "r6i"}}[klass.processor]
    memory = family.get(klass.generation) or max(family.values())
    ladder = [c for c in classes.values() if c.family == memory]
    return _smallest(ladder, klass.memory_gib, klass.vcpu)


def platform_class(platform: str, answers: dict[str, Any], prices: dict[str, Any]) -> str:
    """The instance class named in the recommendation for the chosen platform."""
    if platform == "aurora_serverless_v2":
        return "db.serverless"
    klass = size_class(answers, prices).klass
    if platform == "aurora":
        klass = aurora_class(klass, prices)
    if platform == "ec2":
        return klass.name.removeprefix("db.")
    return klass.name


def serverless_acus(answers: dict[str, Any], prices: dict[str, Any]) -> tuple[float, float]:
    """Average and peak Aurora capacity units (1 ACU is about 2 GiB of memory)."""
    memory = working_set_gb(answers) * GIB_PER_GB
    peak = min(prices["aurora"]["serverless_max_acu"], max(1.0, memory / 2))
    if answers.get("peak_vcpu"):
        peak = min(prices["aurora"]["serverless_max_acu"], max(peak, answers["peak_vcpu"] * 2))
    peak = math.ceil(peak * 2) / 2
    average = {"steady": 0.8, "spiky": 0.35, "intermittent": 0.1}[answers["traffic_pattern"]]
    floor = 0.5 if answers["traffic_pattern"] != "intermittent" else 0.0
    return max(floor, round(peak * average, 2)), peak


def sizing_words(answers, decisions, prices, sizing: Sizing) -> dict[str, Any]:
    """Every sizing assumption in one place, each with the answer that changes it."""
    klass = sizing.klass
    platform = decisions["platform"]["choice"]
    ws = sizing.working_set_gb
    region = prices["regions"][answers.get("region") or "us-east-1"]
    pricing = answers.get("pricing") or "on_demand"
    items = [
        {
            "answer": "working_set_gb",
            "text": (
                f"Working set: {ws:,} GB of hot data should fit in memory"
                + (
                    " (your answer)."
                    if sizing.working_set_given
                    else f" (assumed from {answers['data_size_gb']:,} GB of data and a "
                    f"{answers['read_write'].replace('_', '-')} load; give your own figure)."
                )
            ),
        },
        {
            "answer": "peak_vcpu",
            "text": (
                f"CPU: at least {answers['peak_vcpu']} vCPU at peak (your answer)."
                if answers.get("peak_vcpu")
                else "CPU: not given, so the class is sized on memory alone."
            ),
        },
    ]
    if platform == "aurora_serverless_v2":
        average, peak = serverless_acus(answers, prices)
        chosen = (
            f"Capacity: Aurora Serverless v2 scales between about {average:g} and {peak:g} ACU."
        )
    else:
        name = decisions["platform"]["instance_class"]
        how = {
            "fit": "the cheapest current class with that memory"
            + (" and vCPU" if answers.get("peak_vcpu") else ""),
            "given": "your choice",
            "budget": "the budget leaves only a burstable class",
        }[sizing.reason]
        chosen = f"Instance class: {name} ({how})."
        if platform == "aurora" and aurora_class(klass, prices) is not klass:
            chosen += f" Aurora has no {klass.name}, so the cluster uses {name}."
    items.append({"answer": "instance_class", "text": chosen})
    items.append({"answer": "region", "text": f"Region: {region['label']}."})
    items.append(
        {
            "answer": "pricing",
            "text": "Pricing: on-demand."
            if pricing == "on_demand"
            else f"Pricing: {prices['reserved'][pricing]['words']}.",
        }
    )
    return {"items": items}
