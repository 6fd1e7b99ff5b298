"""What-if: one answer changed, evaluated now, shown as a fragment or a page, saved on request."""

from __future__ import annotations

import json
import re
from urllib.parse import urlencode

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils.html import escape

from advisor.engine import normalise, recommend
from advisor.models import Recommendation
from advisor.whatif import SHOWN_CHANGES
from tests.drafts import preview_url

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


def oob(page: str, target: str) -> str:
    """The content a fragment swaps into `target` out of band."""
    start = page.index(f'<div hx-swap-oob="innerHTML:#{target}">')
    return page[start : page.index("\n  <div hx-swap-oob=", start + 1)]


def test_with_htmx_the_page_shows_the_what_if_where_the_room_is_looking(client, stored):
    """The what-if's state for #whatif, and out of band the first screen, the diagram, the
    changes applied, the box of the decision whose toggle asked and the live announcement."""
    response = client.get(
        url(stored, "rto", '"seconds"') + "&shown_in=platform", HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    page = html(response)
    assert "<html" not in page
    assert page.lstrip().startswith('<section class="whatif-state"')
    assert "Not saved" in page
    assert "RTO: <del>minutes</del>" in page
    assert "Open as a page" in page
    assert 'action="' + reverse("what-if-save", args=[stored.slug]) + '"' in page
    after = recommend(normalise({**stored.answers, "rto": "seconds"}))
    assert escape(after["summary"]) in oob(page, "rec-summary")
    stats = oob(page, "rec-stats")
    assert "stats--whatif" in stats
    assert f"${after['cost']['monthly_usd']['expected']:,.0f}" in stats
    assert f"as saved ${stored.recommendation['cost']['monthly_usd']['expected']:,.0f}" in stats
    assert "top-risks--whatif" in oob(page, "rec-top-risks")
    assert "<svg" in oob(page, "architecture-figure")
    applied = oob(page, "whatif-applied")
    assert 'name="answer" value="rto"' in applied
    assert 'name="value" value="&quot;seconds&quot;"' in applied
    assert "What if RTO: seconds?" in oob(page, "whatif-platform")
    assert "What-if, not saved: RTO: seconds." in page[page.index("#whatif-status") :]


def test_a_box_is_filled_only_for_a_decision_that_exists(client, stored):
    page = html(
        client.get(url(stored, "rto", '"seconds"') + "&shown_in=nope", HTTP_HX_REQUEST="true")
    )
    assert "#whatif-nope" not in page
    assert 'class="whatif-card"' not in page


def test_several_changes_apply_together_and_the_first_value_for_an_answer_wins(client, stored):
    query = urlencode(
        [
            ("answer", "rto"),
            ("value", '"seconds"'),
            ("answer", "audit_logging"),
            ("value", "true"),
            ("answer", "rto"),
            ("value", '"hours"'),
        ]
    )
    page = html(client.get(f"{reverse('what-if', args=[stored.slug])}?{query}"))
    assert "What if RTO: seconds and audit logs: yes?" in page
    assert page.count('class="design-head__change"') == 2
    # The saved what-if gets both changes, and "Take back" offers each one alone.
    fragment = html(
        client.get(f"{reverse('what-if', args=[stored.slug])}?{query}", HTTP_HX_REQUEST="true")
    )
    assert escape(f"?{urlencode({'answer': 'audit_logging', 'value': 'true'})}") in fragment
    assert escape(f"?{urlencode({'answer': 'rto', 'value': json.dumps('seconds')})}") in fragment
    response = client.post(
        reverse("what-if-save", args=[stored.slug]),
        {"answer": ["rto", "audit_logging"], "value": ['"seconds"', "true"], "title": "Both"},
    )
    assert response.status_code == 303
    child = Recommendation.objects.exclude(pk=stored.pk).get()
    assert (child.answers["rto"], child.answers["audit_logging"]) == ("seconds", True)


@pytest.mark.parametrize(
    ("pairs", "message"),
    [
        ([("answer", "rto"), ("answer", "engine"), ("value", '"seconds"')], "in pairs"),
        ([("answer", "rto"), ("value", '"seconds"')] * 13, "at most 12"),
        ([("answer", "rto"), ("value", '"seconds"'), ("answer", "nope"), ("value", "1")], "nope"),
    ],
)
def test_changes_that_do_not_pair_up_are_a_400_that_says_why(client, stored, pairs, message):
    response = client.get(f"{reverse('what-if', args=[stored.slug])}?{urlencode(pairs)}")
    assert response.status_code == 400
    assert message in html(response)


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
        lambda: client.post(preview_url("workload"), {"engine": "mysql"}),
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
