"""The capability matrix: which features exist for each engine, licence and deployment form.

`data/capabilities.toml` holds one `[[capability]]` per feature. Its `cells` are read top to
bottom and the first cell whose dimensions all match the design gives the value; the last cell
matches everything. Every cell cites the facts it rests on and, where a feature is missing, says
why in words a reviewer can repeat. `[requires]` names the capability each concern's choice
needs: the engine never chooses a value whose capability is missing for the design so far.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from itertools import product
from pathlib import Path
from typing import Any

from .answers import FIELDS_BY_NAME
from .concerns import CONCERN_ORDER, CONCERNS_BY_NAME
from .knowledge import DATA_DIR, Fact, KnowledgeError, read_toml

# The dimensions a cell may name, and the concern that must be decided before each is known.
DIMENSIONS: dict[str, str | None] = {
    "engine": None,
    "license_model": None,
    "platform": "platform",
    "availability": "availability",
}
CELL_KEYS = {*DIMENSIONS, "value", "facts", "note"}


@dataclass(frozen=True)
class Cell:
    where: dict[str, frozenset[str]]
    value: Any
    facts: tuple[str, ...]
    note: str

    def matches(self, design: Mapping[str, Any]) -> bool:
        return all(design.get(dim) in values for dim, values in self.where.items())


@dataclass(frozen=True)
class Capability:
    id: str
    title: str
    kind: str  # "bool", "int" or "text"
    cells: tuple[Cell, ...]

    def cell(self, design: Mapping[str, Any]) -> Cell:
        return next(cell for cell in self.cells if cell.matches(design))

    def value(self, design: Mapping[str, Any]) -> Any:
        return self.cell(design).value

    @property
    def dimensions(self) -> set[str]:
        return {dim for cell in self.cells for dim in cell.where}


@dataclass(frozen=True)
class Matrix:
    capabilities: dict[str, Capability]
    # "concern.choice" -> the capability that choice needs (present and truthy).
    requires: dict[str, str]

    def __getitem__(self, capability_id: str) -> Capability:
        return self.capabilities[capability_id]

    @property
    def cited_facts(self) -> set[str]:
        return {f for c in self.capabilities.values() for cell in c.cells for f in cell.facts}

    def needed_by(self, concern: str, choice: str) -> Capability | None:
        capability_id = self.requires.get(f"{concern}.{choice}")
        return None if capability_id is None else self.capabilities[capability_id]

    def allows(self, concern: str, choice: str, design: Mapping[str, Any]) -> bool:
        capability = self.needed_by(concern, choice)
        return capability is None or bool(capability.value(design))

    def designs(self) -> Iterator[dict[str, str]]:
        """Every engine, licence, platform and availability the matrix itself allows."""
        engines = FIELDS_BY_NAME["engine"].values
        licences = FIELDS_BY_NAME["license_model"].values
        platforms = CONCERNS_BY_NAME["platform"].values
        forms = CONCERNS_BY_NAME["availability"].values
        for engine, licence, platform, form in product(engines, licences, platforms, forms):
            design = {
                "engine": engine,
                "license_model": licence,
                "platform": platform,
                "availability": form,
            }
            if self.allows("platform", platform, design) and self.allows(
                "availability", form, design
            ):
                yield design


class Design(Mapping[str, Any]):
    """The capabilities of the design decided so far, computed when a rule first asks."""

    def __init__(self, matrix: Matrix, answers: Mapping[str, Any], choices: Mapping[str, str]):
        self.matrix = matrix
        self.answers = answers
        self.choices = choices
        self._values: dict[tuple[str, Any, Any], Any] = {}

    def dimensions(self) -> dict[str, Any]:
        return {
            "engine": self.answers["engine"],
            "license_model": self.answers["license_model"],
            "platform": self.choices.get("platform"),
            "availability": self.choices.get("availability"),
        }

    def __getitem__(self, capability_id: str) -> Any:
        key = (capability_id, self.choices.get("platform"), self.choices.get("availability"))
        if key not in self._values:
            self._values[key] = self.matrix[capability_id].value(self.dimensions())
        return self._values[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self.matrix.capabilities)

    def __len__(self) -> int:
        return len(self.matrix.capabilities)


def _dimension_values(dim: str) -> tuple[str, ...]:
    if dim in ("engine", "license_model"):
        return FIELDS_BY_NAME[dim].values
    return CONCERNS_BY_NAME[dim].values


def load_matrix(facts: dict[str, Fact], path: Path = DATA_DIR / "capabilities.toml") -> Matrix:
    """Load and check the matrix; fail naming the file, the capability and the cell."""
    data = read_toml(path)
    name = path.name
    capabilities: dict[str, Capability] = {}
    for index, raw in enumerate(data.get("capability", [])):
        where = f"{name}: capability {raw.get('id', f'#{index + 1}')!s}"
        if set(raw) != {"id", "title", "kind", "cells"}:
            raise KnowledgeError(f"{where}: needs exactly id, title, kind and cells")
        if raw["kind"] not in ("bool", "int", "text"):
            raise KnowledgeError(f"{where}: kind must be bool, int or text")
        if raw["id"] in capabilities:
            raise KnowledgeError(f"{where}: duplicate id")
        cells = tuple(
            _cell(raw, cell, f"{where}: cell {i + 1}", facts) for i, cell in enumerate(raw["cells"])
        )
        if not cells or cells[-1].where:
            raise KnowledgeError(f"{where}: the last cell must name no dimension (the default)")
        capabilities[raw["id"]] = Capability(raw["id"], raw["title"], raw["kind"], cells)
    requires: dict[str, str] = {}
    for key, capability_id in data.get("requires", {}).items():
        concern_name, _, choice = key.partition(".")
        concern = CONCERNS_BY_NAME.get(concern_name)
        if concern is None or choice not in concern.values:
            raise KnowledgeError(f"{name}: requires: {key!r} is not a concern's choice")
        capability = capabilities.get(capability_id)
        if capability is None:
            raise KnowledgeError(f"{name}: requires: {key!r} names unknown {capability_id!r}")
        for dim in capability.dimensions:
            decided_by = DIMENSIONS[dim]
            if decided_by is not None and CONCERN_ORDER[decided_by] >= CONCERN_ORDER[concern_name]:
                raise KnowledgeError(
                    f"{name}: requires: {key!r} needs {capability_id!r}, which depends on "
                    f"{dim}, not decided yet when {concern_name} is chosen"
                )
        requires[key] = capability_id
    if not capabilities:
        raise KnowledgeError(f"{name}: holds no capabilities")
    return Matrix(capabilities, requires)


def _cell(capability: dict, raw: Any, where: str, facts: dict[str, Fact]) -> Cell:
    if not isinstance(raw, dict) or not {"value", "facts"} <= set(raw) or set(raw) - CELL_KEYS:
        raise KnowledgeError(f"{where}: a cell has value, facts, an optional note and dimensions")
    dims: dict[str, frozenset[str]] = {}
    for dim in DIMENSIONS:
        if dim not in raw:
            continue
        values = raw[dim] if isinstance(raw[dim], list) else [raw[dim]]
        unknown = [v for v in values if v not in _dimension_values(dim)]
        if unknown or not values:
            raise KnowledgeError(f"{where}: {dim} has unknown value(s) {unknown}")
        dims[dim] = frozenset(values)
    value = raw["value"]
    kind = capability["kind"]
    ok = {
        "bool": isinstance(value, bool),
        "int": isinstance(value, int) and not isinstance(value, bool),
        "text": isinstance(value, str),
    }[kind]
    if not ok:
        raise KnowledgeError(f"{where}: value {value!r} is not a {kind}")
    cited = raw["facts"]
    if not isinstance(cited, list) or not cited or any(f not in facts for f in cited):
        raise KnowledgeError(f"{where}: facts must list known fact ids, not {cited!r}")
    note = raw.get("note", "")
    if not value and not note:
        raise KnowledgeError(f"{where}: a missing feature needs a note saying why")
    return Cell(dims, value, tuple(cited), note)


# -- proving rules consistent with the matrix ----------------------------------------------------

# The comparisons a rule's condition may make, by operator name (rules compile them too).
OPS: dict[str, Callable[[Any, Any], bool]] = {
    "eq": operator.eq,
    "ne": operator.ne,
    "in": lambda a, b: a in b,
    "not_in": lambda a, b: a not in b,
    "lt": operator.lt,
    "lte": operator.le,
    "gt": operator.gt,
    "gte": operator.ge,
}


def _possible(node: Any, design: dict[str, str], matrix: Matrix) -> bool | None:
    """Whether a condition holds for a design: True, False, or None when other answers decide."""
    if node is None:
        return True
    if "all" in node or "any" in node:
        parts = [_possible(child, design, matrix) for child in node.get("all", node.get("any"))]
        if "all" in node:
            return False if False in parts else (True if all(parts) else None)
        return True if True in parts else (False if all(p is False for p in parts) else None)
    if "not" in node:
        inner = _possible(node["not"], design, matrix)
        return None if inner is None else not inner
    op, value = node.get("op"), node.get("value")
    if op not in OPS or "value_capability" in node:
        return None
    if "answer" in node:
        if node["answer"] not in ("engine", "license_model"):
            return None
        return OPS[op](design[node["answer"]], value)
    if "capability" in node:
        return OPS[op](matrix[node["capability"]].value(design), value)
    if "decision" in node:
        concern = node["decision"]
        if concern in design:
            return OPS[op](design[concern], value)
        allowed = {
            choice
            for choice in CONCERNS_BY_NAME[concern].values
            if matrix.allows(concern, choice, design)
        }
        matching = {choice for choice in allowed if OPS[op](choice, value)}
        return False if not matching else (True if matching == allowed else None)
    return None


def _design_words(design: dict[str, str]) -> str:
    engine = FIELDS_BY_NAME["engine"].choice_label(design["engine"])
    if FIELDS_BY_NAME["license_model"].applies(design):
        licence = FIELDS_BY_NAME["license_model"].choice_label(design["license_model"]).lower()
        engine = f"{engine} ({licence})"
    platform = CONCERNS_BY_NAME["platform"].label(design["platform"])
    form = CONCERNS_BY_NAME["availability"].label(design["availability"])
    return f"{engine} on {platform}, {form}"


def contradictions(rules: Any, matrix: Matrix) -> list[str]:
    """Rules that would recommend a feature where the matrix says it is missing.

    A rule that names a capability in `requires` must be unable to fire wherever that capability
    is missing; a rule that prefers a choice must be able to fire somewhere the choice exists.
    """
    designs = list(matrix.designs())
    problems: list[str] = []
    for rule in rules:
        where = f"{rule.source}: rule {rule.id!r}"
        for capability_id in rule.requires:
            capability = matrix[capability_id]
            for design in designs:
                if capability.value(design) or _possible(rule.when, design, matrix) is False:
                    continue
                problems.append(
                    f"{where} recommends {capability.title.lower()}, but can fire for "
                    f"{_design_words(design)}, where the capability matrix says: "
                    f"{capability.cell(design).note}"
                )
                break
        if rule.effect != "prefer" or rule.weight <= 0:
            continue
        firing = [d for d in designs if _possible(rule.when, d, matrix) is not False]
        for choice in rule.choices:
            capability = matrix.needed_by(rule.concern, choice)
            if capability is None:
                continue
            if firing and not any(matrix.allows(rule.concern, choice, d) for d in firing):
                problems.append(
                    f"{where} prefers {choice!r} only where the capability matrix says it is "
                    f"missing: {capability.cell(firing[0]).note}"
                )
    return problems


def _chosen(concern: str, choice: str | None, design: dict[str, str]) -> dict[str, str | None]:
    """The platform and deployment form a text shown under a decision speaks for: the decision's
    own choice for its own concern, what the design holds for those decided before it."""
    chosen: dict[str, str | None] = {}
    for dim in ("platform", "availability"):
        if concern == dim and choice is not None:
            chosen[dim] = choice
        elif CONCERN_ORDER[dim] <= CONCERN_ORDER[concern]:
            chosen[dim] = design[dim]
        else:
            chosen[dim] = None  # not decided yet when this decision is made
    return chosen


def _foreign(fact_ids, facts, chosen) -> str | None:
    for fact_id in fact_ids:
        for dim, value in chosen.items():
            about = facts[fact_id].about_choices(dim)
            if value is not None and about is not None and value not in about:
                return f"{fact_id} is about {' or '.join(about)}, not {value}"
    return None


def mismatched_rationales(rules: Any, matrix: Matrix, facts: dict[str, Any], explained) -> list:
    """Reasons whose facts belong to another platform or deployment form than the one chosen.

    A preferring rule's text is shown under each of its choices that wins, a set rule's under
    its decision, a choice's own words under that choice: in every design the matrix allows
    where they can appear, each cited fact must be about the platform and form chosen there.
    """
    designs = list(matrix.designs())
    problems: list[str] = []
    for rule in rules:
        if not (rule.effect == "set" or (rule.effect == "prefer" and rule.weight > 0)):
            continue
        shown_for = rule.choices if rule.effect == "prefer" else (None,)
        for choice in shown_for:
            for design in designs:
                if choice is not None and rule.concern in DIMENSIONS:
                    if design[rule.concern] != choice:
                        continue
                elif choice is not None and not matrix.allows(rule.concern, choice, design):
                    continue
                if _possible(rule.when, design, matrix) is False:
                    continue
                wrong = _foreign(rule.facts, facts, _chosen(rule.concern, choice, design))
                if wrong:
                    problems.append(
                        f"{rule.source}: rule {rule.id!r} can explain "
                        f"{choice or rule.concern} for {_design_words(design)}, but {wrong}"
                    )
                    break
    for (concern, choice), fact_ids in explained.facts.items():
        for design in designs:
            if concern in DIMENSIONS and design[concern] != choice:
                continue
            if concern not in DIMENSIONS and not matrix.allows(concern, choice, design):
                continue
            wrong = _foreign(fact_ids, facts, _chosen(concern, choice, design))
            if wrong:
                where = f"{concern}.{choice} for {_design_words(design)}"
                problems.append(f"choices.toml: {where}: {wrong}")
                break
    return problems
