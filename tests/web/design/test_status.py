"""The team's decision on a recommendation: proposed until recorded, kept as history, shown on
the page (loaded into it, since the page is cached for good) and in the decision record."""

from __future__ import annotations

import re

import pytest
from django.test import Client, override_settings
from django.urls import reverse

from advisor.models import Recommendation, Review

from .conftest import html

pytestmark = pytest.mark.django_db


def status_url(saved: Recommendation) -> str:
    return reverse("recommendation-status", args=[saved.slug])


def without_token(page: bytes) -> bytes:
    """A page without its CSRF token, which is masked anew for every response."""
    page = re.sub(rb'name="csrfmiddlewaretoken" value="[^"]+"', b"", page)
    return re.sub(rb'"X-CSRFToken": "[^"]+"', b"", page)


def record(client: Client, saved: Recommendation, **fields: str):
    data = {f"review-{name}": value for name, value in fields.items()}
    return client.post(status_url(saved), data)


def test_a_recommendation_is_proposed_until_the_team_records_a_decision(client, stored):
    page = html(client.get(status_url(stored), HTTP_HX_REQUEST="true"))
    assert page.startswith('<div class="review" id="review">')
    assert "badge--proposed" in page
    assert "Not accepted yet" in page
    record_md = client.get(reverse("recommendation-madr", args=[stored.slug])).content.decode()
    assert "* Status: proposed" in record_md


def test_accepting_is_recorded_shown_and_changes_nothing_stored(client, stored):
    page_before = client.get(stored.get_absolute_url()).content
    published = stored.published()
    response = record(
        client, stored, status="accepted", by="Payments team", note="Design review, 3 Dec"
    )
    assert response.status_code == 303
    assert response["Location"] == status_url(stored)
    review = Review.objects.get()
    assert review.recommendation == stored
    assert (review.status, review.by) == ("accepted", "Payments team")
    panel = html(client.get(status_url(stored), HTTP_HX_REQUEST="true"))
    assert "badge--accepted" in panel
    assert "by Payments team on" in panel
    assert "“Design review, 3 Dec”" in panel
    # The recommendation and its cached page are exactly as they were.
    assert Recommendation.objects.get(pk=stored.pk).published() == published
    assert without_token(client.get(stored.get_absolute_url()).content) == without_token(
        page_before
    )
    # The decision record says who decided, when and why.
    text = client.get(reverse("recommendation-madr", args=[stored.slug])).content.decode()
    assert "* Status: accepted" in text
    assert "* Deciders: Payments team" in text
    assert f"* Decision recorded: {review.created:%Y-%m-%d} (Design review, 3 Dec)" in text
    assert "Status: proposed" not in text


def test_the_latest_decision_counts_and_every_one_is_kept(client, stored):
    record(client, stored, status="accepted", by="Ana")
    record(client, stored, status="rejected", by="Ben", note="Too costly")
    record(client, stored, status="proposed", by="Ana", note="Reopened")
    panel = html(client.get(status_url(stored), HTTP_HX_REQUEST="true"))
    assert "badge--proposed" in panel
    assert "Reopened" in panel
    page = html(client.get(status_url(stored)))
    history = page[page.index('class="review-history"') :]
    assert history.count("<li>") == 3
    assert history.index("Reopened") < history.index("Too costly") < history.rindex("by Ana")
    text = client.get(reverse("recommendation-madr", args=[stored.slug])).content.decode()
    assert "* Status: proposed" in text


def test_with_htmx_a_recorded_decision_answers_with_the_panel_announced(client, stored):
    response = client.post(
        status_url(stored),
        {"review-status": "accepted", "review-by": "Ana"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    page = html(response)
    assert page.startswith('<div class="review" id="review">')
    assert '<p class="review__now" role="status"><span class="badge badge--accepted">' in page


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({}, "Choose accepted, rejected or back to proposed."),
        ({"status": "approved"}, "Choose accepted, rejected or back to proposed."),
        ({"status": "accepted", "by": "x" * 81}, "at most 80 characters"),
        ({"status": "accepted", "note": "x" * 501}, "at most 500 characters"),
    ],
)
def test_a_decision_that_cannot_be_recorded_is_a_400_that_says_why(client, stored, fields, message):
    for headers in ({}, {"HTTP_HX_REQUEST": "true"}):
        response = client.post(
            status_url(stored), {f"review-{k}": v for k, v in fields.items()}, **headers
        )
        assert response.status_code == 400
        assert message in html(response)
        assert 'aria-invalid="true"' in html(response) or "question__error" in html(response)
    assert not Review.objects.exists()


def test_recording_needs_a_csrf_token(stored):
    client = Client(enforce_csrf_checks=True)
    response = client.post(status_url(stored), {"review-status": "accepted"})
    assert response.status_code == 403
    assert not Review.objects.exists()


def test_an_unknown_recommendation_has_no_status(client):
    assert client.get("/r/AAAAAAAAAAAAAAAA/status/").status_code == 404
    assert client.post("/r/AAAAAAAAAAAAAAAA/status/", {"review-status": "x"}).status_code == 404


@override_settings(CREATE_RATE_PER_MINUTE=1)
def test_recording_is_rate_limited_like_every_new_row(client, stored):
    assert record(client, stored, status="accepted").status_code == 303
    response = record(client, stored, status="rejected")
    assert response.status_code == 429
    assert "The decision was not recorded." in html(response)
    assert Review.objects.count() == 1


def test_the_page_loads_the_status_and_works_without_it(client, stored):
    page = html(client.get(stored.get_absolute_url()))
    assert f'hx-get="{status_url(stored)}" hx-trigger="load" hx-swap="outerHTML"' in page
    assert f'<a href="{status_url(stored)}">Status</a>' in page


def test_a_hostile_name_and_note_stay_text(client, stored):
    hostile = '"><script>alert(1)</script>'
    record(client, stored, status="accepted", by=hostile, note=hostile)
    for page in (
        html(client.get(status_url(stored))),
        html(client.get(status_url(stored), HTTP_HX_REQUEST="true")),
    ):
        assert "<script>alert(1)" not in page
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    text = client.get(reverse("recommendation-madr", args=[stored.slug])).content.decode()
    assert "<script>" not in text
