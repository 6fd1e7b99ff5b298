"""Rules as data: what a rule is, how its conditions compile and hold, and the catalog of them.

Loading and checking rule files is `rulefiles`.

A rule file is TOML with `[[rule]]` tables::

    [[rule]]
    id = "platform.aurora-needs-mysql-or-postgresql"
    concern = "platform"
    when = { answer = "engine", op = "not_in", value = ["mysql", "postgresql"] }
    exclude = ["aurora", "aurora_serverless_v2"]
    rationale = "Aurora is compatible with MySQL and PostgreSQL only."
    facts = ["aurora.engines"]

`when` is a leaf ``{answer|derived|decision|capability = NAME, op = OP, value = V}`` or
``{all = [...]}``, ``{any = [...]}``, ``{not = {...}}``; without `when` a rule always fires. A
`capability` leaf asks the capability matrix about the design decided so far, and a leaf may
compare with a capability's value instead of a literal (``value_capability = NAME``). Each rule has
exactly one effect: `exclude` (choices), `prefer` (a choice or choices, with `weight`), `set` (an
extra value of its concern), `risk` (severity, one_way_door, text) or `checklist` (a step). A rule
whose text recommends a feature names it in `requires`; loading proves from the matrix that the
rule cannot fire where that feature is missing.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from .answers import FIELDS_BY_NAME
from .capabilities import OPS
from .knowledge import DATA_DIR

RULES_DIR = DATA_DIR / "rules"
EFFECTS = ("exclude", "prefer", "set", "risk", "checklist")
# Effects that speak before the concern is decided, and may only look at earlier decisions.
CHOOSING_EFFECTS = ("exclude", "prefer")
RULE_KEYS = {"id", "concern", "when", "rationale", "facts", "weight", "requires", *EFFECTS}
SEVERITIES = ("high", "medium", "low")
ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_.-]*$")

# Values the engine derives from the answers before any rule runs.
DERIVED: dict[str, str] = {
    "budget_ratio": "the monthly budget divided by the cost of one right-sized RDS instance "
    "(none when there is no budget)",
    "single_instance_monthly_usd": "the monthly cost of one right-sized RDS instance and its "
    "storage",
    "data_size_gib": "the data size in GiB (1 GB is 0.93 GiB), the unit RDS allocates storage in",
    "projected_size_gib": "the data size in GiB expected a year from now, at the growth answered",
    "production_on_burstable": "1 when a production database is sized on a burstable (T) class "
    "because the budget leaves nothing else, otherwise 0",
    "burstable_chosen_for_production": "1 when the instance class answer names a burstable (T) "
    "class for a production database, otherwise 0",
}

OPS_BY_KIND: dict[str, tuple[str, ...]] = {
    "choice": ("eq", "ne", "in", "not_in"),
    "bool": ("eq", "ne"),
    "int": ("eq", "ne", "lt", "lte", "gt", "gte"),
    "list": ("contains", "contains_any", "contains_none", "is_empty", "is_not_empty"),
    "number": ("lt", "lte", "gt", "gte"),
    "decision": ("eq", "ne", "in", "not_in"),
    "text": ("eq", "ne", "in", "not_in"),
}
LIST_VALUED_OPS = ("in", "not_in", "contains_any", "contains_none")
NO_VALUE_OPS = ("is_empty", "is_not_empty")

# Names a risk or checklist text may use besides the answers, filled in by the engine.
PLACEHOLDERS = {
    "engine_label": "the engine's name",
    "instance_class": "the sized instance class",
    "replica_count": "the read replicas recommended",
    "max_allocated_gb": "the storage autoscaling maximum",
    "retention_days": "the automated backup retention",
    "cache_replicas": "the cache replicas per shard",
    "projected_size_gib": "the data size in GiB expected a year from now",
    "storage_ceiling_gib": "the most this database can hold, in GiB",
    "ebs_volumes": "the gp3 volumes of up to 16 TiB the provisioned storage needs on EC2",
}

# answers, derived values, choices made so far, and the design's capabilities.
Context = tuple[dict[str, Any], dict[str, Any], dict[str, str], Mapping[str, Any]]
Condition = Callable[[Context], bool]


class RuleError(ValueError):
    """A rule file is invalid; the message names the file, the rule and what is wrong."""


@dataclass(frozen=True)
class Rule:
    id: str
    concern: str
    effect: str
    rationale: str
    facts: tuple[str, ...]
    source: str
    when: dict[str, Any] | None = None
    choices: tuple[str, ...] = ()
    weight: int = 0
    set: dict[str, Any] = field(default_factory=dict)
    risk: dict[str, Any] = field(default_factory=dict)
    step: str = ""
    requires: tuple[str, ...] = ()
    condition: Condition = field(default=lambda ctx: True, repr=False, compare=False)

    @property
    def choosing(self) -> bool:
        return self.effect in CHOOSING_EFFECTS

    def fires(self, ctx: Context) -> bool:
        return self.condition(ctx)

    def set_value(self, ctx: Context) -> Any:
        """The value a `set` rule gives its extra key, from literal data and the capabilities."""
        answers, derived, _, design = ctx
        spec = self.set
        if "value" in spec:
            return spec["value"]
        if "capability" in spec:
            return design[spec["capability"]]
        source = answers if spec["from"] in FIELDS_BY_NAME else derived
        value = source[spec["from"]] * spec.get("multiply", 1) + spec.get("add", 0)
        value = -(-value // 1)  # round up to a whole number
        if "min" in spec:
            value = max(value, spec["min"])
        if "max" in spec:
            value = min(value, spec["max"])
        if "max_capability" in spec:
            value = min(value, design[spec["max_capability"]] - spec.get("keep", 0))
        return int(value)


SOURCES = ("answer", "derived", "decision", "capability")


def leaf_holds(op: str, current: Any, value: Any) -> bool:
    """Whether a comparison of one leaf holds for a value (an ordered one never holds on None)."""
    if op in ("eq", "ne"):
        return (current == value) == (op == "eq")
    if op in ("in", "not_in"):
        return (current in value) == (op == "in")
    if op == "contains":
        return value in current
    if op in ("contains_any", "contains_none"):
        return any(item in current for item in value) == (op == "contains_any")
    if op in ("is_empty", "is_not_empty"):
        return (not current) == (op == "is_empty")
    return current is not None and OPS[op](current, value)


def leaves(node: Any) -> Iterable[dict[str, Any]]:
    """Every leaf of a condition, depth first."""
    if not node:
        return
    for key in ("all", "any"):
        if key in node:
            for child in node[key]:
                yield from leaves(child)
            return
    if "not" in node:
        yield from leaves(node["not"])
        return
    yield node


def compile_leaf(
    kind: str, source: str, name: str, op: str, value: Any, against: str | None = None
) -> Condition:
    index = SOURCES.index(source)

    def get(ctx: Context) -> Any:
        return ctx[index].get(name)

    if against is not None:  # compare with a capability of the design, not a literal
        compare_with = OPS[op]

        def against_capability(ctx: Context) -> bool:
            current = get(ctx)
            return current is not None and compare_with(current, ctx[3][against])

        return against_capability

    if op == "eq":
        return lambda ctx: get(ctx) == value
    if op == "ne":
        return lambda ctx: get(ctx) != value
    if op == "in":
        members = frozenset(value)
        return lambda ctx: get(ctx) in members
    if op == "not_in":
        members = frozenset(value)
        return lambda ctx: get(ctx) not in members
    if op == "contains":
        return lambda ctx: value in get(ctx)
    if op == "contains_any":
        members = frozenset(value)
        return lambda ctx: not members.isdisjoint(get(ctx))
    if op == "contains_none":
        members = frozenset(value)
        return lambda ctx: members.isdisjoint(get(ctx))
    if op == "is_empty":
        return lambda ctx: not get(ctx)
    if op == "is_not_empty":
        return lambda ctx: bool(get(ctx))
    compare = OPS[op]

    def ordered(ctx: Context) -> bool:
        current = get(ctx)
        return current is not None and compare(current, value)

    return ordered


@dataclass(frozen=True)
class Catalog:
    """Every rule, in file and declaration order, grouped by concern."""

    rules: tuple[Rule, ...]
    files: tuple[str, ...]

    def for_concern(self, concern: str) -> tuple[Rule, ...]:
        return tuple(rule for rule in self.rules if rule.concern == concern)

    def by_id(self, rule_id: str) -> Rule:
        for rule in self.rules:
            if rule.id == rule_id:
                return rule
        raise KeyError(rule_id)

    @property
    def cited_facts(self) -> set[str]:
        return {fact for rule in self.rules for fact in rule.facts}
