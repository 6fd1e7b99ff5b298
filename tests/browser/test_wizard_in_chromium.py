"""The wizard and the share link in real Chromium, with htmx and with JavaScript off."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, Page, expect

from .conftest import DESKTOP, axe_violations

pytestmark = pytest.mark.browser

NEXT = re.compile(r"^(Next: .+|Review your answers)$")


def _start(page: Page, site: str) -> None:
    """A new draft from the landing page, at its first step."""
    page.goto(site + "/")
    page.get_by_role("button", name="Start a recommendation").click()
    page.wait_for_url("**/drafts/*/workload/")


def _next(page: Page, url_part: str) -> None:
    page.get_by_role("button", name=NEXT).click()
    page.wait_for_url(f"**/drafts/*/{url_part}/")


def _through_to_review(page: Page) -> None:
    """Press Next from the current step until the review."""
    steps = ["workload", "availability", "budget", "security", "connections", "review"]
    current = next(step for step in steps if page.url.endswith(f"/{step}/"))
    for step in steps[steps.index(current) + 1 :]:
        _next(page, step)
        expect(page.locator("#step-title")).to_be_visible()


def _choose_engine(page: Page, label: str) -> None:
    """Pick the engine and wait for the panel, which also brings up its follow-up questions."""
    page.get_by_label(label, exact=True).check()
    expect(page.locator("#lean-body")).to_contain_text("Platform")


def _create(page: Page, title: str) -> str:
    page.get_by_label("Name this system (optional)").fill(title)
    page.get_by_role("button", name="Create recommendation").click()
    page.wait_for_url(re.compile(r".*/r/[A-Za-z0-9_-]{16}/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    return page.url


def test_the_wizard_completes_with_htmx_swapping_steps_without_a_full_load(page: Page, site):
    page.goto(site + "/")
    page.get_by_role("button", name="Start a recommendation").click()
    page.wait_for_url("**/drafts/*/workload/")
    page.evaluate("window.archwiseMarker = 'still here'")
    _choose_engine(page, "PostgreSQL")
    expect(
        page.locator("legend", has_text="Is an AWS-proprietary engine (Aurora) acceptable?")
    ).to_be_visible()
    for step, title in (
        ("availability", "Availability"),
        ("budget", "Budget and team"),
        ("security", "Security"),
        ("connections", "Connections and caching"),
        ("review", "Review"),
    ):
        _next(page, step)
        expect(page.locator("#step-title")).to_have_text(title)
        assert page.evaluate("window.archwiseMarker") == "still here"
        assert page.title().startswith(f"{title} · Step")
        expect(page.locator("#step-title")).to_be_focused()
        expect(page.locator('[aria-current="step"]')).to_contain_text(title)
    expect(page.locator(".answers-group").first).to_contain_text("PostgreSQL")
    _create(page, "Orders service")
    expect(page.locator(".rec-head")).to_contain_text("Amazon RDS")


def test_the_wizard_completes_with_javascript_turned_off(no_js_page: Page, site):
    page = no_js_page
    page.goto(site + "/")
    page.get_by_role("button", name="Start a recommendation").click()
    page.wait_for_url("**/drafts/*/workload/")
    expect(page.get_by_role("button", name="Update “Where it leans”")).to_be_visible()
    expect(page.get_by_role("button", name="Copy link")).to_have_count(0)
    page.get_by_label("MySQL").check()
    page.get_by_role("button", name=NEXT).click()
    # Without JavaScript the follow-up question for MySQL comes with the next page load.
    expect(page.get_by_text("one more question on this step")).to_be_visible()
    page.locator('input[name="aurora_acceptable"][value="false"]').check()
    page.get_by_role("button", name=NEXT).click()
    page.wait_for_url("**/drafts/*/availability/")
    expect(page.locator("#lean-body")).to_contain_text("Amazon RDS")
    page.locator('input[name="rto"][value="seconds"]').check()
    page.locator("#qnote-rto > summary").click()
    page.locator("#q-rto").get_by_label("Does this question apply to your system?").select_option(
        "architecture_constraints"
    )
    _through_to_review(page)
    expect(page.locator(".answer-groups")).to_contain_text("Seconds: failover well under a minute")
    expect(page.locator(".answer-groups")).to_contain_text(
        "Not applicable: architecture constraints"
    )
    url = _create(page, "Inventory")
    expect(page.locator("#share-url")).to_have_value(url)
    expect(page.get_by_role("button", name="Copy link")).to_be_hidden()


def test_without_javascript_a_commercial_engine_brings_up_the_licence_question(
    no_js_page: Page, site
):
    page = no_js_page
    _start(page, site)
    expect(page.locator('input[name="license_model"]')).to_have_count(0)
    page.get_by_label("SQL Server").check()
    page.get_by_role("button", name=NEXT).click()
    expect(page.get_by_text("one more question on this step")).to_be_visible()
    page.get_by_label("Bring your own").check()
    page.get_by_role("button", name=NEXT).click()
    page.wait_for_url("**/drafts/*/availability/")


def test_going_back_and_changing_an_answer_keeps_everything(page: Page, site):
    _start(page, site)
    _choose_engine(page, "PostgreSQL")
    _next(page, "availability")
    page.locator('input[name="rpo"][value="zero"]').check()
    page.get_by_label("How far back must data be restorable (days)?").fill("90")
    page.get_by_role("button", name="Back").click()
    page.wait_for_url("**/drafts/*/workload/")
    expect(page.get_by_label("PostgreSQL")).to_be_checked()
    page.locator('input[name="traffic_pattern"][value="spiky"]').check()
    _next(page, "availability")
    expect(page.locator('input[name="rpo"][value="zero"]')).to_be_checked()
    expect(page.get_by_label("How far back must data be restorable (days)?")).to_have_value("90")
    page.goto(site + "/wizard/review/")
    review = page.locator(".answer-groups")
    expect(review).to_contain_text("Spiky")
    expect(review).to_contain_text("None at all")
    expect(review).to_contain_text("90")
    page.go_back()
    page.wait_for_url("**/drafts/*/availability/")
    expect(page.locator('input[name="rpo"][value="zero"]')).to_be_checked()


def test_the_live_panel_follows_the_answers_as_they_change(page: Page, site):
    _start(page, site)
    panel = page.locator("#lean-body")
    expect(panel).to_contain_text("Choose a database engine")
    page.get_by_label("PostgreSQL").check()
    expect(panel).to_contain_text("Amazon RDS")
    page.locator('input[name="needs_os_access"][value="true"]').check()
    expect(panel).to_contain_text("Self-managed on Amazon EC2")
    expect(panel.locator(".is-changed").first).to_contain_text("Platform")
    expect(page.locator('input[name="license_model"]')).to_have_count(0)
    page.get_by_label("Oracle").check()
    expect(page.get_by_label("Bring your own")).to_be_visible()
    expect(page.locator('input[name="aurora_acceptable"]')).to_have_count(0)
    page.get_by_label("MySQL").check()
    expect(page.locator('input[name="license_model"]')).to_have_count(0)
    expect(page.locator('input[name="aurora_acceptable"]')).to_have_count(2)
    assert re.search(r"/drafts/[\w-]{16}/workload/$", page.url)


def test_an_example_scenario_opens_the_wizard_pre_filled(page: Page, site):
    page.goto(site + "/")
    page.get_by_role(
        "button", name="Open in the wizard: An Oracle system needing OS agents"
    ).click()
    page.wait_for_url("**/drafts/*/workload/")
    expect(page.get_by_text("Loaded the example")).to_be_visible()
    expect(page.get_by_label("Oracle")).to_be_checked()
    expect(page.get_by_label("Bring your own")).to_be_checked()
    expect(page.locator('input[name="needs_os_access"][value="true"]')).to_be_checked()
    expect(page.get_by_label("Data size today (GB)")).to_have_value("2000")
    expect(page.locator("#lean-body")).to_contain_text("Self-managed on Amazon EC2")


def test_the_share_link_shows_the_same_recommendation_to_someone_else(
    page: Page, browser: Browser, site
):
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.goto(site + "/")
    page.get_by_role("button", name="Open in the wizard: A Lambda API on PostgreSQL").click()
    page.goto(site + "/wizard/review/")
    url = _create(page, "Lambda API")
    page.get_by_role("button", name="Copy link").click()
    expect(page.locator("#share-status")).to_have_text("Link copied.")
    assert page.evaluate("navigator.clipboard.readText()") == url
    summary = page.locator(".rec-head__summary").inner_text()
    stranger = browser.new_context(viewport=DESKTOP)
    try:
        other = stranger.new_page()
        other.goto(url)
        expect(other.get_by_role("heading", level=1)).to_have_text("Lambda API")
        expect(other.locator(".rec-head__summary")).to_have_text(summary)
        expect(other.locator("#d-connections")).to_contain_text("Amazon RDS Proxy")
    finally:
        stranger.close()


def test_edit_a_copy_saves_a_new_link_and_leaves_the_original(page: Page, site):
    page.goto(site + "/")
    page.get_by_role("button", name="Open in the wizard: A game leaderboard cache").click()
    page.goto(site + "/wizard/review/")
    original = _create(page, "Leaderboard")
    original_summary = page.locator(".rec-head__summary").inner_text()
    page.get_by_role("button", name="Edit a copy").click()
    page.wait_for_url("**/drafts/*/review/")
    expect(page.get_by_text("You are editing a copy of")).to_be_visible()
    page.get_by_role("link", name="Change budget and team answers").click()
    page.wait_for_url("**/drafts/*/budget/")
    page.get_by_label("Monthly budget for the data tier (USD)").fill("400")
    page.get_by_label("Lowest cost").check()
    _next(page, "security")
    page.goto(site + "/wizard/review/")
    page.get_by_label("Link the new page to the original").check()
    copy_url = _create(page, "Leaderboard on a budget")
    assert copy_url != original
    expect(page.get_by_text("Edited from a copy of")).to_be_visible()
    expect(page.locator(".stat--bad, .stat--warn, .stat--good")).to_contain_text("$400")
    page.goto(original)
    expect(page.get_by_role("heading", level=1)).to_have_text("Leaderboard")
    expect(page.locator(".rec-head__summary")).to_have_text(original_summary)


def test_the_keyboard_path_through_validation_errors_is_clean(page: Page, site):
    """Only the keyboard: a bad answer brings the error summary, its links lead to the fields,
    fixed answers move on. The page fixture fails the test on any Content-Security-Policy
    violation or page error on the way."""
    _start(page, site)
    page.wait_for_load_state("networkidle")
    size = page.get_by_label("Data size today (GB)")
    for _ in range(80):
        page.keyboard.press("Tab")
        if size.evaluate("field => field === document.activeElement"):
            break
    page.keyboard.press("Control+A")
    page.keyboard.type("0")
    page.keyboard.press("Enter")
    summary = page.locator(".error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("2 answers need a change")
    assert not axe_violations(page)

    page.keyboard.press("Tab")  # the first error: the engine
    page.keyboard.press("Tab")  # the second: the data size
    expect(summary.get_by_role("link", name=re.compile("^Data size today"))).to_be_focused()
    page.keyboard.press("Enter")
    expect(size).to_be_focused()
    page.keyboard.press("Control+A")
    page.keyboard.type("50")

    page.keyboard.press("Enter")  # the size is fixed; the engine is still unanswered
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("One answer needs a change")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    expect(page.get_by_label("PostgreSQL", exact=True)).to_be_focused()
    page.keyboard.press("Space")
    expect(page.get_by_label("PostgreSQL", exact=True)).to_be_checked()
    expect(page.locator("#lean-body")).to_contain_text("Platform")
    expect(page.get_by_label("PostgreSQL", exact=True)).to_be_focused()
    page.keyboard.press("Enter")
    page.wait_for_url("**/drafts/*/availability/")
    expect(page.locator("#step-title")).to_be_focused()


def test_two_tabs_with_two_drafts_make_two_recommendations_each_with_its_own_answers(context, site):
    """Two drafts in two tabs of one browser never mix: each stores its own answers."""
    lambda_tab, oracle_tab = context.new_page(), context.new_page()
    lambda_tab.goto(site + "/")
    lambda_tab.get_by_role("button", name="Open in the wizard: A Lambda API on PostgreSQL").click()
    lambda_tab.wait_for_url("**/drafts/*/workload/")
    oracle_tab.goto(site + "/")
    oracle_tab.get_by_role(
        "button", name="Open in the wizard: An Oracle system needing OS agents"
    ).click()
    oracle_tab.wait_for_url("**/drafts/*/workload/")
    assert lambda_tab.url != oracle_tab.url
    # The first tab goes on with its own draft, after the second tab loaded another.
    _through_to_review(lambda_tab)
    lambda_url = _create(lambda_tab, "A Lambda API on PostgreSQL")
    _through_to_review(oracle_tab)
    oracle_url = _create(oracle_tab, "An Oracle system needing OS agents")
    assert lambda_url != oracle_url
    expect(lambda_tab.locator("#rec-summary")).to_contain_text("PostgreSQL")
    expect(lambda_tab.locator("#rec-summary")).not_to_contain_text("Oracle")
    expect(oracle_tab.locator("#rec-summary")).to_contain_text("Oracle")


def _two_screens_on_one_draft(browser: Browser, site: str) -> tuple[Page, Page]:
    """Two people (two browsers) with one draft open at its first step."""
    one = browser.new_context(viewport=DESKTOP).new_page()
    two = browser.new_context(viewport=DESKTOP).new_page()
    one.goto(site + "/")
    one.get_by_role("button", name="Open in the wizard: A Lambda API on PostgreSQL").click()
    one.wait_for_url("**/drafts/*/workload/")
    two.goto(one.url)
    return one, two


def test_two_screens_on_one_draft_see_each_others_changes_and_lose_none(browser: Browser, site):
    """One draft open on two screens: a change on one shows on the other within 3 s; a change to
    the same answer made on a screen that had not seen the other's is refused, kept on screen
    and applied when asked, never silently lost."""
    one, two = _two_screens_on_one_draft(browser, site)
    growth = "#id_growth_{}"  # 0 flat, 1 steady, 2 fast or unpredictable
    one.locator(growth.format(0)).check()
    expect(two.locator(growth.format(0))).to_be_checked(timeout=3000)
    expect(two.get_by_role("status")).to_contain_text("changed from another screen")

    # Screen two stops hearing of changes (a slow network, say) while both change growth.
    two.route("**/sync/**", lambda route: route.fulfill(status=204))
    one.locator(growth.format(2)).check()
    expect(one.locator("#lean-body")).to_contain_text("Aurora")  # saved as it was given
    two.locator(growth.format(1)).check()
    clash = two.locator(".clash")
    expect(clash).to_contain_text("How does the data grow? — now Fast or unpredictable")
    expect(clash).to_contain_text("yours Steady")
    expect(two.locator(growth.format(1))).to_be_checked()  # offered again, not lost
    two.get_by_role("button", name=NEXT).click()
    two.wait_for_url("**/drafts/*/availability/")
    expect(one.locator(growth.format(1))).to_be_checked(timeout=3000)
    for page in (one, two):
        page.context.close()


def test_answers_given_faster_than_the_server_saves_them_are_all_kept(page: Page, site):
    """Each change is saved as it is given, even two at once followed at once by a step link."""
    _start(page, site)
    _choose_engine(page, "PostgreSQL")
    # In one task: two answers, then the next step's link, before any save can return.
    page.evaluate(
        """() => {
          document.getElementById("id_growth_0").click();
          document.getElementById("id_read_write_2").click();
          document.querySelector('.progress a[href$="/availability/"]').click();
        }"""
    )
    page.wait_for_url("**/drafts/*/availability/")
    expect(page.locator("#step-title")).to_have_text("Availability")
    page.goto(page.url.replace("/availability/", "/workload/"))
    expect(page.locator("#id_growth_0")).to_be_checked()
    expect(page.locator("#id_read_write_2")).to_be_checked()


def test_a_note_and_not_applicable_reach_the_recommendation(page: Page, site):
    _start(page, site)
    _choose_engine(page, "PostgreSQL")
    _next(page, "availability")
    page.locator("#qnote-rto > summary").click()
    page.locator("#q-rto").get_by_label("Note (optional, at most 500 characters)").fill(
        "Agreed in the SLA"
    )
    page.locator("#qnote-region_dr > summary").click()
    page.locator("#q-region_dr").get_by_label(
        "Does this question apply to your system?"
    ).select_option("business_priorities")
    expect(page.locator("#lean-body")).to_contain_text("Platform")
    page.locator('.progress a[href$="/review/"]').click()
    page.wait_for_url("**/drafts/*/review/")
    answers = page.locator(".answer-groups")
    expect(answers).to_contain_text("Agreed in the SLA")
    expect(answers).to_contain_text("Not applicable: business priorities")
    assert not axe_violations(page)
    _create(page, "Payments")
    section = page.locator("#answers")
    expect(section).to_contain_text("notes never change a decision")
    expect(section).to_contain_text("Agreed in the SLA")
    expect(section).to_contain_text("Not applicable: business priorities")
    expect(page.locator("#rec-draft")).to_contain_text("You worked on this in a draft")
    assert not axe_violations(page)
    page.locator("#rec-draft").get_by_role("link", name="a draft").click()
    page.wait_for_url("**/drafts/*/review/")


def test_a_review_open_on_one_screen_shows_a_change_made_on_another(browser: Browser, site):
    one, two = _two_screens_on_one_draft(browser, site)
    one.goto(one.url.replace("/workload/", "/review/"))
    one.get_by_label("Name this system (optional)").fill("Orders")
    one.locator("#step-title").focus()  # typing done: polls resume
    with two.expect_response("**/preview/"):  # saved as it is given
        two.get_by_label("MySQL", exact=True).check()
    expect(one.locator(".answer-groups")).to_contain_text("MySQL", timeout=3000)
    expect(one.get_by_label("Name this system (optional)")).to_have_value("Orders")
    _create(one, "Orders")
    for page in (one, two):
        page.context.close()


def test_a_draft_in_a_background_tab_stops_asking_for_changes(page: Page, site):
    _start(page, site)
    polls: list[str] = []
    page.on("request", lambda request: "/sync/" in request.url and polls.append(request.url))
    page.evaluate(
        "Object.defineProperty(document, 'hidden', {configurable: true, get: () => true})"
    )
    page.wait_for_timeout(4500)
    assert polls == []
    with page.expect_request("**/sync/**", timeout=10_000):  # looked at again: it asks again
        page.evaluate(
            "Object.defineProperty(document, 'hidden', {configurable: true, get: () => false})"
        )
