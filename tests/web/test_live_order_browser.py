"""Ideas move live in Chromium when the reader chose "most supported" or "most
replies": a support in one browser moves the idea in another, without taking
the reader's focus or place, and never while they write a reply in it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from playwright.sync_api import BrowserContext, Locator, Page, expect

from tests.web.conftest import Site

pytestmark = pytest.mark.browser

LIVE_FI = "Yhteys on auki"


def sorted_page(ctx: BrowserContext, site: Site, slug: str, sort: str) -> Page:
    page = ctx.new_page()
    page.goto(f"{site.url}/s/{slug}")
    page.get_by_role("link", name=sort).first.click()
    expect(page.locator("#live-status")).to_contain_text(LIVE_FI)
    return page


def ideas(page: Page) -> Locator:
    return page.locator("ol.threads > li.thread .post-body")


def support(page: Page, post_id: int) -> None:
    page.locator(f"#post-{post_id} .support-button").click()
    expect(page.locator(f"#post-{post_id} .support-button")).to_have_attribute(
        "aria-pressed", "true")


@dataclass
class Ideas:
    ids: dict[str, int]
    open: Callable[[str], Page]  # a new browser's page in the given order


@pytest.fixture
def three_ideas(site: Site, new_context: Callable[..., BrowserContext]) -> Ideas:
    """Suosittu (1 support), then Hiljainen and Uusin (none), oldest first."""
    d = site.make_session()
    ids = {name: site.add_post(d, f"{name} idea kotihoidosta.")
           for name in ("Suosittu", "Hiljainen", "Uusin")}
    supporter = new_context().new_page()
    supporter.goto(f"{site.url}/s/{d.slug}")
    support(supporter, ids["Suosittu"])
    return Ideas(ids, lambda sort: sorted_page(new_context(), site, d.slug, sort))


def test_a_support_in_one_browser_moves_the_idea_in_the_other(three_ideas: Ideas) -> None:
    ids = three_ideas.ids
    reader = three_ideas.open("Eniten kannatusta")
    expect(ideas(reader)).to_have_text([
        "Suosittu idea kotihoidosta.", "Uusin idea kotihoidosta.", "Hiljainen idea kotihoidosta."])
    # The reader's focus is on an idea that does not move.
    reader.locator(f"#post-{ids['Uusin']} .support-button").focus()

    other = three_ideas.open("Eniten kannatusta")
    support(other, ids["Hiljainen"])
    # As many supports as the first one, and newer: it goes first.
    expect(ideas(reader)).to_have_text([
        "Hiljainen idea kotihoidosta.", "Suosittu idea kotihoidosta.", "Uusin idea kotihoidosta."])
    expect(reader.locator(f"#post-{ids['Hiljainen']} .support-count")).to_have_text("1 kannatus")
    expect(reader.locator(f"#post-{ids['Uusin']} .support-button")).to_be_focused()
    # Moves are not read out: only the new ideas are.
    expect(reader.locator("#announcer")).to_be_empty()


def test_the_idea_one_supports_moves_with_the_focus_on_its_button(three_ideas: Ideas) -> None:
    ids = three_ideas.ids
    reader = three_ideas.open("Eniten kannatusta")
    button = reader.locator(f"#post-{ids['Hiljainen']} .support-button")
    button.scroll_into_view_if_needed()
    top_before = button.evaluate("b => b.getBoundingClientRect().top")
    button.click()
    expect(ideas(reader).first).to_have_text("Hiljainen idea kotihoidosta.")
    expect(button).to_be_focused()
    # The button stays under the reader's finger: the page scrolled with the move.
    assert abs(button.evaluate("b => b.getBoundingClientRect().top") - top_before) < 1


def test_an_idea_waits_while_someone_writes_a_reply_in_it(three_ideas: Ideas) -> None:
    ids = three_ideas.ids
    reader = three_ideas.open("Eniten kannatusta")
    thread = reader.locator(f"#thread-{ids['Hiljainen']}")
    thread.locator("details.reply summary").click()
    thread.locator(".reply-form textarea").fill("Kirjoitan vastausta")

    other = three_ideas.open("Eniten kannatusta")
    support(other, ids["Hiljainen"])
    expect(reader.locator(f"#post-{ids['Hiljainen']} .support-count")).to_have_text("1 kannatus")
    # The count changed in the same step that would have moved it: it stayed.
    expect(ideas(reader).last).to_have_text("Hiljainen idea kotihoidosta.")
    expect(thread.locator(".reply-form textarea")).to_be_focused()

    # Leaving the idea lets it move, with the unsent reply in it.
    reader.locator(f"#post-{ids['Uusin']} .support-button").focus()
    expect(ideas(reader).first).to_have_text("Hiljainen idea kotihoidosta.")
    expect(thread.locator(".reply-form textarea")).to_have_value("Kirjoitan vastausta")
    expect(reader.locator(f"#post-{ids['Uusin']} .support-button")).to_be_focused()


def test_a_reply_moves_the_idea_when_sorted_by_replies(three_ideas: Ideas) -> None:
    ids = three_ideas.ids
    reader = three_ideas.open("Eniten vastauksia")
    expect(ideas(reader).first).to_have_text("Uusin idea kotihoidosta.")
    other = three_ideas.open("Eniten vastauksia")
    thread = other.locator(f"#thread-{ids['Suosittu']}")
    thread.locator("details.reply summary").click()
    thread.locator(".reply-form textarea").fill("Samaa mieltä.")
    thread.locator(".reply-form button[type=submit]").click()
    expect(reader.locator("ol.threads > li.thread").first).to_have_id(f"thread-{ids['Suosittu']}")
    expect(reader.locator(f"#thread-{ids['Suosittu']} .replies")).to_contain_text("Samaa mieltä.")


def test_moves_keep_to_the_ideas_shown_before_show_more(
        site: Site, new_context: Callable[..., BrowserContext]) -> None:
    d = site.make_session()
    ids = [site.add_post(d, f"Idea numero {i}.") for i in range(7)]
    reader = sorted_page(new_context(), site, d.slug, "Eniten kannatusta")
    shown = reader.locator("ol.threads > li.thread")
    expect(shown).to_have_count(5)  # the newest five; two behind "show more"
    other = sorted_page(new_context(), site, d.slug, "Eniten kannatusta")
    support(other, ids[2])
    expect(shown.first).to_have_id(f"thread-{ids[2]}")
    expect(shown).to_have_count(5)
    expect(reader.locator(".show-more")).to_be_visible()
