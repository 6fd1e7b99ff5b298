"""/learn/: the knowledge base by topic, with sources, citing rules and what changed."""

from __future__ import annotations

import pytest
from django.utils.html import escape

from advisor.engine import default_engine
from advisor.engine.knowledge import TOPICS, load_notes

FACTS = list(default_engine().facts.values())
CORRECTED = [fact for fact in FACTS if fact.verdict in ("imprecise", "outdated", "wrong")]


@pytest.fixture
def html(client):
    return client.get("/learn/").content.decode()


def article(html: str, fact_id: str) -> str:
    """The markup of one fact, from its anchor to the next fact or section."""
    start = html.index(f'<article class="kb-fact" id="fact-{fact_id}"')
    end = html.index("</article>", start)
    return html[start:end]


def test_the_knowledge_base_has_a_title_and_a_table_of_contents(html):
    title = "Learn: the trade-offs in 15 minutes, and the facts behind the rules · Archwise"
    assert f"<title>{title}</title>" in html
    assert '<nav class="toc learn-toc" aria-label="Contents">' in html
    assert 'href="/learn/corrections/"' in html
    for key in TOPICS:
        assert f'href="#topic-{key}"' in html


def test_topics_come_in_the_knowledge_base_order(html):
    starts = [html.index(f'<section id="topic-{key}"') for key in TOPICS]
    assert starts == sorted(starts)


@pytest.mark.parametrize("fact", FACTS, ids=lambda fact: fact.id)
def test_every_fact_has_its_anchor_title_statement_figures_and_source(html, fact):
    markup = article(html, fact.id)
    assert escape(fact.title) in markup
    assert escape(fact.statement) in markup
    assert escape(fact.figures) in markup
    assert f'href="{fact.source}"' in markup
    topic_start = html.index(f'<section id="topic-{fact.topic}"')
    assert topic_start < html.index(f'id="fact-{fact.id}"')


@pytest.mark.parametrize("fact", CORRECTED, ids=lambda fact: fact.id)
def test_a_corrected_fact_points_to_its_correction_without_quoting_old_notes(html, fact):
    markup = article(html, fact.id)
    assert f'href="/learn/corrections/#correction-{fact.id}"' in markup
    assert escape(fact.note.replace("**", "")) not in markup
    assert "classic" not in markup.lower()


def test_the_knowledge_base_speaks_of_aws_as_it_is(html):
    assert "classic notes" not in html.lower()
    assert 'id="what-changed"' not in html


@pytest.fixture
def corrections(client) -> str:
    return client.get("/learn/corrections/").content.decode()


@pytest.mark.parametrize("fact", CORRECTED, ids=lambda fact: fact.id)
def test_every_correction_quotes_the_notes_and_says_what_changed(corrections, fact):
    start = corrections.index(f'id="correction-{fact.id}"')
    item = corrections[start : corrections.index("</li>", start)]
    assert escape(fact.what_changed) in item
    assert escape(fact.note.replace("**", "")) in item
    assert f"badge--{fact.verdict}" in item
    assert f'href="/learn/#fact-{fact.id}"' in item
    assert f'href="{fact.source}"' in item


def test_the_corrections_page_lists_every_correction_and_names_what_it_is_for(corrections):
    assert "<title>Corrections to older study notes · Archwise</title>" in corrections
    assert corrections.count('class="changes-list__item"') == len(CORRECTED)
    assert "If you studied from notes like them" in corrections


@pytest.mark.parametrize("fact", FACTS, ids=lambda fact: fact.id)
def test_every_fact_links_to_the_rules_that_cite_it(html, fact):
    markup = article(html, fact.id)
    citing = [rule for rule in default_engine().catalog.rules if fact.id in rule.facts]
    for rule in citing:
        assert f'href="/rules/{rule.id}/"' in markup
    assert markup.count('href="/rules/') == len(citing)


def test_the_notes_appear_line_by_line_with_the_facts_they_map_to(corrections):
    start = corrections.index('<section id="classic-notes"')
    section = corrections[start : corrections.index("</section>", start)]
    lines = load_notes()
    assert section.count('<li class="notes-lines__item') == len(lines)
    position = 0
    for line in lines:
        words = " ".join(
            line["text"].lstrip("#").strip().removeprefix("- ").replace("**", "").split()
        )
        position = section.index(escape(words), position)
        for fact_id in line["facts"]:
            assert f'href="/learn/#fact-{fact_id}"' in section


@pytest.mark.parametrize("fact", FACTS, ids=lambda fact: fact.id)
def test_every_fact_says_when_it_was_checked_against_its_source(html, fact):
    assert f'<time datetime="{fact.checked}">{fact.checked}</time> against that page' in (
        article(html, fact.id)
    )


def test_the_capability_matrix_is_shown_with_why_each_feature_is_missing(html):
    assert 'href="#capabilities"' in html
    start = html.index('<section id="capabilities"')
    section = html[start : html.index("</section>", start)]
    for capability in default_engine().matrix.capabilities.values():
        assert f'id="capability-{capability.id}"' in section
        for cell in capability.cells:
            if cell.note:
                assert escape(cell.note) in section
    assert "Multi-AZ DB clusters do not support storage autoscaling" in section
    assert "needed by Storage: Storage autoscaling" in section


def test_a_fact_only_the_matrix_cites_links_to_the_matrix(html):
    text = article(html, "rds.engines")
    assert (
        'In the capability matrix: <a href="#capability-rds_engine">Runs on Amazon RDS</a>' in text
    )
    assert "No rule cites it" not in text
