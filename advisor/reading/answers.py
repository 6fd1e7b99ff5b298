"""A recommendation's answers as the pages show them: only known ones, grouped by wizard step."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from advisor.engine import FIELDS, FIELDS_BY_NAME, STEPS, defaults

from .notes import Note
from .vocabulary import answer_value


def clean_answers(raw: Any) -> dict[str, Any]:
    """Keep only known answers with valid values (a stored snapshot may predate the contract)."""
    if not isinstance(raw, Mapping):
        return {}
    kept = {}
    for name, value in raw.items():
        field = FIELDS_BY_NAME.get(name)
        if field is None:
            continue
        value, error = field.check(value)
        if error is None:
            kept[name] = value
    return asked(kept)


def asked(answers: Mapping[str, Any]) -> dict[str, Any]:
    """Drop answers to questions that do not apply, so they fall back to their defaults."""
    full = defaults() | dict(answers)
    return {name: value for name, value in answers.items() if FIELDS_BY_NAME[name].applies(full)}


def answer_groups(
    answers: Mapping[str, Any], notes: Mapping[str, Note] | None = None
) -> list[dict[str, Any]]:
    """Every question that applies, grouped by step, with the answer in words and the team's
    note on it, if any."""
    full = defaults() | dict(answers)
    notes = notes or {}
    groups = []
    for key, title in STEPS:
        rows = [
            {
                "name": f.name,
                "label": f.label,
                "value": answer_value(f.name, full[f.name]),
                "note": notes.get(f.name),
            }
            for f in FIELDS
            if f.step == key and f.name in full and f.applies(full)
        ]
        groups.append({"step": key, "title": title, "rows": rows})
    return groups
