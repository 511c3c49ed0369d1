"""Staff access is revocable: a saved cookie stops working at logout, password
change, account deletion or an admin's word; and refusals never touch cookies."""

from __future__ import annotations

import re

from starlette.testclient import TestClient

from tests.server.conftest import STAFF_PASSWORD, csrf_of, login


def _fresh(client: TestClient) -> TestClient:
    return TestClient(client.app)


def test_a_cookie_saved_before_logout_no_longer_works(app_client: TestClient, make_staff) -> None:  # type: ignore[no-untyped-def]
    login(app_client, make_staff("moderator"))
    saved = dict(app_client.cookies)
    page = app_client.get("/staff")
    app_client.post("/staff/logout", data={"csrf": csrf_of(page.text)})
    thief = _fresh(app_client)
    thief.cookies.update(saved)
    r = thief.get("/staff", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].startswith("/staff/login")


def test_a_deleted_admins_cookie_creates_nobody(app_client: TestClient, make_staff) -> None:  # type: ignore[no-untyped-def]
    boss, gone = make_staff("admin"), make_staff("admin")
    victim = _fresh(app_client)
    login(victim, gone)
    login(app_client, boss)
    logins = app_client.get("/staff/logins")
    assert logins.status_code == 200 and gone in logins.text
    staff_id = re.search(rf'action="/staff/users/(\d+)/delete"[^>]*>\s*<input[^>]*>\s*<button[^>]*>[^<]*<span[^>]*>: {gone}<', logins.text)
    assert staff_id, logins.text[:2000]
    r = app_client.post(f"/staff/users/{staff_id.group(1)}/delete", data={"csrf": csrf_of(logins.text)})
    assert "Tunnus poistettiin" in r.text
    page = victim.get("/staff/users", follow_redirects=False)
    assert page.status_code == 303
    r = victim.post("/staff/users", data={"csrf": "x", "username": "uusi-admin",
                                          "password": "pitkä-salasana-123", "role": "admin"},
                    headers={"accept": "application/json"})
    assert r.status_code == 401


def test_role_is_read_from_the_database_each_time(app_client: TestClient, settings, make_staff) -> None:  # type: ignore[no-untyped-def]
    from sqlmodel import select

    from deliberation.models import StaffUser
    from server import db

    name = make_staff("admin")
    login(app_client, name)
    assert app_client.get("/staff/users").status_code == 200
    engine = db.make_engine(settings.database_url)
    with db.session(engine) as s:
        user = s.exec(select(StaffUser).where(StaffUser.username == name)).one()
        user.role = "moderator"
        s.add(user)
        s.commit()
    engine.dispose()
    assert app_client.get("/staff/users").status_code == 403


def test_password_change_ends_the_other_logins(app_client: TestClient, make_staff) -> None:  # type: ignore[no-untyped-def]
    name = make_staff("facilitator")
    other_device = _fresh(app_client)
    login(other_device, name)
    login(app_client, name)
    form = app_client.get("/staff/password")
    r = app_client.post("/staff/password", data={"csrf": csrf_of(form.text), "current": STAFF_PASSWORD,
                                                 "new": "aivan-uusi-salasana"})
    assert "Salasanasi vaihdettiin" in r.text
    assert app_client.get("/staff", follow_redirects=False).status_code == 200  # still in, here
    assert other_device.get("/staff", follow_redirects=False).status_code == 303


def test_admin_ends_a_login(app_client: TestClient, make_staff) -> None:  # type: ignore[no-untyped-def]
    mod = make_staff("moderator")
    victim = _fresh(app_client)
    login(victim, mod)
    login(app_client, make_staff("admin"))
    page = app_client.get("/staff/logins")
    row = re.search(rf'<td>{mod}</td>.*?action="/staff/logins/(\d+)/end"', page.text, re.S)
    assert row
    app_client.post(f"/staff/logins/{row.group(1)}/end", data={"csrf": csrf_of(page.text)})
    assert victim.get("/staff", follow_redirects=False).status_code == 303


def test_wrong_passwords_slow_down_but_never_lock_the_owner_out(app_client: TestClient,
                                                                make_staff) -> None:  # type: ignore[no-untyped-def]
    name = make_staff("admin")
    attacker = TestClient(app_client.app, client=("192.0.2.66", 5000))
    page = attacker.get("/staff/login")
    codes = [attacker.post("/staff/login", data={"csrf": csrf_of(page.text), "username": name,
                                                 "password": "arvaus", "next": "/staff"}).status_code
             for _ in range(7)]
    assert codes[:5] == [401] * 5 and 429 in codes[5:]
    owner = TestClient(app_client.app, client=("192.0.2.10", 5000))
    login(owner, name)


def test_refused_cross_site_posts_leave_cookies_alone(app_client: TestClient, make_deliberation,
                                                      make_staff) -> None:  # type: ignore[no-untyped-def]
    d = make_deliberation()
    hostile = _fresh(app_client)  # a cross-site form post arrives without the cookie
    for path, data in ((f"/s/{d.slug}/posts", {"body": "x", "question_id": "1"}),
                       (f"/s/{d.slug}/posts/1/support", {}),
                       (f"/s/{d.slug}/posts/1/flag", {"reason": "spam"}),
                       (f"/s/{d.slug}/join", {}),
                       ("/staff/logout", {}),
                       ("/staff/login", {"username": "a", "password": "b"})):
        r = hostile.post(path, data=data, follow_redirects=False)
        assert r.status_code in (303, 403), (path, r.status_code)
        assert "set-cookie" not in r.headers, path


def test_staff_pages_are_never_cached_and_csp_is_tight(app_client: TestClient, make_staff) -> None:  # type: ignore[no-untyped-def]
    login(app_client, make_staff("admin"))
    for path in ("/staff", "/staff/moderation/audit.csv", "/staff/logins"):
        assert app_client.get(path).headers["cache-control"] == "no-store", path
    csp = app_client.get("/").headers["content-security-policy"]
    assert "connect-src 'self';" in csp and "ws:" not in csp


def test_metrics_need_a_login_or_the_token(app_client: TestClient, make_staff) -> None:  # type: ignore[no-untyped-def]
    assert app_client.get("/metrics").status_code == 401
    assert app_client.get("/metrics", headers={"authorization": "Bearer wrong-token"}).status_code == 401
    login(app_client, make_staff("admin"))
    assert "raati_connected_clients" in app_client.get("/metrics").text


def test_nul_in_the_session_form_keeps_the_text(app_client: TestClient, make_staff) -> None:  # type: ignore[no-untyped-def]
    login(app_client, make_staff("facilitator"))
    form = app_client.get("/staff/sessions/new")
    r = app_client.post("/staff/sessions/new", data={
        "csrf": csrf_of(form.text), "title": "Otsikko\x00 tässä", "slug": "nul-testi",
        "introduction": "Pitkä johdanto, jota ei saa hukata.", "questions": "Kysymys?",
        "moderation_mode": "post", "kind": "brainstorm"})
    assert r.status_code == 422
    assert "Pitkä johdanto, jota ei saa hukata." in r.text and "Otsikko tässä" in r.text
