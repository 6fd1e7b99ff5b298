"""The landing page, the examples, the recommendation page, edit a copy and the 404 page."""

from __future__ import annotations

import copy
import re

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import escape

from advisor.engine import (
    CONCERNS,
    CONCERNS_BY_NAME,
    FIELDS_BY_NAME,
    default_engine,
    normalise,
    recommend,
)
from advisor.examples import EXAMPLES
from advisor.models import Draft, Recommendation
from advisor.recommendations import save_recommendation
from tests.drafts import current, step_url

pytestmark = pytest.mark.django_db

LAMBDA = {
    "engine": "postgresql",
    "client_type": "serverless_functions",
    "cache_uses": ["session_store"],
    "monthly_budget_usd": 5000,
}


def html(response) -> str:
    return response.content.decode()


@pytest.fixture
def stored() -> Recommendation:
    return save_recommendation(LAMBDA, "Checkout API")


@pytest.fixture
def page(client, stored) -> str:
    response = client.get(stored.get_absolute_url())
    assert response.status_code == 200
    return html(response)


# -- landing and examples ------------------------------------------------------------------------


def test_the_landing_page_says_what_archwise_does_and_offers_a_start_button(client):
    page = html(client.get("/"))
    assert "Decide your AWS data tier" in page
    assert "permanent link" in page
    assert f'action="{reverse("wizard-start")}"' in page
    assert "Start a recommendation" in page


def test_the_landing_page_offers_at_least_six_example_scenarios(client):
    page = html(client.get("/"))
    assert len(EXAMPLES) >= 6
    for example in EXAMPLES:
        assert escape(example.title) in page
        assert escape(example.description) in page
        assert f'action="{reverse("example", args=[example.key])}"' in page


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda example: example.key)
def test_every_example_is_a_valid_set_of_answers(example):
    assert normalise(example.answers)["engine"] == example.answers["engine"]


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda example: example.key)
def test_each_example_opens_the_wizard_pre_filled(client, example):
    response = client.post(reverse("example", args=[example.key]), follow=True)
    assert response.redirect_chain == [(step_url("workload"), 303)]
    page = html(response)
    assert f"Loaded the example “{escape(example.title)}”" in page
    assert re.search(rf'name="engine" value="{example.answers["engine"]}"[^>]*checked', page)
    draft = current()
    assert normalise(draft.answers) == normalise(example.answers)
    assert draft.title == example.title
    review = html(client.get(step_url("review")))
    assert f'value="{escape(example.title)}"' in review


def test_an_example_starts_a_draft_of_its_own_and_leaves_the_others(client):
    client.post(reverse("example", args=["oracle-os-agents"]))
    oracle = current()
    client.post(reverse("example", args=["test-environment"]))
    answers = normalise(current().answers)
    assert answers["engine"] == "postgresql"
    assert answers["needs_os_access"] is False
    assert Draft.objects.get(pk=oracle.pk).answers["engine"] == "oracle"
    assert client.session["drafts"] == [current().key, oracle.key]


def test_an_example_is_loaded_only_by_post(client):
    response = client.get(reverse("example", args=[EXAMPLES[0].key]))
    assert response.status_code == 405
    assert not Draft.objects.exists()


def test_an_unknown_example_is_a_404(client):
    assert client.post("/examples/no-such-example/").status_code == 404


def test_starting_afresh_makes_a_new_draft_and_keeps_the_last_one(client):
    client.post(reverse("example", args=[EXAMPLES[0].key]))
    example = current()
    assert f'href="{step_url("review")}">Continue your last draft' in html(client.get("/"))
    response = client.post(reverse("wizard-start"))
    assert response["Location"] == step_url("workload")
    assert current().answers == {}
    assert "Continue your last draft" not in html(client.get("/"))
    assert Draft.objects.get(pk=example.pk).answers == example.answers


# -- the recommendation page ---------------------------------------------------------------------


def test_the_page_leads_with_the_headline_summary_cost_and_budget_verdict(page, stored):
    snapshot = stored.recommendation
    low, high = snapshot["cost"]["monthly_usd"]["low"], snapshot["cost"]["monthly_usd"]["high"]
    head = page[page.index('class="rec-head"') : page.index('class="toc"')]
    assert '<h1 class="rec-head__title" tabindex="-1">Checkout API</h1>' in head
    assert escape(snapshot["summary"]) in head
    assert f"${low:,.0f}\N{EN DASH}${high:,.0f}" in head
    assert "Within the $5,000 budget" in head


def test_without_a_title_the_summary_is_the_headline(client):
    saved_one = save_recommendation({"engine": "mysql"})
    page = html(client.get(saved_one.get_absolute_url()))
    summary = escape(saved_one.recommendation["summary"])
    assert f'<h1 class="rec-head__title" tabindex="-1">{summary}</h1>' in page
    assert f"<title>{summary} · Archwise</title>" in page


@pytest.mark.parametrize(
    ("budget", "verdict"),
    [(None, "No fixed budget"), (100, "Over the $100 budget"), (1_000_000, "Within the")],
)
def test_the_budget_verdict_is_in_words(client, budget, verdict):
    saved_one = save_recommendation({"engine": "mysql", "monthly_budget_usd": budget})
    assert verdict in html(client.get(saved_one.get_absolute_url()))


def test_every_decision_is_shown_in_order_with_its_label_and_extras(page, stored):
    decisions = stored.recommendation["decisions"]
    positions = [page.index(f'id="d-{concern.name}"') for concern in CONCERNS]
    assert positions == sorted(positions)
    for concern in CONCERNS:
        assert escape(decisions[concern.name]["label"]) in page
        assert escape(concern.title) in page
    assert decisions["platform"]["instance_class"] in page
    assert f"{decisions['storage']['max_allocated_gb']:,} GiB" in page
    assert f"{decisions['backups']['retention_days']} days" in page
    assert "Replicas per shard" in page


def test_each_reason_shows_the_facts_it_cites_with_their_sources(page, stored):
    facts = default_engine().facts
    for decision in stored.recommendation["decisions"].values():
        for reason in decision["rationale"]:
            assert escape(reason["text"]) in page
            for fact_id in reason["facts"]:
                assert escape(facts[fact_id].title) in page
                assert f'href="{escape(facts[fact_id].source)}"' in page


def test_a_shared_page_speaks_of_aws_as_it_is_and_learn_keeps_the_corrections(client, page, stored):
    """A recommendation cites facts as AWS states them; what the classic study notes got wrong
    is for readers of those notes, on /learn/."""
    facts = default_engine().facts
    cited = {
        fact_id
        for decision in stored.recommendation["decisions"].values()
        for reason in decision["rationale"]
        for fact_id in reason["facts"]
    }
    corrected = [facts[fact_id] for fact_id in sorted(cited) if facts[fact_id].corrects_notes]
    assert corrected, "the Lambda scenario cites at least one corrected note"
    assert "classic notes" not in page.lower()
    learn = client.get("/learn/corrections/").content.decode()
    for fact in corrected:
        assert escape(fact.title) in page
        assert escape(fact.what_changed) not in page
        assert escape(fact.what_changed) in learn


def test_alternatives_say_why_they_lost_and_what_would_change_it_is_listed(page, stored):
    decisions = stored.recommendation["decisions"]
    for alternative in decisions["platform"]["alternatives"]:
        assert escape(alternative["why"]) in page
    shown = [change for d in decisions.values() for change in d["what_would_change"][:5]]
    for change in shown:
        assert escape(change["text"].rsplit(" → ", 1)[0]) in page
        assert escape(change["why"]) in page
    via = next(change for change in shown if change["via"])
    title = CONCERNS_BY_NAME[via["via"]].title.lower()
    assert escape(via["why"]).startswith(f"The {title} decision would become ")


def test_risks_put_the_most_severe_first_then_one_way_doors_and_name_the_top_one(client):
    saved_one = save_recommendation(
        {"engine": "mysql", "existing_database": "rds_unencrypted", "monthly_budget_usd": 10}
    )
    page = html(client.get(saved_one.get_absolute_url()))
    risks = page[page.index('id="risks"') : page.index('id="checklist"')]
    badges = re.findall(r'<li class="risk risk--(\w+)( risk--door)?">', risks)
    rank = {"high": 0, "medium": 1, "low": 2}
    keys = [(rank[severity], not door) for severity, door in badges]
    assert keys == sorted(keys)
    assert True in [bool(door) for _, door in badges]
    assert "One-way door" in risks
    assert "High severity" in risks
    top = next(r for r in saved_one.recommendation["risks"] if r["severity"] == "high")
    head = page[: page.index('class="share"')]
    shown = re.findall(r'<li class="top-risk top-risk--(\w+)">', head)
    assert 1 <= len(shown) <= 3
    assert shown[0] == "high"
    assert shown == sorted(shown, key=rank.get)
    assert "Top risks" in head
    assert escape(" ".join(top["text"].split()[:8])) in head


def test_the_checklist_is_an_ordered_list(page, stored):
    checklist = page[page.index('id="checklist"') : page.index('id="cost"')]
    assert '<ol class="checklist">' in checklist
    items = re.findall(r"<li>(.*?)</li>", checklist, re.S)
    assert items == [escape(step) for step in stored.recommendation["checklist"]]


def test_the_cost_table_lists_every_line_with_its_assumption_and_the_total(page, stored):
    cost = stored.recommendation["cost"]
    table = page[page.index('id="cost"') : page.index('id="answers"')]
    for line in cost["lines"]:
        assert escape(line["item"]) in table
        assert escape(line["assumption"]) in table
    assert f"prices as of {cost['prices_as_of']}" in table
    assert "Total" in table
    assert "$5,000" in table


def test_the_answers_are_shown_in_words(page):
    answers = page[page.index('id="answers"') :]
    assert escape(FIELDS_BY_NAME["client_type"].label) in answers
    assert "Serverless functions" in answers
    assert "User sessions" in answers
    assert "$5,000" in answers


def test_the_page_names_the_ruleset_and_the_creation_date(page, stored):
    assert stored.ruleset_version in page
    assert stored.created.strftime("%-d %B %Y") in page
    assert "rules have changed" not in page


def test_open_graph_tags_carry_the_headline_and_the_summary(page, stored):
    url = f"http://testserver/r/{stored.slug}/"
    summary = escape(stored.recommendation["summary"])
    assert '<meta property="og:title" content="Checkout API">' in page
    assert f'<meta property="og:description" content="{summary}">' in page
    assert f'<meta property="og:url" content="{url}">' in page
    assert '<meta property="og:type" content="article">' in page
    assert "<title>Checkout API · Archwise</title>" in page


def test_the_page_offers_a_copy_link_button_with_a_no_javascript_fallback(page, stored):
    url = f"http://testserver/r/{stored.slug}/"
    assert re.search(rf'<input id="share-url"[^>]*value="{url}" readonly>', page)
    assert 'data-copy="share-url"' in page
    assert f'action="{reverse("recommendation-edit", args=[stored.slug])}"' in page
    assert "Edit a copy" in page


def test_the_page_renders_the_stored_snapshot_and_never_recomputes(client):
    answers = normalise({"engine": "postgresql"})
    snapshot = copy.deepcopy(recommend(answers))
    snapshot["summary"] = "A distinctive stored summary that no engine would write."
    snapshot["decisions"]["platform"]["label"] = "A platform label from the snapshot"
    snapshot["checklist"] = ["A checklist step only the snapshot has."]
    snapshot["cost"]["monthly_usd"] = {"low": 4321, "high": 8765}
    saved_one = Recommendation.objects.create(
        answers=answers, recommendation=snapshot, ruleset_version="2020-01.0123456789"
    )
    page = html(client.get(saved_one.get_absolute_url()))
    assert "A distinctive stored summary that no engine would write." in page
    assert "A platform label from the snapshot" in page
    assert "A checklist step only the snapshot has." in page
    assert "$4,321\N{EN DASH}$8,765" in page
    assert "2020-01.0123456789" in page
    assert "rules have changed since this was made" in page
    saved_one.refresh_from_db()
    assert saved_one.recommendation == snapshot


def test_a_title_with_html_is_escaped_everywhere(client):
    saved_one = save_recommendation({"engine": "mysql"}, '<script>alert("x")</script> & co')
    page = html(client.get(saved_one.get_absolute_url()))
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; co" in page
    assert 'og:title" content="&lt;script&gt;' in page


# -- edit a copy ---------------------------------------------------------------------------------


def test_edit_a_copy_opens_the_review_with_the_stored_answers(client, stored):
    response = client.post(reverse("recommendation-edit", args=[stored.slug]), follow=True)
    assert response.redirect_chain == [(step_url("review"), 303)]
    page = html(response)
    assert "You are editing a copy of" in page
    assert f'href="{stored.get_absolute_url()}"' in page
    assert 'value="Checkout API (copy)"' in page  # a copy is named as one
    draft = current()
    assert draft.parent == stored
    assert normalise(draft.answers) == stored.answers


def test_saving_an_edited_copy_makes_a_new_link_and_leaves_the_original_untouched(client, stored):
    original = Recommendation.objects.get(pk=stored.pk).published()
    client.post(reverse("recommendation-edit", args=[stored.slug]))
    budget = {"monthly_budget_usd": "", "cost_priority": "lowest_cost", "ops_capacity": "some"}
    client.post(step_url("budget"), budget)
    response = client.post(
        step_url("review"),
        {"title": "Checkout API, cheaper", "link_original": "true"},
    )
    copy_of = Recommendation.objects.exclude(pk=stored.pk).get()
    assert response["Location"] == copy_of.get_absolute_url()
    assert copy_of.slug != stored.slug
    assert copy_of.parent == stored
    assert copy_of.answers["cost_priority"] == "lowest_cost"
    assert copy_of.answers["client_type"] == "serverless_functions"
    assert Recommendation.objects.get(pk=stored.pk).published() == original
    page = html(client.get(copy_of.get_absolute_url()))
    assert "Edited from a copy of" in page
    assert f'href="{stored.get_absolute_url()}"' in page


def test_edit_a_copy_needs_a_post(client, stored):
    response = client.get(reverse("recommendation-edit", args=[stored.slug]))
    assert response.status_code == 405
    assert "wizard" not in client.session


def test_edit_a_copy_of_an_unknown_link_is_a_404(client):
    assert client.post("/r/AAAAAAAAAAAAAAAA/edit/").status_code == 404


# -- not found -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    ["/r/AAAAAAAAAAAAAAAA/", "/r/too-short/", "/r/has%20spaces-in-it!/", "/r/", "/nowhere"],
)
def test_unknown_and_malformed_links_get_the_friendly_404_page(client, path):
    response = client.get(path)
    assert response.status_code == 404
    page = html(response)
    assert "We can\N{RIGHT SINGLE QUOTATION MARK}t find that page" in page
    assert "copied whole" in page
    assert f'href="{reverse("home")}"' in page


@pytest.mark.parametrize("code", ["413", "429", "503"])
def test_the_error_pages_the_middleware_renders_explain_themselves(rf, code):
    request = rf.get("/")
    page = render_to_string(f"{code}.html", {"message": "A plain reason."}, request=request)
    assert "A plain reason." in page
    assert f'<p class="eyebrow">{code}</p>' in page
    assert 'href="/"' in page


def test_the_server_error_page_needs_no_request_context():
    page = render_to_string("500.html")
    assert "Something went wrong on our side" in page
    assert "/static/css/archwise.css" in page


def test_each_reason_links_to_its_rule_but_not_the_engines_own_words(client):
    saved_one = save_recommendation({"engine": "postgresql"})
    page = html(client.get(saved_one.get_absolute_url()))
    reasons = [r for d in saved_one.recommendation["decisions"].values() for r in d["rationale"]]
    own = ("choice.", "principle.")
    rule = next(r["rule"] for r in reasons if not r["rule"].startswith(own))
    assert f'href="{reverse("rule", args=[rule])}"' in page
    words = [r for r in reasons if r["rule"].startswith(own)]
    assert words, "a default choice says what it assumes"
    for reason in words:
        assert escape(reason["text"]) in page
        assert f"<code>{reason['rule']}</code>" not in page


def test_the_page_links_its_exports(page, stored):
    assert f'href="{reverse("recommendation-madr", args=[stored.slug])}"' in page
    assert f'href="{reverse("recommendation-json", args=[stored.slug])}"' in page
    assert f'href="{reverse("recommendation-cloudformation", args=[stored.slug])}"' in page
