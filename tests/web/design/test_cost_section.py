"""The cost section: the expected figure, the sizing assumptions and the ways to fit the budget."""

from __future__ import annotations

import copy
import json
from urllib.parse import parse_qs, urlparse

import pytest
from django.urls import reverse

from advisor.engine import recommend
from advisor.models import Recommendation
from advisor.recommendations import save_recommendation
from tests.drafts import answers, step_url

from .conftest import html

pytestmark = pytest.mark.django_db

OVER = {"engine": "postgresql", "monthly_budget_usd": 300}


def _section(page: str) -> str:
    return page[page.index('id="cost"') : page.index('id="answers"')]


def test_the_page_states_the_expected_cost_and_every_sizing_assumption(client):
    saved = save_recommendation({"engine": "postgresql", "data_size_gb": 2000}, "Orders")
    section = _section(html(client.get(saved.get_absolute_url())))
    expected = saved.recommendation["cost"]["monthly_usd"]["expected"]
    assert f"${expected:,.0f} (" in section
    assert "Sizing assumptions" in section
    for item in saved.recommendation["cost"]["sizing"]["items"]:
        assert item["text"] in section.replace("&#x27;", "'")
        assert f'name="focus" value="{item["answer"]}"' in section


def test_change_it_opens_an_edited_copy_at_the_question(client):
    saved = save_recommendation({"engine": "postgresql"}, "Orders")
    response = client.post(
        reverse("recommendation-edit", args=[saved.slug]),
        {"step": "budget", "focus": "working_set_gb"},
    )
    assert response.status_code == 303
    assert response["Location"] == step_url("budget") + "#q-working_set_gb"
    page = html(client.get(step_url("budget")))
    assert 'id="q-working_set_gb"' in page
    assert "Left empty: about 10 GB, from your data size and read/write mix." in page
    assert "Left empty: db.r7g.large today" in page
    assert Recommendation.objects.count() == 1


def test_over_budget_each_way_to_fit_is_one_click(client):
    saved = save_recommendation(OVER, "Tight")
    options = saved.recommendation["cost"]["budget_options"]
    assert options
    section = _section(html(client.get(saved.get_absolute_url())))
    assert "Ways to fit the budget" in section
    assert section.count('class="fit"') == len(options)
    assert "Keeps every requirement" in section
    assert "Gives up a requirement" in section
    single = next(o for o in options if len(o["changes"]) == 1)
    ((name, value),) = single["changes"].items()
    assert f"?answer={name}&amp;value=" in section
    link = reverse("what-if", args=[saved.slug]) + f"?answer={name}&value={json.dumps(value)}"
    what_if = client.get(link)
    assert what_if.status_code == 200
    several = next(o for o in options if len(o["changes"]) > 1)
    assert f'value="{json.dumps(several["changes"], separators=(",", ":"))}"'.replace(
        '"', "&quot;", 0
    )


def test_an_option_with_several_changes_opens_an_edited_copy_with_them(client):
    saved = save_recommendation(OVER, "Tight")
    option = next(
        o for o in saved.recommendation["cost"]["budget_options"] if len(o["changes"]) > 1
    )
    response = client.post(
        reverse("recommendation-edit", args=[saved.slug]),
        {"apply": json.dumps(option["changes"])},
    )
    assert response.status_code == 303
    for name, value in option["changes"].items():
        assert answers()[name] == value
    review = client.post(step_url("review"), {"title": "Tight, cheaper"})
    assert review.status_code in (302, 303)
    child = Recommendation.objects.exclude(pk=saved.pk).get()
    assert (
        child.recommendation["cost"]["monthly_usd"]["expected"] == option["monthly_usd"]["expected"]
    )


@pytest.mark.parametrize(
    ("apply", "words"),
    [
        ('{"instance_class": "db.zz.large"}', "instance_class"),
        ('{"pricing": 3}', "pricing"),
        ("[1]", "JSON object"),
        ("{not json", "JSON object"),
    ],
)
def test_a_bad_change_is_a_400_that_names_it_and_keeps_the_link(client, apply, words):
    saved = save_recommendation(OVER, "Tight")
    response = client.post(reverse("recommendation-edit", args=[saved.slug]), {"apply": apply})
    assert response.status_code == 400
    assert words in html(response)
    assert saved.get_absolute_url() in html(response)
    assert Recommendation.objects.count() == 1


def test_an_older_snapshot_without_expected_figures_renders_its_range(client):
    rec = copy.deepcopy(recommend(OVER))
    for key in ("sizing", "budget_options", "headroom"):
        rec["cost"].pop(key)
    rec["cost"]["monthly_usd"] = {"low": 640.0, "high": 700.0}
    for line in rec["cost"]["lines"]:
        line.pop("expected")
    for name in ("instance_class", "working_set_gb", "peak_vcpu", "pricing", "region"):
        rec["answers"].pop(name)
    saved = Recommendation.objects.create(
        title="Old", answers=rec["answers"], recommendation=rec, ruleset_version="2026-11.x"
    )
    response = client.get(saved.get_absolute_url())
    assert response.status_code == 200
    section = _section(html(response))
    assert "$640\N{EN DASH}$700" in section
    assert '<th scope="col" class="cost__assumption">Assumption</th>' in section
    assert "Sizing assumptions" not in section
    assert "Ways to fit the budget" not in section


def test_the_wizard_refuses_a_graviton_class_for_oracle_naming_the_question(client):
    client.post(reverse("wizard-start"))
    client.post(step_url("workload"), {"engine": "oracle"})
    response = client.post(step_url("budget"), {"instance_class": "db.r7g.large"})
    page = html(response)
    assert "Intel classes" in page
    parsed = urlparse(response.get("Location", ""))
    assert not parse_qs(parsed.query)


def test_changing_the_engine_to_oracle_clears_a_graviton_class_and_says_so(client):
    client.post(reverse("wizard-start"))
    client.post(step_url("workload"), {"engine": "mysql"})
    client.post(step_url("budget"), {"instance_class": "db.r7g.large"})
    assert answers()["instance_class"] == "db.r7g.large"
    response = client.post(step_url("workload"), {"engine": "oracle"}, follow=True)
    assert "instance_class" not in answers()
    assert "“Instance class” was cleared" in html(response)
