"""WCAG 2.1 AA in real Chromium: axe-core (its default rule set: WCAG 2.0/2.1
A and AA plus best practices) finds nothing on any page, in Finnish, Swedish and
English, at phone and desktop width; pages reflow without sideways scrolling on a
phone, controls are big enough to touch, and the keyboard focus is visible."""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, BrowserContext, Page, expect
from sqlmodel import Session

from deliberation.organisation import do_save_organisation
from deliberation.outcomes import ResponseForm, do_publish_results, do_save_responses
from deliberation.sessions import access_deliberation
from server.demo import DEMO_ORGANISATION
from tests.web.conftest import DESKTOP, PHONE, Site, log_in

pytestmark = pytest.mark.browser

AXE = Axe()
# axe's defaults, spelled out so that a change of library default cannot narrow them.
AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": [
        "wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]},
    "resultTypes": ["violations"],
}
MIN_TARGET = 44  # px: WCAG 2.5.5's size, which we hold ourselves to
SAMPLE = Path(__file__).resolve().parents[2] / "nlp" / "data" / "sample_feedback.csv"


@dataclass
class World:
    site: Site
    resident: Page
    staff: Page
    slugs: dict[str, str]
    edit_id: int
    themes_id: int


@pytest.fixture(scope="module")
def world(site: Site, browser: Browser) -> Iterator[World]:
    busy = site.make_session(questions=("Millaista on hyvä kotihoito?", "Mitä pitäisi muuttaa?"))
    first = site.add_post(busy, "Hoitajille enemmän aikaa asiakkaiden luona.\nJa jatkuvuutta.")
    site.add_post(busy, "Samaa mieltä, kiire näkyy arjessa.", parent_id=first)
    site.add_post(busy, "Lisää tietoa: https://example.fi/kotihoito", parent_id=first)
    site.add_post(busy, "Omaiset mukaan suunnitteluun.", question=1)
    empty = site.make_session(title="Omaishoidon tuki")
    closed = site.make_session(title="Päättynyt kysely")
    site.add_post(closed, "Vanha idea, jota voi vielä lukea.")
    site.close(closed)
    held = site.make_session(title="Ennakkomoderoitu keskustelu", mode="pre")
    # Enough varied real feedback for the theme report to find themes.
    themed = site.make_session(title="Palaute kotihoidosta")
    with SAMPLE.open(encoding="utf-8") as f:
        for row in list(csv.DictReader(f))[:24]:
            site.add_post(themed, row["text"])
    username = site.make_staff()
    # The county's identity, a draft, and a closed session whose responses are out.
    site.run(do_save_organisation, form=DEMO_ORGANISATION, role="admin")
    draft = site.make_session(title="Keskeneräinen luonnos", draft=True)
    results = site.make_session(title="Liikkumisen palvelut")
    site.add_post(results, "Palvelulinjat myös iltaisin.")
    site.close(results)
    site.run(_publish_responses, slug=results.slug)

    contexts: list[BrowserContext] = []

    def new_page() -> Page:
        ctx = browser.new_context(viewport=PHONE, locale="fi-FI")
        ctx.set_default_timeout(10_000)
        contexts.append(ctx)
        return ctx.new_page()

    resident = new_page()
    # The resident writes a post that waits for a moderator: only they see it.
    resident.goto(f"{site.url}/s/{held.slug}")
    resident.get_by_label("Ideasi").fill("Tämä odottaa moderaattoria.")
    resident.get_by_role("button", name="Lähetä idea").click()
    expect(resident.locator(".post-held")).to_be_visible()
    staff = new_page()
    log_in(staff, site.url, username)
    assert busy.id is not None and themed.id is not None
    yield World(site, resident, staff, {
        "busy": busy.slug, "empty": empty.slug, "closed": closed.slug, "held": held.slug,
        "draft": draft.slug, "results": results.slug,
    }, busy.id, themed.id)
    for ctx in contexts:
        ctx.close()


def _session(key: str) -> Callable[[World, str], Page]:
    def visit(w: World, lang: str) -> Page:
        w.resident.goto(f"{w.site.url}/s/{w.slugs[key]}?lang={lang}")
        expect(w.resident.locator("#live-status")).to_be_visible()  # the script has run
        return w.resident
    return visit


def _get(path: str, *, staff: bool = False, status: int = 200,
         timeout: float = 10_000) -> Callable[[World, str], Page]:
    def visit(w: World, lang: str) -> Page:
        page = w.staff if staff else w.resident
        url = path.format(id=w.edit_id, themes=w.themes_id, **w.slugs)
        response = page.goto(f"{w.site.url}{url}?lang={lang}", timeout=timeout)
        assert response is not None and response.status == status
        return page
    return visit


def _login_error(w: World, lang: str) -> Page:
    page = w.resident
    page.goto(f"{w.site.url}/staff/login?lang={lang}")
    page.fill("#username", f"ei-ketaan-{lang}")
    page.fill("#password", "väärä salasana")
    page.click("main form button[type=submit]")
    expect(page.locator("#login-error")).to_be_visible()
    expect(page.locator("#username")).to_have_attribute("aria-describedby", "login-error")
    return page


def _form_error(w: World, lang: str) -> Page:
    page = w.staff
    page.goto(f"{w.site.url}/staff/sessions/new?lang={lang}")
    page.fill("#title", "Uusi keskustelu")
    page.fill("#slug", "Ei kelpaa!")
    page.fill("#questions", "Mitä ajattelet?")
    page.click("main form button[type=submit]")
    expect(page.locator(".flash-error")).to_be_visible()
    # Nothing typed is lost.
    expect(page.locator("#title")).to_have_value("Uusi keskustelu")
    return page


def _publish_responses(db: Session, *, slug: str) -> None:
    d = access_deliberation(db, slug=slug)
    do_save_responses(db, d=d, items=[
        ResponseForm("Iltaliikenne", "Lisäämme iltavuoroja ensi vuonna.", "planned", 1,
                     versions={"sv": ("Kvällstrafik", "Vi lägger till kvällsturer nästa år.")}),
        ResponseForm("Kutsutaksi", "", "considered", 0)])
    do_publish_results(db, d=d, role="admin")


def _question_warning(w: World, lang: str) -> Page:
    page = w.staff
    page.goto(f"{w.site.url}/staff/sessions/{w.edit_id}?lang={lang}")
    first = page.locator("#questions").input_value().split("\n")[0]
    page.fill("#questions", first)
    page.click("main form.stack button[value=save]")
    expect(page.locator("#question-warning")).to_be_visible()
    return page


PAGES: dict[str, Callable[[World, str], Page]] = {
    "front page": _get("/"),
    "session with posts and replies": _session("busy"),
    "empty session": _session("empty"),
    "closed session": _session("closed"),
    "held post seen by its author": _session("held"),
    "404 page": _get("/s/ei-tallaista-keskustelua", status=404),
    "staff login": _get("/staff/login"),
    "staff login with an error": _login_error,
    "staff dashboard": _get("/staff", staff=True),
    "new-session form": _get("/staff/sessions/new", staff=True),
    "edit form": _get("/staff/sessions/{id}", staff=True),
    "form with a validation error": _form_error,
    "author's held messages": _get("/s/{held}/my-posts"),
    "how a session is moderated": _get("/s/{held}/moderation"),
    "moderation queue": _get("/staff/moderation", staff=True),
    "moderation audit log": _get("/staff/moderation/audit", staff=True),
    "staff accounts": _get("/staff/users", staff=True),
    "staff logins": _get("/staff/logins", staff=True),
    "change password": _get("/staff/password", staff=True),
    # The first visit computes the themes in a worker process: slow on a busy machine.
    "theme report": _get("/staff/sessions/{themes}/themes", staff=True, timeout=90_000),
    # County readiness (issue 10).
    "organisation settings": _get("/staff/organisation", staff=True),
    "accessibility statement": _get("/accessibility"),
    "privacy notice": _get("/privacy"),
    "discussion rules": _get("/rules"),
    "draft preview": _get("/s/{draft}", staff=True),
    "question edit warning": _question_warning,
    "session with published responses": _session("results"),
    "what was done with the ideas": _get("/s/{results}/results"),
    "theme responses form": _get("/staff/sessions/{id}/responses", staff=True),
    "participation metrics": _get("/staff/metrics", staff=True),
}
VARIANTS = [("fi", "phone"), ("fi", "desktop"), ("sv", "phone"), ("en", "desktop")]
SIZES = {"phone": PHONE, "desktop": DESKTOP}


@pytest.mark.parametrize(("lang", "width"), VARIANTS)
@pytest.mark.parametrize("name", list(PAGES))
def test_page_has_no_axe_violations(world: World, name: str, lang: str, width: str) -> None:
    for page in (world.resident, world.staff):
        page.set_viewport_size(SIZES[width])
    page = PAGES[name](world, lang)
    assert page.locator("html").get_attribute("lang") == lang
    results = AXE.run(page, options=AXE_OPTIONS)
    assert results.violations_count == 0, results.generate_report()
    if width == "phone":
        _assert_reflows(page)
        _assert_touch_targets(page)


def _assert_reflows(page: Page) -> None:
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"the page scrolls sideways by {overflow}px at phone width"


def _assert_touch_targets(page: Page) -> None:
    small = page.evaluate(
        """(min) => [...document.querySelectorAll(
            'button, summary, select, textarea, input:not([type=hidden]), a.button,'
            + ' .site-header a, input[type=radio] + label, label:has(input[type=radio], input[type=checkbox])')]
          .filter((el) => el.getClientRects().length && !el.closest('template'))
          .map((el) => [el, el.getBoundingClientRect()])
          // A radio button or check box counts with its label, which is the target.
          .filter(([el, r]) => !['radio', 'checkbox'].includes(el.type))
          .filter(([el, r]) => r.height < min - 0.5 || r.width < min - 0.5)  // sub-pixel layout
          .map(([el, r]) => `${el.tagName} "${el.textContent.trim().slice(0, 30)}"`
                            + ` ${Math.round(r.width)}x${Math.round(r.height)}`)""",
        MIN_TARGET)
    assert small == [], f"controls smaller than {MIN_TARGET}px: {small}"


def test_skip_link_appears_on_focus_and_moves_to_the_content(world: World) -> None:
    page = world.resident
    page.set_viewport_size(PHONE)
    page.goto(f"{world.site.url}/s/{world.slugs['busy']}?lang=fi")
    skip = page.get_by_role("link", name="Siirry sisältöön")
    page.keyboard.press("Tab")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()


@pytest.mark.parametrize("selector", [
    ".site-header a[hreflang=sv]", "section.question textarea", "section.question button",
    ".support-button:not([disabled])", "details.reply summary",
])
def test_keyboard_focus_is_clearly_visible(world: World, selector: str) -> None:
    page = world.resident
    page.goto(f"{world.site.url}/s/{world.slugs['busy']}?lang=fi")
    target = page.locator(selector).first
    target.focus()
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Tab")  # keyboard focus, so :focus-visible applies
    expect(target).to_be_focused()
    outline = target.evaluate(
        "(el) => { const s = getComputedStyle(el); return [s.outlineStyle, s.outlineWidth]; }")
    assert outline[0] != "none" and float(outline[1].removesuffix("px")) >= 2, outline


def test_text_lines_stay_readable_on_a_wide_screen(world: World) -> None:
    page = world.resident
    page.set_viewport_size({"width": 1920, "height": 1000})
    page.goto(f"{world.site.url}/s/{world.slugs['busy']}?lang=fi")
    widest = page.evaluate(
        """() => Math.max(...[...document.querySelectorAll('main p, .post-body')].map((el) =>
             el.getBoundingClientRect().width / parseFloat(getComputedStyle(el).fontSize)))""")
    # About 80 characters: a line of text is at most ~40 em wide.
    assert widest <= 40, f"a text block is {widest:.0f}em wide"
    page.set_viewport_size(PHONE)
