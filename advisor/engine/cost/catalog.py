"""The dated price table and the instance classes it lists."""

from __future__ import annotations

import math
import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

COMMERCIAL = ("oracle", "sqlserver", "db2")
STANDBYS = {"multi_az_instance": 1, "multi_az_cluster": 2, "self_managed": 1}
PRICES_PATH = Path(__file__).parent.parent / "data" / "prices.toml"
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
