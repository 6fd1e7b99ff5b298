"""What-if: one answer changed, evaluated now, shown as a fragment or a page, saved on request."""

from __future__ import annotations

import json
import re
from urllib.parse import urlencode

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils.html import escape

from advisor.models import Recommendation
from advisor.whatif import SHOWN_CHANGES

from .conftest import html

pytestmark = pytest.mark.django_db


def url(saved, answer, value) -> str:
    return (
        f"{reverse('what-if', args=[saved.slug])}?{urlencode({'answer': answer, 'value': value})}"
    )


def test_the_full_page_shows_what_changes_across_every_decision_and_the_cost(client, stored):
    response = client.get(url(stored, "rto", '"seconds"'))
    assert response.status_code == 200
    page = html(response)
    assert "What if RTO: seconds?" in page
    assert "Amazon Aurora (provisioned)" in page
    assert "Differs" in page
    assert "Cost a month" in page
    assert 'action="' + reverse("what-if-save", args=[stored.slug]) + '"' in page
    assert 'name="csrfmiddlewaretoken"' in page
    assert "<svg" in page
    assert response["Vary"].count("HX-Request") == 1


def test_with_htmx_the_view_answers_with_a_fragment_and_an_announcement(client, stored):
    response = client.get(url(stored, "rto", '"seconds"'), HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    page = html(response)
    assert "<html" not in page
    assert 'class="whatif-card"' in page
    assert 'hx-swap-oob="innerHTML:#whatif-status"' in page
    assert "Platform" in page
    assert "Open as a page" in page


def test_a_change_to_the_current_value_says_so_and_changes_nothing(client, stored):
    page = html(client.get(url(stored, "rto", '"minutes"'), HTTP_HX_REQUEST="true"))
    assert "That is already the answer." in page
    assert "No decision changes." in page


def test_every_toggle_on_the_page_opens_a_working_what_if(client, stored):
    page = html(client.get(stored.get_absolute_url()))
    forms = re.findall(
        r'name="answer" value="([^"]+)"><input type="hidden" name="value" value="([^"]+)"', page
    )
    assert len(forms) == sum(
        min(SHOWN_CHANGES, len(d["what_would_change"]))
        for d in stored.recommendation["decisions"].values()
    )
    for answer, value in set(forms):
        response = client.get(
            url(stored, answer, value.replace("&quot;", '"')), HTTP_HX_REQUEST="true"
        )
        assert response.status_code == 200, (answer, value)


@pytest.mark.parametrize(
    ("answer", "value", "named"),
    [
        ("replication_speed", '"fast"', "replication_speed"),
        ("rto", '"instant"', "rto"),
        ("rto", "seconds", "rto"),
        ("rto", '"seconds', "rto"),
        ("data_size_gb", "-5", "data_size_gb"),
        ("data_size_gb", '"lots"', "data_size_gb"),
        ("tls_required", '"yes"', "tls_required"),
        ("cache_uses", '["gold"]', "cache_uses"),
        ("rto", "", "rto"),
        ("", '"seconds"', "answer"),
        ("rto", "[" * 5000, "rto"),
    ],
)
def test_bad_what_if_input_is_a_400_that_names_the_field(client, stored, answer, value, named):
    for headers in ({}, {"HTTP_HX_REQUEST": "true"}):
        response = client.get(url(stored, answer, value), **headers)
        assert response.status_code == 400
        page = html(response)
        assert named in page
        assert "cannot be tried" in page


def test_malformed_json_gets_a_hint_about_quotes(client, stored):
    page = html(client.get(url(stored, "rto", "seconds")))
    assert "not valid JSON" in page
    assert escape('value="seconds"') in page


def test_an_unknown_slug_is_a_404(client):
    assert (
        client.get("/r/AAAAAAAAAAAAAAAA/what-if/?answer=rto&value=%22seconds%22").status_code == 404
    )


def test_saving_a_what_if_creates_one_child_and_leaves_the_original_unchanged(client, stored):
    original = Recommendation.objects.get(pk=stored.pk).published()
    response = client.post(
        reverse("what-if-save", args=[stored.slug]),
        {"answer": "rto", "value": '"seconds"', "title": "Checkout API, faster failover"},
    )
    child = Recommendation.objects.exclude(pk=stored.pk).get()
    assert response.status_code == 303
    assert response["Location"] == child.get_absolute_url()
    assert child.parent == stored
    assert child.title == "Checkout API, faster failover"
    assert child.answers == {**stored.answers, "rto": "seconds"}
    assert child.recommendation["decisions"]["platform"]["choice"] == "aurora"
    assert child.recommendation["decisions"]["platform"]["what_would_change"]
    assert Recommendation.objects.get(pk=stored.pk).published() == original
    assert Recommendation.objects.count() == 2


def test_the_saved_what_if_links_its_original_when_asked_and_offers_the_comparison(client, stored):
    client.post(
        reverse("what-if-save", args=[stored.slug]),
        {"answer": "rto", "value": '"seconds"', "link_original": "true"},
    )
    child = Recommendation.objects.exclude(pk=stored.pk).get()
    page = html(client.get(child.get_absolute_url()))
    assert "Edited from a copy of" in page
    assert f'href="{stored.get_absolute_url()}"' in page
    assert "Compare with the original" in page
    assert f'href="{reverse("compare", args=[stored.slug, child.slug])}"' in page
    assert child.title == "Checkout API, what if RTO: seconds"


def test_saving_needs_a_post_and_a_csrf_token(stored):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    save = reverse("what-if-save", args=[stored.slug])
    assert strict.get(save).status_code == 405
    assert strict.post(save, {"answer": "rto", "value": '"seconds"'}).status_code == 403
    assert Recommendation.objects.count() == 1


def test_saving_bad_input_is_a_400_and_saves_nothing(client, stored):
    save = reverse("what-if-save", args=[stored.slug])
    response = client.post(save, {"answer": "rto", "value": '"never"'})
    assert response.status_code == 400
    assert "rto" in html(response)
    response = client.post(save, {"answer": "rto", "value": '"seconds"', "title": "x" * 130})
    assert response.status_code == 400
    assert "at most 120 characters" in html(response)
    assert Recommendation.objects.count() == 1


@override_settings(CREATE_RATE_PER_MINUTE=1)
def test_saving_is_rate_limited_like_every_new_recommendation(client, stored):
    save = reverse("what-if-save", args=[stored.slug])
    assert client.post(save, {"answer": "rto", "value": '"seconds"'}).status_code == 303
    response = client.post(save, {"answer": "rto", "value": '"hours"'})
    assert response.status_code == 429
    assert response["Retry-After"]
    assert "Nothing was saved" in html(response)
    assert Recommendation.objects.count() == 2


def test_answers_that_no_longer_pass_todays_checks_give_a_clear_400(client, stored):
    broken = Recommendation.objects.create(
        answers={**stored.answers, "rto": "eventually"},
        recommendation=stored.recommendation,
        ruleset_version=stored.ruleset_version,
    )
    response = client.get(url(broken, "tls_required", "false"))
    assert response.status_code == 400
    assert "no longer pass today" in html(response)
    assert "rto" in html(response)


def test_the_value_is_json_in_the_url(client, stored):
    budget = url(stored, "monthly_budget_usd", json.dumps(None))
    assert client.get(budget).status_code == 200
    cache = url(stored, "cache_uses", json.dumps([]))
    assert "No cache" in html(client.get(cache))


def test_a_saved_what_if_keeps_its_original_private_unless_asked(client, stored):
    query = {"answer": "rto", "value": '"seconds"'}
    page = html(client.get(reverse("what-if", args=[stored.slug]), query))
    assert 'name="link_original" value="true"' in page
    assert 'name="link_original" value="true" checked' not in page
    client.post(
        reverse("what-if-save", args=[stored.slug]), {"answer": "rto", "value": '"seconds"'}
    )
    child = Recommendation.objects.exclude(pk=stored.pk).get()
    assert not child.shows_parent
    assert stored.slug not in html(client.get(child.get_absolute_url()))


def test_every_page_that_evaluates_shares_one_limit_with_a_page_that_says_so(
    client, stored, settings
):
    """What-if, its save, re-evaluate, the wizard's preview and the evaluate API each run the
    rules; one client gets EVALUATE_RATE_PER_MINUTE of them a minute, whichever it calls."""
    settings.EVALUATE_RATE_PER_MINUTE = 4
    client.post(reverse("wizard-start"))
    calls = [
        lambda: client.get(url(stored, "rto", '"seconds"')),
        lambda: client.get(reverse("re-evaluate", args=[stored.slug])),
        lambda: client.post(reverse("wizard-preview", args=["workload"]), {"engine": "mysql"}),
        lambda: client.post("/api/v1/evaluate", {"engine": "mysql"}, "application/json"),
    ]
    assert [call().status_code for call in calls] == [200, 200, 200, 200]
    refused = client.get(url(stored, "rto", '"seconds"'))
    assert refused.status_code == 429
    assert "Too many evaluations from your address" in html(refused)
    assert int(refused["Retry-After"]) >= 1
    saved = client.post(
        reverse("what-if-save", args=[stored.slug]), {"answer": "rto", "value": '"seconds"'}
    )
    assert saved.status_code == 429
