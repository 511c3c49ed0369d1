"""The digiraati in real Chromium: a supported question moves up on another
panellist's page live; two writers saving one section get the conflict page,
not a lost edit; and axe-core finds nothing on the new pages (fi/sv/en, phone
and desktop)."""

from __future__ import annotations

import json
import secrets
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, BrowserContext, Page, expect
from sqlmodel import Session, select

from deliberation.digiraati.amendments import do_comment, do_propose
from deliberation.digiraati.hearing import do_add_expert, do_ask
from deliberation.digiraati.invitations import do_invite_panel, do_redeem_invitation
from deliberation.digiraati.models import Digiraati
from deliberation.digiraati.panels import do_draw_panel, do_load_volunteers
from deliberation.digiraati.phases import DigiraatiForm, do_create_digiraati, do_open_phase
from deliberation.digiraati.statements import do_add_section
from deliberation.models import Deliberation, StaffUser, utcnow
from deliberation.participants import do_join
from deliberation.posts import PostingLimits
from deliberation.staff import do_create_staff
from server.auth import hash_password
from server.demo_digiraati import DONE_SLUG, seed_digiraati_demo
from server.lottery_runner import solve_in_child
from tests.deliberation.digiraati.factories import QUOTAS, VOLUNTEERS_CSV
from tests.web.conftest import DESKTOP, PHONE, STAFF_PASSWORD, Site, log_in

pytestmark = pytest.mark.browser
AXE = Axe()
AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": [
        "wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]},
    "resultTypes": ["violations"],
}
LIMITS = PostingLimits(detect_names=False)


@dataclass
class Raati:
    d: Deliberation
    tokens: list[str]
    questions: list[int]
    section_id: int


def _make_raati(s: Session, *, phase: str) -> Raati:
    """A digiraati with a drawn panel; two panellists (not in any browser) asked
    two questions; unused invitations are left for browsers to join with."""
    d = do_create_digiraati(s, form=DigiraatiForm(
        title="Digiraati: kotihoidon tulevaisuus", slug=f"raati-{secrets.token_hex(4)}",
        introduction="Tervetuloa raatiin.", background="# Taustaa\n\n- Kotihoito muuttuu.",
        questions=("Mitä kotihoidossa pitää muuttaa?",), panel_size=6, public_read=True))
    do_load_volunteers(s, d=d, csv_text=VOLUNTEERS_CSV, quotas_text=QUOTAS)
    do_draw_panel(s, d=d, seed=11, solve=solve_in_child)
    issued, _ = do_invite_panel(s, d=d)
    assert d.id is not None
    askers = []
    for inv in issued[:2]:
        p = do_join(s, deliberation_id=d.id, token=secrets.token_urlsafe(12))
        do_redeem_invitation(s, d=d, participant=p, token=inv.token)
        askers.append(p)
    do_open_phase(s, d=d, name="hearing")
    questions = [do_ask(s, d=d, participant=p, body=q, limits=LIMITS).post.id for p, q in zip(
        askers, ("Riittävätkö hoitajat iltaisin?", "Mitä etähoiva maksaa?"), strict=True)]
    section, _ = do_add_section(s, d=d, title="Henkilöstö", text="Lisää hoitajia kotihoitoon.",
                                author="Fasilitaattori")
    if phase != "hearing":
        do_open_phase(s, d=d, name=phase)
    if phase == "drafting":  # an amendment to decide on, with a comment
        amendment, _ = do_propose(s, d=d, participant=askers[0], section_id=section.id,
                                  text="Lisää hoitajia ja aikaa.", reason="Aika ratkaisee.",
                                  names=False)
        do_comment(s, d=d, participant=askers[1], amendment_id=amendment.id,
                   body="Hyvä ehdotus.", names=False)
    assert section.id is not None
    return Raati(d, [i.token for i in issued[2:]], [q or 0 for q in questions], section.id)


def _panel_drawing(s: Session, *, failed: bool) -> int:
    """A digiraati whose panel is being drawn (for the whole test run), or whose
    last draw failed on the quotas."""
    d = do_create_digiraati(s, form=DigiraatiForm(
        title="Digiraati: arvonta", slug=f"raati-{secrets.token_hex(4)}",
        introduction="Tervetuloa raatiin.", background="", questions=("Mitä?",), panel_size=6))
    do_load_volunteers(s, d=d, csv_text=VOLUNTEERS_CSV, quotas_text=QUOTAS)
    raati = s.exec(select(Digiraati).where(Digiraati.deliberation_id == d.id)).one()
    if failed:
        raati.draw_error = json.dumps({"code": "panel_quotas_infeasible", "params": {
            "category": "sukupuoli", "detail": "", "changes": [
                {"category": "sukupuoli", "value": "nainen", "bound": "min", "from": 6, "to": 5},
                {"category": "sukupuoli", "value": "mies", "bound": "max", "from": 0, "to": 1}]}})
    else:
        raati.draw_seed, raati.draw_alive_at = 4242, utcnow() + timedelta(days=1)
    s.add(raati)
    assert d.id is not None
    return d.id


def join_panel(ctx: BrowserContext, site: Site, raati: Raati) -> Page:
    """A browser uses an invitation (one button) and lands on the digiraati page."""
    page = ctx.new_page()
    page.goto(f"{site.url}/d/{raati.d.slug}/invite/{raati.tokens.pop()}")
    page.get_by_role("button", name="Liity raatiin").click()
    expect(page.locator("#name-heading")).to_be_visible()
    return page


def test_support_moves_a_question_up_on_another_panellists_page(
        site: Site, new_context: Callable[..., BrowserContext]) -> None:
    raati = site.run(_make_raati, phase="hearing")
    first, second = raati.questions
    bob = join_panel(new_context(), site, raati)
    carol = join_panel(new_context(), site, raati)
    for page in (bob, carol):
        page.goto(f"{site.url}/d/{raati.d.slug}/hearing")
        expect(page.locator("#live-status")).to_contain_text("Yhteys on auki")
    items = bob.locator("#questions > li")
    expect(items.first).to_have_attribute("id", f"post-{first}")  # equal support: oldest first
    loads: list[str] = []
    bob.on("load", lambda: loads.append("reloaded"))

    carol.locator(f"#post-{second} .support-button").click()
    expect(carol.locator(f"#post-{second} .support-button")).to_have_attribute("aria-pressed", "true")
    expect(items.first).to_have_attribute("id", f"post-{second}")
    expect(bob.locator(f"#post-{second} .support-count")).to_have_text("1 kannatus")
    expect(bob.locator("#announcer")).to_contain_text("Kysymys nousi ylemmäs")
    assert loads == []


def _make_writer(s: Session) -> str:
    name = f"kirjoittaja-{secrets.token_hex(3)}"
    do_create_staff(s, username=name, password_hash=hash_password(STAFF_PASSWORD),
                    role="facilitator")
    return name


def test_two_writers_saving_one_section_get_the_conflict_page(
        site: Site, new_context: Callable[..., BrowserContext]) -> None:
    raati = site.run(_make_raati, phase="drafting")
    pages = []
    for _ in range(2):
        page = new_context().new_page()
        log_in(page, site.url, site.run(_make_writer))
        page.goto(f"{site.url}/d/{raati.d.slug}/statement/sections/{raati.section_id}/edit")
        pages.append(page)
    first, second = pages
    # A reader (the public may read along) keeps the statement open meanwhile.
    reader = new_context().new_page()
    reader.goto(f"{site.url}/d/{raati.d.slug}/statement")
    reader.wait_for_function("() => document.querySelector('#statement') !== null")
    first.locator("#text").fill("Lisää hoitajia ja enemmän aikaa.")
    second.locator("#text").fill("Lisää hoitajia, myös öisin.")
    first.get_by_role("button", name="Tallenna uutena versiona").click()
    expect(first.locator(".flash-success")).to_be_visible()
    expect(reader.locator(f"#section-{raati.section_id} .section-text")).to_contain_text(
        "enemmän aikaa")  # live, without reloading
    second.get_by_role("button", name="Tallenna uutena versiona").click()
    conflict = second.locator(".conflict")
    expect(conflict).to_be_visible()
    expect(conflict.locator(".saved-text")).to_contain_text("Lisää hoitajia ja enemmän aikaa.")
    expect(conflict.locator(".your-text")).to_contain_text("Lisää hoitajia, myös öisin.")
    # Nothing typed is lost: the editor still holds the second writer's text,
    # ready to save on top of the newest version.
    expect(second.locator("#text")).to_have_value("Lisää hoitajia, myös öisin.")
    second.get_by_role("button", name="Tallenna uutena versiona").click()
    expect(second.locator(".flash-success")).to_be_visible()
    expect(second.locator(f"#section-{raati.section_id} .section-text")).to_contain_text("myös öisin")


def test_a_vote_is_saved_without_leaving_the_page(
        site: Site, new_context: Callable[..., BrowserContext]) -> None:
    raati = site.run(_make_raati, phase="voting")
    page = join_panel(new_context(), site, raati)
    page.goto(f"{site.url}/d/{raati.d.slug}/statement")
    page.wait_for_function("() => document.querySelector('#statement') !== null")
    loads: list[str] = []
    page.on("load", lambda: loads.append("reloaded"))
    page.get_by_label("voin hyväksyä").check()
    page.get_by_role("button", name="Tallenna ääneni").click()
    expect(page.locator(".vote-form .form-status")).to_contain_text("Äänesi tallennettiin")
    assert loads == []
    page.reload()
    expect(page.get_by_label("voin hyväksyä")).to_be_checked()


def test_an_amendment_appears_on_another_panellists_page_live(
        site: Site, new_context: Callable[..., BrowserContext]) -> None:
    raati = site.run(_make_raati, phase="drafting")
    sid = raati.section_id
    bob = join_panel(new_context(), site, raati)
    carol = join_panel(new_context(), site, raati)
    for page in (bob, carol):
        page.goto(f"{site.url}/d/{raati.d.slug}/statement")
        page.wait_for_function("() => document.querySelector('#statement') !== null")
    loads: list[str] = []
    carol.on("load", lambda: loads.append("reloaded"))
    # Carol is writing a comment on the earlier amendment meanwhile.
    comment = carol.locator(f"#amendments-{sid} textarea[name=body]").first
    comment.fill("Kirjoitan vielä")
    comment.focus()

    bob.locator(f"#section-{sid} summary").click()
    bob.locator(f"#amend-text-{sid}").fill("Lisää hoitajia ja iltavuoroja kotihoitoon.")
    bob.locator(f"#amend-reason-{sid}").fill("Illat ovat kiireisiä.")
    bob.get_by_role("button", name="Ehdota", exact=True).click()
    expect(bob.locator(".flash-success")).to_be_visible()

    items = carol.locator(f"#amendments-{sid} > li")
    expect(items).to_have_count(2)
    new = items.nth(1)
    expect(new.locator("blockquote")).to_contain_text("iltavuoroja")
    # Rendered as the server renders it: Carol may support and comment at once.
    expect(new.get_by_role("button", name="Kannata")).to_be_visible()
    expect(carol.locator("#announcer")).to_contain_text("Uusi muutosehdotus: Henkilöstö")
    expect(comment).to_have_value("Kirjoitan vielä")
    expect(comment).to_be_focused()
    expect(carol.locator("#live-status")).to_be_hidden()  # inserted, not "changed"
    assert loads == []

    # A comment from Bob appears under the new amendment on Carol's page.
    bob.locator(f"#{new.get_attribute('id')} textarea[name=body]").fill("Tärkeä asia.")
    bob.locator(f"#{new.get_attribute('id')}").get_by_role("button", name="Lähetä kommentti").click()
    expect(new.locator(".comment")).to_contain_text("Tärkeä asia.")
    expect(comment).to_have_value("Kirjoitan vielä")
    assert loads == []


# --- accessibility ---------------------------------------------------------------------

@dataclass
class World:
    site: Site
    panellist: Page
    staff: Page
    expert: Page
    raati: Raati
    drafting: Raati
    voting: Raati
    panel_id: int
    drawing_id: int
    failed_id: int


@pytest.fixture(scope="module")
def world(site: Site, browser: Browser) -> Iterator[World]:
    raati = site.run(_make_raati, phase="hearing")
    drafting = site.run(_make_raati, phase="drafting")
    voting = site.run(_make_raati, phase="voting")
    site.run(lambda s: seed_digiraati_demo(s))
    drawing_id = site.run(_panel_drawing, failed=False)
    failed_id = site.run(_panel_drawing, failed=True)
    expert_name = site.make_staff("expert")

    def add_expert(s: Session) -> None:
        user = s.exec(select(StaffUser).where(StaffUser.username == expert_name)).one()
        do_add_expert(s, d=raati.d, user=user, display_name="Dr. Koti")
    site.run(add_expert)
    contexts: list[BrowserContext] = []

    def new_page(**kw: Any) -> Page:
        ctx = browser.new_context(viewport=PHONE, locale="fi-FI")
        ctx.set_default_timeout(10_000)
        contexts.append(ctx)
        return ctx.new_page()

    panellist = new_page()
    panellist.goto(f"{site.url}/d/{raati.d.slug}/invite/{raati.tokens.pop()}")
    panellist.get_by_role("button", name="Liity raatiin").click()
    expect(panellist.locator("#name-heading")).to_be_visible()
    for other in (drafting, voting):  # the same browser is on these panels too
        panellist.goto(f"{site.url}/d/{other.d.slug}/invite/{other.tokens.pop()}")
        panellist.get_by_role("button", name="Liity raatiin").click()
        expect(panellist.locator("#name-heading")).to_be_visible()
    staff = new_page()
    log_in(staff, site.url, site.make_staff("facilitator"))
    expert = new_page()
    expert.goto(f"{site.url}/staff/login?next=/d/{raati.d.slug}/hearing")
    expert.fill("#username", expert_name)
    expert.fill("#password", STAFF_PASSWORD)
    expert.click("form.stack button[type=submit]")
    expect(expert.locator("#questions")).to_be_visible()
    assert raati.d.id is not None
    yield World(site, panellist, staff, expert, raati, drafting, voting, raati.d.id,
                drawing_id, failed_id)
    for ctx in contexts:
        ctx.close()


def _get(path: str, who: str = "panellist", status: int = 200) -> Callable[[World, str], Page]:
    def visit(w: World, lang: str) -> Page:
        page: Page = getattr(w, who)
        url = path.format(slug=w.raati.d.slug, id=w.panel_id, drawing=w.drawing_id,
                          failed=w.failed_id, drafting=w.drafting.d.slug,
                          voting=w.voting.d.slug,
                          section=w.drafting.section_id, done=DONE_SLUG,
                          token=w.raati.tokens[0] if w.raati.tokens else "x")
        sep = "&" if "?" in url else "?"
        response = page.goto(f"{w.site.url}{url}{sep}lang={lang}")
        assert response is not None and response.status == status, url
        return page
    return visit


def _conflict(w: World, lang: str) -> Page:
    page = w.staff
    url = f"{w.site.url}/d/{w.drafting.d.slug}/statement/sections/{w.drafting.section_id}/edit"
    page.goto(f"{url}?lang={lang}")
    page.locator("input[name=base]").evaluate("(el) => { el.value = '1'; }")  # an old version
    page.locator("#text").fill(f"Vanhasta versiosta ({lang}).")
    page.locator("main form.stack button[type=submit]").click()
    expect(page.locator(".conflict")).to_be_visible()
    return page


def _held(w: World, lang: str) -> Page:
    page = w.panellist
    url = f"{w.site.url}/d/{w.drafting.d.slug}/statement"
    page.goto(f"{url}?lang={lang}")
    if page.locator(".amendment-held").count() == 0:
        sid = w.drafting.section_id
        page.locator(f"#section-{sid} details:has(#amend-text-{sid}) summary").click()
        page.locator(f"#amend-text-{sid}").fill("Soittakaa minulle 040 123 4567.")
        page.locator(f"#amend-reason-{sid}").fill("Nopeampaa.")
        page.locator(f"#section-{sid} details:has(#amend-text-{sid}) button[type=submit]").click()
        page.goto(f"{url}?lang={lang}")
    expect(page.locator(".amendment-held")).to_be_visible()
    return page


def _queue(w: World, lang: str) -> Page:
    _held(w, lang)
    page = w.staff
    page.goto(f"{w.site.url}/staff/moderation?session={w.drafting.d.id}&lang={lang}")
    expect(page.locator("#statement-queue-count")).to_be_visible()
    return page


def _save_first(w: World) -> None:
    # Two versions exist, so the diff and the conflict have something to show.
    page = w.staff
    page.goto(f"{w.site.url}/d/{w.drafting.d.slug}/statement/sections/{w.drafting.section_id}/edit")
    page.locator("#text").fill("Lisää hoitajia kotihoitoon ja enemmän aikaa.")
    page.locator("main form.stack button[type=submit]").click()
    expect(page.locator(".flash-success")).to_be_visible()


PAGES: dict[str, Callable[[World, str], Page]] = {
    "digiraati page of a panellist": _get("/d/{slug}"),
    "hearing of a panellist": _get("/d/{slug}/hearing"),
    "hearing of an expert": _get("/d/{slug}/hearing", "expert"),
    "hearing of the facilitator": _get("/d/{slug}/hearing", "staff"),
    "invitation": _get("/d/{slug}/invite/{token}", "staff"),
    "used or forged invitation": _get("/d/{slug}/invite/vaarennetty", status=404),
    "statement while drafting": _get("/d/{drafting}/statement", "staff"),
    "statement while drafting, a panellist": _get("/d/{drafting}/statement"),
    "statement with the panellist's held amendment": lambda w, lang: _held(w, lang),
    "moderation queue with a held amendment": lambda w, lang: _queue(w, lang),
    "statement while voting": _get("/d/{voting}/statement"),
    "published statement": _get("/d/{done}/statement"),
    "printable statement": _get("/d/{done}/statement/export.print"),
    "section editor": _get("/d/{drafting}/statement/sections/{section}/edit", "staff"),
    "conflict page": _conflict,
    "word diff": _get("/d/{drafting}/statement/sections/{section}/diff?from=1&to=2", "staff"),
    "new digiraati form": _get("/staff/digiraati/new", "staff"),
    "running the digiraati": _get("/staff/digiraati/{id}", "staff"),
    "panel and invitations": _get("/staff/digiraati/{id}/panel", "staff"),
    "panel being drawn": _get("/staff/digiraati/{drawing}/panel", "staff"),
    "panel after a failed draw": _get("/staff/digiraati/{failed}/panel", "staff"),
}
VARIANTS = [("fi", "phone"), ("fi", "desktop"), ("sv", "phone"), ("en", "desktop")]
SIZES = {"phone": PHONE, "desktop": DESKTOP}


@pytest.mark.parametrize(("lang", "width"), VARIANTS)
@pytest.mark.parametrize("name", list(PAGES))
def test_digiraati_page_has_no_axe_violations(world: World, name: str, lang: str,
                                              width: str) -> None:
    if not hasattr(world, "_saved"):
        _save_first(world)
        world._saved = True  # type: ignore[attr-defined]
    for page in (world.panellist, world.staff, world.expert):
        page.set_viewport_size(SIZES[width])
    page = PAGES[name](world, lang)
    assert page.locator("html").get_attribute("lang") == lang
    results = AXE.run(page, options=AXE_OPTIONS)
    assert results.violations_count == 0, results.generate_report()
    if width == "phone":
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        wide = page.evaluate("""() => [...document.querySelectorAll('body *')]
            .filter((e) => e.getBoundingClientRect().right > window.innerWidth + 0.5)
            .map((e) => `${e.tagName}#${e.id}.${e.className}`).slice(0, 5)""")
        assert overflow <= 0, f"the page scrolls sideways by {overflow}px at phone width: {wide}"
