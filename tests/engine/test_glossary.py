"""/learn/glossary/: the required terms, anchored, defined, and tied to real facts."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.template import Context, Engine
from django.utils.html import escape

from advisor.engine import FIELDS, default_engine
from advisor.engine.glossary import GlossaryError, glossary, load_glossary
from advisor.web.learn import glossary_url

REQUIRED = {
    "az": "Availability Zone",
    "region": "Region",
    "rto": "RTO",
    "rpo": "RPO",
    "read-replica": "Read replica",
    "standby": "Standby",
    "failover": "Failover",
    "multi-az": "Multi-AZ",
    "acu": "ACU",
    "kms": "KMS",
    "iam-auth": "IAM database authentication",
    "rds-proxy": "RDS Proxy",
    "connection-pooling": "Connection pooling",
    "pitr": "Point-in-time restore",
    "cache-aside": "Cache-aside",
    "write-through": "Write-through",
    "ttl": "TTL",
    "pilot-light": "Pilot light",
    "warm-standby": "Warm standby",
    "global-database": "Global Database",
    "one-way-door": "One-way door",
}
TERMS = list(glossary().values())


@pytest.fixture
def html(client):
    return client.get("/learn/glossary/").content.decode()


@pytest.mark.parametrize(("term_id", "name"), REQUIRED.items())
def test_the_glossary_has_every_required_term(html, term_id, name):
    assert name in glossary()[term_id].term
    assert f'id="term-{term_id}"' in html


@pytest.mark.parametrize("term", TERMS, ids=lambda term: term.id)
def test_every_term_has_an_anchor_a_definition_and_links_to_real_facts(html, term):
    start = html.index(f'id="{term.anchor}"')
    entry = html[start : html.index("</div>", start)]
    assert escape(term.term) in entry
    assert escape(term.definition) in entry
    assert term.facts
    for fact_id in term.facts:
        assert fact_id in default_engine().facts
        assert f'href="/learn/#fact-{fact_id}"' in entry
    for other in term.see:
        assert f'href="#term-{other}"' in entry


def test_the_glossary_page_has_a_title_and_an_index_of_terms(html):
    assert "<title>Glossary · Archwise</title>" in html
    assert '<nav class="toc learn-toc learn-toc--index" aria-label="Terms">' in html
    assert html.count('<div class="glossary__entry"') == len(TERMS)


def test_every_glossary_term_the_wizard_links_exists():
    for field in FIELDS:
        for term_id in field.glossary:
            assert term_id in glossary(), f"{field.name} links unknown term {term_id}"


def test_a_glossary_term_citing_an_unknown_fact_fails_naming_the_file_and_term(tmp_path: Path):
    path = tmp_path / "glossary.toml"
    path.write_text(
        '[[term]]\nid = "az"\nterm = "AZ"\ndefinition = "A zone."\nfacts = ["no.such-fact"]\n'
    )
    with pytest.raises(GlossaryError, match=r"glossary.toml: term az: unknown fact 'no.such-fact'"):
        load_glossary(path, default_engine().facts)


def test_a_glossary_term_pointing_to_an_unknown_term_fails(tmp_path: Path):
    path = tmp_path / "glossary.toml"
    path.write_text(
        '[[term]]\nid = "az"\nterm = "AZ"\ndefinition = "A zone."\nfacts = ["rds.managed"]\n'
        'see = ["nowhere"]\n'
    )
    with pytest.raises(GlossaryError, match="unknown see-also term 'nowhere'"):
        load_glossary(path, default_engine().facts)


def test_glossary_url_gives_the_terms_anchor_and_refuses_unknown_terms():
    assert glossary_url("rto") == "/learn/glossary/#term-rto"
    with pytest.raises(KeyError):
        glossary_url("no-such-term")


def test_the_glossary_template_tags_link_terms_from_any_template():
    engine = Engine.get_default()
    tag = engine.from_string('{% load learn %}{% glossary_url "rpo" %}')
    assert tag.render(Context()) == "/learn/glossary/#term-rpo"
    links = engine.from_string("{% load learn %}{% glossary_links ids %}")
    rendered = links.render(Context({"ids": ("rto", "failover", "no-such-term")}))
    assert '<a href="/learn/glossary/#term-rto">Recovery time objective (RTO)</a>' in rendered
    assert '<a href="/learn/glossary/#term-failover">Failover</a>' in rendered
    assert "no-such-term" not in rendered
    assert links.render(Context({"ids": ()})).strip() == ""
