"""A recommendation read in ten seconds: on a desktop and on a phone, the first screen holds the
cost against the budget, the budget verdict, the top risk and the actions (link, edit, exports)."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser

from advisor.examples import EXAMPLES
from advisor.recommendations import save_recommendation

pytestmark = pytest.mark.browser

SCREENS = {"desktop": {"width": 1440, "height": 900}, "phone": {"width": 390, "height": 844}}
ESSENTIALS = {
    "the estimated cost": ".stat__value",
    "the budget verdict": ".stat:nth-child(2) .stat__value",
    "the top risk": ".top-risk",
    "copy link": "[data-copy]",
    "edit a copy": ".share__edit button",
    "the decision record": ".share__exports a >> nth=0",
    "JSON": ".share__exports a >> nth=1",
    "CloudFormation": ".share__exports a >> nth=2",
    "print": "[data-print]",
}


@pytest.mark.parametrize("screen", SCREENS)
def test_the_first_screen_holds_the_cost_the_verdict_the_top_risk_and_the_actions(
    browser: Browser, site: str, screen: str
):
    size = SCREENS[screen]
    saved = [save_recommendation(example.answers, example.title) for example in EXAMPLES]
    context = browser.new_context(viewport=size)
    page = context.new_page()
    below = {}
    for item in saved:
        page.goto(f"{site}{item.get_absolute_url()}")
        page.locator("#review .badge").wait_for()  # the status, loaded into the page
        for what, selector in ESSENTIALS.items():
            box = page.locator(selector).first.bounding_box()
            if box is None or box["y"] + box["height"] > size["height"]:
                below.setdefault(item.title, []).append(what)
    context.close()
    assert below == {}, f"not on the first screen at {size['width']}x{size['height']}"


def test_every_decision_opens_and_closes_at_once(browser: Browser, site: str):
    saved = save_recommendation(EXAMPLES[0].answers, EXAMPLES[0].title)
    page = browser.new_page(viewport=SCREENS["desktop"])
    page.goto(f"{site}{saved.get_absolute_url()}")
    button = page.get_by_role("button", name="Open every decision")
    decisions = page.locator("#decisions details.decision")
    assert decisions.count() > 5
    assert (
        page.evaluate("[...document.querySelectorAll('details.decision')].some(d => d.open)")
        is False
    )
    button.click()
    assert page.evaluate("[...document.querySelectorAll('details.decision')].every(d => d.open)")
    assert button.get_attribute("aria-pressed") == "true"
    button.click()
    assert not page.evaluate("[...document.querySelectorAll('details.decision')].some(d => d.open)")
    page.close()
