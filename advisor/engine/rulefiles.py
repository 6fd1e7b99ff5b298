"""Rule files: each rule read from TOML and checked against the answers contract, the concerns,
the knowledge base and the capability matrix, failing with the file and rule named."""

from __future__ import annotations

import string
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from .answers import FIELDS_BY_NAME
from .capabilities import DIMENSIONS, Matrix, load_matrix
from .concerns import CONCERN_ORDER, CONCERNS_BY_NAME
from .knowledge import Fact, read_toml
from .rules import (
    CHOOSING_EFFECTS,
    DERIVED,
    EFFECTS,
    ID_PATTERN,
    LIST_VALUED_OPS,
    NO_VALUE_OPS,
    OPS_BY_KIND,
    PLACEHOLDERS,
    RULE_KEYS,
    RULES_DIR,
    SEVERITIES,
    SOURCES,
    Catalog,
    Condition,
    Rule,
    RuleError,
    compile_leaf,
)


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
            return compile_leaf(kind, source, name, op, None)
        if "value_capability" in node:
            against = node["value_capability"]
            if "value" in node or op in LIST_VALUED_OPS:
                self.fail(f"{where}: value_capability replaces value, with a single-value op")
            self.check_capability_known(against, where)
            if self.matrix.capabilities[against].kind != "int" or kind not in ("int", "number"):
                self.fail(f"{where}: value_capability compares numbers with a numeric capability")
            return compile_leaf(kind, source, name, op, None, against)
        if "value" not in node:
            self.fail(f"{where}: missing value")
        value = node["value"]
        values = value if op in LIST_VALUED_OPS else [value]
        if op in LIST_VALUED_OPS and (not isinstance(value, list) or not value):
            self.fail(f"{where}: {op} needs a non-empty list of values")
        for item in values:
            self.check_value(source, name, kind, item, where)
        return compile_leaf(kind, source, name, op, value)

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
