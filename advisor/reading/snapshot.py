"""One reading of a stored recommendation: every version the engine ever stored, typed.

A snapshot is the engine's output as it was stored (contract v1). Rows stored by older rulesets
lack keys today's engine writes, and a future ruleset may add keys this code does not know, so
`read()` is tolerant: a missing or malformed value becomes an empty or neutral one, never an
error, and the pages and exports built on `Snapshot` never look inside the JSON themselves.
The attribute names are the contract's keys, so templates read `decision.label` either way.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from advisor.engine import CONCERNS, CONCERNS_BY_NAME

from .notes import Note, read_notes

EMPTY: Mapping[str, Any] = {}

# -- tolerant conversions ---------------------------------------------------------------------


def _mapping(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else EMPTY


def _mappings(value: Any) -> tuple[Mapping[str, Any], ...]:
    if not isinstance(value, list | tuple):
        return ()
    return tuple(item for item in value if isinstance(item, Mapping))


def _strings(value: Any) -> tuple[str, ...]:
    if not isinstance(value, list | tuple):
        return ()
    return tuple(str(item) for item in value)


def _text(value: Any, default: str = "") -> str:
    return default if value is None else str(value)


def _count(value: Any) -> int:
    """A whole number of things: absent, negative or not a number counts as none."""
    if isinstance(value, bool):
        return 0
    try:
        return max(0, int(value))
    except (TypeError, ValueError):
        return 0


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)


def _whole(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


# -- the parts --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Reason:
    """Why a choice won: a rule's (or the engine's own) words and the facts behind them."""

    rule: str
    text: str
    facts: tuple[str, ...]

    @classmethod
    def read(cls, data: Mapping[str, Any]) -> Reason:
        return cls(_text(data.get("rule")), _text(data.get("text")), _strings(data.get("facts")))


@dataclass(frozen=True)
class Alternative:
    """A choice that lost, and why: the rules that excluded it or the reason it scored lower."""

    choice: str
    label: str
    score: int | None
    excluded_by: tuple[str, ...]
    why: str | None
    facts: tuple[str, ...]

    @classmethod
    def read(cls, data: Mapping[str, Any]) -> Alternative:
        choice = _text(data.get("choice"))
        return cls(
            choice=choice,
            label=_text(data.get("label")) or choice,
            score=_whole(data.get("score")),
            excluded_by=_strings(data.get("excluded_by")),
            why=_text(data.get("why")) or None,
            facts=_strings(data.get("facts")),
        )


@dataclass(frozen=True)
class Step:
    """One rule that spoke on a decision, in the engine's trace."""

    rule: str
    effect: str
    choices: tuple[str, ...]
    weight: int

    @classmethod
    def read(cls, data: Mapping[str, Any]) -> Step:
        return cls(
            rule=_text(data.get("rule")),
            effect=_text(data.get("effect")),
            choices=_strings(data.get("choices")),
            weight=_whole(data.get("weight")) or 0,
        )


@dataclass(frozen=True)
class WouldChange:
    """An answer that would change the decision ("If data growth is fast → Aurora"); `rank`
    orders them, nearest first, in snapshots from the ruleset that ranked them on."""

    answer: str
    value: Any
    choice: str
    text: str
    via: Any
    why: str
    rank: int | None

    @classmethod
    def read(cls, data: Mapping[str, Any]) -> WouldChange:
        return cls(
            answer=_text(data.get("answer")),
            value=data.get("value"),
            choice=_text(data.get("choice")),
            text=_text(data.get("text")),
            via=data.get("via"),
            why=_text(data.get("why")),
            rank=_whole(data.get("rank")),
        )


@dataclass(frozen=True)
class Decision:
    """One concern's decision. `extras` holds the concern's extra keys (instance class, read
    copies, cache replicas...) exactly as stored; absent ones are absent."""

    concern: str
    choice: str
    label: str
    score: int | None
    rationale: tuple[Reason, ...]
    alternatives: tuple[Alternative, ...]
    what_would_change: tuple[WouldChange, ...]
    trace: tuple[Step, ...]
    extras: dict[str, Any]

    @classmethod
    def read(cls, concern: str, data: Mapping[str, Any]) -> Decision:
        choice = _text(data.get("choice"))
        known = CONCERNS_BY_NAME.get(concern)
        keys = known.extras if known else ()
        return cls(
            concern=concern,
            choice=choice,
            label=_text(data.get("label")) or choice,
            score=_whole(data.get("score")),
            rationale=tuple(Reason.read(r) for r in _mappings(data.get("rationale"))),
            alternatives=tuple(Alternative.read(a) for a in _mappings(data.get("alternatives"))),
            what_would_change=tuple(
                WouldChange.read(c) for c in _mappings(data.get("what_would_change"))
            ),
            trace=tuple(Step.read(s) for s in _mappings(data.get("trace"))),
            extras={key: data[key] for key in keys if key in data},
        )

    @property
    def cited(self) -> tuple[str, ...]:
        """The facts its reasons cite, each once, in order."""
        return tuple(dict.fromkeys(fact for reason in self.rationale for fact in reason.facts))


@dataclass(frozen=True)
class Risk:
    id: str
    severity: str
    one_way_door: bool
    text: str
    facts: tuple[str, ...]

    @classmethod
    def read(cls, index: int, data: Mapping[str, Any]) -> Risk:
        return cls(
            id=_text(data.get("id")) or f"risk-{index}",
            severity=_text(data.get("severity")) or "low",
            one_way_door=bool(data.get("one_way_door")),
            text=_text(data.get("text")),
            facts=_strings(data.get("facts")),
        )


@dataclass(frozen=True)
class Money:
    """A monthly figure: a range, and the point estimate snapshots from 2026-12 on carry."""

    low: float
    high: float
    expected: float | None = None

    @classmethod
    def read(cls, data: Any) -> Money:
        data = _mapping(data)
        return cls(
            low=_number(data.get("low")) or 0.0,
            high=_number(data.get("high")) or 0.0,
            expected=_number(data.get("expected")),
        )

    @property
    def point(self) -> float:
        """The figure a budget is weighed against: the estimate, or the low end before it."""
        return self.low if self.expected is None else self.expected


@dataclass(frozen=True)
class CostLine:
    item: str
    concern: str
    monthly: Money
    assumption: str
    facts: tuple[str, ...]

    @classmethod
    def read(cls, data: Mapping[str, Any]) -> CostLine:
        return cls(
            item=_text(data.get("item")),
            concern=_text(data.get("concern")),
            monthly=Money.read(data),
            assumption=_text(data.get("assumption")),
            facts=_strings(data.get("facts")),
        )

    @property
    def low(self) -> float:
        return self.monthly.low

    @property
    def high(self) -> float:
        return self.monthly.high

    @property
    def expected(self) -> float | None:
        return self.monthly.expected


@dataclass(frozen=True)
class SizingItem:
    answer: str
    text: str


@dataclass(frozen=True)
class Sizing:
    items: tuple[SizingItem, ...]


@dataclass(frozen=True)
class BudgetOption:
    """A way to fit the budget (or to buy more with what is left): answer changes and their cost."""

    id: str
    changes: dict[str, Any]
    monthly_usd: Money
    meets_budget: bool
    keeps_requirements: bool
    gives_up: str
    adds: str

    @classmethod
    def read(cls, index: int, data: Mapping[str, Any]) -> BudgetOption:
        return cls(
            id=_text(data.get("id")) or f"option-{index}",
            changes=dict(_mapping(data.get("changes"))),
            monthly_usd=Money.read(data.get("monthly_usd")),
            meets_budget=bool(data.get("meets_budget")),
            keeps_requirements=bool(data.get("keeps_requirements")),
            gives_up=_text(data.get("gives_up")),
            adds=_text(data.get("adds")),
        )


@dataclass(frozen=True)
class Cost:
    monthly_usd: Money
    budget_usd: int | None
    within_budget: bool | None
    lines: tuple[CostLine, ...]
    prices_as_of: str
    sizing: Sizing | None  # None: stored before sizing was explained
    budget_options: tuple[BudgetOption, ...]
    headroom: tuple[BudgetOption, ...]

    @classmethod
    def read(cls, data: Any) -> Cost:
        data = _mapping(data)
        within = data.get("within_budget")
        sizing = _mapping(data.get("sizing"))
        return cls(
            monthly_usd=Money.read(data.get("monthly_usd")),
            budget_usd=_whole(data.get("budget_usd")),
            within_budget=within if isinstance(within, bool) else None,
            lines=tuple(CostLine.read(line) for line in _mappings(data.get("lines"))),
            prices_as_of=_text(data.get("prices_as_of")),
            sizing=Sizing(
                tuple(
                    SizingItem(_text(item.get("answer")), _text(item.get("text")))
                    for item in _mappings(sizing.get("items"))
                )
            )
            if "sizing" in data
            else None,
            budget_options=tuple(
                BudgetOption.read(i, o) for i, o in enumerate(_mappings(data.get("budget_options")))
            ),
            headroom=tuple(
                BudgetOption.read(i, o) for i, o in enumerate(_mappings(data.get("headroom")))
            ),
        )

    def line_for(self, concern: str) -> CostLine | None:
        return next((line for line in self.lines if line.concern == concern), None)


# -- the whole ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Snapshot:
    """A recommendation as the engine made it: answers, decisions, risks, checklist and cost."""

    ruleset_version: str
    summary: str
    answers: dict[str, Any]
    decisions: dict[str, Decision]  # known concerns in contract order, then unknown ones
    risks: tuple[Risk, ...]
    checklist: tuple[str, ...]
    cost: Cost
    fired_rules: tuple[str, ...]
    engine_versions: str  # the date of the versions its template pins ("": stored before)

    def decision(self, concern: str) -> Decision:
        """The decision for a concern; an empty one where the snapshot has none."""
        found = self.decisions.get(concern)
        return found if found is not None else Decision.read(concern, EMPTY)

    def choice(self, concern: str, default: str = "") -> str:
        return self.decision(concern).choice or default

    @property
    def read_replicas(self) -> int:
        """How many read copies serve reads (none when read scaling chose none)."""
        scaling = self.decision("read_scaling")
        return 0 if scaling.choice in ("", "none") else _count(scaling.extras.get("count"))

    @property
    def cache_replicas(self) -> int:
        """Replicas per shard of a Valkey or Redis OSS cache (none without one)."""
        cache = self.decision("cache")
        return 0 if cache.choice in ("", "none") else _count(cache.extras.get("replicas"))

    @property
    def cited(self) -> tuple[str, ...]:
        """Every fact the decisions and risks cite, each once, in order."""
        found = [fact for d in self.decisions.values() for fact in d.cited]
        found += [fact for risk in self.risks for fact in risk.facts]
        return tuple(dict.fromkeys(found))


def read(data: Any) -> Snapshot:
    """Read a stored recommendation (or a fresh one from the engine) of any ruleset; a Snapshot
    already read is returned as it is."""
    if isinstance(data, Snapshot):
        return data
    data = _mapping(data)
    stored = _mapping(data.get("decisions"))
    names = [c.name for c in CONCERNS if c.name in stored]
    names += [str(name) for name in stored if name not in CONCERNS_BY_NAME]
    decisions = {
        name: Decision.read(name, stored[name])
        for name in names
        if isinstance(stored[name], Mapping) and "choice" in stored[name]
    }
    return Snapshot(
        ruleset_version=_text(data.get("ruleset_version")),
        summary=_text(data.get("summary")),
        answers=dict(_mapping(data.get("answers"))),
        decisions=decisions,
        risks=tuple(Risk.read(i, r) for i, r in enumerate(_mappings(data.get("risks")))),
        checklist=_strings(data.get("checklist")),
        cost=Cost.read(data.get("cost")),
        fired_rules=_strings(data.get("fired_rules")),
        engine_versions=_text(data.get("engine_versions")),
    )


@dataclass(frozen=True)
class Stored:
    """A stored recommendation as its link publishes it: its slug, title, date and ruleset, the
    version it links back to (if its maker chose to) and the snapshot."""

    slug: str
    title: str
    created: str
    ruleset_version: str
    parent: str | None
    snapshot: Snapshot
    notes: dict[str, Note] = field(default_factory=dict)  # the team's notes on its answers

    @property
    def headline(self) -> str:
        return self.title or self.snapshot.summary


def read_stored(data: Any) -> Stored:
    """Read what a link publishes (the JSON export, the API's detail) of any ruleset; a Stored
    already read is returned as it is."""
    if isinstance(data, Stored):
        return data
    data = _mapping(data)
    snapshot = read(data.get("recommendation"))
    if not snapshot.answers and isinstance(data.get("answers"), Mapping):
        snapshot = replace(snapshot, answers=dict(data["answers"]))
    return Stored(
        slug=_text(data.get("slug")),
        title=_text(data.get("title")),
        created=_text(data.get("created")),
        ruleset_version=_text(data.get("ruleset_version")) or snapshot.ruleset_version,
        parent=_text(data.get("parent")) or None,
        snapshot=snapshot,
        notes=read_notes(data.get("notes")),
    )
