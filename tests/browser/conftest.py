"""Real Chromium through Playwright against pytest-django's live server."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts"


def axe_violations(page: Page) -> list[str]:
    """axe-core's findings on the page, of any impact, each with where it is."""
    results = Axe().run(page)
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
        for v in results.response["violations"]
    ]


DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def site(live_server, transactional_db) -> str:
    """The live server's base URL (the database is transactional, as live_server needs)."""
    return live_server.url


REPORT_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => {
  console.error(`CSP violation: ${event.violatedDirective} ${event.blockedURI}`);
});
"""


def _watch_policy(ctx: BrowserContext) -> list[str]:
    """Collect every Content-Security-Policy violation and page error the context reports."""
    problems: list[str] = []
    ctx.add_init_script(REPORT_VIOLATIONS)
    ctx.on(
        "console",
        lambda message: (
            problems.append(message.text)
            if message.type == "error"
            and ("Content Security Policy" in message.text or "CSP violation" in message.text)
            else None
        ),
    )
    ctx.on("weberror", lambda error: problems.append(str(error.error)))
    return problems


@pytest.fixture
def context(browser: Browser) -> Iterator[BrowserContext]:
    """A desktop browser context; the test fails if any page breaks the security policy."""
    ctx = browser.new_context(viewport=DESKTOP)
    ctx.set_default_timeout(10_000)
    problems = _watch_policy(ctx)
    yield ctx
    ctx.close()
    assert not problems, f"pages broke the Content-Security-Policy or raised errors: {problems}"


@pytest.fixture
def page(context: BrowserContext) -> Page:
    return context.new_page()


@pytest.fixture
def no_js_page(browser: Browser) -> Iterator[Page]:
    ctx = browser.new_context(viewport=DESKTOP, java_script_enabled=False)
    ctx.set_default_timeout(10_000)
    yield ctx.new_page()
    ctx.close()


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS
