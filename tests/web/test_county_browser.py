"""What a resident sees in Chromium: typed text is never lost when the
connection drops, live ideas land where the chosen order puts them, times read
the same live as from the server ("klo"), and a report without JavaScript is
confirmed next to the post."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from tests.web.conftest import Site

pytestmark = pytest.mark.browser

LIVE_FI = "Yhteys on auki"


def open_live(ctx: BrowserContext, site: Site, path: str) -> Page:
    page = ctx.new_page()
    page.goto(f"{site.url}{path}")
    expect(page.locator("#live-status")).to_contain_text(LIVE_FI)
    return page


def _send_from_another_browser(new_context: Callable[..., BrowserContext], site: Site,
                               slug: str, text: str) -> None:
    other = open_live(new_context(), site, f"/s/{slug}")
    other.locator("section.question textarea").first.fill(text)
    other.locator("section.question .post-form button[type=submit]").first.click()
    expect(other.locator(".form-status").first).to_have_text("Viestisi julkaistiin.")


def test_offline_text_is_kept_and_sent_when_the_connection_is_back(
        site: Site, new_context: Callable[..., BrowserContext]) -> None:
    d = site.make_session()
    ctx = new_context()
    page = open_live(ctx, site, f"/s/{d.slug}")
    area = page.locator("section.question textarea").first
    area.fill("Tämä ei saa kadota, vaikka verkko katkeaa.")
    ctx.set_offline(True)
    page.locator("section.question .post-form button[type=submit]").first.click()
    expect(page.locator("#offline-note")).to_be_visible()
    expect(page.locator(".form-status").first).to_contain_text("Ei vielä lähetetty")
    expect(area).to_have_value("Tämä ei saa kadota, vaikka verkko katkeaa.")
    ctx.set_offline(False)
    # Back online: sent by itself, then the box empties and the idea is shown.
    idea = page.locator(".thread article", has_text="Tämä ei saa kadota")
    expect(idea).to_be_visible(timeout=20_000)
    expect(area).to_have_value("")
    expect(page.locator("#offline-note")).to_be_hidden()
    # The kept draft is gone now that the server has the idea.
    page.reload()
    expect(page.locator("section.question textarea").first).to_have_value("")


def test_a_draft_survives_a_reload_until_it_is_sent(
        site: Site, new_context: Callable[..., BrowserContext]) -> None:
    d = site.make_session()
    page = open_live(new_context(), site, f"/s/{d.slug}")
    page.locator("section.question textarea").first.fill("Puolivalmis ajatus kotihoidosta")
    page.reload()
    expect(page.locator("section.question textarea").first).to_have_value(
        "Puolivalmis ajatus kotihoidosta")
    expect(page.locator(".form-status").first).to_have_text("Lähettämätön tekstisi palautettiin.")


def test_a_live_idea_lands_where_the_chosen_order_puts_it(
        site: Site, new_context: Callable[..., BrowserContext]) -> None:
    d = site.make_session()
    popular = site.add_post(d, "Suosittu idea, jota moni kannattaa.")
    site.add_post(d, "Hiljainen idea ilman kannatusta.")
    for _ in range(2):
        supporter = new_context().new_page()
        supporter.goto(f"{site.url}/s/{d.slug}")
        supporter.locator(f"#post-{popular} .support-button").click()
        expect(supporter.locator(f"#post-{popular} .support-button")).to_have_attribute(
            "aria-pressed", "true")
    page = new_context().new_page()
    page.goto(f"{site.url}/s/{d.slug}")
    page.get_by_role("link", name="Eniten kannatusta").click()
    expect(page.locator("#live-status")).to_contain_text(LIVE_FI)
    titles = page.locator("ol.threads > li.thread .post-body")
    expect(titles.first).to_contain_text("Suosittu idea")
    _send_from_another_browser(new_context, site, d.slug, "Uusin idea, vielä ilman kannatusta.")
    # Most supported first: the new idea goes after the supported one, before the
    # older idea that has no supports either (newest first among equals).
    expect(titles).to_have_count(3)
    expect(titles.nth(1)).to_contain_text("Uusin idea")
    expect(titles.nth(2)).to_contain_text("Hiljainen idea")


def test_live_and_server_times_read_alike(
        site: Site, new_context: Callable[..., BrowserContext]) -> None:
    d = site.make_session()
    site.add_post(d, "Vanha idea palvelimelta.")
    page = open_live(new_context(), site, f"/s/{d.slug}")
    _send_from_another_browser(new_context, site, d.slug, "Uusi idea suoraan.")
    live_time = page.locator(".thread article", has_text="Uusi idea suoraan").locator("time")
    expect(live_time).to_have_text(re.compile(r"^\d+\.\d+\.\d{4} klo \d+\.\d\d$"))
    server_time = page.locator(".thread article", has_text="Vanha idea").locator("time")
    expect(server_time).to_have_text(re.compile(r"^\d+\.\d+\.\d{4} klo \d+\.\d\d$"))


def test_a_report_without_javascript_is_confirmed_next_to_the_post(
        site: Site, new_context: Callable[..., BrowserContext]) -> None:
    d = site.make_session()
    post_id = site.add_post(d, "Viesti, josta joku ilmoittaa.")
    page = new_context(java_script_enabled=False).new_page()
    page.goto(f"{site.url}/s/{d.slug}")
    post = page.locator(f"#post-{post_id}")
    post.locator("details.flag summary").click()
    post.locator("input[value=off_topic]").check()
    post.get_by_role("button", name="Lähetä ilmoitus").click()
    confirmation = page.locator(f"#confirm-{post_id}")
    expect(confirmation).to_have_text("Kiitos. Moderaattori katsoo viestin.")
    expect(confirmation).to_have_attribute("role", "status")
    expect(confirmation).to_be_in_viewport()
    assert page.url.endswith(f"#confirm-{post_id}")
    # Inside the post it is about, not at the top of the page.
    expect(page.locator(f"#post-{post_id} .confirmation")).to_have_count(1)
    expect(page.locator(".flashes")).to_have_count(0)


def test_a_busy_session_stays_short_on_a_phone_and_shows_more_without_javascript(
        site: Site, new_context: Callable[..., BrowserContext]) -> None:
    questions = ("Millaista on hyvä kotihoito?", "Mitä pitäisi muuttaa?", "Miten omaiset mukaan?")
    d = site.make_session(questions=questions)
    for q in range(3):
        for i in range(12):
            site.add_post(d, f"Kysymyksen {q + 1} idea {i + 1}: enemmän aikaa ja sama hoitaja "
                             "joka käynnillä, kiitos.", question=q)
    page = new_context(java_script_enabled=False).new_page()
    page.goto(f"{site.url}/s/{d.slug}")
    screens = page.evaluate("document.documentElement.scrollHeight / window.innerHeight")
    assert screens < 8, f"the page is {screens:.1f} phone screens tall"
    # The question navigation jumps to the third question.
    page.get_by_role("link", name="Miten omaiset mukaan?").click()
    expect(page.locator("section.question").nth(2)).to_be_in_viewport()
    third = page.locator("section.question").nth(2)
    expect(third.locator("li.thread")).to_have_count(5)
    third.get_by_role("link", name=re.compile("Näytä lisää")).click()
    expect(page.locator("section.question").nth(2).locator("li.thread")).to_have_count(10)
