"""Printed, a recommendation is complete (every section, every decision open) and short: a
typical one fits in five A4 pages, the largest of the examples in six."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser

from advisor.examples import EXAMPLES
from advisor.recommendations import save_recommendation

pytestmark = pytest.mark.browser

A4_PAGE = re.compile(rb"/Type\s*/Page[^s]")


def test_a_typical_recommendation_prints_complete_in_at_most_five_a4_pages(
    browser: Browser, site: str
):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    pages = {}
    for example in EXAMPLES:
        saved = save_recommendation(example.answers, example.title)
        page.goto(site + saved.get_absolute_url())
        page.locator("#review .badge").wait_for()  # the status, loaded into the page
        page.evaluate("window.dispatchEvent(new Event('beforeprint'))")  # what printing does
        assert page.evaluate("[...document.querySelectorAll('details')].every(d => d.open)")
        page.emulate_media(media="print")
        for section in ("architecture", "decisions", "risks", "checklist", "cost", "answers"):
            assert page.locator(f"#{section}").is_visible(), section
        reasons = page.locator("#d-platform .reason__text")
        assert reasons.count() == len(saved.snapshot.decision("platform").rationale)
        assert all(reasons.nth(i).is_visible() for i in range(reasons.count()))
        pages[example.title] = len(A4_PAGE.findall(page.pdf(format="A4")))
        page.emulate_media(media="screen")
    context.close()
    counts = sorted(pages.values())
    assert counts[len(counts) // 2] <= 5, pages  # the typical one
    assert counts[-1] <= 6, pages  # the largest example (multi-Region) by one page at most
