"""Instance sizing and the monthly cost estimate, from the dated price table."""

from __future__ import annotations

import math
from typing import Any

COMMERCIAL = ("oracle", "sqlserver", "db2")
STANDBYS = {"multi_az_instance": 1, "multi_az_cluster": 2, "self_managed": 1}


def working_set_gib(answers: dict[str, Any]) -> float:
    """Memory worth having: about a tenth of the data, more for reads, scaled by priority."""
    share = {"write_heavy": 0.08, "balanced": 0.1, "read_heavy": 0.15}[answers["read_write"]]
    scale = {"lowest_cost": 0.5, "balanced": 1.0, "performance": 2.0}[answers["cost_priority"]]
    return answers["data_size_gb"] * share * scale


GIB_PER_GB = 10**9 / 2**30


def gib(gb: float) -> int:
    """Gigabytes (10^9 bytes, how people size data) as whole GiB (2^30, how RDS allocates)."""
    return math.ceil(gb * GIB_PER_GB)


def _monthly(klass: dict[str, Any], answers: dict[str, Any], prices: dict[str, Any]) -> float:
    low, _ = engine_factor(answers, prices)
    instance = klass["usd_per_hour"] * low * prices["hours_per_month"]
    return instance + answers["data_size_gb"] * prices["rds"]["gp3_usd_per_gb_month"]


def size_class(answers: dict[str, Any], prices: dict[str, Any]) -> dict[str, Any]:
    """The smallest RDS class with memory for the working set.

    Burstable (T) classes are for development and test (classes.burstable): production gets one
    only when the budget cannot pay for the smallest class of any other kind.
    """
    classes = prices["rds"]["classes"]
    steady = [c for c in classes if not c["burstable"]]
    budget = answers["monthly_budget_usd"]
    allow_burstable = answers["environment"] == "non_production" or (
        budget is not None and _monthly(steady[0], answers, prices) > budget
    )
    target = working_set_gib(answers)
    ladder = classes if allow_burstable else steady
    if allow_burstable and answers["environment"] == "production":
        ladder = [c for c in classes if c["burstable"]]
    for klass in ladder:
        if klass["memory_gib"] >= target:
            return klass
    return ladder[-1]


def engine_factor(answers: dict[str, Any], prices: dict[str, Any]) -> tuple[float, float]:
    rds = prices["rds"]
    if answers["engine"] in COMMERCIAL:
        if answers["license_model"] == "license_included":
            return tuple(rds["license_included_factor"])
        return tuple(rds["bring_your_own_factor"])
    return tuple(rds["engine_factor"][answers["engine"]])


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
    hours = prices["hours_per_month"]
    klass = size_class(answers, prices)
    low, _ = engine_factor(answers, prices)
    single = klass["usd_per_hour"] * low * hours
    single += answers["data_size_gb"] * prices["rds"]["gp3_usd_per_gb_month"]
    budget = answers["monthly_budget_usd"]
    size = gib(answers["data_size_gb"])
    growth = prices["storage"]["growth_factor"][answers["growth"]]
    return {
        "single_instance_monthly_usd": round(single, 2),
        "budget_ratio": None if budget is None else round(budget / single, 3),
        "data_size_gib": size,
        "projected_size_gib": math.ceil(size * growth),
        "production_on_burstable": int(
            answers["environment"] == "production" and klass["burstable"]
        ),
    }


def platform_class(platform: str, answers: dict[str, Any], prices: dict[str, Any]) -> str:
    """The instance class named in the recommendation for the chosen platform."""
    if platform == "aurora_serverless_v2":
        return "db.serverless"
    klass = size_class(answers, prices)
    if platform == "aurora" and klass["burstable"]:
        return prices["aurora"]["smallest_class"]
    name = klass["name"]
    if answers["engine"] in COMMERCIAL:
        # Oracle, SQL Server and Db2 run on Intel classes, not Graviton.
        name = name.replace("db.r6g.", "db.r6i.").replace("db.t4g.", "db.t3.")
    if platform == "ec2":
        return name.removeprefix("db.")
    return name


def serverless_acus(answers: dict[str, Any], prices: dict[str, Any]) -> tuple[float, float]:
    """Average and peak Aurora capacity units (1 ACU is about 2 GiB of memory)."""
    peak = min(prices["aurora"]["serverless_max_acu"], max(1.0, working_set_gib(answers) / 2))
    peak = math.ceil(peak * 2) / 2
    average = {"steady": 0.8, "spiky": 0.35, "intermittent": 0.1}[answers["traffic_pattern"]]
    return max(0.5 if answers["traffic_pattern"] != "intermittent" else 0.0, peak * average), peak


def _line(item, concern, low, high, assumption):
    return {
        "item": item,
        "concern": concern,
        "low": round(low, 2),
        "high": round(high, 2),
        "assumption": assumption,
    }


def estimate(
    answers: dict[str, Any],
    decisions: dict[str, dict[str, Any]],
    prices: dict[str, Any],
    ceiling_gib: float = math.inf,
) -> dict[str, Any]:
    """A low-high monthly range, line by line, each with the assumption it rests on."""
    hours = prices["hours_per_month"]
    platform = decisions["platform"]["choice"]
    availability = decisions["availability"]["choice"]
    replicas = decisions["read_scaling"]["count"]
    dr = decisions["disaster_recovery"]["choice"]
    size = answers["data_size_gb"]
    growth = prices["storage"]["growth_factor"][answers["growth"]]
    klass = size_class(answers, prices)
    f_low, f_high = engine_factor(answers, prices)
    name = decisions["platform"]["instance_class"]
    lines: list[dict[str, Any]] = []

    standby = STANDBYS.get(availability, 0)
    dr_instances = 1 if dr in ("pilot_light", "aurora_global_database") else 0
    if platform == "aurora_serverless_v2":
        average, peak = serverless_acus(answers, prices)
        rate = prices["aurora"]["serverless_usd_per_acu_hour"] * hours
        per_low, per_high = average * rate, peak * rate
        basis = f"{average:g}-{peak:g} ACU on average at ${rate / hours:.2f} per ACU-hour"
    else:
        hourly = klass["usd_per_hour"]
        if platform == "aurora":
            hourly = (
                hourly * prices["aurora"]["class_factor"]
                if not klass["burstable"]
                else 0.065 * prices["aurora"]["class_factor"]
            )
        elif platform == "ec2":
            hourly *= prices["ec2"]["instance_factor"]
        per_low, per_high = hourly * f_low * hours, hourly * f_high * hours
        basis = (
            f"{name} (memory for a working set of about {working_set_gib(answers):,.0f} GiB) "
            f"at about ${hourly * f_low:.3f}"
        )
        if f_high != f_low:
            basis += f"-{hourly * f_high:.3f}"
        basis += " per hour"
        if answers["engine"] in COMMERCIAL:
            basis += (
                ", licence included (2x-4x the open-source price)"
                if answers["license_model"] == "license_included"
                else ", bring your own licence"
            )
        if platform == "ec2":
            basis += "; the team's own operating time is not priced"
    lines.append(_line("Primary instance", "platform", per_low, per_high, basis + ", 730 h."))
    if standby:
        what = {
            "multi_az_instance": "One standby in another AZ, billed like the primary.",
            "multi_az_cluster": "Two readable standbys in two more AZs.",
            "self_managed": "A standby instance the team replicates to itself.",
        }[availability]
        lines.append(
            _line("Standby instances", "availability", per_low * standby, per_high * standby, what)
        )
    if replicas:
        kind = "Aurora Replicas" if platform.startswith("aurora") else "Read replicas"
        lines.append(
            _line(
                f"{kind} ({replicas})",
                "read_scaling",
                per_low * replicas,
                per_high * replicas,
                f"{replicas} of the same size as the primary.",
            )
        )
    if dr_instances:
        lines.append(
            _line(
                "Instance in the recovery Region",
                "disaster_recovery",
                per_low,
                per_high,
                "One copy of the primary's size kept running in a second Region.",
            )
        )

    instances = 1 + standby + replicas + dr_instances
    # Next year's size, but never past what the storage can hold (the autoscaling maximum, or
    # the most the database holds): beyond it a risk says so.
    ceiling = ceiling_gib
    if decisions["storage"]["choice"] == "autoscaling":
        ceiling = min(ceiling, decisions["storage"]["max_allocated_gb"])
    grown = min(size * growth, ceiling / GIB_PER_GB)
    if platform.startswith("aurora"):
        rate = prices["aurora"]["storage_usd_per_gb_month"]
        copies = 1 + (1 if dr == "aurora_global_database" else 0)
        io_high = prices["aurora"]["io_share_high"] * per_high * (1 + replicas)
        lines.append(
            _line(
                "Aurora storage and I/O",
                "storage",
                size * rate * copies,
                grown * rate * copies + io_high,
                f"{size:,}-{grown:,.0f} GB at ${rate} per GB-month on one cluster volume "
                f"shared by every instance (x{copies} with a secondary Region); I/O up to a "
                "quarter of instance spend.",
            )
        )
    elif platform == "ec2":
        rate = prices["ec2"]["ebs_gp3_usd_per_gb_month"]
        lines.append(
            _line(
                "EBS volumes",
                "storage",
                size * rate * instances,
                size * growth * rate * instances,
                f"{size:,}-{size * growth:,.0f} GB of gp3 at ${rate} per GB-month on each of "
                f"{instances} instance(s).",
            )
        )
    else:
        rate = prices["rds"]["gp3_usd_per_gb_month"]
        copies = 1 + (2 if availability == "multi_az_cluster" else standby) + replicas
        copies += dr_instances
        lines.append(
            _line(
                "Database storage",
                "storage",
                size * rate * copies,
                grown * rate * copies,
                f"{size:,}-{grown:,.0f} GB of gp3 at ${rate} per GB-month, "
                f"{copies} cop{'y' if copies == 1 else 'ies'}.",
            )
        )

    backups = decisions["backups"]
    backup_rate = prices["storage"]["backup_usd_per_gb_month"]
    if backups["choice"] == "automated_plus_long_term":
        months = math.ceil((answers["restore_window_days"] - 35) / 30)
        lines.append(
            _line(
                "Long-term snapshots",
                "backups",
                size * backup_rate * months * 0.2,
                size * growth * backup_rate * months,
                f"{months} monthly snapshot(s) beyond the 35 automated days at ${backup_rate} per "
                "GB-month; low if snapshots are mostly incremental.",
            )
        )
    retention = backups.get("retention_days") or 0
    if retention > 7 or dr == "backup_restore":
        copies = 1 + (1 if dr == "backup_restore" else 0)
        lines.append(
            _line(
                "Backup storage",
                "backups" if dr != "backup_restore" else "disaster_recovery",
                0,
                size * growth * backup_rate * copies,
                "Backups up to the database's size are free; longer retention and copies in a "
                f"second Region cost up to ${backup_rate} per GB-month.",
            )
        )

    if decisions["connections"]["choice"] == "rds_proxy":
        proxy = prices["proxy"]
        rate = proxy["usd_per_vcpu_hour"] * hours
        if platform == "aurora_serverless_v2":
            _, peak = serverless_acus(answers, prices)
            units_low = proxy["serverless_minimum_acu"]
            units_high = max(units_low, peak * (1 + replicas))
            unit = "ACU"
        else:
            units_low = units_high = max(proxy["minimum_vcpu"], klass["vcpu"] * instances)
            unit = "vCPU"
        lines.append(
            _line(
                "RDS Proxy",
                "connections",
                units_low * rate,
                units_high * rate,
                f"{units_low:g}-{units_high:g} {unit} of the target at "
                f"${proxy['usd_per_vcpu_hour']} per {unit}-hour.",
            )
        )

    cache = decisions["cache"]
    if cache["choice"] != "none":
        small = answers["environment"] == "non_production" or (
            answers["cost_priority"] == "lowest_cost" and size <= 100
        )
        node = prices["cache"]["small_node" if small else "large_node"]
        if cache["choice"] == "memcached":
            nodes = 1 if answers["environment"] == "non_production" else 2
        else:
            nodes = 1 + cache["replicas"]
        cost = node["usd_per_hour"] * hours * nodes
        lines.append(
            _line(
                "ElastiCache nodes",
                "cache",
                cost,
                cost,
                f"{nodes} x {node['name']} at ${node['usd_per_hour']} per hour.",
            )
        )

    low = round(sum(line["low"] for line in lines), 2)
    high = round(sum(line["high"] for line in lines), 2)
    budget = answers["monthly_budget_usd"]
    return {
        "monthly_usd": {"low": low, "high": high},
        "budget_usd": budget,
        "within_budget": None if budget is None else high <= budget,
        "lines": lines,
        "prices_as_of": prices["as_of"],
    }
