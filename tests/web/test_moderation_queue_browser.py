"""A moderator's two-hour shift in Chromium: queue items are compact enough
that four fit a 1366x768 screen, and approving, secondary and destructive
actions look different."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import BrowserContext, expect

from tests.web.conftest import Site, log_in

pytestmark = pytest.mark.browser

LAPTOP = {"width": 1366, "height": 768}


def test_four_queue_items_fit_a_laptop_screen_and_buttons_differ(
        site: Site, new_context: Callable[..., BrowserContext]) -> None:
    d = site.make_session(title="Jonotesti", mode="pre")
    for i in range(5):
        site.add_post(d, f"Odottava viesti numero {i + 1}: kotihoidon iltakäynnit ovat "
                         "liian lyhyitä, ja sama hoitaja olisi parempi.")
    page = new_context(viewport=LAPTOP).new_page()
    log_in(page, site.url, site.make_staff("moderator"))
    page.goto(f"{site.url}/staff/moderation?session={d.id}")
    items = page.locator(".queue-item")
    expect(items).to_have_count(5)
    items.first.evaluate("(el) => el.scrollIntoView({block: 'start'})")
    page.wait_for_function("() => Math.abs(document.querySelector('.queue-item')"
                           ".getBoundingClientRect().top) < 1")
    fully_visible = page.evaluate(
        """() => [...document.querySelectorAll('.queue-item')].filter((el) => {
             const r = el.getBoundingClientRect();
             return r.top >= -1 && r.bottom <= window.innerHeight + 1; }).length""")
    assert fully_visible >= 4, f"only {fully_visible} queue items fit the screen"

    first = items.first
    styles = {name: first.locator(selector).first.evaluate(
        "(el) => { const s = getComputedStyle(el); return [s.backgroundColor, s.color, s.borderColor]; }")
        for name, selector in (("primary", "form[data-action=approve] button"),
                               ("destructive", "details.decision > summary"),
                               ("secondary", "details.sanctions-menu > summary"))}
    assert len({tuple(v) for v in styles.values()}) == 3, styles
    # The reject reason unfolds from its own control, and the ban asks first.
    first.locator("details.decision > summary").click()
    expect(first.locator("form[data-action=reject] select")).to_be_visible()
    first.locator("details.sanctions-menu > summary").click()
    first.locator("details.confirm-ban > summary").click()
    expect(first.get_by_role("button", name="Kyllä, estä")).to_be_visible()
