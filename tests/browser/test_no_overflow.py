"""No page is wider than a phone's screen: at 320, 390 and 430 px nothing scrolls sideways except
inside the containers made to scroll (the diagram, wide comparison tables)."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser

from advisor.models import Recommendation
from advisor.recommendations import save_recommendation

pytestmark = pytest.mark.browser

WIDTHS = (320, 390, 430)

# What sticks out past the right edge (the innermost elements first), for the failure message.
STICKING_OUT = """(width) => [...document.querySelectorAll("body *")]
  .filter((e) => e.getBoundingClientRect().right > width + 1 && !e.closest("svg"))
  .reverse()
  .slice(0, 5)
  .map((e) => `${e.tagName.toLowerCase()}.${e.getAttribute("class") || ""}`)"""


def _pages(site: str) -> list[str]:
    """Every kind of page, with content that is long where it can be."""
    answers = {
        "engine": "postgresql",
        "read_replicas": 3,
        "region_dr": "minutes",
        "cache_uses": ["session_store"],
        "monthly_budget_usd": 300,
        "client_type": "serverless_functions",
    }
    original = save_recommendation(answers, "Checkout API " + "with a long name " * 4)
    child = save_recommendation(
        {**answers, "rto": "seconds"}, "Checkout, faster", original, shows_parent=True
    )
    old = Recommendation.objects.create(
        title="Saved under older rules",
        answers=original.answers,
        recommendation=original.recommendation,
        ruleset_version="2020-01-01.old",
    )
    rule = original.recommendation["fired_rules"][0]
    return [
        "/",
        "/wizard/workload/",
        "/wizard/budget/",
        "/wizard/review/",
        f"/r/{original.slug}/",
        f"/r/{child.slug}/",
        f"/r/{original.slug}/lineage/",
        f"/r/{original.slug}/status/",
        f'/r/{original.slug}/what-if/?answer=rto&value="seconds"',
        f"/compare/{original.slug}/{child.slug}/",
        f"/compare/?from={original.slug}",
        f"/r/{old.slug}/re-evaluate/",
        "/rules/",
        f"/rules/{rule}/",
        "/learn/",
        "/learn/glossary/",
        "/learn/corrections/",
        "/learn/examples/platforms-rds_custom/",
        "/r/AAAAAAAAAAAAAAAA/",
    ]


def test_no_page_scrolls_sideways_on_a_phone(browser: Browser, site: str):
    paths = _pages(site)
    wide = {}
    for width in WIDTHS:
        context = browser.new_context(viewport={"width": width, "height": 800})
        page = context.new_page()
        page.goto(site + "/")  # the wizard's steps need answers: start from an example
        page.get_by_role("button", name="Open in the wizard: A game leaderboard cache").click()
        page.wait_for_url("**/drafts/*/workload/")
        for path in paths:
            page.goto(site + path)
            scroll_width = page.evaluate("document.documentElement.scrollWidth")
            if scroll_width > width:
                wide[f"{path} at {width}px"] = (scroll_width, page.evaluate(STICKING_OUT, width))
        context.close()
    assert wide == {}
