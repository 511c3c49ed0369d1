"""Staff: login (Argon2, rate-limited), facilitators creating and editing sessions."""

from __future__ import annotations

import re

from starlette.testclient import TestClient

from tests.server.conftest import csrf_of, login


def _new_session(client: TestClient, **fields: str) -> object:
    page = client.get("/staff/sessions/new")
    data = {"csrf": csrf_of(page.text), "title": "Omaishoidon tuki", "slug": "",
            "introduction": "Kerro kokemuksesi.", "questions": "Mikä auttaa?\nMikä puuttuu?",
            "opens_at": "", "closes_at": "", "moderation_mode": "post", "kind": "brainstorm"}
    data.update(fields)
    return client.post("/staff/sessions/new", data=data)


def test_staff_pages_need_login(app_client: TestClient) -> None:
    r = app_client.get("/staff", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].startswith("/staff/login")


def test_wrong_password_is_told_in_finnish(app_client: TestClient, make_staff) -> None:
    name = make_staff()
    page = app_client.get("/staff/login")
    r = app_client.post("/staff/login", data={"username": name, "password": "väärä",
                                              "csrf": csrf_of(page.text)})
    assert r.status_code == 401
    assert "Väärä käyttäjätunnus tai salasana." in r.text


def test_login_attempts_are_rate_limited(app_client: TestClient, make_staff) -> None:
    name = make_staff()
    for _ in range(5):
        page = app_client.get("/staff/login")
        app_client.post("/staff/login", data={"username": name, "password": "väärä",
                                              "csrf": csrf_of(page.text)})
    page = app_client.get("/staff/login")
    r = app_client.post("/staff/login", data={"username": name, "password": "oikein-pitkä-salasana",
                                              "csrf": csrf_of(page.text)})
    assert r.status_code == 429
    assert "Liian monta kirjautumisyritystä" in r.text


def test_facilitator_creates_and_edits_a_session(app_client: TestClient, make_staff) -> None:
    login(app_client, make_staff("facilitator"))
    r = _new_session(app_client, opens_at="2026-01-01T09:00", closes_at="2030-01-01T16:00")
    assert r.status_code == 200  # type: ignore[attr-defined]
    assert "Keskustelu tallennettiin." in r.text  # type: ignore[attr-defined]
    edit_url = str(r.url)  # type: ignore[attr-defined]
    assert re.search(r"/staff/sessions/\d+$", edit_url)
    assert 'value="2030-01-01T16:00"' in r.text  # type: ignore[attr-defined]

    page = app_client.get(edit_url)
    r2 = app_client.post(edit_url, data={
        "csrf": csrf_of(page.text), "title": "Omaishoidon tuki 2026", "slug": "omaishoidon-tuki",
        "introduction": "Uusi johdanto.", "questions": "Mikä auttaa eniten?",
        "opens_at": "", "closes_at": "", "moderation_mode": "pre", "kind": "brainstorm"})
    assert "Keskustelu tallennettiin." in r2.text
    public = app_client.get("/s/omaishoidon-tuki")
    assert "Omaishoidon tuki 2026" in public.text and "Mikä auttaa eniten?" in public.text
    assert "Mikä puuttuu?" not in public.text


def test_invalid_form_keeps_what_was_typed(app_client: TestClient, make_staff) -> None:
    login(app_client, make_staff("facilitator"))
    r = _new_session(app_client, questions="", introduction="Tärkeä johdanto jota ei saa hukata")
    assert r.status_code == 422  # type: ignore[attr-defined]
    assert "Lisää vähintään yksi kysymys." in r.text  # type: ignore[attr-defined]
    assert "Tärkeä johdanto jota ei saa hukata" in r.text  # type: ignore[attr-defined]
    r = _new_session(app_client, opens_at="huomenna")
    assert "Tarkista päivämäärä" in r.text  # type: ignore[attr-defined]
    r = _new_session(app_client, opens_at="01.01.0001", introduction="Ei saa hukkua")
    assert r.status_code == 422 and "Tarkista päivämäärä" in r.text  # type: ignore[attr-defined]
    assert "Ei saa hukkua" in r.text  # type: ignore[attr-defined]
    r = _new_session(app_client, opens_at="2030-01-02T10:00", closes_at="2030-01-01T10:00")
    assert "Päättymisajan on oltava alkamisajan jälkeen." in r.text  # type: ignore[attr-defined]


def test_moderator_cannot_manage_sessions(app_client: TestClient, make_staff) -> None:
    login(app_client, make_staff("moderator"))
    r = app_client.get("/staff/sessions/new")
    assert r.status_code == 403


def test_closing_a_session_makes_it_read_only(app_client: TestClient, make_staff, make_deliberation) -> None:
    d = make_deliberation()
    login(app_client, make_staff("admin"))
    page = app_client.get(f"/staff/sessions/{d.id}")
    app_client.post(f"/staff/sessions/{d.id}", data={
        "csrf": csrf_of(page.text), "title": d.title, "slug": d.slug, "introduction": "",
        "questions": "Kysymys", "opens_at": "2020-01-01T10:00", "closes_at": "2020-01-02T10:00",
        "moderation_mode": "post", "kind": "brainstorm"})
    assert 'class="post-form"' not in app_client.get(f"/s/{d.slug}").text
