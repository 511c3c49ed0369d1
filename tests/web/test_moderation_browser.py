"""Moderators in real Chromium: the queue updates live when a resident's post is
held, keyboard shortcuts decide, the resident's page follows; and no resident
text runs as script on the moderators' pages."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import BrowserContext, Dialog, Page, expect

from tests.server.test_xss import PAYLOADS
from tests.web.conftest import DESKTOP, STAFF_PASSWORD, Site

pytestmark = pytest.mark.browser

QUEUE_LIVE_FI = "Yhteys on auki: jono päivittyy itsestään."


def moderator_page(ctx: BrowserContext, site: Site, session_id: int | None) -> Page:
    page = ctx.new_page()
    target = f"/staff/moderation?session={session_id}"
    page.goto(f"{site.url}/staff/login?next={target}")
    page.fill("#username", site.make_staff("moderator"))
    page.fill("#password", STAFF_PASSWORD)
    page.click("form.stack button[type=submit]")
    page.wait_for_url(f"{site.url}{target}")
    expect(page.locator("#queue-live")).to_have_text(QUEUE_LIVE_FI)
    return page


def test_held_post_arrives_live_and_keyboard_approval_publishes_it(
        site: Site, new_context: Callable[..., BrowserContext]) -> None:
    d = site.make_session()
    mod = moderator_page(new_context(viewport=DESKTOP), site, d.id)
    expect(mod.locator(".queue-item")).to_have_count(0)

    resident = new_context().new_page()
    resident.goto(f"{site.url}/s/{d.slug}")
    expect(resident.locator("#live-status")).to_contain_text("Yhteys on auki")
    form = resident.locator("section.question form.post-form").first
    form.locator("textarea").fill("Soittakaa minulle numeroon 040 123 4567.")
    form.locator("button[type=submit]").click()
    held = resident.locator(".post-held")
    expect(held).to_have_count(1)

    item = mod.locator(".queue-item")
    expect(item).to_have_count(1)
    expect(item.locator("mark")).to_have_text("040 123 4567")
    mod.keyboard.press("j")
    expect(item).to_be_focused()
    mod.keyboard.press("a")
    expect(mod.locator(".queue-item")).to_have_count(0)
    expect(mod.locator("#queue-live")).to_contain_text("Hyväksytty")
    # The resident's page follows: the post is public, no longer marked as waiting.
    expect(resident.locator(".post-held")).to_have_count(0)
    expect(resident.locator(".post-body", has_text="040 123 4567")).to_have_count(1)


def test_reject_with_reason_by_keyboard_reaches_the_author(
        site: Site, new_context: Callable[..., BrowserContext]) -> None:
    d = site.make_session(mode="pre")
    mod = moderator_page(new_context(viewport=DESKTOP), site, d.id)
    resident = new_context().new_page()
    resident.goto(f"{site.url}/s/{d.slug}")
    expect(resident.locator("#live-status")).to_contain_text("Yhteys on auki")
    form = resident.locator("section.question form.post-form").first
    form.locator("textarea").fill("Mainos: osta halvalla!")
    form.locator("button[type=submit]").click()

    expect(mod.locator(".queue-item")).to_have_count(1)
    mod.keyboard.press("j")
    mod.keyboard.press("r")
    reason = mod.locator('form[data-action="reject"] select')
    expect(reason).to_be_focused()
    reason.select_option("spam")
    mod.locator('form[data-action="reject"] textarea').fill("Mainokset eivät kuulu tänne.")
    mod.locator('form[data-action="reject"] button').click()
    expect(mod.locator(".queue-item")).to_have_count(0)

    expect(resident.locator(".held-note .held-text")).to_have_text(
        "Moderaattori ei julkaissut tätä viestiä.")
    resident.locator(".held-note a").click()
    expect(resident.locator(".own-post")).to_contain_text("Roskaposti tai mainos")
    expect(resident.locator(".own-post")).to_contain_text("Mainokset eivät kuulu tänne.")


def test_no_resident_text_runs_on_the_moderators_pages(
        site: Site, new_context: Callable[..., BrowserContext]) -> None:
    d = site.make_session(mode="pre")
    for payload in PAYLOADS:
        site.add_post(d, payload)
    dialogs: list[Dialog] = []
    ctx = new_context(viewport=DESKTOP)
    ctx.on("page", lambda p: p.on("dialog", lambda dlg: (dialogs.append(dlg), dlg.dismiss())))
    mod = moderator_page(ctx, site, d.id)
    expect(mod.locator(".queue-item")).to_have_count(len(PAYLOADS))
    assert mod.locator(".queue-text").locator("script, img, svg, iframe, style, b").count() == 0
    mod.locator("#refresh-queue").click()  # the list swapped in by the script, too
    expect(mod.locator(".queue-item")).to_have_count(len(PAYLOADS))
    assert mod.locator(".queue-text").locator("script, img, svg, iframe, style, b").count() == 0
    mod.goto(f"{site.url}/staff/moderation/audit")
    assert dialogs == []
