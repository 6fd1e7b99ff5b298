"""Fitting a budget in real Chromium: the sizing assumptions, one-click options, the wizard."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from advisor.models import Recommendation
from advisor.recommendations import save_recommendation

from .conftest import PHONE, axe_violations

pytestmark = pytest.mark.browser

TIGHT = {"engine": "postgresql", "cache_uses": ["session_store"], "monthly_budget_usd": 300}


@pytest.fixture
def tight(site) -> Recommendation:
    return save_recommendation(TIGHT, "Checkout on a tight budget")


def test_a_way_to_fit_the_budget_is_one_click_and_saves_as_a_cheaper_copy(
    page: Page, site: str, tight: Recommendation, artifacts: Path
):
    page.goto(site + tight.get_absolute_url())
    cost = page.locator("#cost")
    expect(cost.get_by_role("heading", name="Ways to fit the budget")).to_be_visible()
    expect(cost.get_by_role("heading", name="Sizing assumptions")).to_be_visible()
    cost.get_by_role("heading", name="Ways to fit the budget").scroll_into_view_if_needed()
    page.screenshot(path=artifacts / "budget-options-desktop.png")
    assert not axe_violations(page)

    first = tight.recommendation["cost"]["budget_options"][0]
    assert len(first["changes"]) > 1
    cost.locator(".fit").first.get_by_role("button", name="Edit a copy with these changes").click()
    page.wait_for_url("**/drafts/*/review/")
    page.locator("#q-title input").fill("Checkout, reserved")
    page.get_by_role("button", name="Create recommendation").click()
    page.wait_for_url(re.compile(r".*/r/[A-Za-z0-9_-]{16}/$"))
    child = Recommendation.objects.exclude(pk=tight.pk).get()
    assert (
        child.recommendation["cost"]["monthly_usd"]["expected"]
        == (first["monthly_usd"]["expected"])
    )
    expect(page.locator(".rec-head")).to_contain_text(f"${first['monthly_usd']['expected']:,.0f}")


def test_a_single_change_opens_as_a_what_if(page: Page, site: str, tight: Recommendation):
    page.goto(site + tight.get_absolute_url())
    page.locator("#cost").get_by_role("link", name="Try it as a what-if").first.click()
    page.wait_for_url("**/what-if/?answer=*")
    expect(page.get_by_role("heading", level=1)).to_contain_text("What if")


def test_change_it_opens_the_sizing_question_in_an_edited_copy(
    page: Page, site: str, tight: Recommendation
):
    page.goto(site + tight.get_absolute_url())
    page.locator("#cost").get_by_role("button", name=re.compile("^Change it")).first.click()
    page.wait_for_url("**/drafts/*/budget/#q-working_set_gb")
    expect(page.locator("#q-working_set_gb")).to_contain_text("Left empty: about 10 GB")
    page.get_by_label("Instance class").select_option("db.m7g.xlarge")
    page.get_by_role("button", name=re.compile("^Next")).click()
    page.wait_for_url("**/drafts/*/security/")
    expect(page.locator(".lean")).to_contain_text("db.m7g.xlarge")


def test_the_cost_section_fits_a_phone(browser, site: str, tight: Recommendation, artifacts: Path):
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    page.goto(site + tight.get_absolute_url())
    cost = page.locator("#cost")
    cost.scroll_into_view_if_needed()
    width = cost.evaluate("el => el.scrollWidth")
    assert width <= PHONE["width"]
    cost.screenshot(path=artifacts / "budget-options-phone.png")
    context.close()
