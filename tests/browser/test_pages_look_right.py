"""Every page passes an axe check, and gets a full-page screenshot on a desktop and a phone."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page

from .conftest import DESKTOP, PHONE, axe_violations

pytestmark = pytest.mark.browser

WIZARD_STEPS = ("workload", "availability", "budget", "security", "connections", "review")


def _visit_every_page(page: Page, site: str) -> Iterator[str]:
    """Walk landing, an example, each step, a step with errors, the recommendation and a 404."""
    page.goto(site + "/")
    yield "landing"
    page.get_by_role("button", name="Open in the wizard: A game leaderboard cache").click()
    page.wait_for_url("**/drafts/*/workload/")
    for step in WIZARD_STEPS:
        page.goto(f"{site}/wizard/{step}/")
        yield f"wizard-{step}"
    page.goto(f"{site}/wizard/budget/")
    page.get_by_label("Monthly budget for the data tier (USD)").fill("-5")
    page.get_by_role("button", name="Next: Security").click()
    page.locator(".error-summary").wait_for()
    yield "wizard-errors"
    page.goto(f"{site}/wizard/review/")
    page.get_by_label("Name this system (optional)").fill("Leaderboard service")
    page.get_by_role("button", name="Create recommendation").click()
    page.wait_for_url("**/r/*/")
    yield "recommendation"
    for path, name in (
        ("/rules/", "rules"),
        ("/learn/", "learn"),
        ("/learn/corrections/", "corrections"),
        ("/learn/examples/availability-multi_az_cluster/", "learn-example"),
        ("/learn/glossary/", "glossary"),
    ):
        page.goto(site + path)
        yield name
    page.goto(site + "/r/not-a-real-link/")
    yield "404"


def test_every_page_has_no_accessibility_violations_and_is_screenshotted(
    browser: Browser, site: str, artifacts: Path
):
    problems = {}
    for viewport, suffix in ((DESKTOP, "desktop"), (PHONE, "phone")):
        context = browser.new_context(viewport=viewport)
        page = context.new_page()
        for name in _visit_every_page(page, site):
            page.wait_for_load_state("networkidle")
            if found := axe_violations(page):
                problems[f"{name} ({suffix})"] = found
            page.screenshot(path=artifacts / f"{name}-{suffix}.png", full_page=True)
        context.close()
    assert problems == {}
