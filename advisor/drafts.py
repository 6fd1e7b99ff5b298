"""Drafts: wizard runs stored at their own links, changed by version so no change is lost.

Shared by the wizard's pages and the JSON API. A change names the version it was made against;
if another change landed first, it is refused (the caller says so and offers it again) instead
of silently overwriting the other.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from typing import Any

from django.db.models import F
from django.utils import timezone

from .engine import FIELDS_BY_NAME, AnswersError, defaults, normalise
from .engine.answers import Field
from .models import SLUG_PATTERN, Draft, Recommendation
from .reading.answers import asked, clean_answers
from .reading.notes import Note, flat, notes_json, read_notes, with_changes
from .recommendations import clean_title, save_recommendation

KEY = re.compile(SLUG_PATTERN)


def compact(answers: Mapping[str, Any]) -> dict[str, Any]:
    """Only the answers that differ from the defaults."""
    base = defaults()
    return {
        name: value for name, value in answers.items() if name not in base or base[name] != value
    }


def find(key: str) -> Draft | None:
    """The draft behind a key, or None (text that cannot be a key never reaches the database)."""
    if not KEY.fullmatch(key):
        return None
    return Draft.objects.select_related("parent").filter(key=key).first()


def step_base(
    fields: Iterable[Field], answers: Mapping[str, Any], notes: Mapping[str, Note] | None = None
) -> str:
    """A step's answers and notes as a page shows them, as JSON: the base a change on that page
    is merged against (see the wizard's merge)."""
    full = defaults() | dict(answers)
    names = [field.name for field in fields]
    base = {name: full.get(name) for name in names} | flat(notes or {}, names)
    return json.dumps(base, sort_keys=True)


def checked_answers(raw: Any) -> dict[str, Any]:
    """Some answers, each checked on its own (a draft need not be complete); AnswersError names
    every answer that is wrong."""
    if not isinstance(raw, Mapping):
        raise AnswersError({"answers": "must be a JSON object of answers."})
    errors: dict[str, str] = {}
    kept: dict[str, Any] = {}
    for name, value in raw.items():
        field = FIELDS_BY_NAME.get(name)
        if field is None:
            errors[str(name)[:100]] = "is not one of Archwise's questions."
            continue
        value, error = field.check(value)
        if error is None:
            kept[name] = value
        else:
            errors[name] = error
    if errors:
        raise AnswersError(errors)
    return kept


def change(
    draft: Draft,
    version: int | None = None,
    *,
    answers: Mapping[str, Any] | None = None,
    title: str | None = None,
    notes: Mapping[str, Note] | None = None,
) -> bool:
    """Apply a change made against `version` (None: against whatever is stored now); False,
    and nothing changed, when another change landed since. One compare-and-swap: of two changes
    made against the same version, exactly one lands. On success `draft` holds the state this
    change made (not a later one); otherwise it is read again as it is now."""
    if version is not None and version != draft.version:
        draft.refresh_from_db()
        return False
    fields: dict[str, Any] = {"version": F("version") + 1, "updated": timezone.now()}
    if answers is not None:
        fields["answers"] = compact(asked({**clean_answers(draft.answers), **answers}))
    if title is not None:
        fields["title"] = title
    if notes is not None:
        fields["notes"] = with_changes(draft.notes, notes)
    rows = Draft.objects.filter(pk=draft.pk)
    if version is not None:
        rows = rows.filter(version=version)
    if rows.update(**fields) != 1:
        draft.refresh_from_db()
        return False
    if version is None:
        draft.refresh_from_db()
        return True
    for name, value in fields.items():
        setattr(draft, name, version + 1 if name == "version" else value)
    return True


def replace_answers(
    draft: Draft, answers: Mapping[str, Any], notes: Mapping[str, Note] | None = None
) -> None:
    """Store the answers (and notes) as they now stand (the wizard's form holds every one)."""
    fields: dict[str, Any] = {"answers": compact(answers)}
    if notes is not None:
        fields["notes"] = notes_json(notes)
    Draft.objects.filter(pk=draft.pk).update(
        **fields, version=F("version") + 1, updated=timezone.now()
    )
    draft.refresh_from_db()


def shown_notes(notes: Mapping[str, Note], answers: Mapping[str, Any]) -> dict[str, Note]:
    """The notes on questions these answers ask (a note on a question that no longer applies
    stays in the draft, in case it applies again, but is not published)."""
    full = defaults() | dict(answers)
    return {name: note for name, note in notes.items() if FIELDS_BY_NAME[name].applies(full)}


def carried_notes(
    notes: Any, before: Mapping[str, Any], after: Mapping[str, Any]
) -> dict[str, Note]:
    """A recommendation's notes as they carry over to a version made from it (an edited copy, a
    saved what-if): those on answers the new version keeps; a note on an answer that changed
    was about the old answer."""
    old, new = defaults() | dict(before), defaults() | dict(after)
    return {
        name: note
        for name, note in shown_notes(read_notes(notes), after).items()
        if old.get(name) == new.get(name)
    }


def finish(draft: Draft, title: str, shows_parent: bool = False) -> Recommendation:
    """Store the draft's answers as an immutable recommendation linked back to the draft, made
    from the draft's parent; the draft stays, now a draft of that recommendation's next version.
    AnswersError when the answers are not complete (the engine is missing, say)."""
    answers = normalise(clean_answers(draft.answers))
    saved = save_recommendation(
        answers,
        clean_title(title),
        draft.parent,
        shows_parent=shows_parent,
        draft=draft,
        notes=notes_json(shown_notes(read_notes(draft.notes), answers)),
    )
    Draft.objects.filter(pk=draft.pk).update(parent=saved, saved_version=draft.version)
    draft.refresh_from_db()
    return saved
