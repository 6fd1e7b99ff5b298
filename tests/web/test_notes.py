"""Notes on answers, and "not applicable" with a reason: kept on the draft, shown with the answers
on the recommendation and in its decision record, never part of the answers."""

from __future__ import annotations

import json

import pytest
from django.test import Client
from django.urls import reverse

from advisor.models import Recommendation
from advisor.reading.notes import NOTE_MAX
from advisor.recommendations import save_recommendation
from tests.drafts import current, preview_url, step_url
from tests.web.test_wizard import HTMX, form_data, html, question

pytestmark = pytest.mark.django_db

RTO_NOTE = "The payments team agreed to minutes in its SLA review"


def noted(step: str, answers: dict, **notes: tuple[str, str]) -> dict:
    """A step's form with some questions' notes: question=(note, reason)."""
    data = form_data(step, answers)
    for name, (text, why) in notes.items():
        data[f"note-{name}"] = text
        data[f"na-{name}"] = why
    return data


@pytest.fixture
def wizard(client: Client) -> Client:
    response = client.post(step_url("workload"), form_data("workload", {"engine": "postgresql"}))
    assert response.status_code == 303
    return client


def notes() -> dict:
    return current().notes


def test_a_note_and_not_applicable_are_saved_with_the_step_and_shown_again(wizard):
    data = noted(
        "availability",
        {"engine": "postgresql"},
        rto=(RTO_NOTE, ""),
        region_dr=("", "business_priorities"),
    )
    response = wizard.post(step_url("availability"), data)
    assert response.status_code == 303
    assert notes() == {
        "rto": {"note": RTO_NOTE},
        "region_dr": {"not_applicable": "business_priorities"},
    }
    page = html(wizard.get(step_url("availability")))
    rto = question(page, "rto")
    assert f">{RTO_NOTE}</textarea>" in rto
    assert '<details class="qnote" id="qnote-rto" open>' in rto
    region = question(page, "region_dr")
    assert '<option value="business_priorities" selected>' in region
    assert "Not applicable: business priorities" in region
    # A question without a note offers one, closed.
    assert '<details class="qnote" id="qnote-rpo">' in question(page, "rpo")
    assert "Add a note, or mark it not applicable" in question(page, "rpo")


def test_emptying_a_note_takes_it_away(wizard):
    wizard.post(step_url("availability"), noted("availability", {}, rto=(RTO_NOTE, "other")))
    assert notes() == {"rto": {"note": RTO_NOTE, "not_applicable": "other"}}
    wizard.post(step_url("availability"), noted("availability", {}, rto=("  ", "")))
    assert notes() == {}


def test_saving_as_it_is_given_keeps_a_note(wizard):
    data = noted("availability", {}, rto=(RTO_NOTE, "")) | {"_action": "stay"}
    response = wizard.post(preview_url("availability"), data, **HTMX)
    assert response.status_code == 200
    assert notes() == {"rto": {"note": RTO_NOTE}}


def test_a_form_that_did_not_show_a_note_leaves_it_as_it_was(wizard):
    wizard.post(step_url("availability"), noted("availability", {}, rto=(RTO_NOTE, "")))
    wizard.post(step_url("availability"), form_data("availability", {"rpo": "zero"}))
    assert notes() == {"rto": {"note": RTO_NOTE}}


@pytest.mark.parametrize(
    ("note", "reason", "message"),
    [
        ("x" * (NOTE_MAX + 1), "", f"The note must be at most {NOTE_MAX} characters"),
        ("ring \x07 bell", "", "must not contain control or invisible characters"),
        ("", "no_reason", "Choose whether it applies from the options listed."),
    ],
)
def test_a_bad_note_is_named_and_kept_on_screen_and_the_answers_still_save(
    wizard, note, reason, message
):
    wizard.post(step_url("availability"), noted("availability", {}, rto=(RTO_NOTE, "")))
    data = noted("availability", {"rpo": "zero"}, rto=(note, reason))
    response = wizard.post(step_url("availability"), data)
    assert response.status_code == 200
    page = html(response)
    assert '<a href="#note-rto">Note on “Recovery time after a database failure (RTO)”: ' in page
    assert message in page
    assert 'aria-invalid="true" aria-describedby="note-rto-error"' in question(page, "rto")
    assert current().answers["rpo"] == "zero"
    assert notes() == {"rto": {"note": RTO_NOTE}}  # the last good note stays


def test_the_review_shows_the_notes_under_their_answers(wizard):
    wizard.post(step_url("availability"), noted("availability", {}, rto=(RTO_NOTE, "other")))
    page = html(wizard.get(step_url("review")))
    row = page[page.index("Recovery time after a database failure (RTO)</dt>") :]
    row = row[: row.index("</dd>")]
    assert "Not applicable: other" in row
    assert RTO_NOTE in row


def _finish(client: Client, title: str = "Payments") -> Recommendation:
    response = client.post(step_url("review"), {"title": title, "_action": "create"})
    assert response.status_code == 303
    return Recommendation.objects.get(slug=response["Location"].split("/")[2])


def test_a_recommendation_carries_the_notes_on_its_page_its_record_and_its_json(wizard):
    data = noted(
        "availability", {}, rto=(RTO_NOTE, ""), region_dr=("DR is next year", "out_of_scope")
    )
    wizard.post(step_url("availability"), data)
    saved = _finish(wizard)
    assert saved.notes == {
        "rto": {"note": RTO_NOTE},
        "region_dr": {"note": "DR is next year", "not_applicable": "out_of_scope"},
    }
    page = html(wizard.get(saved.get_absolute_url()))
    answers = page[page.index('id="answers"') : page.index('id="versions"')]
    assert "notes never change a decision" in answers
    assert RTO_NOTE in answers
    assert '<span class="answer-note__na">Not applicable: out of scope</span>' in answers
    record = wizard.get(f"/r/{saved.slug}.md").content.decode()
    assert f"  * Note: {RTO_NOTE}" in record
    assert "  * Marked not applicable: out of scope" in record
    assert "notes never change a decision" in record
    exported = json.loads(wizard.get(f"/r/{saved.slug}.json").content)
    assert exported["notes"] == saved.notes
    assert wizard.get(f"/api/v1/recommendations/{saved.slug}").json()["notes"] == saved.notes


def test_notes_never_change_the_recommendation(wizard):
    plain = _finish(wizard)
    data = noted(
        "availability",
        {},
        **dict.fromkeys(("rto", "rpo", "region_dr", "environment"), ("We disagree", "other")),
    )
    wizard.post(step_url("availability"), data)
    annotated = _finish(wizard, "Payments, annotated")
    assert annotated.notes
    assert annotated.answers == plain.answers
    assert annotated.recommendation == plain.recommendation


def test_a_recommendation_without_notes_publishes_what_it_always_did(wizard):
    saved = _finish(wizard)
    assert saved.notes == {}
    assert "notes" not in saved.published()
    page = html(wizard.get(saved.get_absolute_url()))
    assert "answer-note" not in page
    assert "notes never change a decision" not in page


def test_a_note_on_a_question_that_no_longer_applies_is_kept_but_not_published(wizard):
    data = noted("workload", {"engine": "postgresql"}, aurora_acceptable=("Aurora is fine", ""))
    wizard.post(step_url("workload"), data)
    wizard.post(step_url("workload"), form_data("workload", {"engine": "oracle"}))
    assert "aurora_acceptable" in notes()  # it comes back if the engine does
    assert _finish(wizard).notes == {}


# -- a draft shared between screens --------------------------------------------------------------


def _base(page: str) -> str:
    start = page.index('name="_base" value="') + len('name="_base" value="')
    return page[start : page.index('"', start)].replace("&quot;", '"')


def test_a_note_changed_elsewhere_stays_when_another_is_changed_here(wizard):
    base = _base(html(wizard.get(step_url("availability"))))
    Client().post(step_url("availability"), noted("availability", {}, rpo=("Theirs", "")))
    data = noted("availability", {}, rto=(RTO_NOTE, ""), rpo=("", "")) | {"_base": base}
    assert wizard.post(step_url("availability"), data).status_code == 303
    assert notes() == {"rto": {"note": RTO_NOTE}, "rpo": {"note": "Theirs"}}


def test_a_note_changed_elsewhere_meanwhile_is_not_overwritten_but_offered_again(wizard):
    base = _base(html(wizard.get(step_url("availability"))))
    Client().post(step_url("availability"), noted("availability", {}, rto=("Theirs", "other")))
    mine = noted("availability", {}, rto=("Mine", ""))
    response = wizard.post(step_url("availability"), mine | {"_base": base})
    assert response.status_code == 409
    page = html(response)
    assert "Note on “Recovery time after a database failure (RTO)”" in page
    assert "now <strong>“Theirs”</strong>; yours <strong>“Mine”</strong>" in page
    # Only what this page changed is offered again: it left "applies" as it found it.
    assert "Whether “Recovery time after a database failure (RTO)” applies" not in page
    assert ">Mine</textarea>" in question(page, "rto")
    assert '<option value="other" selected>' in question(page, "rto")  # theirs, kept
    assert notes() == {"rto": {"note": "Theirs", "not_applicable": "other"}}
    offered = noted("availability", {}, rto=("Mine", "other"))
    again = wizard.post(step_url("availability"), offered | {"_base": _base(page)})
    assert again.status_code == 303
    assert notes() == {"rto": {"note": "Mine", "not_applicable": "other"}}


def test_marking_a_question_not_applicable_against_a_change_elsewhere_names_both(wizard):
    base = _base(html(wizard.get(step_url("availability"))))
    Client().post(step_url("availability"), noted("availability", {}, rto=("", "other")))
    mine = noted("availability", {}, rto=("", "out_of_scope"))
    response = wizard.post(step_url("availability"), mine | {"_base": base})
    assert response.status_code == 409
    page = html(response)
    assert "Whether “Recovery time after a database failure (RTO)” applies" in page
    assert (
        "now <strong>not applicable: other</strong>; yours <strong>not applicable: out of "
        "scope</strong>" in page
    )


def test_a_page_polling_a_shared_draft_sees_a_new_note(wizard):
    draft = current()
    sync = reverse("draft-sync", args=[draft.key, "availability"])
    Client().post(step_url("availability"), noted("availability", {}, rto=(RTO_NOTE, "")))
    page = html(wizard.get(f"{sync}?v={draft.version}", **HTMX))
    assert f">{RTO_NOTE}</textarea>" in question(page, "rto")


# -- versions made from a recommendation ---------------------------------------------------------

NOTED = {
    "rto": {"note": RTO_NOTE},
    "rpo": {"not_applicable": "business_priorities"},
}


def _noted_recommendation() -> Recommendation:
    return save_recommendation({"engine": "postgresql"}, "Payments", notes=NOTED)


def test_an_edited_copy_keeps_the_notes_on_the_answers_it_keeps(client):
    saved = _noted_recommendation()
    response = client.post(
        reverse("recommendation-edit", args=[saved.slug]), {"apply": json.dumps({"rto": "seconds"})}
    )
    assert response.status_code == 303
    # The RTO changed: its note was about the old answer, so only the RPO's mark stays.
    assert notes() == {"rpo": {"not_applicable": "business_priorities"}}
    client.post(reverse("recommendation-edit", args=[saved.slug]))
    assert notes() == NOTED


def test_a_saved_what_if_keeps_the_notes_on_the_answers_it_keeps(client):
    saved = _noted_recommendation()
    response = client.post(
        reverse("what-if-save", args=[saved.slug]),
        {"answer": "rpo", "value": '"zero"', "title": "Payments, no data loss"},
    )
    assert response.status_code == 303
    child = Recommendation.objects.exclude(pk=saved.pk).get()
    assert child.notes == {"rto": {"note": RTO_NOTE}}
