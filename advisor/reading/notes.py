"""Per-question notes: a short note on an answer, and "not applicable" with a reason.

A team records why an answer is what it is, or that a question does not apply to its system, as
the AWS Well-Architected Tool lets a reviewer do (its reasons: out of scope, business priorities,
architecture constraints, other). Notes belong to drafts and travel with the recommendation made
from one; they are never answers, so they never change a decision by themselves.

Stored as `{question: {"note": text, "not_applicable": reason}}`, each key optional.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from advisor.engine import FIELDS_BY_NAME, AnswersError

NOTE_MAX = 500
REASONS = {
    "out_of_scope": "Out of scope",
    "business_priorities": "Business priorities",
    "architecture_constraints": "Architecture constraints",
    "other": "Other",
}


@dataclass(frozen=True)
class Note:
    text: str = ""
    not_applicable: str = ""  # a key of REASONS, or "" while the question applies

    def __bool__(self) -> bool:
        return bool(self.text or self.not_applicable)

    @property
    def reason(self) -> str:
        """The reason in words, or "" while the question applies."""
        return REASONS.get(self.not_applicable, "")

    def as_json(self) -> dict[str, str]:
        out = {}
        if self.text:
            out["note"] = self.text
        if self.not_applicable:
            out["not_applicable"] = self.not_applicable
        return out


def note_text(value: Any) -> str:
    """A note as stored: plain text on one line (runs of whitespace become one space), at most
    NOTE_MAX characters; ValueError says what is wrong."""
    if value is None:
        return ""
    if not isinstance(value, str):
        raise ValueError("must be text.")
    text = " ".join(value.split())
    if any(unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Co") for ch in text):
        raise ValueError("must not contain control or invisible characters.")
    if len(text) > NOTE_MAX:
        raise ValueError(f"must be at most {NOTE_MAX} characters (it has {len(text)}).")
    return text


def reason(value: Any) -> str:
    """A not-applicable reason's key ("" or None: the question applies); ValueError otherwise."""
    if value is None or value == "":
        return ""
    if value not in REASONS:
        raise ValueError("must be one of " + ", ".join(REASONS) + ", or null if it applies.")
    return value


def read_notes(raw: Any) -> dict[str, Note]:
    """Stored notes as they can be shown: those on known questions, each part kept only if valid
    (what was stored under an older contract never breaks a page)."""
    if not isinstance(raw, Mapping):
        return {}
    notes = {}
    for name, entry in raw.items():
        if name not in FIELDS_BY_NAME or not isinstance(entry, Mapping):
            continue
        try:
            text = note_text(entry.get("note"))
        except ValueError:
            text = ""
        try:
            why = reason(entry.get("not_applicable"))
        except ValueError:
            why = ""
        if note := Note(text, why):
            notes[name] = note
    return notes


def notes_json(notes: Mapping[str, Note]) -> dict[str, dict[str, str]]:
    return {name: note.as_json() for name, note in notes.items() if note}


def checked_notes(raw: Any) -> dict[str, Note]:
    """Notes sent to change a draft's: each question's note replaces the one it had (null, or an
    empty object, takes it away). AnswersError names every part that is wrong."""
    if not isinstance(raw, Mapping):
        raise AnswersError(
            {
                "notes": 'must be a JSON object: {"question": {"note": "...", "not_applicable": '
                '"out_of_scope"}}.'
            }
        )
    errors: dict[str, str] = {}
    notes: dict[str, Note] = {}
    for name, entry in raw.items():
        where = f"notes.{str(name)[:100]}"
        if name not in FIELDS_BY_NAME:
            errors[where] = "is not one of Archwise's questions."
            continue
        if entry is None:
            notes[name] = Note()
            continue
        if not isinstance(entry, Mapping):
            errors[where] = 'must be an object with "note" and "not_applicable", or null.'
            continue
        for key in entry:
            if key not in ("note", "not_applicable"):
                message = 'is not part of a note: send "note" and "not_applicable".'
                errors[f"{where}.{str(key)[:100]}"] = message
        try:
            text = note_text(entry.get("note"))
        except ValueError as error:
            errors[f"{where}.note"] = str(error)
            continue
        try:
            why = reason(entry.get("not_applicable"))
        except ValueError as error:
            errors[f"{where}.not_applicable"] = str(error)
            continue
        notes[name] = Note(text, why)
    if errors:
        raise AnswersError(errors)
    return notes


def with_changes(stored: Any, changes: Mapping[str, Note]) -> dict[str, dict[str, str]]:
    """Stored notes with some questions' notes replaced (an empty Note takes one away)."""
    notes = read_notes(stored) | dict(changes)
    return notes_json(notes)


# -- as a wizard step posts them: "note-<question>" and "na-<question>" ---------------------------

NOTE = "note-"
NOT_APPLICABLE = "na-"


def flat(notes: Mapping[str, Note], names: Iterable[str]) -> dict[str, str]:
    """Some questions' notes as a step's form posts them (every question, empty when none)."""
    out = {}
    for name in names:
        note = notes.get(name) or Note()
        out[NOTE + name] = note.text
        out[NOT_APPLICABLE + name] = note.not_applicable
    return out


def unflat(values: Mapping[str, str], names: Iterable[str]) -> dict[str, Note]:
    """The notes that `flat` gives, back (a question without either part has no note)."""
    notes = {}
    for name in names:
        note = Note(values.get(NOTE + name, ""), values.get(NOT_APPLICABLE + name, ""))
        if note:
            notes[name] = note
    return notes
