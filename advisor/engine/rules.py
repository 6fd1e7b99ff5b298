"""Rules as data: loading, validation against the answers and the knowledge base, and compilation.

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
import string
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .answers import FIELDS_BY_NAME
from .capabilities import DIMENSIONS, OPS, Matrix, load_matrix
from .concerns import CONCERN_ORDER, CONCERNS_BY_NAME
from .knowledge import DATA_DIR, Fact, read_toml

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


def _compile_leaf(
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


class _Checker:
    """Validates one rule and compiles its condition; every error names the file and rule."""

    def __init__(self, source: str, raw: dict[str, Any], facts: dict[str, Fact], matrix: Matrix):
        self.source = source
        self.raw = raw
        self.facts = facts
        self.matrix = matrix
        self.rule_id = raw.get("id", "?")

    def fail(self, message: str) -> None:
        raise RuleError(f"{self.source}: rule {self.rule_id!r}: {message}")

    def check(self) -> Rule:
        raw = self.raw
        unknown = set(raw) - RULE_KEYS
        if unknown:
            self.fail(f"unknown field(s) {', '.join(sorted(unknown))}")
        for key in ("id", "concern", "rationale", "facts"):
            if key not in raw:
                self.fail(f"missing field {key!r}")
        if not isinstance(raw["id"], str) or not ID_PATTERN.match(raw["id"]):
            self.fail("id must be lowercase letters, digits, '.', '_' or '-'")
        concern = CONCERNS_BY_NAME.get(raw["concern"])
        if concern is None:
            self.fail(f"unknown concern {raw['concern']!r}; known: {', '.join(CONCERNS_BY_NAME)}")
        if not isinstance(raw["rationale"], str) or not raw["rationale"].strip():
            self.fail("rationale must be a non-empty text")
        facts = raw["facts"]
        if not isinstance(facts, list) or not facts:
            self.fail("facts must list at least one fact id")
        for fact_id in facts:
            if fact_id not in self.facts:
                self.fail(f"unknown fact {fact_id!r}")
        effects = [name for name in EFFECTS if name in raw]
        if len(effects) != 1:
            self.fail(f"needs exactly one effect of {', '.join(EFFECTS)}; has {effects or 'none'}")
        effect = effects[0]
        self.effect = effect
        if ("weight" in raw) != (effect == "prefer"):
            self.fail("weight goes with prefer, and prefer needs a weight")
        rule_kwargs: dict[str, Any] = {}
        if effect in ("exclude", "prefer"):
            choices = raw[effect]
            choices = [choices] if isinstance(choices, str) else choices
            if not isinstance(choices, list) or not choices:
                self.fail(f"{effect} needs a choice or a list of choices")
            for choice in choices:
                if choice not in concern.values:
                    self.fail(
                        f"unknown choice {choice!r} for {concern.name}; "
                        f"known: {', '.join(concern.values)}"
                    )
            rule_kwargs["choices"] = tuple(choices)
            if effect == "prefer":
                weight = raw["weight"]
                if isinstance(weight, bool) or not isinstance(weight, int) or weight == 0:
                    self.fail("weight must be a non-zero whole number")
                rule_kwargs["weight"] = weight
        elif effect == "set":
            rule_kwargs["set"] = self.check_set(raw["set"], concern.extras)
        elif effect == "risk":
            rule_kwargs["risk"] = self.check_risk(raw["risk"])
        else:
            step = raw["checklist"]
            if not isinstance(step, str) or not step.strip():
                self.fail("checklist must be a non-empty text")
            self.check_placeholders(step)
            rule_kwargs["step"] = step
        requires = raw.get("requires", [])
        if not isinstance(requires, list) or any(
            name not in self.matrix.capabilities for name in requires
        ):
            self.fail(f"requires must list capabilities of the matrix, not {requires!r}")
        for name in requires:
            self.check_capability_known(name, "requires")
        rule_kwargs["requires"] = tuple(requires)
        condition: Condition = lambda ctx: True  # noqa: E731
        if "when" in raw:
            condition = self.condition(raw["when"], "when")
        return Rule(
            id=raw["id"],
            concern=concern.name,
            effect=effect,
            rationale=raw["rationale"].strip(),
            facts=tuple(facts),
            source=self.source,
            when=raw.get("when"),
            condition=condition,
            **rule_kwargs,
        )

    def check_set(self, spec: Any, extras: tuple[str, ...]) -> dict[str, Any]:
        if not isinstance(spec, dict):
            self.fail("set must be a table")
        allowed = {"key", "value", "from", "capability", "multiply", "add", "min", "max"}
        allowed |= {"max_capability", "keep"}
        if set(spec) - allowed:
            self.fail(f"set has unknown field(s) {', '.join(sorted(set(spec) - allowed))}")
        if spec.get("key") not in extras:
            self.fail(f"set key must be one of {', '.join(extras) or '(none for this concern)'}")
        if sum(key in spec for key in ("value", "from", "capability")) != 1:
            self.fail("set needs exactly one of value, from or capability")
        if "from" in spec:
            source = FIELDS_BY_NAME.get(spec["from"])
            if (source is None or source.kind != "int") and spec["from"] not in DERIVED:
                self.fail(
                    f"set from must name a whole-number answer or a derived value, "
                    f"not {spec['from']!r}"
                )
        for key in ("capability", "max_capability"):
            if key in spec:
                self.check_capability_known(spec[key], f"set {key}")
        if "keep" in spec and "max_capability" not in spec:
            self.fail("set keep goes with max_capability: it keeps that many below the limit")
        for key in ("multiply", "add", "min", "max", "keep"):
            value = spec.get(key, 0)
            if isinstance(value, bool) or not isinstance(value, int | float):
                self.fail(f"set {key} must be a number")
        return dict(spec)

    def check_risk(self, spec: Any) -> dict[str, Any]:
        if not isinstance(spec, dict) or set(spec) != {"severity", "one_way_door", "text"}:
            self.fail("risk needs exactly severity, one_way_door and text")
        if spec["severity"] not in SEVERITIES:
            self.fail(f"risk severity must be one of {', '.join(SEVERITIES)}")
        if not isinstance(spec["one_way_door"], bool):
            self.fail("risk one_way_door must be true or false")
        if not isinstance(spec["text"], str) or not spec["text"].strip():
            self.fail("risk text must be a non-empty text")
        self.check_placeholders(spec["text"])
        return dict(spec)

    def check_capability_known(self, name: Any, where: str) -> None:
        """A capability the rule may ask about: known, and its dimensions decided in time."""
        capability = self.matrix.capabilities.get(name)
        if capability is None:
            known = ", ".join(self.matrix.capabilities)
            self.fail(f"{where}: unknown capability {name!r}; known: {known}")
        own = CONCERN_ORDER[self.raw["concern"]]
        for dim in capability.dimensions:
            decided_by = DIMENSIONS[dim]
            if decided_by is None:
                continue
            other = CONCERN_ORDER[decided_by]
            if other > own or (other == own and self.effect in CHOOSING_EFFECTS):
                self.fail(
                    f"{where}: capability {name!r} depends on {dim}, not decided yet when "
                    f"{self.raw['concern']!r} is chosen"
                )

    def check_placeholders(self, text: str) -> None:
        try:
            names = [name for _, name, _, _ in string.Formatter().parse(text) if name is not None]
        except ValueError as error:
            self.fail(f"bad placeholder in text: {error}")
        for name in names:
            if name not in FIELDS_BY_NAME and name not in PLACEHOLDERS:
                self.fail(f"unknown placeholder {{{name}}} in text")

    def condition(self, node: Any, where: str) -> Condition:
        if not isinstance(node, dict) or not node:
            self.fail(f"{where} must be a table")
        groups = [key for key in ("all", "any", "not") if key in node]
        if groups:
            if len(node) != 1:
                self.fail(f"{where}: a group has exactly one of all, any, not")
            key = groups[0]
            if key == "not":
                inner = self.condition(node["not"], f"{where}.not")
                return lambda ctx: not inner(ctx)
            items = node[key]
            if not isinstance(items, list) or not items:
                self.fail(f"{where}.{key} must be a non-empty list")
            parts = [self.condition(item, f"{where}.{key}[{i}]") for i, item in enumerate(items)]
            if key == "all":
                return lambda ctx: all(part(ctx) for part in parts)
            return lambda ctx: any(part(ctx) for part in parts)
        return self.leaf(node, where)

    def leaf(self, node: dict[str, Any], where: str) -> Condition:
        sources = [key for key in SOURCES if key in node]
        if len(sources) != 1:
            self.fail(
                f"{where}: a condition names exactly one answer, derived value, decision or "
                "capability"
            )
        source = sources[0]
        unknown = set(node) - {source, "op", "value", "value_capability"}
        if unknown:
            self.fail(f"{where}: unknown field(s) {', '.join(sorted(unknown))}")
        name, op = node[source], node.get("op")
        if source == "answer":
            answer = FIELDS_BY_NAME.get(name)
            if answer is None:
                self.fail(f"{where}: unknown answer {name!r}")
            kind = answer.kind
        elif source == "derived":
            if name not in DERIVED:
                self.fail(f"{where}: unknown derived value {name!r}; known: {', '.join(DERIVED)}")
            kind = "number"
        elif source == "capability":
            self.check_capability_known(name, where)
            kind = {"bool": "bool", "int": "int", "text": "text"}[
                self.matrix.capabilities[name].kind
            ]
        else:
            if name not in CONCERNS_BY_NAME:
                self.fail(f"{where}: unknown concern {name!r}")
            own = CONCERN_ORDER[self.raw["concern"]]
            other = CONCERN_ORDER[name]
            if other > own or (other == own and self.effect in CHOOSING_EFFECTS):
                self.fail(
                    f"{where}: decision {name!r} is not made yet when {self.raw['concern']!r} "
                    "is chosen"
                )
            kind = "decision"
        if op not in OPS_BY_KIND[kind]:
            self.fail(
                f"{where}: operator {op!r} does not apply; use {', '.join(OPS_BY_KIND[kind])}"
            )
        if op in NO_VALUE_OPS:
            if "value" in node or "value_capability" in node:
                self.fail(f"{where}: {op} takes no value")
            return _compile_leaf(kind, source, name, op, None)
        if "value_capability" in node:
            against = node["value_capability"]
            if "value" in node or op in LIST_VALUED_OPS:
                self.fail(f"{where}: value_capability replaces value, with a single-value op")
            self.check_capability_known(against, where)
            if self.matrix.capabilities[against].kind != "int" or kind not in ("int", "number"):
                self.fail(f"{where}: value_capability compares numbers with a numeric capability")
            return _compile_leaf(kind, source, name, op, None, against)
        if "value" not in node:
            self.fail(f"{where}: missing value")
        value = node["value"]
        values = value if op in LIST_VALUED_OPS else [value]
        if op in LIST_VALUED_OPS and (not isinstance(value, list) or not value):
            self.fail(f"{where}: {op} needs a non-empty list of values")
        for item in values:
            self.check_value(source, name, kind, item, where)
        return _compile_leaf(kind, source, name, op, value)

    def check_value(self, source: str, name: str, kind: str, item: Any, where: str) -> None:
        if source == "decision":
            if item not in CONCERNS_BY_NAME[name].values:
                self.fail(f"{where}: {item!r} is not a choice of {name}")
        elif source == "derived":
            if isinstance(item, bool) or not isinstance(item, int | float):
                self.fail(f"{where}: {name} compares with a number, not {item!r}")
        elif source == "capability":
            kind = self.matrix.capabilities[name].kind
            expected = {"bool": bool, "int": int, "text": str}[kind]
            if not isinstance(item, expected) or (kind == "int" and isinstance(item, bool)):
                self.fail(f"{where}: capability {name} holds a {kind}, not {item!r}")
        elif kind == "list":
            if item not in FIELDS_BY_NAME[name].values:
                self.fail(f"{where}: {item!r} is not a value of {name}")
        else:
            _, error = FIELDS_BY_NAME[name].check(item)
            if error:
                self.fail(f"{where}: value {item!r} for {name} {error}")


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


def load_rules(
    paths: Iterable[Path], facts: dict[str, Fact], matrix: Matrix | None = None
) -> Catalog:
    """Load and validate rule files, in the order given; fail naming the file and rule."""
    matrix = matrix or load_matrix(facts)
    rules: list[Rule] = []
    seen: dict[str, str] = {}
    files: list[str] = []
    for path in paths:
        data = read_toml(path)
        unknown = set(data) - {"rule"}
        if unknown:
            raise RuleError(f"{path.name}: unknown top-level key(s) {', '.join(sorted(unknown))}")
        raw_rules = data.get("rule", [])
        if not isinstance(raw_rules, list):
            raise RuleError(f"{path.name}: rules are written as [[rule]] tables")
        files.append(path.name)
        for raw in raw_rules:
            rule = _Checker(path.name, raw, facts, matrix).check()
            if rule.id in seen:
                raise RuleError(
                    f"{path.name}: rule {rule.id!r}: duplicate id (first in {seen[rule.id]})"
                )
            seen[rule.id] = path.name
            rules.append(rule)
    return Catalog(tuple(rules), tuple(files))


def builtin_rule_files() -> list[Path]:
    return sorted(RULES_DIR.glob("*.toml"))
