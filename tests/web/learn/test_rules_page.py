"""/rules/: every rule grouped by concern, searchable and filterable, with or without htmx."""

from __future__ import annotations

import re

import pytest
from django.utils.html import escape

from advisor.engine import CONCERNS, default_engine
from advisor.engine.describe import describe_condition, describe_effect

RULES = default_engine().catalog.rules


def shown_rules(html: str) -> list[str]:
    return re.findall(r'href="/rules/([^/"]+)/"', html)


def test_every_rule_appears_on_the_rules_page_under_its_concern_in_concern_order(client):
    html = client.get("/rules/").content.decode()
    starts = [html.index(f'id="concern-{concern.name}"') for concern in CONCERNS]
    assert starts == sorted(starts)
    bounds = dict(zip([c.name for c in CONCERNS], [*starts[1:], len(html)], strict=True))
    for rule in RULES:
        start = html.index(f'id="concern-{rule.concern}"')
        position = html.index(f'href="/rules/{rule.id}/"')
        assert start < position < bounds[rule.concern], rule.id
    assert len(shown_rules(html)) == len(RULES)


def test_each_rule_shows_its_condition_effect_rationale_and_facts_in_words(client):
    html = client.get("/rules/").content.decode()
    engine = default_engine()
    for rule in RULES:
        assert escape(describe_condition(rule.when)[1:]) in html, rule.id
        assert escape(describe_effect(rule)[1:]) in html, rule.id
        assert escape(rule.rationale) in html, rule.id
        for fact_id in rule.facts:
            assert f'href="/learn/#fact-{fact_id}"' in html
            assert escape(engine.facts[fact_id].title) in html


def test_the_page_counts_every_rule_in_a_polite_live_region(client):
    html = client.get("/rules/").content.decode()
    assert 'id="rule-count"' in html
    assert 'aria-live="polite"' in html
    assert f"All {len(RULES)} rules" in html


def test_search_narrows_the_rules_to_those_that_match(client):
    html = client.get("/rules/", {"q": "proxy"}).content.decode()
    shown = shown_rules(html)
    assert "connections.serverless-functions" in shown
    assert "platform.rds-by-default" not in shown
    assert 0 < len(shown) < len(RULES)
    assert f"{len(shown)} of {len(RULES)} rules match" in html


def test_search_matches_ids_rationales_conditions_and_facts(client):
    by_id = shown_rules(client.get("/rules/", {"q": "aurora-not-accept"}).content.decode())
    assert by_id == ["platform.aurora-not-acceptable"]
    by_rationale = shown_rules(client.get("/rules/", {"q": "Patroni"}).content.decode())
    assert "availability.checklist.self-managed-replication" in by_rationale
    by_condition = shown_rules(client.get("/rules/", {"q": "burstable (T) class"}).content.decode())
    assert "platform.risk.burstable-in-production" in by_condition
    by_fact = shown_rules(client.get("/rules/", {"q": "RDS Custom scope"}).content.decode())
    assert "read_scaling.risk.no-cross-region-replicas" in by_fact


def test_every_search_word_has_to_match(client):
    both = shown_rules(client.get("/rules/", {"q": "serverless proxy"}).content.decode())
    proxy = shown_rules(client.get("/rules/", {"q": "proxy"}).content.decode())
    assert set(both) < set(proxy)


def test_the_concern_filter_keeps_only_that_concern(client):
    html = client.get("/rules/", {"concern": "cache"}).content.decode()
    shown = shown_rules(html)
    assert shown == [rule.id for rule in RULES if rule.concern == "cache"]
    assert 'id="concern-platform"' not in html
    assert '<option value="cache" selected>' in html


@pytest.mark.parametrize("effect", ["exclude", "prefer", "set", "risk", "checklist"])
def test_the_effect_filter_keeps_only_rules_with_that_effect(client, effect):
    shown = shown_rules(client.get("/rules/", {"effect": effect}).content.decode())
    assert shown == [rule.id for rule in RULES if rule.effect == effect]


def test_filters_and_search_combine(client):
    shown = shown_rules(
        client.get("/rules/", {"q": "aurora", "concern": "platform", "effect": "risk"}).content
        .decode()
    )  # fmt: skip
    assert shown
    for rule_id in shown:
        rule = default_engine().catalog.by_id(rule_id)
        assert (rule.concern, rule.effect) == ("platform", "risk")


def test_a_search_without_matches_says_so_and_offers_every_rule(client):
    html = client.get("/rules/", {"q": "mongodb-atlas-sharding"}).content.decode()
    assert shown_rules(html) == []
    assert "No rule matches" in html
    assert 'href="/rules/">show every rule</a>' in html


def test_an_unknown_filter_value_is_ignored_rather_than_an_error(client):
    response = client.get("/rules/", {"concern": "nonsense", "effect": "explode"})
    assert response.status_code == 200
    html = response.content.decode()
    assert len(shown_rules(html)) == len(RULES)
    assert "an unknown filter was ignored" in html


def test_the_filter_form_works_without_javascript_and_enhances_with_htmx(client):
    html = client.get("/rules/").content.decode()
    form = re.search(r"<form[^>]*>", html).group(0)
    assert 'method="get"' in form
    assert 'action="/rules/"' in form
    assert 'hx-get="/rules/"' in form
    assert 'hx-target="#rule-results"' in form
    assert 'hx-trigger="input changed delay:250ms, change, submit"' in form
    assert 'hx-push-url="true"' in form
    for name in ("q", "concern", "effect"):
        assert f'<label class="filters__label" for="id_{name}">' in html
        assert f'id="id_{name}"' in html
    assert '<button type="submit"' in html


def test_an_htmx_request_gets_only_the_results_fragment(client):
    response = client.get("/rules/", {"q": "proxy"}, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert "HX-Request" in response["Vary"]
    assert "<html" not in html
    assert "site-header" not in html
    assert "<form" not in html
    assert 'id="rule-count" hx-swap-oob="innerHTML"' in html
    assert "connections.serverless-functions" in shown_rules(html)
    assert "platform.rds-by-default" not in shown_rules(html)


def test_an_htmx_history_restore_gets_the_whole_page(client):
    response = client.get(
        "/rules/", {"q": "proxy"},
        headers={"HX-Request": "true", "HX-History-Restore-Request": "true"},
    )  # fmt: skip
    assert b"<html" in response.content


def test_the_full_page_and_the_fragment_vary_on_the_htmx_header(client):
    assert "HX-Request" in client.get("/rules/")["Vary"]


def test_the_first_view_is_one_closed_group_per_decision_with_what_it_settles(client):
    """The catalog opens as a short list: each decision's title, rule count and one plain
    sentence; its rules, with their weights, open on demand."""
    html = client.get("/rules/").content.decode()
    groups = re.findall(r'<details class="rule-group"( open)?>', html)
    assert len(groups) == len(CONCERNS)
    assert not any(groups)
    for concern in CONCERNS:
        assert concern.summary
        assert escape(concern.summary) in html
    outside = re.sub(r'<details class="rule-group">.*?</details>', "", html, flags=re.S)
    assert not re.search(r"\([+\N{MINUS SIGN}-]\d+\)", outside)
    assert "rule-card" not in outside


def test_a_search_or_filter_opens_the_groups_it_finds(client):
    html = client.get("/rules/", {"q": "proxy"}).content.decode()
    assert '<details class="rule-group" open>' in html
    assert '<details class="rule-group">' not in html
    fragment = client.get("/rules/", {"q": "proxy"}, HTTP_HX_REQUEST="true").content.decode()
    assert '<details class="rule-group" open>' in fragment
