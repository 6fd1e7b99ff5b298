"""The differences between recommendations: answers, decisions, risks, checklist, cost and rules.

Pure (no Django): `compare(a, b, ...)` lines up two or more recommendations (snapshots, or their
JSON, which `read` turns into snapshots) side by side; `diff(before, after)` reads two of them as
a change, for what-if, lineage and re-evaluate. Stored snapshots may come from older rulesets: a
decision or answer one of them lacks is shown as missing, never an error.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from advisor.engine import CONCERNS, CONCERNS_BY_NAME, FIELDS, FIELDS_BY_NAME
from advisor.engine.describe import short_name, value_words

from .snapshot import Decision, Money, Reason, Risk, Snapshot, read
from .vocabulary import (
    MISSING,
    answer_label,
    answer_value,
    budget_verdict,
    concern_title,
    doors_first,
    extras,
    signed_usd,
    usd,
    usd_estimate,
    usd_range,
)


def _short_value(name: str, value: Any) -> str:
    """An answer's value in a sentence's words, or as stored when the contract no longer knows
    it (a snapshot from older rules)."""
    if name not in FIELDS_BY_NAME:
        return str(value)
    try:
        return value_words(name, value)
    except (KeyError, TypeError, ValueError):
        return answer_value(name, value)


# -- side by side --------------------------------------------------------------------------------


@dataclass(frozen=True)
class AnswerRow:
    name: str
    label: str
    values: tuple[str, ...]  # in words, one per recommendation
    short: tuple[str, ...] = ()  # in a sentence's words ("minutes"), one per recommendation

    @property
    def differs(self) -> bool:
        return len(set(self.values)) > 1

    @property
    def items(self) -> tuple[tuple[str, bool], ...]:
        """Each value with whether it differs from the first recommendation's."""
        return tuple((value, value != self.values[0]) for value in self.values)


@dataclass(frozen=True)
class Cell:
    """One recommendation's decision for a concern (None in a row: the snapshot has none)."""

    choice: str
    label: str
    extras: tuple[tuple[str, str], ...]
    rationale: tuple[Reason, ...]

    @property
    def extras_text(self) -> str:
        return ", ".join(f"{label}: {value}" for label, value in self.extras)


def _key(cell: Cell | None) -> tuple[str, tuple[tuple[str, str], ...]] | None:
    return (cell.choice, cell.extras) if cell else None


@dataclass(frozen=True)
class DecisionRow:
    concern: str
    title: str
    cells: tuple[Cell | None, ...]

    @property
    def choice_differs(self) -> bool:
        return len({cell.choice if cell else None for cell in self.cells}) > 1

    @property
    def extras_differ(self) -> bool:
        return len({cell.extras if cell else None for cell in self.cells}) > 1

    @property
    def differs(self) -> bool:
        return self.choice_differs or self.extras_differ

    @property
    def items(self) -> tuple[tuple[Cell | None, bool], ...]:
        """Each cell with whether it differs from the first recommendation's."""
        first = self.cells[0]
        return tuple((cell, _key(cell) != _key(first)) for cell in self.cells)

    @property
    def extra_changes(self) -> tuple[tuple[str, tuple[str, ...]], ...]:
        """The extras that differ, each with its value per recommendation ("—" where absent)."""
        labels: dict[str, None] = {}
        for cell in self.cells:
            labels.update(dict.fromkeys(label for label, _ in cell.extras) if cell else {})
        found = []
        for label in labels:
            values = tuple(
                dict(cell.extras).get(label, MISSING) if cell else MISSING for cell in self.cells
            )
            if len(set(values)) > 1:
                found.append((label, values))
        return tuple(found)


@dataclass(frozen=True)
class RiskRow:
    id: str
    risks: tuple[Risk | None, ...]  # the risk as each recommendation words it, or None

    @property
    def first(self) -> Risk:
        return next(risk for risk in self.risks if risk is not None)

    @property
    def present(self) -> tuple[bool, ...]:
        return tuple(risk is not None for risk in self.risks)

    @property
    def differs(self) -> bool:
        return not all(self.present)

    @property
    def items(self) -> tuple[tuple[Risk | None, bool], ...]:
        """Each side's risk (None: not raised) with whether that differs from the first."""
        first = self.risks[0] is not None
        return tuple((risk, (risk is not None) != first) for risk in self.risks)

    @property
    def reworded(self) -> bool:
        """Present everywhere, but with other words or severity (e.g. new figures)."""
        worded = {(risk.text, risk.severity, risk.one_way_door) for risk in self.risks if risk}
        return all(self.present) and len(worded) > 1


@dataclass(frozen=True)
class CostCell:
    money: Money
    budget: int | None
    within_budget: bool | None
    delta_low: float  # against the first recommendation
    delta_high: float
    delta_expected: float | None = None  # when both carry a point estimate

    @property
    def low(self) -> float:
        return self.money.low

    @property
    def high(self) -> float:
        return self.money.high

    @property
    def range(self) -> str:
        return usd_range(self.low, self.high)

    @property
    def figure(self) -> str:
        """The estimate with its range, as the recommendation page shows it."""
        return usd_estimate(self.money)

    @property
    def shown(self) -> str:
        """The figure a sentence quotes: the point estimate, or the range before there was one."""
        return self.range if self.money.expected is None else usd(self.money.expected)

    @property
    def delta(self) -> str:
        """The change from the first recommendation: one figure between point estimates (the
        ends of two ranges can move apart, from +$56 to minus $22), else the ends' changes."""
        if self.delta_expected is not None:
            return signed_usd(self.delta_expected)
        low, high = signed_usd(self.delta_low), signed_usd(self.delta_high)
        return low if low == high else f"{low} to {high}"

    @property
    def changed(self) -> bool:
        moved = (self.delta_low, self.delta_high, self.delta_expected or 0.0)
        return any(round(value) != 0 for value in moved)

    @property
    def verdict(self) -> str:
        return budget_verdict(self.money, self.budget)[1]


@dataclass(frozen=True)
class CostLineRow:
    item: str
    values: tuple[tuple[float, float] | None, ...]

    def shown(self) -> tuple[str, ...]:
        return tuple(usd_range(*value) if value else MISSING for value in self.values)

    @property
    def differs(self) -> bool:
        return len(set(self.shown())) > 1

    @property
    def items(self) -> tuple[tuple[str, bool], ...]:
        shown = self.shown()
        return tuple((value, value != shown[0]) for value in shown)


@dataclass(frozen=True)
class Comparison:
    """Two to four recommendations lined up; each row says whether it differs."""

    count: int
    answers: tuple[AnswerRow, ...]
    decisions: tuple[DecisionRow, ...]
    risks: tuple[RiskRow, ...]
    costs: tuple[CostCell, ...]
    cost_lines: tuple[CostLineRow, ...]

    @property
    def differing_answers(self) -> tuple[AnswerRow, ...]:
        return tuple(row for row in self.answers if row.differs)

    @property
    def differing_decisions(self) -> tuple[DecisionRow, ...]:
        return tuple(row for row in self.decisions if row.differs)

    @property
    def differing_risks(self) -> tuple[RiskRow, ...]:
        return tuple(row for row in self.risks if row.differs)

    @property
    def cost_differs(self) -> bool:
        return any(cell.changed for cell in self.costs)

    @property
    def identical(self) -> bool:
        return not (
            self.differing_answers
            or self.differing_decisions
            or self.differing_risks
            or self.cost_differs
        )


def _cell(decision: Decision | None) -> Cell | None:
    if decision is None:
        return None
    return Cell(decision.choice, decision.label, extras(decision), decision.rationale)


def _risks(snapshot: Snapshot) -> dict[str, Risk]:
    found: dict[str, Risk] = {}
    for risk in snapshot.risks:
        found.setdefault(risk.id, risk)
    return found


def _cost_lines(snapshot: Snapshot) -> dict[str, tuple[float, float]]:
    return {line.item: (line.low, line.high) for line in snapshot.cost.lines if line.item}


def compare(*recommendations: Snapshot | Mapping[str, Any]) -> Comparison:
    """Line up recommendations; the first is the one cost deltas are measured against."""
    if not recommendations:
        raise ValueError("compare needs at least one recommendation")
    snapshots = [read(r) for r in recommendations]
    answers = [s.answers for s in snapshots]
    names = [f.name for f in FIELDS if any(f.name in a for a in answers)]
    names += sorted({name for a in answers for name in a if name not in FIELDS_BY_NAME})
    answer_rows = tuple(
        AnswerRow(
            name,
            answer_label(name),
            tuple(answer_value(name, a[name]) if name in a else MISSING for a in answers),
            tuple(_short_value(name, a[name]) if name in a else MISSING for a in answers),
        )
        for name in names
    )

    concerns = [c.name for c in CONCERNS]
    concerns += sorted({n for s in snapshots for n in s.decisions if n not in CONCERNS_BY_NAME})
    decision_rows = tuple(
        DecisionRow(
            name, concern_title(name), tuple(_cell(s.decisions.get(name)) for s in snapshots)
        )
        for name in concerns
        if any(name in s.decisions for s in snapshots)
    )

    risks = [_risks(s) for s in snapshots]
    order: dict[str, Risk] = {}
    for found in risks:
        for key, risk in found.items():
            order.setdefault(key, risk)
    risk_rows = tuple(
        RiskRow(key, tuple(found.get(key) for found in risks))
        for key in sorted(order, key=lambda k: doors_first(order[k]))
    )

    base = snapshots[0].cost.monthly_usd
    cost_cells = tuple(
        CostCell(
            s.cost.monthly_usd,
            s.cost.budget_usd,
            s.cost.within_budget,
            s.cost.monthly_usd.low - base.low,
            s.cost.monthly_usd.high - base.high,
            None
            if s.cost.monthly_usd.expected is None or base.expected is None
            else s.cost.monthly_usd.expected - base.expected,
        )
        for s in snapshots
    )
    lines = [_cost_lines(s) for s in snapshots]
    items: dict[str, None] = {}
    for found_lines in lines:
        items.update(dict.fromkeys(found_lines))
    line_rows = tuple(
        CostLineRow(item, tuple(found.get(item) for found in lines)) for item in items
    )
    return Comparison(len(snapshots), answer_rows, decision_rows, risk_rows, cost_cells, line_rows)


# -- before and after ----------------------------------------------------------------------------


@dataclass(frozen=True)
class RuleChange:
    concern: str
    title: str
    rule: str
    text: str | None


@dataclass(frozen=True)
class Diff:
    """What changes from `before` to `after`, for what-if, lineage and re-evaluate."""

    comparison: Comparison
    answers: tuple[AnswerRow, ...]
    decisions: tuple[DecisionRow, ...]
    unchanged: tuple[DecisionRow, ...]
    risks_added: tuple[Risk, ...]
    risks_removed: tuple[Risk, ...]
    risks_reworded: tuple[RiskRow, ...]
    checklist_added: tuple[str, ...]
    checklist_removed: tuple[str, ...]
    cost_before: CostCell
    cost_after: CostCell
    rules_started: tuple[RuleChange, ...]
    rules_stopped: tuple[RuleChange, ...]
    facts_added: tuple[str, ...]
    facts_removed: tuple[str, ...]

    @property
    def cost_changed(self) -> bool:
        return self.cost_after.changed

    @property
    def verdict_changed(self) -> bool:
        return self.cost_before.verdict != self.cost_after.verdict

    @property
    def rules_changed(self) -> bool:
        return bool(self.rules_started or self.rules_stopped)

    @property
    def nothing(self) -> bool:
        """Nothing a reader would notice changes (rules and facts aside)."""
        return not (
            self.answers
            or self.decisions
            or self.risks_added
            or self.risks_removed
            or self.risks_reworded
            or self.checklist_added
            or self.checklist_removed
            or self.cost_changed
        )

    @property
    def changed_answers(self) -> str:
        """The answers that differ, in a line: "engine: MySQL → PostgreSQL; RTO: minutes →
        seconds" (what separates two versions)."""
        return "; ".join(
            f"{short_name(row.name) if row.name in FIELDS_BY_NAME else row.label}: "
            f"{row.short[0] if row.short else row.values[0]} → "
            f"{row.short[-1] if row.short else row.values[-1]}"
            for row in self.answers
        )

    @property
    def summary(self) -> str:
        """One sentence for a screen reader's status line or a heading's lead."""
        parts = []
        count = len(self.decisions)
        if count:
            names = ", ".join(row.title for row in self.decisions[:4])
            more = f" and {count - 4} more" if count > 4 else ""
            parts.append(f"{count} decision{'s' if count != 1 else ''} change ({names}{more})")
        else:
            parts.append("no decision changes")
        if self.risks_added:
            parts.append(
                f"{len(self.risks_added)} new risk{'s' if len(self.risks_added) != 1 else ''}"
            )
        if self.risks_removed:
            count = len(self.risks_removed)
            parts.append(f"{count} risk{'s' if count != 1 else ''} gone")
        if self.cost_changed:
            parts.append(
                f"cost {self.cost_before.shown} → {self.cost_after.shown} a month "
                f"({self.cost_after.delta})"
            )
        else:
            parts.append(f"cost unchanged at {self.cost_after.shown} a month")
        text = "; ".join(parts)
        return text[0].upper() + text[1:] + "."


def _rules(snapshot: Snapshot) -> dict[str, dict[str, str | None]]:
    """Per concern, the rules that fired (from the trace and the rationale) with their words."""
    found: dict[str, dict[str, str | None]] = {}
    for name, decision in snapshot.decisions.items():
        rules: dict[str, str | None] = {}
        for step in decision.trace:
            if step.rule:
                rules.setdefault(step.rule, None)
        for reason in decision.rationale:
            if reason.rule:
                rules[reason.rule] = reason.text or None
        found[name] = {rule: text for rule, text in rules.items() if not rule.startswith("engine.")}
    return found


def _rule_changes(
    have: dict[str, dict[str, str | None]],
    lack: dict[str, dict[str, str | None]],
    texts: Mapping[str, str],
) -> tuple[RuleChange, ...]:
    changes = []
    for name, rules in have.items():
        title = concern_title(name)
        for rule, text in rules.items():
            if rule not in lack.get(name, {}):
                changes.append(RuleChange(name, title, rule, text or texts.get(rule)))
    return tuple(changes)


def diff(
    before: Snapshot | Mapping[str, Any],
    after: Snapshot | Mapping[str, Any],
    rule_texts: Mapping[str, str] | None = None,
) -> Diff:
    """What changes from before to after; rule_texts words rules the snapshots do not explain."""
    before, after = read(before), read(after)
    comparison = compare(before, after)
    risks_before, risks_after = _risks(before), _risks(after)
    checklist_before, checklist_after = before.checklist, after.checklist
    rules_before, rules_after = _rules(before), _rules(after)
    facts_before, facts_after = before.cited, after.cited
    texts = rule_texts or {}
    return Diff(
        comparison=comparison,
        answers=comparison.differing_answers,
        decisions=comparison.differing_decisions,
        unchanged=tuple(row for row in comparison.decisions if not row.differs),
        risks_added=tuple(r for k, r in risks_after.items() if k not in risks_before),
        risks_removed=tuple(r for k, r in risks_before.items() if k not in risks_after),
        risks_reworded=tuple(row for row in comparison.risks if row.reworded),
        checklist_added=tuple(s for s in checklist_after if s not in checklist_before),
        checklist_removed=tuple(s for s in checklist_before if s not in checklist_after),
        cost_before=comparison.costs[0],
        cost_after=comparison.costs[1],
        rules_started=_rule_changes(rules_after, rules_before, texts),
        rules_stopped=_rule_changes(rules_before, rules_after, texts),
        facts_added=tuple(f for f in facts_after if f not in facts_before),
        facts_removed=tuple(f for f in facts_before if f not in facts_after),
    )
