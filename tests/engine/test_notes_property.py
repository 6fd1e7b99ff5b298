"""Notes never change a decision: over the whole answers space, a draft finished with any notes
stores the same recommendation as the same answers without them."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from advisor.drafts import finish
from advisor.engine import FIELDS, defaults
from advisor.models import Draft
from advisor.reading.notes import NOTE_MAX, REASONS
from tests.engine.test_properties import ANSWERS, consistent
from tests.scale import examples

pytestmark = pytest.mark.django_db

NOTE = st.fixed_dictionaries(
    {},
    optional={
        "note": st.text(
            st.characters(codec="utf-8", categories=("L", "N", "P", "S", "Zs")),
            min_size=1,
            max_size=NOTE_MAX,
        ).filter(str.strip),
        "not_applicable": st.sampled_from(list(REASONS)),
    },
).filter(bool)
NOTES = st.dictionaries(st.sampled_from([f.name for f in FIELDS]), NOTE, max_size=len(FIELDS))


@settings(
    max_examples=examples(60),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(answers=ANSWERS, notes=NOTES)
def test_notes_never_change_the_recommendation(answers, notes):
    answers = consistent(answers)
    saved = finish(Draft.objects.create(answers=answers, notes=notes), "")
    without = finish(Draft.objects.create(answers=answers), "")
    assert saved.answers == without.answers
    assert saved.recommendation == without.recommendation
    # Published: the notes on questions these answers ask, each exactly as given (its text with
    # runs of whitespace made one space).
    full = defaults() | saved.answers
    asked = {name for name in notes if next(f for f in FIELDS if f.name == name).applies(full)}
    assert set(saved.notes) == asked
    for name in asked:
        given_note = notes[name]
        published = saved.notes[name]
        assert published.get("not_applicable") == given_note.get("not_applicable")
        assert published.get("note") == (" ".join(given_note.get("note", "").split()) or None)
    assert ("notes" in saved.published()) == bool(asked)
