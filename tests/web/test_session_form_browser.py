"""A facilitator's session form in Chromium, end to end: a session written in
Finnish and Swedish, opened and published, is what residents then read; a
form that cannot be saved says why in Finnish and keeps what was typed; and
an edit of a published session reaches residents' open pages live, each in
its own language."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from tests.web.conftest import Site, log_in

pytestmark = pytest.mark.browser

LIVE = {"fi": "Yhteys on auki", "sv": "Live:", "en": "Live:"}


def local_input(delta: timedelta) -> str:
    """A datetime-local value in Finnish time, as the facilitator types it."""
    return (datetime.now(ZoneInfo("Europe/Helsinki")) + delta).strftime("%Y-%m-%dT%H:%M")


def facilitator(site: Site, new_context: Callable[..., BrowserContext]) -> Page:
    page = new_context(viewport={"width": 1280, "height": 900}).new_page()
    log_in(page, site.url, site.make_staff("facilitator"))
    return page


def fill_swedish(page: Page, title: str, questions: str) -> None:
    page.get_by_text("Ruotsiksi", exact=True).click()
    page.fill("#title_sv", title)
    page.fill("#questions_sv", questions)


def test_a_session_written_in_the_form_is_what_residents_read(
        site: Site, new_context: Callable[..., BrowserContext]) -> None:
    staff = facilitator(site, new_context)
    staff.goto(f"{site.url}/staff/sessions/new")
    staff.fill("#title", "Omaishoidon tuki verkossa")
    staff.fill("#introduction", "Kerro, mikä auttaa omaishoitajaa.\n\nVastaukset luetaan.")
    staff.fill("#questions", "Mikä auttaa jaksamaan?\nMitä palvelua kaipaat?")
    fill_swedish(staff, "Stöd för närståendevård", "Vad hjälper dig orka?\nVilken service saknar du?")
    staff.fill("#introduction_sv", "Berätta vad som hjälper en närståendevårdare.")
    staff.fill("#opens_at", local_input(-timedelta(hours=1)))
    staff.fill("#closes_at", local_input(timedelta(days=7)))
    staff.get_by_role("button", name="Tallenna ja julkaise").click()
    expect(staff.get_by_text("Keskustelu julkaistiin.")).to_be_visible()
    staff.get_by_role("link", name="Avaa keskustelun sivu").click()

    # Residents read it at once, open, in Finnish...
    expect(staff.locator("h1")).to_have_text("Omaishoidon tuki verkossa")
    expect(staff.locator("section.intro p").first).to_have_text("Kerro, mikä auttaa omaishoitajaa.")
    expect(staff.locator("section.question h2")).to_have_text(
        ["Mikä auttaa jaksamaan?", "Mitä palvelua kaipaat?"])
    expect(staff.locator("section.question textarea").first).to_be_editable()
    slug = staff.url.split("/s/")[1]

    resident = new_context(locale="sv-SE").new_page()
    resident.goto(f"{site.url}/s/{slug}?lang=sv")
    # ...and in Swedish, where nothing is marked as another language...
    expect(resident.locator("h1")).to_have_text("Stöd för närståendevård")
    expect(resident.locator("h1")).not_to_have_attribute("lang", "fi")
    expect(resident.locator("section.intro [lang]")).to_have_count(0)
    expect(resident.locator("section.question h2")).to_have_text(
        ["Vad hjälper dig orka?", "Vilken service saknar du?"])
    # ...while English, left empty, falls back to Finnish marked as Finnish.
    resident.goto(f"{site.url}/s/{slug}?lang=en")
    expect(resident.locator("h1")).to_have_text("Omaishoidon tuki verkossa")
    expect(resident.locator("h1")).to_have_attribute("lang", "fi")


@pytest.mark.parametrize(("questions", "opens", "error"), [
    ("\n   \n", True, "Lisää vähintään yksi kysymys."),
    ("Mikä auttaa jaksamaan?", False, "Anna avautumisaika ennen kuin julkaiset keskustelun."),
])
def test_a_form_that_cannot_be_published_says_why_and_keeps_the_text(
        site: Site, new_context: Callable[..., BrowserContext],
        questions: str, opens: bool, error: str) -> None:
    staff = facilitator(site, new_context)
    staff.goto(f"{site.url}/staff/sessions/new")
    staff.fill("#title", "Keskeneräinen keskustelu")
    staff.fill("#introduction", "Johdanto, jota ei saa kadottaa.")
    staff.fill("#questions", questions)
    fill_swedish(staff, "Ofärdig diskussion", "")
    if opens:
        staff.fill("#opens_at", local_input(timedelta(days=1)))
    staff.get_by_role("button", name="Tallenna ja julkaise").click()

    expect(staff.locator("#form-error")).to_have_text(error)
    expect(staff.locator("#form-error")).to_have_attribute("role", "alert")
    expect(staff.locator("#title")).to_have_value("Keskeneräinen keskustelu")
    expect(staff.locator("#introduction")).to_have_value("Johdanto, jota ei saa kadottaa.")
    expect(staff.locator("#title_sv")).to_have_value("Ofärdig diskussion")
    expect(staff.locator("#title_sv")).to_be_visible()  # its language section stays open
    if opens:
        expect(staff.locator("#opens_at")).not_to_have_value("")
    # Nothing was saved: the dashboard lists no such session.
    staff.goto(f"{site.url}/staff")
    expect(staff.get_by_text("Keskeneräinen keskustelu")).to_have_count(0)


def open_live(new_context: Callable[..., BrowserContext], site: Site, slug: str,
              lang: str) -> Page:
    page = new_context().new_page()
    page.goto(f"{site.url}/s/{slug}?lang={lang}")
    expect(page.locator("#live-status")).to_contain_text(LIVE[lang])
    return page


def test_an_edit_reaches_open_pages_live_in_their_own_language(
        site: Site, new_context: Callable[..., BrowserContext]) -> None:
    d = site.make_session(title="Kotihoito", questions=("Millaista on hyvä kotihoito?",))
    pages = {lang: open_live(new_context, site, d.slug, lang) for lang in ("fi", "sv", "en")}
    loads: list[str] = []
    for page in pages.values():
        page.on("load", lambda: loads.append("reloaded"))
    expect(pages["sv"].locator("h1")).to_have_attribute("lang", "fi")

    staff = facilitator(site, new_context)
    staff.goto(f"{site.url}/staff/sessions/{d.id}")
    staff.fill("#title", "Kotihoidon tulevaisuus")
    fill_swedish(staff, "Framtidens hemvård", "Hur ser bra hemvård ut?")
    staff.get_by_role("button", name="Tallenna", exact=True).click()
    expect(staff.get_by_text("Keskustelu tallennettiin.")).to_be_visible()

    sv, en, fi = pages["sv"], pages["en"], pages["fi"]
    expect(sv.locator("h1")).to_have_text("Framtidens hemvård")
    expect(sv.locator("h1")).not_to_have_attribute("lang", "fi")
    expect(sv.locator("section.question h2")).to_have_text("Hur ser bra hemvård ut?")
    expect(sv.locator("section.question h2")).not_to_have_attribute("lang", "fi")
    assert sv.title().startswith("Framtidens hemvård – ")
    # No English version: the new Finnish title, marked as Finnish.
    expect(en.locator("h1")).to_have_text("Kotihoidon tulevaisuus")
    expect(en.locator("h1")).to_have_attribute("lang", "fi")
    expect(en.locator("section.question h2")).to_have_attribute("lang", "fi")
    expect(fi.locator("h1")).to_have_text("Kotihoidon tulevaisuus")
    expect(fi.locator("h1")).not_to_have_attribute("lang", "fi")
    assert loads == []
