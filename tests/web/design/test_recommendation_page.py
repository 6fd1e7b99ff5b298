"""The recommendation page's design-session parts: diagram, what-if toggles, print styles."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils.html import escape

from advisor.models import Recommendation
from advisor.outputs.diagram import describe
from advisor.whatif import SHOWN_CHANGES

from .conftest import html

pytestmark = pytest.mark.django_db


def decision_block(rest: str) -> str:
    """The markup of the decision `rest` starts with, up to the next decision or the risks."""
    ends = [rest.find(marker, 1) for marker in ('<details class="decision"', 'id="risks"')]
    return rest[: min(end for end in ends if end > 0)]


def test_the_page_shows_the_architecture_diagram_with_its_text_alternative(client, stored):
    page = html(client.get(stored.get_absolute_url()))
    section = page[page.index('id="architecture"') : page.index('id="decisions"')]
    assert '<svg xmlns="http://www.w3.org/2000/svg" class="archwise-diagram"' in section
    assert 'role="img"' in section
    assert escape(describe(stored.recommendation)) in section
    assert 'class="diagram__scroll" tabindex="0" role="region"' in section


def test_a_legacy_snapshot_still_gets_its_diagram(client, legacy):
    page = html(client.get(legacy.get_absolute_url()))
    assert "archwise-diagram" in page
    assert "Amazon Aurora" in page[page.index('id="architecture"') : page.index('id="decisions"')]


def test_each_decision_offers_its_changes_as_toggles_that_work_without_javascript(client, stored):
    page = html(client.get(stored.get_absolute_url()))
    what_if = reverse("what-if", args=[stored.slug])
    for name, decision in stored.recommendation["decisions"].items():
        section = page[page.index(f'id="d-{name}"') :]
        section = decision_block(section)
        toggles = re.findall(r'<form class="whatif-toggle" method="get" action="([^"]+)"', section)
        assert len(toggles) == min(SHOWN_CHANGES, len(decision["what_would_change"]))
        assert set(toggles) <= {what_if}
        if toggles:  # each applies its change to the page's one what-if; its box says so
            assert 'hx-target="#whatif"' in section
            assert 'hx-include="#whatif-applied"' in section
            assert f'hx-vals=\'{{"shown_in": "{name}"}}\'' in section
            assert f'id="whatif-{name}"' in section
    head = page[page.index('class="rec-head"') : page.index('class="toc"')]
    for region in ("rec-summary", "rec-stats", "rec-top-risks"):
        assert f'id="{region}" data-whatif-region' in head
    # One what-if request at a time: a toggle pressed while another is on its way waits for it.
    state = '<div id="whatif" hx-target="#whatif" hx-swap="innerHTML" hx-sync="this:queue all">'
    assert state + "</div>" in head
    assert '<p id="whatif-status" class="visually-hidden" role="status"></p>' in head
    assert 'id="architecture-figure" data-whatif-region' in page


def test_the_cached_page_carries_nothing_per_request(client, stored):
    first = client.get(stored.get_absolute_url()).content
    second = client.get(stored.get_absolute_url()).content
    token = rb'csrfmiddlewaretoken" value="[^"]+"|"X-CSRFToken": "[^"]+"'
    assert re.sub(token, b"", first) == re.sub(token, b"", second)


def test_the_page_has_no_inline_scripts_styles_or_event_handlers(client, stored):
    page = html(client.get(stored.get_absolute_url()))
    assert " style=" not in page
    assert "<style" not in page
    assert " onclick=" not in page
    assert "hx-on" not in page
    assert re.findall(r"<script[^>]*>", page) == [
        s for s in re.findall(r"<script[^>]*>", page) if "src=" in s
    ]


def test_the_print_stylesheet_hides_controls_and_shows_the_permanent_link(client, stored):
    page = html(client.get(stored.get_absolute_url()))
    assert f"Permanent link: http://testserver/r/{stored.slug}/" in page
    css = (settings.BASE_DIR / "static" / "css" / "archwise.css").read_text()
    printing = css[css.index("/* Print: a clean black-on-white document.") :]
    for hidden in (".whatif", ".compare-with", "form", "button", ".lineage__later"):
        assert hidden in printing.split("display: none !important")[0]
    assert "break-inside: avoid" in printing


def test_a_decision_shows_its_five_nearest_changes_grouped_by_where_they_lead(client, stored):
    page = html(client.get(stored.get_absolute_url()))
    for name, decision in stored.recommendation["decisions"].items():
        entries = decision["what_would_change"]
        section = page[page.index(f'id="d-{name}"') :]
        section = decision_block(section)
        for entry in entries[:SHOWN_CHANGES]:
            assert escape(entry["text"].rsplit(" → ", 1)[0]) in section
        if len(entries) > SHOWN_CHANGES:
            more = len(entries) - SHOWN_CHANGES
            assert f"{more} further change" in section


def test_a_recommendation_stored_before_changes_were_ranked_lists_every_one(client, stored):
    snapshot = stored.recommendation
    for decision in snapshot["decisions"].values():
        for entry in decision["what_would_change"]:
            entry.pop("rank")
            entry.pop("why")
    Recommendation.objects.filter(pk=stored.pk).update(recommendation=snapshot)
    page = html(client.get(stored.get_absolute_url()))
    for name, decision in stored.recommendation["decisions"].items():
        section = page[page.index(f'id="d-{name}"') :]
        section = decision_block(section)
        toggles = re.findall(r'<form class="whatif-toggle"', section)
        assert len(toggles) == len(decision["what_would_change"])
        for entry in decision["what_would_change"]:
            assert escape(entry["text"]) in section
        assert "further change" not in section
