"""Instance sizing and the monthly cost estimate, from the dated price table."""

from __future__ import annotations

import math
import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

COMMERCIAL = ("oracle", "sqlserver", "db2")
STANDBYS = {"multi_az_instance": 1, "multi_az_cluster": 2, "self_managed": 1}
PRICES_PATH = Path(__file__).parent / "data" / "prices.toml"
GIB_PER_GB = 10**9 / 2**30

# The answers that size and price the design without changing what it is made of.
SIZING = ("instance_class", "working_set_gb", "peak_vcpu", "pricing", "region")


@dataclass(frozen=True)
class InstanceClass:
    """One DB instance class: its shape and its on-demand us-east-1 price for RDS for MySQL."""

    name: str
    family: str
    size: str
    kind: str  # "burstable", "general" or "memory"
    processor: str  # "graviton" or "intel"
    generation: int
    memory_gib: float
    vcpu: int
    usd_per_hour: float
    ec2_usd_per_hour: float

    @property
    def burstable(self) -> bool:
        return self.kind == "burstable"

    def sibling(self, family: str) -> str:
        """The class of the same size in another family."""
        return f"db.{family}.{self.size}"


def _classes(rds: dict[str, Any]) -> dict[str, InstanceClass]:
    classes: dict[str, InstanceClass] = {}
    for family in rds["families"]:
        burstable = family["kind"] == "burstable"
        for size in rds["sizes"]:
            if size.get("burstable_only") and not burstable:
                continue
            factor = size["factor"]
            name = f"db.{family['name']}.{size['size']}"
            classes[name] = InstanceClass(
                name=name,
                family=family["name"],
                size=size["size"],
                kind=family["kind"],
                processor=family["processor"],
                generation=family["generation"],
                memory_gib=family["memory_gib"] * factor,
                vcpu=max(2, round(family["vcpu"] * factor)),
                usd_per_hour=family.get("by_size", {}).get(
                    size["size"], round(family["large"] * factor, 4)
                ),
                ec2_usd_per_hour=round(family["ec2_large"] * factor, 4),
            )
            if size["size"] == family["largest"]:
                break
    return classes


def instance_classes(prices: dict[str, Any]) -> dict[str, InstanceClass]:
    """Every class the price table knows, cheapest first within each family."""
    return _catalog(id(prices), prices)


_CATALOGS: dict[int, tuple[dict[str, Any], dict[str, InstanceClass]]] = {}


def _catalog(key: int, prices: dict[str, Any]) -> dict[str, InstanceClass]:
    held = _CATALOGS.get(key)
    if held is None or held[0] is not prices:
        held = (prices, _classes(prices["rds"]))
        _CATALOGS[key] = held
    return held[1]


@cache
def _shipped() -> dict[str, Any]:
    """The shipped price table, read once: the answers' vocabularies come from it."""
    with PRICES_PATH.open("rb") as handle:
        return tomllib.load(handle)


def class_names() -> tuple[str, ...]:
    """The classes the shipped price table knows: what the instance_class answer may name."""
    return tuple(_classes(_shipped()["rds"]))


def intel_families() -> tuple[str, ...]:
    """The Intel class families of the shipped price table, for the commercial engines."""
    return tuple(f["name"] for f in _shipped()["rds"]["families"] if f["processor"] == "intel")


def region_names() -> tuple[tuple[str, str], ...]:
    regions = _shipped()["regions"]
    return tuple((name, f"{region['label']} ({name})") for name, region in regions.items())


def gib(gb: float) -> int:
    """Gigabytes (10^9 bytes, how people size data) as whole GiB (2^30, how RDS allocates)."""
    return math.ceil(gb * GIB_PER_GB)


# -- sizing -------------------------------------------------------------------------------------


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


# -- prices -------------------------------------------------------------------------------------


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


# -- the estimate --------------------------------------------------------------------------------


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
