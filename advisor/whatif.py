"""What-if: one answer changed on a stored recommendation, evaluated with today's rules.

The model behind the what-if pages, apart from the views: the change a request asks for, checked
and worded; the recommendation with and without it and what differs; and the one-click changes a
stored recommendation offers (its decisions' what_would_change), nearest first.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from advisor.engine import AnswersError, default_engine, normalise
from advisor.engine.concerns import Concern
from advisor.engine.describe import answer_words
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


def parse_change(data: Mapping[str, Any]) -> Change:
    """The change a what-if asks for: ?answer=<question>&value=<JSON>; ChangeError otherwise."""
    name = str(data.get("answer") or "").strip()
    raw = data.get("value")
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


@dataclass(frozen=True)
class WhatIf:
    change: Change
    answers: dict[str, Any]
    before: Snapshot
    after: Snapshot
    diff: Diff
    current: Any  # the stored answer that the change replaces

    @property
    def current_shown(self) -> str:
        return answer_value(self.change.name, self.current)

    @property
    def no_change(self) -> bool:
        return self.current == self.after.answers.get(self.change.name)


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


def evaluate_what_if(stored: Mapping[str, Any], change: Change) -> WhatIf:
    """Today's rules on the stored answers, with and without the change (so the diff is the
    change alone, even when the rules changed since the recommendation was saved)."""
    base = _stored_answers(stored)
    try:
        answers = normalise({**stored, change.name: change.value})
    except AnswersError as error:
        message = error.errors.get(change.name)
        if message is None:
            name, message = next(iter(error.errors.items()))
            raise ChangeError(name, f"{_field_name(name)} {message}") from None
        raise ChangeError(change.name, f"{_field_name(change.name)} {message}") from None
    change = Change(change.name, answers[change.name])
    engine = default_engine()
    before = read(engine.recommend(base, explore=False, budget_search=False))
    after = read(engine.recommend(answers, explore=False, budget_search=False))
    return WhatIf(
        change, answers, before, after, diff(before, after, rule_texts()), base[change.name]
    )


def suggested_title(original: str, change: Change) -> str:
    """The name a saved what-if gets unless its maker gives one."""
    title = f"{original or 'Variant'}, what if {change.words}"
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
