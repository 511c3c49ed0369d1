"""Residents in real Chromium: live posts, supports and replies between two
browsers (PostgreSQL + Redis broker), posting without JavaScript, clear errors,
and user text that never becomes markup."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from playwright.sync_api import BrowserContext, Dialog, Page, expect

from tests.web.conftest import Site

pytestmark = pytest.mark.browser

LIVE_FI = "Yhteys on auki"  # start of the Finnish "live: new messages appear automatically"


def open_live(ctx: BrowserContext, site: Site, slug: str, *, take_part: bool = True) -> Page:
    """The session page with its websocket connected; by default after pressing
    "Take part" (reading alone makes no pseudonym)."""
    page = ctx.new_page()
    page.goto(f"{site.url}/s/{slug}")
    if take_part:
        page.click("#take-part button[type=submit]")
        expect(page.locator(".you-are .pseudonym")).to_be_visible()
    expect(page.locator("#live-status")).to_contain_text(LIVE_FI)
    return page


def send_idea(page: Page, text: str, question: int = 0) -> None:
    form = page.locator("section.question form.post-form").nth(question)
    form.locator("textarea").fill(text)
    form.locator("button[type=submit]").click()


def pseudonym(page: Page) -> str:
    return page.locator(".you-are .pseudonym").inner_text()


@pytest.fixture
def two_residents(pg_site: Site, new_context: Callable[..., BrowserContext]
                  ) -> tuple[Page, Page, str]:
    d = pg_site.make_session(questions=("Millaista on hyvä kotihoito?", "Mitä pitäisi muuttaa?"))
    alice = open_live(new_context(), pg_site, d.slug)
    bob = open_live(new_context(), pg_site, d.slug)
    return alice, bob, d.slug


def test_post_support_and_reply_reach_the_other_browser_without_reload(
        two_residents: tuple[Page, Page, str]) -> None:
    alice, bob, _ = two_residents
    loads: list[str] = []
    bob.on("load", lambda: loads.append("bob reloaded"))
    alice.on("load", lambda: loads.append("alice reloaded"))

    send_idea(alice, "Hoitajille enemmän aikaa asiakkaiden luona.")
    expect(alice.locator(".form-status").first).to_have_text("Viestisi julkaistiin.")
    expect(alice.locator("section.question textarea").first).to_have_value("")
    idea = bob.locator(".thread article", has_text="Hoitajille enemmän aikaa")
    expect(idea).to_be_visible()
    expect(idea.locator(".author")).to_have_text(pseudonym(alice))
    expect(bob.locator("section.question").first.locator(".empty-note")).to_be_hidden()
    # The screen reader region tells Bob that a new idea arrived, and from whom.
    expect(bob.locator("#announcer")).to_contain_text(f"Uusi idea: {pseudonym(alice)}")

    # Bob supports it: the count changes in Alice's browser too.
    idea.locator(".support-button").click()
    expect(idea.locator(".support-button")).to_have_attribute("aria-pressed", "true")
    alices_idea = alice.locator(".thread article", has_text="Hoitajille enemmän aikaa")
    expect(alices_idea.locator(".support-count")).to_have_text("1 kannatus")
    # Alice cannot support her own idea.
    expect(alices_idea.locator(".support-button")).to_be_disabled()

    # Bob replies under the idea; it appears in that thread in Alice's browser.
    thread = bob.locator(".thread", has_text="Hoitajille enemmän aikaa")
    thread.locator("details.reply summary").click()
    thread.locator(".reply-form textarea").fill("Ja vähemmän kirjaamista.")
    thread.locator(".reply-form button[type=submit]").click()
    alices_thread = alice.locator(".thread", has_text="Hoitajille enemmän aikaa")
    reply = alices_thread.locator(".replies article", has_text="Ja vähemmän kirjaamista.")
    expect(reply).to_be_visible()
    expect(reply.locator(".author")).to_have_text(pseudonym(bob))
    expect(alice.locator("#announcer")).to_contain_text(f"Uusi vastaus: {pseudonym(bob)}")
    # Only one copy of each, in the right place.
    expect(alice.locator("article", has_text="Ja vähemmän kirjaamista.")).to_have_count(1)
    expect(alice.locator("article", has_text="Hoitajille enemmän aikaa")).to_have_count(1)
    assert loads == []


def test_second_question_and_reply_to_a_live_thread_from_the_other_side(
        two_residents: tuple[Page, Page, str]) -> None:
    alice, bob, _ = two_residents
    send_idea(bob, "Omaiset mukaan hoitosuunnitelmaan.", question=1)
    second = alice.locator("section.question").nth(1)
    idea = second.locator(".thread article", has_text="Omaiset mukaan")
    expect(idea).to_be_visible()
    expect(alice.locator("section.question").first.locator(".thread")).to_have_count(0)
    # The reply form of a thread that arrived live works too, and its label is wired.
    thread = second.locator(".thread").first
    thread.locator("details.reply summary").click()
    thread.get_by_label("Vastauksesi").fill("Hyvä ajatus, samaa mieltä.")
    thread.locator(".reply-form button[type=submit]").click()
    expect(thread.locator(".replies article", has_text="Hyvä ajatus")).to_be_visible()
    bobs_thread = bob.locator(".thread", has_text="Omaiset mukaan")
    expect(bobs_thread.locator(".replies article", has_text="Hyvä ajatus")).to_be_visible()


def test_posting_without_javascript(pg_site: Site,
                                    new_context: Callable[..., BrowserContext]) -> None:
    d = pg_site.make_session()
    page = new_context(java_script_enabled=False).new_page()
    page.goto(f"{pg_site.url}/s/{d.slug}")
    page.get_by_label("Ideasi").fill("Kotihoitoon lisää liikkuvia hoitajia.")
    page.get_by_role("button", name="Lähetä idea").click()
    page.wait_for_load_state()
    expect(page.locator(".flash-success")).to_have_text("Viestisi julkaistiin.")
    idea = page.locator(".thread article", has_text="Kotihoitoon lisää liikkuvia hoitajia.")
    expect(idea).to_be_visible()
    expect(idea.locator(".own-tag")).to_be_visible()

    # Supporting and replying work as plain forms as well (from a second resident).
    other = new_context(java_script_enabled=False).new_page()
    other.goto(f"{pg_site.url}/s/{d.slug}")
    other.locator(".thread article .support-button").first.click()
    other.wait_for_load_state()
    expect(other.locator(".thread article .support-count").first).to_have_text("1 kannatus")
    expect(other.locator(".thread article .support-button").first).to_have_attribute(
        "aria-pressed", "true")
    other.locator("details.reply summary").first.click()
    other.locator(".reply-form textarea").first.fill("Kannatan tätä.")
    other.locator(".reply-form button[type=submit]").first.click()
    other.wait_for_load_state()
    expect(other.locator(".replies article", has_text="Kannatan tätä.")).to_be_visible()


def test_empty_post_gets_a_finnish_error_and_nothing_typed_is_lost(
        pg_site: Site, new_context: Callable[..., BrowserContext]) -> None:
    d = pg_site.make_session(questions=("Millaista on hyvä kotihoito?", "Mitä pitäisi muuttaa?"))
    page = open_live(new_context(), pg_site, d.slug)
    second = page.locator("section.question").nth(1).locator("textarea")
    second.fill("Keskeneräinen ajatus, jota en halua menettää")
    # Only spaces passes the browser's own "required" check and reaches the server.
    send_idea(page, "   \n  ")
    status = page.locator("section.question").first.locator(".form-status")
    expect(status).to_have_text("Viestisi on tyhjä. Kirjoita jotain ennen lähettämistä.")
    expect(page.locator("section.question").first.locator("textarea")).to_be_focused()
    expect(second).to_have_value("Keskeneräinen ajatus, jota en halua menettää")
    expect(page.locator(".thread")).to_have_count(0)


def test_empty_post_without_javascript_gets_a_finnish_error(
        pg_site: Site, new_context: Callable[..., BrowserContext]) -> None:
    d = pg_site.make_session()
    page = new_context(java_script_enabled=False).new_page()
    page.goto(f"{pg_site.url}/s/{d.slug}")
    page.locator("section.question textarea").first.fill("   ")
    page.get_by_role("button", name="Lähetä idea").click()
    expect(page.get_by_role("alert")).to_have_text(
        "Viestisi on tyhjä. Kirjoita jotain ennen lähettämistä.")
    expect(page.locator(".thread")).to_have_count(0)


def test_too_long_post_without_javascript_comes_back_with_the_text(
        pg_site: Site, new_context: Callable[..., BrowserContext]) -> None:
    d = pg_site.make_session()
    page = new_context(java_script_enabled=False).new_page()
    page.goto(f"{pg_site.url}/s/{d.slug}")
    long_text = "Tämä on pitkä ajatus kotihoidosta. " * 60  # 2,100 characters
    # The browser stops typing at maxlength; the server must still say why if it gets more.
    page.locator("section.question textarea").first.evaluate(
        "(el, text) => { el.removeAttribute('maxlength'); el.value = text; }", long_text)
    page.get_by_role("button", name="Lähetä idea").click()
    expect(page.get_by_role("alert")).to_contain_text("Viestisi on liian pitkä")
    expect(page.locator("section.question textarea").first).to_have_value(long_text)  # exactly as typed
    expect(page.locator(".thread")).to_have_count(0)


XSS = [
    '<img src=x onerror="alert(1)">',
    "<script>alert(2)</script>",
    "[klikkaa](javascript:alert(3)) javascript:alert(4)",
    '<a href="javascript:alert(5)">linkki</a> <svg onload=alert(6)>',
]


def _assert_inert(page: Page, dialogs: list[Dialog]) -> None:
    bodies = page.locator(".post-body")
    for text in XSS:
        expect(page.locator(".post-body", has_text=text)).to_have_count(1)
    assert bodies.locator("img, script, svg, iframe").count() == 0
    assert page.locator('a[href^="javascript"]').count() == 0
    assert page.evaluate("window.__pwned === undefined")
    assert dialogs == []


def test_markup_in_posts_is_shown_as_text_and_never_runs(
        two_residents: tuple[Page, Page, str]) -> None:
    alice, bob, _ = two_residents
    dialogs: list[Dialog] = []
    for page in (alice, bob):
        page.on("dialog", lambda dialog: (dialogs.append(dialog), dialog.dismiss()))
    for text in XSS:
        send_idea(alice, text)
        expect(bob.locator(".post-body", has_text=text)).to_have_count(1)
    _assert_inert(alice, dialogs)
    _assert_inert(bob, dialogs)
    bob.reload()
    _assert_inert(bob, dialogs)
    # A real web address still becomes a safe link.
    send_idea(alice, "Lisätietoa: https://example.fi/kotihoito")
    link = bob.locator(".post-body a", has_text="https://example.fi/kotihoito")
    expect(link).to_have_attribute("href", "https://example.fi/kotihoito")
    expect(link).to_have_attribute("rel", re.compile("noopener"))
