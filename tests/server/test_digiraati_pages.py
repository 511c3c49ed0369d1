"""Digiraati pages in-process (Starlette's TestClient): who may see what, the
kind refusals, and forms that keep what was typed."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from starlette.testclient import TestClient

from deliberation.digiraati.invitations import do_invite_panel, do_revoke_invitation
from deliberation.digiraati.panels import do_draw_panel, do_load_volunteers
from deliberation.models import Deliberation
from server import db
from server.lottery_runner import solve_in_child
from server.settings import Settings
from tests.deliberation.digiraati.factories import QUOTAS, VOLUNTEERS_CSV, make_digiraati
from tests.server.conftest import csrf_of, login


def _raati(settings: Settings, *, public_read: bool = False,
           invite: bool = True) -> tuple[Deliberation, list[str]]:
    """A digiraati with its pool drawn; invitations made (the last one revoked)."""
    engine = db.make_engine(settings.database_url)
    with db.session(engine) as s:
        d = make_digiraati(s, public_read=public_read)
        do_load_volunteers(s, d=d, csv_text=VOLUNTEERS_CSV, quotas_text=QUOTAS)
        do_draw_panel(s, d=d, seed=3, solve=solve_in_child)
        tokens = []
        if invite:
            issued, _ = do_invite_panel(s, d=d)
            do_revoke_invitation(s, d=d, invitation_id=issued[-1].invitation.id)
            tokens = [i.token for i in issued]
        s.commit()
    engine.dispose()
    return d, tokens


def test_private_digiraati_is_closed_to_readers_and_redirects_from_the_session_url(
        app_client: TestClient, settings: Settings) -> None:
    d, _ = _raati(settings)
    r = app_client.get(f"/d/{d.slug}")
    assert r.status_code == 403 and "vain raadin jäsenille" in r.text
    r = app_client.get(f"/s/{d.slug}", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == f"/d/{d.slug}"


def test_invitation_links_kindly_refused(app_client: TestClient, settings: Settings) -> None:
    d, tokens = _raati(settings)
    r = app_client.get(f"/d/{d.slug}/invite/vaarennetty")
    assert r.status_code == 404 and "ei ole voimassa" in r.text
    r = app_client.get(f"/d/{d.slug}/invite/{tokens[-1]}")
    assert r.status_code == 410 and "peruttu" in r.text
    page = app_client.get(f"/d/{d.slug}/invite/{tokens[0]}")
    assert page.status_code == 200 and "Liity raatiin" in page.text
    r = app_client.post(f"/d/{d.slug}/invite/{tokens[0]}", data={"csrf": csrf_of(page.text)})
    assert r.status_code == 200 and "Tervetuloa raatiin" in r.text


def test_asking_outside_the_hearing_is_a_clear_4xx(app_client: TestClient,
                                                    settings: Settings) -> None:
    d, tokens = _raati(settings)
    page = app_client.get(f"/d/{d.slug}/invite/{tokens[0]}")
    app_client.post(f"/d/{d.slug}/invite/{tokens[0]}", data={"csrf": csrf_of(page.text)})
    csrf = csrf_of(app_client.get(f"/d/{d.slug}").text)
    r = app_client.post(f"/d/{d.slug}/hearing/questions", data={"csrf": csrf, "body": "Kysyn"},
                        headers={"Accept": "application/json"})
    assert r.status_code == 409 and r.json()["error"]["code"] == "phase_not_open"
    # Without JavaScript: the hearing page again, saying why.
    r = app_client.post(f"/d/{d.slug}/hearing/questions", data={"csrf": csrf, "body": "Kysyn"})
    assert r.status_code == 409 and "Tämä vaihe ei ole nyt auki" in r.text


def test_panel_page_is_for_facilitators_and_a_bad_csv_names_its_column(
        app_client: TestClient, settings: Settings, make_staff: Callable[..., str]) -> None:
    d, _ = _raati(settings, invite=False)
    login(app_client, make_staff("moderator"))
    assert app_client.get(f"/staff/digiraati/{d.id}/panel").status_code == 403
    login(app_client, make_staff("facilitator"))
    page = app_client.get(f"/staff/digiraati/{d.id}/panel")
    assert page.status_code == 200 and "h0@example.fi" in page.text  # contacts: staff only
    r = app_client.post(f"/staff/digiraati/{d.id}/panel/pool", data={
        "csrf": csrf_of(page.text), "quotas": "äidinkieli, suomi, 1, 6"},
        files={"volunteers": ("vapaaehtoiset.csv", VOLUNTEERS_CSV.encode("cp1252", "replace"),
                              "text/csv")})
    flash = re.search(r'class="flash flash-error"[^>]*>([^<]*)<', r.text)
    assert flash, r.text[:3000]
    assert "äidinkieli" in flash.group(1) and "ei ole saraketta" in flash.group(1)


def test_an_expert_lands_on_the_front_page_with_the_digiraati(
        app_client: TestClient, settings: Settings, make_staff: Callable[..., str]) -> None:
    d, _ = _raati(settings, public_read=True)
    login_as: Any = make_staff("expert")
    page = app_client.get("/staff/login")
    r = app_client.post("/staff/login", data={"username": login_as,
                                              "password": "oikein-pitkä-salasana",
                                              "csrf": csrf_of(page.text), "next": "/staff"})
    assert r.status_code == 200 and str(r.url).endswith("/")
    assert re.search(rf'href="/d/{d.slug}"', r.text)


def _publish(settings: Settings, d: Deliberation) -> None:
    from deliberation.digiraati.phases import do_close_phase, do_open_phase
    from deliberation.digiraati.publication import do_publish
    from deliberation.digiraati.statements import do_add_section

    engine = db.make_engine(settings.database_url)
    with db.session(engine) as s:
        fresh = s.get(Deliberation, d.id)
        assert fresh is not None
        do_add_section(s, d=fresh, title="Henkilöstö", text="Lisää hoitajia.", author="F")
        do_open_phase(s, d=fresh, name="voting")
        do_close_phase(s, d=fresh, name="voting")
        do_publish(s, d=fresh)
        s.commit()
    engine.dispose()


def test_published_statement_is_public_and_panellists_come_back_to_it(
        app_client: TestClient, settings: Settings) -> None:
    d, tokens = _raati(settings)  # a private digiraati
    page = app_client.get(f"/d/{d.slug}/invite/{tokens[0]}")
    app_client.post(f"/d/{d.slug}/invite/{tokens[0]}", data={"csrf": csrf_of(page.text)})
    _publish(settings, d)
    reader = TestClient(app_client.app)  # another browser: no cookies (the app is running)
    assert reader.get(f"/d/{d.slug}").status_code == 403  # the discussion stays private
    r = reader.get(f"/d/{d.slug}/statement")
    assert r.status_code == 200 and "Henkilöstö" in r.text
    assert reader.get(f"/d/{d.slug}/statement/export.json").json()["published"] is True
    reader.close()
    r = app_client.get(f"/d/{d.slug}/invite/{tokens[0]}", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == f"/d/{d.slug}/statement"


def test_a_refused_amendment_comes_back_and_a_held_one_waits(
        app_client: TestClient, settings: Settings) -> None:
    from deliberation.digiraati.phases import do_open_phase
    from deliberation.digiraati.statements import do_add_section

    d, tokens = _raati(settings)
    page = app_client.get(f"/d/{d.slug}/invite/{tokens[0]}")
    app_client.post(f"/d/{d.slug}/invite/{tokens[0]}", data={"csrf": csrf_of(page.text)})
    engine = db.make_engine(settings.database_url)
    with db.session(engine) as s:
        fresh = s.get(Deliberation, d.id)
        assert fresh is not None
        section, _ = do_add_section(s, d=fresh, title="Osio", text="Alku.", author="F")
        do_open_phase(s, d=fresh, name="drafting")
        s.commit()
    engine.dispose()
    csrf = csrf_of(app_client.get(f"/d/{d.slug}/statement").text)
    r = app_client.post(f"/d/{d.slug}/statement/sections/{section.id}/amendments", data={
        "csrf": csrf, "text": "Soittakaa minulle 040 123 4567", "reason": " "})
    assert r.status_code == 422 and "Soittakaa minulle 040 123 4567</textarea>" in r.text
    # Screening holds it: stored, waiting for a moderator, its author told why.
    r = app_client.post(f"/d/{d.slug}/statement/sections/{section.id}/amendments", data={
        "csrf": csrf, "text": "Soittakaa minulle 040 123 4567", "reason": "Pitkä perustelu."})
    assert r.status_code == 200 and "odottaa moderaattoria" in r.text
    assert "Odottaa moderaattoria: raati ei vielä näe muutosehdotustasi." in r.text
    assert "<blockquote>Soittakaa minulle 040 123 4567</blockquote>" in r.text
