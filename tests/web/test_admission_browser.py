"""Taking part costs a browser a little proof-of-work, done by the vendored
ALTCHA widget under the page's strict CSP; the page stays accessible."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import BrowserContext, expect

from tests.web.conftest import DESKTOP, PHONE, Site
from tests.web.test_accessibility import AXE_OPTIONS

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_take_part_solves_the_challenge_and_passes_axe(
        pow_site: Site, new_context: Callable[..., BrowserContext], viewport: dict[str, int]) -> None:
    d = pow_site.make_session()
    ctx = new_context(viewport=viewport)
    page = ctx.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(f"{pow_site.url}/s/{d.slug}")
    expect(page.locator("altcha-widget")).to_be_attached()
    results = Axe().run(page, options=AXE_OPTIONS)
    assert results.violations_count == 0, results.generate_report()
    box = page.locator("section.question textarea").first
    box.fill("Kirjoitin tämän ennen kuin painoin Osallistu.")
    page.click("#take-part button[type=submit]")
    expect(page.locator(".pseudonym")).to_be_visible(timeout=30_000)
    expect(page.locator("#take-part")).to_have_count(0)
    # Nothing typed is lost when taking part reloads the page.
    expect(page.locator("section.question textarea").first).to_have_value(
        "Kirjoitin tämän ennen kuin painoin Osallistu.")
    assert not [e for e in errors if "Content Security Policy" in e], errors


def test_without_the_check_nobody_joins(pow_site: Site,
                                        new_context: Callable[..., BrowserContext]) -> None:
    """A script posting the form without solving gets a clear refusal, no pseudonym."""
    d = pow_site.make_session()
    page = new_context(java_script_enabled=False).new_page()
    page.goto(f"{pow_site.url}/s/{d.slug}")
    page.click("#take-part button[type=submit]")
    expect(page.locator(".flash-error")).to_contain_text("JavaScript")
    expect(page.locator(".pseudonym")).to_have_count(0)
