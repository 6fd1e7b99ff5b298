"""The monthly cost estimate: one priced line per part of the design."""

from __future__ import annotations

import math
from typing import Any

from .catalog import GIB_PER_GB, STANDBYS
from .sizing import (
    aurora_class,
    licence_per_hour,
    rds_hourly,
    reserved_factor,
    serverless_acus,
    size_class,
    sizing_words,
)


def _line(item, concern, low, expected, high, assumption):
    return {
        "item": item,
        "concern": concern,
        "low": round(low, 2),
        "expected": round(expected, 2),
        "high": round(high, 2),
        "assumption": assumption,
    }


def _fixed(item, concern, amount, assumption):
    return _line(item, concern, amount, amount, amount, assumption)


def _money(amount: float) -> str:
    """A rate as AWS prints it: $0.10, $0.115, $0.0023; whole cents from a dollar up."""
    if amount >= 1:
        return f"${amount:,.2f}"
    text = f"{amount:.{4 if amount < 0.01 else 3}f}".rstrip("0")
    return "$" + (text + "0" if len(text.split(".")[1]) < 2 else text)


# Monthly share of the data rewritten, for the transfer a cross-Region copy carries.
CHANGE_SHARE = {"write_heavy": 0.5, "balanced": 0.2, "read_heavy": 0.05}


def estimate(
    answers: dict[str, Any],
    decisions: dict[str, dict[str, Any]],
    prices: dict[str, Any],
    ceiling_gib: float = math.inf,
) -> dict[str, Any]:
    """A point estimate with a low-high range, line by line, each with what it rests on.

    Instances, standbys, replicas, nodes and the proxy are certain once the design is: their lines
    have one figure. The range spreads over what is not: storage growing over the year, Aurora's
    I/O, Serverless v2's capacity, snapshot change rates and cross-Region transfer.
    """
    hours = prices["hours_per_month"]
    region = prices["regions"][answers.get("region") or "us-east-1"]
    where = region["factor"]
    reserved = reserved_factor(answers, prices)
    pricing = answers.get("pricing") or "on_demand"
    term = "" if pricing == "on_demand" else f", {prices['reserved'][pricing]['words']}"
    platform = decisions["platform"]["choice"]
    availability = decisions["availability"]["choice"]
    replicas = decisions["read_scaling"]["count"]
    dr = decisions["disaster_recovery"]["choice"]
    size = answers["data_size_gb"]
    growth = prices["storage"]["growth_factor"][answers["growth"]]
    sizing = size_class(answers, prices)
    klass = sizing.klass
    name = decisions["platform"]["instance_class"]
    lines: list[dict[str, Any]] = []

    standby = STANDBYS.get(availability, 0)
    dr_instances = 1 if dr in ("pilot_light", "aurora_global_database") else 0
    instances = 1 + standby + replicas + dr_instances
    if platform == "aurora_serverless_v2":
        average, peak = serverless_acus(answers, prices)
        rate = prices["aurora"]["serverless_usd_per_acu_hour"] * where
        low, expected, high = (
            average * 0.75 * rate * hours,
            average * rate * hours,
            min(peak, average * 1.5) * rate * hours,
        )
        basis = (
            f"About {average:g} ACU on average (up to {peak:g} at peak) at {_money(rate)} per "
            "ACU-hour, 730 h; the range is how busy the month is"
        )
        if (
            answers["environment"] == "non_production"
            or answers["traffic_pattern"] == "intermittent"
        ):
            basis += "; capacity pauses at 0 ACU when idle where auto-pause is on"
        per = (low, expected, high)
        basis += "."
    else:
        if platform == "aurora":
            klass_used = aurora_class(klass, prices)
            hourly = klass_used.usd_per_hour * prices["rds"]["engine_factor"]["postgresql"]
            hourly *= prices["aurora"]["class_factor"]
            extra = "Aurora Standard"
        elif platform == "ec2":
            klass_used = klass
            licence, _ = licence_per_hour(klass, answers, prices)
            hourly = klass.ec2_usd_per_hour + licence
            extra = "EC2 on-demand; the team's own operating time is not priced"
        else:
            klass_used = klass
            hourly = rds_hourly(klass, answers, prices)
            extra = "the Single-AZ rate, per instance"
        _, licence_words = licence_per_hour(klass_used, answers, prices)
        hourly *= reserved * where
        monthly = hourly * hours
        per = (monthly, monthly, monthly)
        memory = f"{klass_used.memory_gib:g} GiB, {klass_used.vcpu} vCPU"
        basis = f"{name} ({memory}) at {_money(hourly)} an hour{term}, 730 h; {extra}"
        if licence_words:
            basis += f"; {licence_words}"
        basis += "."
    lines.append(_line("Primary instance", "platform", *per, basis))
    if standby:
        what = {
            "multi_az_instance": "One standby in another AZ, billed like the primary.",
            "multi_az_cluster": "Two readable standbys in two more AZs, each billed like the "
            "primary.",
            "self_managed": "A standby instance the team replicates to itself.",
        }[availability]
        lines.append(_line("Standby instances", "availability", *(x * standby for x in per), what))
    if replicas:
        kind = "Aurora Replicas" if platform.startswith("aurora") else "Read replicas"
        lines.append(
            _line(
                f"{kind} ({replicas})",
                "read_scaling",
                *(x * replicas for x in per),
                f"{replicas} of the same size as the primary.",
            )
        )
    if dr_instances:
        lines.append(
            _line(
                "Instance in the recovery Region",
                "disaster_recovery",
                *per,
                "One copy of the primary's size kept running in a second Region.",
            )
        )

    # Storage over the year: today's size, the year's average, next year's size; never past what
    # the storage can hold (the autoscaling maximum, or the most the database holds).
    ceiling = ceiling_gib
    if decisions["storage"]["choice"] == "autoscaling":
        ceiling = min(ceiling, decisions["storage"]["max_allocated_gb"])
    today = min(size, ceiling / GIB_PER_GB)
    grown = min(size * growth, ceiling / GIB_PER_GB)
    sizes = (today, (today + grown) / 2, grown)
    span = f"{size:,} GB today" + (
        f", {grown:,.0f} GB in a year (the year's average is the estimate)" if grown > size else ""
    )
    if platform.startswith("aurora"):
        aurora = prices["aurora"]
        rate = aurora["storage_usd_per_gb_month"] * where
        copies = 1 + (1 if dr == "aurora_global_database" else 0)
        lines.append(
            _line(
                "Aurora storage",
                "storage",
                *(s * rate * copies for s in sizes),
                f"{span}, at {_money(rate)} per GB-month on one cluster volume shared by every "
                "instance" + (", and a second in the secondary Region." if copies > 1 else "."),
            )
        )
        io = aurora["io_millions_per_gb"][answers["read_write"]]
        io_rate = aurora["io_usd_per_million"] * where
        lines.append(
            _line(
                "Aurora I/O",
                "storage",
                *(size * m * io_rate for m in io),
                f"About {io[1]:g} million I/O requests a month per GB for a "
                f"{answers['read_write'].replace('_', '-')} load ({io[0]:g}-{io[2]:g}), at "
                f"{_money(io_rate)} per million on Aurora Standard. Above about a quarter of the "
                "bill, I/O-Optimized (no I/O charge, instances +30%, storage $0.225) is cheaper.",
            )
        )
        if dr == "aurora_global_database":
            share = {"write_heavy": 0.6, "balanced": 0.3, "read_heavy": 0.1}[answers["read_write"]]
            writes = [size * m * share for m in io]
            rate = aurora["replicated_write_usd_per_million"] * where
            transfer = region["transfer_out_usd_per_gb"]
            lines.append(
                _line(
                    "Global Database replication",
                    "disaster_recovery",
                    *(w * rate + w * 4 * transfer for w in writes),
                    f"About {writes[1]:,.0f} million replicated write I/Os a month at "
                    f"{_money(rate)} per million, and about 4 GB of transfer per million writes "
                    f"at {_money(transfer)} per GB to the secondary Region.",
                )
            )
    elif platform == "ec2":
        rate = prices["ec2"]["ebs_gp3_usd_per_gb_month"] * where
        lines.append(
            _line(
                "EBS volumes",
                "storage",
                *(s * rate * instances for s in sizes),
                f"{span}, gp3 at {_money(rate)} per GB-month on each of {instances} "
                f"instance{'s' if instances > 1 else ''}.",
            )
        )
    else:
        rds = prices["rds"]
        rate = rds["gp3_usd_per_gb_month"] * where
        copies = 1 + (2 if availability == "multi_az_cluster" else standby) + replicas
        copies += dr_instances
        lines.append(
            _line(
                "Database storage",
                "storage",
                *(s * rate * copies for s in sizes),
                f"{span}, gp3 at {_money(rate)} per GB-month with {rds['gp3_included_iops']:,} "
                f"IOPS included, {copies} cop{'y' if copies == 1 else 'ies'}.",
            )
        )
    if dr == "pilot_light":
        transfer = region["transfer_out_usd_per_gb"]
        changed = size * CHANGE_SHARE[answers["read_write"]]
        lines.append(
            _line(
                "Cross-Region replication transfer",
                "disaster_recovery",
                changed * 0.5 * transfer,
                changed * transfer,
                changed * 2 * transfer,
                f"About {changed:,.0f} GB of changes a month sent to the recovery Region at "
                f"{_money(transfer)} per GB.",
            )
        )

    backups = decisions["backups"]
    backup_rate = (
        prices["aurora"]["backup_usd_per_gb_month"]
        if platform.startswith("aurora")
        else prices["rds"]["backup_usd_per_gb_month"]
    ) * where
    if backups["choice"] == "automated_plus_long_term":
        months = math.ceil((answers["restore_window_days"] - 35) / 30)
        lines.append(
            _line(
                "Long-term snapshots",
                "backups",
                *(size * backup_rate * months * share for share in (0.2, 0.5, growth)),
                f"{months} monthly snapshot{'s' if months > 1 else ''} beyond the 35 automated "
                f"days at {_money(backup_rate)} per GB-month; snapshots are incremental, so the "
                "range is how much of the data changes between them.",
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
                size * 0.25 * backup_rate * copies,
                size * growth * backup_rate * copies,
                "Backups up to the database's size are free; longer retention"
                + (" and copies in a second Region" if copies > 1 else "")
                + f" cost {_money(backup_rate)} per GB-month beyond that, depending on how much "
                "changes each day.",
            )
        )

    if decisions["connections"]["choice"] == "rds_proxy":
        proxy = prices["proxy"]
        rate = proxy["usd_per_vcpu_hour"] * where
        if platform == "aurora_serverless_v2":
            average, peak = serverless_acus(answers, prices)
            units = [
                max(proxy["serverless_minimum_acu"], a * (1 + replicas))
                for a in (average * 0.75, average, min(peak, average * 1.5))
            ]
            unit = "ACU"
        else:
            vcpu = klass.vcpu if platform != "aurora" else aurora_class(klass, prices).vcpu
            units = [max(proxy["minimum_vcpu"], vcpu * (instances - dr_instances))] * 3
            unit = "vCPU"
        least = proxy["minimum_vcpu" if unit == "vCPU" else "serverless_minimum_acu"]
        lines.append(
            _line(
                "RDS Proxy",
                "connections",
                *(u * rate * hours for u in units),
                f"{units[1]:g} {unit} of the instances behind it at {_money(rate)} per "
                f"{unit}-hour (at least {least}).",
            )
        )

    cache = decisions["cache"]
    if cache["choice"] != "none":
        lines.append(_cache_line(answers, cache, prices, reserved, term, where))

    total = {key: round(sum(line[key] for line in lines), 2) for key in ("low", "expected", "high")}
    budget = answers["monthly_budget_usd"]
    return {
        "monthly_usd": total,
        "budget_usd": budget,
        "within_budget": None if budget is None else total["high"] <= budget,
        "lines": lines,
        "prices_as_of": prices["as_of"],
        "sizing": sizing_words(answers, decisions, prices, sizing),
    }


def _cache_line(answers, cache, prices, reserved, term, where) -> dict[str, Any]:
    hours = prices["hours_per_month"]
    nodes_table = {node["name"]: node for node in prices["cache"]["nodes"]}
    small = answers["environment"] == "non_production" or (
        answers["cost_priority"] == "lowest_cost" and answers["data_size_gb"] <= 100
    )
    node = nodes_table["cache.t4g.micro" if small else "cache.r7g.large"]
    if cache["choice"] == "memcached":
        count = 1 if answers["environment"] == "non_production" else 2
        factor, engine = 1.0, "Memcached"
    else:
        count = 1 + cache["replicas"]
        factor, engine = prices["cache"]["valkey_factor"], "Valkey"
    hourly = node["usd_per_hour"] * factor * reserved * where
    cost = hourly * hours * count
    plural = "s" if count > 1 else ""
    words = f"{count} x {node['name']} {engine} node{plural} at {_money(hourly)} an hour{term}"
    if engine == "Valkey":
        redis = node["usd_per_hour"] * reserved * where
        words += f" (Redis OSS nodes cost {_money(redis)}, 25% more)"
    return _fixed("ElastiCache nodes", "cache", cost, words + ".")
