"""Design sessions in real Chromium: what-if toggles, saving a variant, compare, re-evaluate."""

from __future__ import annotations

import copy
import re
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from advisor.engine import normalise
from advisor.models import Recommendation
from advisor.recommendations import save_recommendation

from .conftest import DESKTOP, PHONE, axe_violations

pytestmark = pytest.mark.browser

LAMBDA = {
    "engine": "postgresql",
    "client_type": "serverless_functions",
    "cache_uses": ["session_store"],
    "monthly_budget_usd": 5000,
}
RTO_SECONDS = re.compile(r"^If the recovery time objective \(RTO\) is seconds")


def changed(name: str, before: str, after: str) -> re.Pattern:
    """An answer change as the what-if lists it: 'RTO: minutes → seconds' (read aloud with
    "becomes" for the arrow)."""
    return re.compile(rf"{re.escape(name)}: {before} →\s*becomes\s*{after}")


def _legacy(stored: Recommendation) -> Recommendation:
    old = copy.deepcopy(stored.recommendation)
    old["decisions"]["platform"].update(
        choice="aurora",
        label="Amazon Aurora (provisioned)",
        rationale=[{"rule": "platform.retired", "text": "Old reasons.", "facts": []}],
        trace=[{"rule": "platform.retired", "effect": "prefer"}],
    )
    old["ruleset_version"] = "2024-01.0000000000"
    return Recommendation.objects.create(
        title="Legacy checkout",
        answers=normalise(stored.answers),
        recommendation=old,
        ruleset_version="2024-01.0000000000",
    )


@pytest.fixture
def stored(site) -> Recommendation:
    return save_recommendation(LAMBDA, "Checkout API")


def test_a_what_if_changes_what_the_room_sees_and_saving_it_links_the_original(
    page: Page, site: str, stored: Recommendation, artifacts: Path
):
    page.goto(site + stored.get_absolute_url())
    page.evaluate("window.archwiseMarker = 'still here'")
    stats, summary = page.locator("#rec-stats"), page.locator("#rec-summary")
    words = page.locator("#architecture-figure .diagram__text")
    status, state = page.locator("#whatif-status"), page.locator("#whatif")
    as_saved = {"stats": stats.inner_text(), "summary": summary.inner_text()}
    as_saved["diagram"] = words.inner_text()
    assert "$691" in as_saved["stats"]

    platform = page.locator("#d-platform")
    platform.locator("> summary").click()  # a decision's details, its toggles among them, open
    toggle = platform.get_by_role("button", name=RTO_SECONDS)
    expect(toggle).to_have_attribute("aria-pressed", "false")
    toggle.click()
    # The first screen and the diagram show the what-if, marked as not saved, and say so aloud.
    expect(state).to_contain_text("Not saved")
    expect(state).to_contain_text(changed("RTO", "minutes", "seconds"))
    expect(stats).to_contain_text("as saved $691")
    expect(stats.locator(".whatif-tag")).to_have_text("What-if")
    expect(summary).to_contain_text("Amazon Aurora")
    expect(words).not_to_have_text(as_saved["diagram"], use_inner_text=True)
    expect(words).to_contain_text("Aurora")
    expect(status).to_contain_text("What-if, not saved: RTO: seconds.")
    expect(status).to_contain_text("cost $691 →")
    expect(page.locator("#whatif-platform")).to_contain_text("What if RTO: seconds?")
    expect(toggle).to_have_attribute("aria-pressed", "true")
    assert page.evaluate("window.archwiseMarker") == "still here"
    assert page.url == site + stored.get_absolute_url()
    page.evaluate("window.scrollTo(0, 0)")
    page.screenshot(path=artifacts / "design-whatif-first-screen-desktop.png")

    # Pressing it again puts the page back as saved; the keyboard works the same way.
    toggle.click()
    expect(state).to_be_empty()
    expect(status).to_contain_text("What-if put back")
    expect(stats).to_have_text(as_saved["stats"], use_inner_text=True)
    expect(summary).to_have_text(as_saved["summary"], use_inner_text=True)
    expect(words).to_have_text(as_saved["diagram"], use_inner_text=True)
    expect(toggle).to_have_attribute("aria-pressed", "false")
    toggle.focus()
    page.keyboard.press("Enter")
    expect(state).to_contain_text(changed("RTO", "minutes", "seconds"))
    page.keyboard.press("Space")
    expect(state).to_be_empty()

    # Several at once: another decision's toggle adds its change; one for the same answer
    # replaces it; "Take back" removes one change and keeps the other.
    toggle.click()
    expect(state).to_contain_text(changed("RTO", "minutes", "seconds"))
    page.locator("#d-disaster_recovery > summary").click()
    page.locator("#d-disaster_recovery").get_by_role(
        "button", name=re.compile("Region failure is within minutes")
    ).click()
    expect(state).to_contain_text("Region recovery")
    expect(state).to_contain_text(changed("RTO", "minutes", "seconds"))
    expect(page.locator("#whatif-platform")).to_be_empty()
    expect(toggle).to_have_attribute("aria-pressed", "true")
    page.locator("#d-availability > summary").click()
    hours = re.compile("RTO\\) is hours")
    page.locator("#d-availability").get_by_role("button", name=hours).click()
    expect(state).to_contain_text(changed("RTO", "minutes", "hours"))
    expect(state).not_to_contain_text(changed("RTO", "minutes", "seconds"))
    expect(toggle).to_have_attribute("aria-pressed", "false")
    state.get_by_role("button", name=re.compile("Take back Region recovery")).click()
    expect(state).not_to_contain_text("Region recovery")
    expect(state).to_contain_text(changed("RTO", "minutes", "hours"))
    expect(page.locator("#whatif-state-title")).to_be_focused()
    expect(stats).to_contain_text("as saved $691")

    # One click saves it as a new version, linked to the original when asked.
    state.get_by_label("Link the new page to the original").check()
    state.get_by_role("button", name="Save as a new recommendation").click()
    page.wait_for_url(re.compile(r".*/r/[A-Za-z0-9_-]{16}/$"))
    assert stored.slug not in page.url
    expect(page.locator(".rec-head__parent")).to_contain_text("Edited from a copy of")
    expect(page.locator("#lineage")).to_contain_text("Single-AZ")
    page.get_by_role("link", name="Compare with the original").click()
    page.wait_for_url("**/compare/**")
    expect(page.locator(".side__row.is-different").first).to_be_visible()


def test_put_it_all_back_restores_the_page_as_saved(page: Page, site: str, stored: Recommendation):
    page.goto(site + stored.get_absolute_url())
    as_saved = page.locator("#rec-stats").inner_text()
    page.locator("#d-audit > summary").click()
    page.locator("#d-audit").get_by_role("button", name=re.compile("audit logs")).click()
    page.locator("#d-platform > summary").click()
    page.locator("#d-platform").get_by_role("button", name=RTO_SECONDS).click()
    expect(page.locator("#whatif")).to_contain_text(changed("audit logs", "no", "yes"))
    expect(page.locator("#whatif")).to_contain_text(changed("RTO", "minutes", "seconds"))
    page.locator("#whatif").get_by_role("button", name="Put it all back").click()
    expect(page.locator("#whatif")).to_be_empty()
    expect(page.locator("#rec-stats")).to_have_text(as_saved, use_inner_text=True)
    expect(page.locator(".toggle[aria-pressed=true]")).to_have_count(0)
    expect(page.locator(".rec-head__title")).to_be_focused()


def test_toggles_pressed_faster_than_the_server_answers_all_apply(
    page: Page, site: str, stored: Recommendation
):
    """A second toggle pressed while the first is on its way waits for it, so neither is lost."""
    page.goto(site + stored.get_absolute_url())
    page.locator("#d-audit > summary").click()
    page.locator("#d-platform > summary").click()
    audit = page.locator("#d-audit").get_by_role("button", name=re.compile("audit logs"))
    rto = page.locator("#d-platform").get_by_role("button", name=RTO_SECONDS)
    # Both clicks in one task: the second is sent before the first's answer can arrive.
    page.evaluate(
        "([a, b]) => { a.click(); b.click(); }", [audit.element_handle(), rto.element_handle()]
    )
    expect(page.locator("#whatif")).to_contain_text(changed("audit logs", "no", "yes"))
    expect(page.locator("#whatif")).to_contain_text(changed("RTO", "minutes", "seconds"))
    expect(audit).to_have_attribute("aria-pressed", "true")
    expect(rto).to_have_attribute("aria-pressed", "true")


def test_without_javascript_a_toggle_opens_the_what_if_page(
    no_js_page: Page, site: str, stored: Recommendation
):
    page = no_js_page
    page.goto(site + stored.get_absolute_url())
    page.locator("#d-platform > summary").click()
    page.locator("#d-platform").get_by_role("button", name=RTO_SECONDS).click()
    page.wait_for_url("**/what-if/?answer=rto&value=*")
    expect(page.get_by_role("heading", level=1)).to_have_text("What if RTO: seconds?")
    page.get_by_label("Name the new recommendation").fill("Checkout API, fast failover")
    page.get_by_role("button", name="Save as a new recommendation").click()
    page.wait_for_url(re.compile(r".*/r/[A-Za-z0-9_-]{16}/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Checkout API, fast failover")
    expect(page.locator("#lineage")).to_contain_text("Made from")


def test_the_compare_with_form_opens_a_comparison_with_the_differences_marked(
    page: Page, site: str, stored: Recommendation
):
    other = save_recommendation({**LAMBDA, "region_dr": "minutes"}, "Checkout API with DR")
    page.goto(site + stored.get_absolute_url())
    page.get_by_label("Compare with…").fill(site + other.get_absolute_url())
    page.get_by_role("button", name="Compare", exact=True).click()
    page.wait_for_url(f"**/compare/{stored.slug}/{other.slug}/")
    row = page.locator("tr.is-different", has_text="Disaster recovery")
    expect(row).to_contain_text("Differs")
    expect(row.locator("td.is-different")).to_contain_text("Pilot light")
    page.goto(site + stored.get_absolute_url())
    page.get_by_label("Compare with…").fill("not a link at all")
    page.get_by_role("button", name="Compare", exact=True).click()
    expect(page.get_by_text("That is not an Archwise link.")).to_be_visible()


def test_later_versions_load_into_the_cached_page(page: Page, site: str, stored: Recommendation):
    child = save_recommendation({**LAMBDA, "audit_logging": True}, "Audited checkout", stored)
    page.goto(site + stored.get_absolute_url())
    expect(page.locator("#variants")).to_contain_text("Audited checkout")
    expect(
        page.locator("#variants").get_by_role("link", name="Audited checkout", exact=True)
    ).to_have_attribute("href", child.get_absolute_url())


def test_design_pages_have_no_accessibility_violations_and_are_screenshotted(
    browser: Browser, site: str, stored: Recommendation, artifacts: Path
):
    child = save_recommendation({**LAMBDA, "rto": "seconds"}, "Checkout API, fast failover", stored)
    third = save_recommendation({**LAMBDA, "cost_priority": "lowest_cost"}, "Checkout, cheap")
    legacy = _legacy(stored)
    pages = {
        "design-whatif": f"{stored.get_absolute_url()}what-if/?answer=rto&value=%22seconds%22",
        "design-whatif-error": f"{stored.get_absolute_url()}what-if/?answer=rto&value=seconds",
        "design-compare": f"/compare/{stored.slug}/{child.slug}/{third.slug}/",
        "design-reevaluate": f"{legacy.get_absolute_url()}re-evaluate/",
        "design-lineage": f"{child.get_absolute_url()}lineage/",
        "design-status": f"{child.get_absolute_url()}status/",
        "design-child": child.get_absolute_url(),
        "design-legacy": legacy.get_absolute_url(),
    }
    problems = {}
    for viewport, suffix in ((DESKTOP, "desktop"), (PHONE, "phone")):
        context = browser.new_context(viewport=viewport)
        page = context.new_page()
        for name, path in pages.items():
            page.goto(site + path)
            page.wait_for_load_state("networkidle")
            if found := axe_violations(page):
                problems[f"{name} ({suffix})"] = found
            page.screenshot(path=artifacts / f"{name}-{suffix}.png", full_page=True)
        # The recommendation page with a what-if open.
        page.goto(site + stored.get_absolute_url())
        page.locator("#d-platform > summary").click()
        page.locator("#d-platform").get_by_role("button", name=RTO_SECONDS).click()
        expect(page.locator("#whatif-platform")).to_contain_text("What if")
        if found := axe_violations(page):
            problems[f"recommendation with a what-if ({suffix})"] = found
        page.locator("#d-platform").screenshot(path=artifacts / f"design-toggles-{suffix}.png")
        page.locator("#architecture").screenshot(path=artifacts / f"design-diagram-{suffix}.png")
        context.close()
    assert problems == {}


def test_the_recommendation_prints_as_a_clean_document(
    page: Page, site: str, stored: Recommendation, artifacts: Path
):
    child = save_recommendation({**LAMBDA, "rto": "seconds"}, "Checkout API, fast failover", stored)
    page.goto(site + child.get_absolute_url())
    page.wait_for_load_state("networkidle")
    page.emulate_media(media="print")
    for hidden in (".site-nav", ".toc", ".whatif", ".compare-with", ".share", ".lineage__later"):
        assert page.locator(hidden).first.is_hidden(), hidden
    # No control prints (the sizing assumptions print as text, without their buttons).
    controls = "button:visible, input:not([type=hidden]):visible, select:visible, textarea:visible"
    assert page.locator(controls).count() == 0
    expect(page.locator(".sizing__list")).to_be_visible()
    expect(page.locator("#architecture svg")).to_be_visible()
    expect(page.get_by_text(f"Permanent link: {site}{child.get_absolute_url()}")).to_be_visible()
    colour = page.evaluate("getComputedStyle(document.querySelector('.decision__choice')).color")
    assert colour == "rgb(0, 0, 0)"
    page.screenshot(path=artifacts / "design-print.png", full_page=True)
    pdf = page.pdf(format="A4", print_background=False)
    assert pdf.startswith(b"%PDF")
    (artifacts / "design-print.pdf").write_bytes(pdf)


def test_the_team_records_its_decision_on_the_page(
    page: Page, site: str, stored: Recommendation, artifacts: Path
):
    page.goto(site + stored.get_absolute_url())
    review = page.locator("#review")
    expect(review.locator(".badge")).to_have_text("Proposed")
    review.locator("summary").click()  # Record the decision
    review.get_by_label("Accepted").check()
    review.get_by_label("Your name or team (optional)").fill("Payments team")
    review.get_by_label("Note (optional)").fill("Design review, 3 December")
    review.get_by_role("button", name="Record the decision").click()
    expect(review.locator(".badge")).to_have_text("Accepted")
    expect(review).to_contain_text("by Payments team on")
    expect(review).to_contain_text("“Design review, 3 December”")
    assert not axe_violations(page)
    page.screenshot(path=artifacts / "design-status-desktop.png")
    # Another visitor sees it; the decision record says it.
    page.goto(site + stored.get_absolute_url())
    expect(page.locator("#review .badge")).to_have_text("Accepted")
    page.goto(site + f"/r/{stored.slug}.md")
    expect(page.locator("body")).to_contain_text("* Status: accepted")
