"""/rules/<id>/: one rule in full, with example answers the engine confirms."""

from __future__ import annotations

import pytest
from django.utils.html import escape

from advisor.engine import CONCERNS_BY_NAME, default_engine
from advisor.engine.examples_finder import engine_for, examples_for, safety_nets

RULES = default_engine().catalog.rules


@pytest.mark.parametrize("rule", RULES, ids=lambda rule: rule.id)
def test_every_rule_page_shows_an_example_the_engine_really_fires_on(client, rule):
    response = client.get(f"/rules/{rule.id}/")
    assert response.status_code == 200
    html = response.content.decode()
    scenarios = examples_for(rule.id)
    assert scenarios
    assert "Example 1:" in html
    concern = CONCERNS_BY_NAME[rule.concern]
    for scenario in scenarios:
        assert escape(scenario.description) in html
        result = engine_for(scenario).recommend(scenario.answers, explore=False)
        assert rule.id in result["fired_rules"]
        chosen = concern.label(result["decisions"][rule.concern]["choice"])
        assert (
            f"{escape(concern.title)} in this scenario: <strong>{escape(chosen)}</strong>" in html
        )


def test_a_rule_page_shows_the_rule_in_words_with_its_source_and_facts(client):
    rule = default_engine().catalog.by_id("platform.aurora-not-acceptable")
    html = client.get(f"/rules/{rule.id}/").content.decode()
    assert f"<title>Rule {rule.id} · Archwise</title>" in html
    assert (
        "<dd>An AWS-proprietary engine (Aurora) is not acceptable, and the engine is MySQL or "
        "PostgreSQL.</dd>"
    ) in html
    assert "Excludes Amazon Aurora (provisioned) and Aurora Serverless v2" in html
    assert escape(rule.rationale) in html
    assert "advisor/engine/data/rules/01-platform.toml" in html
    for fact_id in rule.facts:
        fact = default_engine().facts[fact_id]
        assert f'href="/learn/#fact-{fact_id}"' in html
        assert f'href="{fact.source}"' in html


def test_an_example_lists_only_the_answers_that_differ_from_the_defaults(client):
    html = client.get("/rules/connections.serverless-functions/").content.decode()
    assert "Example 1: PostgreSQL; clients: serverless functions" in html
    assert "<dt>What connects to the database?</dt><dd>Serverless functions</dd>" in html
    assert "Connections in this scenario: <strong>Amazon RDS Proxy</strong>" in html


def test_a_safety_net_rule_says_it_needs_a_team_rule_pack(client):
    for rule_id in safety_nets():
        html = client.get(f"/rules/{rule_id}/").content.decode()
        assert "This rule is a safety net" in html
        assert "Team rule pack" in html


def test_a_rule_page_links_to_its_neighbours_and_back_to_its_concern(client):
    html = client.get("/rules/platform.aurora-not-acceptable/").content.decode()
    assert 'href="/rules/platform.rds-by-default/" rel="prev"' in html
    assert 'href="/rules/platform.version-not-on-rds/" rel="next"' in html
    assert 'href="/rules/?concern=platform"' in html


@pytest.mark.parametrize("rule_id", ["no.such-rule", "platform", "platform.rds-by-default.x"])
def test_an_unknown_rule_id_is_a_404(client, rule_id):
    assert client.get(f"/rules/{rule_id}/").status_code == 404
