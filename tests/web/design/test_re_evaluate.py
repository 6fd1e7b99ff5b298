"""Re-evaluate: what today's rules say about stored answers, why, and saving only on request."""

from __future__ import annotations

import pytest
from django.test import override_settings
from django.urls import reverse

from advisor.engine import default_engine
from advisor.models import Recommendation

from .conftest import OLD_RULESET, html

pytestmark = pytest.mark.django_db


def test_a_page_from_older_rules_offers_to_re_evaluate(client, legacy):
    page = html(client.get(legacy.get_absolute_url()))
    assert "rules have changed since this was made" in page
    assert f'href="{reverse("re-evaluate", args=[legacy.slug])}"' in page
    assert "Re-evaluate with current rules" in page


def test_a_page_from_todays_rules_does_not(client, stored):
    page = html(client.get(stored.get_absolute_url()))
    assert reverse("re-evaluate", args=[stored.slug]) not in page


def test_the_diff_shows_what_would_change_and_which_rules_fire_now_and_not_then(client, legacy):
    response = client.get(reverse("re-evaluate", args=[legacy.slug]))
    assert response.status_code == 200
    page = html(response)
    assert OLD_RULESET in page
    assert default_engine().ruleset_version in page
    assert "Amazon Aurora (provisioned)" in page
    assert "Amazon RDS" in page
    assert "Differs" in page
    why = page[page.index('id="re-why"') :]
    assert "platform.retired-aurora-for-lambda" in why
    assert "Functions once went to Aurora by default." in why
    assert "no longer in the catalog" in why
    assert "platform.rds-by-default" in why
    assert f'href="{reverse("rule", args=["platform.rds-by-default"])}"' in why
    assert "retired.fact" in why
    assert "A risk only the old rules raised." in page
    assert "A step only the old rules asked for." in page
    assert "Save as a new recommendation" in page


def test_looking_saves_nothing_and_saving_makes_one_child(client, legacy):
    original = Recommendation.objects.get(pk=legacy.pk).published()
    client.get(reverse("re-evaluate", args=[legacy.slug]))
    assert Recommendation.objects.count() == 1
    response = client.post(reverse("re-evaluate", args=[legacy.slug]))
    child = Recommendation.objects.exclude(pk=legacy.pk).get()
    assert response.status_code == 303
    assert response["Location"] == child.get_absolute_url()
    assert child.parent == legacy
    assert child.title == legacy.title
    assert child.ruleset_version == default_engine().ruleset_version
    assert child.recommendation["decisions"]["platform"]["choice"] == "rds"
    assert Recommendation.objects.get(pk=legacy.pk).published() == original


def test_with_todays_rules_there_is_nothing_to_save(client, stored):
    page = html(client.get(reverse("re-evaluate", args=[stored.slug])))
    assert "re-evaluating it changes nothing" in page
    assert "Save as a new recommendation" not in page
    response = client.post(reverse("re-evaluate", args=[stored.slug]))
    assert response.status_code == 303
    assert response["Location"] == stored.get_absolute_url()
    assert Recommendation.objects.count() == 1


def test_stored_answers_that_fail_todays_checks_get_a_clear_message(client, legacy):
    broken = Recommendation.objects.create(
        answers={**legacy.answers, "rto": "eventually", "replication_lag": "low"},
        recommendation=legacy.recommendation,
        ruleset_version=OLD_RULESET,
    )
    response = client.get(reverse("re-evaluate", args=[broken.slug]))
    assert response.status_code == 200
    page = html(response)
    assert "Some stored answers do not pass today" in page
    assert "Recovery time after a database failure (RTO)" in page
    assert "replication_lag" in page
    assert "Edit a copy" in page
    response = client.post(reverse("re-evaluate", args=[broken.slug]))
    assert response.status_code == 400
    assert Recommendation.objects.filter(parent=broken).count() == 0


@override_settings(CREATE_RATE_PER_MINUTE=0)
def test_saving_a_re_evaluation_is_rate_limited(client, legacy):
    response = client.post(reverse("re-evaluate", args=[legacy.slug]))
    assert response.status_code == 429
    assert "Nothing was saved" in html(response)
    assert Recommendation.objects.count() == 1


def test_re_evaluating_an_unknown_slug_is_a_404(client):
    assert client.get("/r/AAAAAAAAAAAAAAAA/re-evaluate/").status_code == 404
