"""What-if: answers changed on a stored recommendation, evaluated with today's rules.

The model behind the what-if pages, apart from the views: the changes a request asks for, checked
and worded; the recommendation with and without them and what differs; and the one-click changes a
stored recommendation offers (its decisions' what_would_change), nearest first.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from advisor.engine import AnswersError, default_engine, normalise
from advisor.engine.concerns import Concern
from advisor.engine.describe import answer_words, join, short_name, value_words
from advisor.reading import Decision, Snapshot, read
from advisor.reading.compare import Diff, diff
from advisor.reading.vocabulary import answer_label, answer_value
from advisor.recommendations import TITLE_MAX

VALUE_MAX = 2000  # characters of JSON in a what-if value: far more than any answer needs


def rule_texts() -> dict[str, str]:
    """Today's rules' words, for rules a diff names that its snapshots do not explain."""
    return {rule.id: rule.rationale for rule in default_engine().catalog.rules}


# -- one change ----------------------------------------------------------------------------------


class ChangeError(ValueError):
    """A what-if request that cannot be evaluated, with the field to blame."""

    def __init__(self, field: str, message: str):
        self.field = field
        self.message = message
        super().__init__(f"{field}: {message}")


@dataclass(frozen=True)
class Change:
    """One answer set to one value."""

    name: str
    value: Any

    @property
    def label(self) -> str:
        return answer_label(self.name)

    @property
    def shown(self) -> str:
        return answer_value(self.name, self.value)

    @property
    def words(self) -> str:
        return answer_words(self.name, self.value)

    @property
    def value_json(self) -> str:
        return json.dumps(self.value, separators=(",", ":"))

    @property
    def query(self) -> str:
        return urlencode({"answer": self.name, "value": self.value_json})


def _field_name(name: str) -> str:
    return f"“{answer_label(name)}” ({name})" if name != answer_label(name) else f"“{name}”"


MAX_CHANGES = 12  # answers one what-if may change at once: more than a design session tries


def _one_change(name: str, raw: Any) -> Change:
    name = str(name or "").strip()
    if not name:
        raise ChangeError("answer", 'Say which answer to change, e.g. ?answer=rto&value="seconds".')
    if raw is None or str(raw).strip() == "":
        raise ChangeError(
            name, f'Give the new value for {_field_name(name)} as JSON, e.g. value="seconds".'
        )
    if len(raw) > VALUE_MAX:
        raise ChangeError(name, f"The value for {_field_name(name)} is too long.")
    try:
        value = json.loads(raw)
    except (ValueError, RecursionError):
        raise ChangeError(
            name,
            f"The value for {_field_name(name)} is not valid JSON. Text needs double quotes "
            '(value="seconds"); yes and no are true and false; numbers are plain (value=500).',
        ) from None
    return Change(name, value)


def _values(data: Mapping[str, Any], key: str) -> list[Any]:
    getlist = getattr(data, "getlist", None)
    if getlist is not None:
        return list(getlist(key))
    found = data.get(key)
    return [] if found is None else [found]


def parse_changes(data: Mapping[str, Any]) -> tuple[Change, ...]:
    """The changes a what-if asks for: one or more ?answer=<question>&value=<JSON> pairs, the
    first value given for a question winning (a pressed toggle comes before those already
    applied); ChangeError otherwise."""
    names, raws = _values(data, "answer"), _values(data, "value")
    if not names or not raws:
        return (_one_change(names[0] if names else "", raws[0] if raws else None),)
    if len(names) != len(raws):
        raise ChangeError(
            "answer", 'Give each answer= its own value=, in pairs: ?answer=rto&value="seconds".'
        )
    if len(names) > MAX_CHANGES:
        raise ChangeError("answer", f"A what-if changes at most {MAX_CHANGES} answers at once.")
    changes: dict[str, Change] = {}
    for name, raw in zip(names, raws, strict=True):
        change = _one_change(name, raw)
        changes.setdefault(change.name, change)
    return tuple(changes.values())


@dataclass(frozen=True)
class WhatIf:
    changes: tuple[Change, ...]
    answers: dict[str, Any]
    before: Snapshot
    after: Snapshot
    diff: Diff
    current: dict[str, Any]  # the stored answers that the changes replace

    @property
    def change(self) -> Change:
        """The first change: the one a single what-if is about."""
        return self.changes[0]

    @property
    def words(self) -> str:
        """'RTO: seconds and engine: MySQL'."""
        return join([change.words for change in self.changes])

    @property
    def query(self) -> str:
        return "&".join(change.query for change in self.changes)

    @property
    def rows(self) -> list[dict[str, Any]]:
        """Each change with the value it replaces and the query without it (to take it back)."""
        return [
            {
                "change": change,
                "name": short_name(change.name),
                "was": value_words(change.name, self.current[change.name]),
                "now": value_words(change.name, change.value),
                "was_shown": answer_value(change.name, self.current[change.name]),
                "without": "&".join(other.query for other in self.changes if other is not change),
            }
            for change in self.changes
        ]

    @property
    def no_change(self) -> bool:
        return all(
            self.current[change.name] == self.after.answers.get(change.name)
            for change in self.changes
        )


def _stored_answers(stored: Mapping[str, Any]) -> dict[str, Any]:
    """The stored answers under today's contract, or ChangeError naming what no longer passes."""
    try:
        return normalise(stored)
    except AnswersError as error:
        name, message = next(iter(error.errors.items()))
        raise ChangeError(
            name,
            f"The answers stored with this recommendation no longer pass today's checks: "
            f"{_field_name(name)} {message} Edit a copy to answer that question again.",
        ) from None


def evaluate_what_if(stored: Mapping[str, Any], changes: Change | Sequence[Change]) -> WhatIf:
    """Today's rules on the stored answers, with and without the changes (so the diff is the
    changes alone, even when the rules changed since the recommendation was saved)."""
    if isinstance(changes, Change):
        changes = (changes,)
    base = _stored_answers(stored)
    asked = {change.name: change.value for change in changes}
    try:
        answers = normalise({**stored, **asked})
    except AnswersError as error:
        name = next((name for name in asked if name in error.errors), None)
        if name is None:
            name = next(iter(error.errors))
        raise ChangeError(name, f"{_field_name(name)} {error.errors[name]}") from None
    changes = tuple(Change(change.name, answers[change.name]) for change in changes)
    engine = default_engine()
    before = read(engine.recommend(base, explore=False, budget_search=False))
    after = read(engine.recommend(answers, explore=False, budget_search=False))
    current = {change.name: base[change.name] for change in changes}
    return WhatIf(changes, answers, before, after, diff(before, after, rule_texts()), current)


def suggested_title(original: str, changes: Change | Sequence[Change]) -> str:
    """The name a saved what-if gets unless its maker gives one."""
    if isinstance(changes, Change):
        changes = (changes,)
    title = f"{original or 'Variant'}, what if {join([change.words for change in changes])}"
    return title if len(title) <= TITLE_MAX else title[: TITLE_MAX - 1].rstrip() + "…"


@dataclass(frozen=True)
class Toggle:
    """One answer change from a decision's what_would_change, as a one-click what-if."""

    answer: str
    value_json: str
    text: str
    via: str | None
    query: str
    why: str = ""
    choice: str = ""

    @property
    def condition(self) -> str:
        """The change without the choice it leads to: 'If the budget is $263 a month or less'."""
        return self.text.rsplit(" → ", 1)[0]


# The page shows this many changes per decision, nearest and most plausible first; the JSON
# export keeps every one.
SHOWN_CHANGES = 5


def toggles(decision: Decision) -> list[Toggle]:
    found = []
    for entry in decision.what_would_change:
        if not entry.answer:
            continue
        change = Change(entry.answer, entry.value)
        found.append(
            Toggle(
                change.name,
                change.value_json,
                entry.text,
                entry.via,
                change.query,
                entry.why,
                entry.choice,
            )
        )
    return found


def ranked_changes(decision: Decision, concern: Concern) -> dict[str, Any] | None:
    """The nearest few changes, grouped by the choice they lead to (None for a recommendation
    stored before changes were ranked, which keeps its full list)."""
    entries = decision.what_would_change
    if not entries or any(entry.rank is None for entry in entries):
        return None
    found = toggles(decision)[:SHOWN_CHANGES]
    groups: dict[str, dict[str, Any]] = {}
    for toggle in found:
        label = concern.labels.get(toggle.choice, toggle.choice)
        group = groups.setdefault(toggle.choice, {"label": label, "toggles": []})
        group["toggles"].append(toggle)
    return {"groups": list(groups.values()), "more": len(entries) - len(found)}


def all_toggles(snapshot: Snapshot) -> list[dict[str, Any]]:
    """Every distinct change of the recommendation's decisions, grouped by answer."""
    groups: dict[str, dict[str, Any]] = {}
    seen: set[str] = set()
    for decision in snapshot.decisions.values():
        for toggle in toggles(decision):
            if toggle.query in seen:
                continue
            seen.add(toggle.query)
            group = groups.setdefault(
                toggle.answer, {"label": answer_label(toggle.answer), "changes": []}
            )
            try:
                shown = answer_value(toggle.answer, json.loads(toggle.value_json))
            except ValueError:
                shown = toggle.value_json
            group["changes"].append({"query": toggle.query, "shown": shown})
    return list(groups.values())
