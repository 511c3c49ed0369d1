"""Moderation over HTTP and the staff websocket: the queue with findings marked,
decisions that residents see, reports, the author's view, the audit log and
its CSV, the public statistics, staff roles, CSRF and posting limits."""

from __future__ import annotations

import csv
import io
import re
import secrets
from dataclasses import replace

import pytest
from starlette.testclient import TestClient
from starlette.websockets import WebSocketDisconnect

from server.app import create_app
from server.settings import Settings
from tests.conftest import REDIS_URL
from tests.server.conftest import csrf_of, login

PHONE_TEXT = "Soittakaa minulle numeroon 040 123 4567, kerron lisää."


def _post(client: TestClient, slug: str, body: str) -> str:
    """Post as the client's resident without JavaScript; the page after the redirect."""
    page = client.get(f"/s/{slug}")
    qid = re.search(r'name="question_id" value="(\d+)"', page.text).group(1)  # type: ignore[union-attr]
    return client.post(f"/s/{slug}/posts", data={"csrf": csrf_of(page.text), "question_id": qid,
                                                  "body": body}).text


def _held_post_id(client: TestClient, session_id: int | None) -> int:
    """The first message in the queue of one session (the databases are shared by tests)."""
    queue = client.get(f"/staff/moderation?session={session_id}")
    return int(re.search(r'id="item-(\d+)"', queue.text).group(1))  # type: ignore[union-attr]


def _as_resident(client: TestClient) -> None:
    """Forget the browser: the next page visit is a new anonymous participant."""
    client.cookies.clear()


def test_held_post_is_in_the_queue_with_the_phone_number_marked(
        app_client: TestClient, make_deliberation, make_staff) -> None:
    d = make_deliberation()
    page = _post(app_client, d.slug, PHONE_TEXT)
    assert "odottaa moderaattorin" in page
    login(app_client, make_staff("moderator"))
    queue = app_client.get(f"/staff/moderation?session={d.id}")
    assert queue.status_code == 200
    assert '<mark data-reasons="phone">040 123 4567</mark>' in queue.text
    assert "Puhelinnumero" in queue.text  # the finding's label, in Finnish
    assert "Odottanut" in queue.text  # the time waiting


def test_rejection_reason_reaches_the_author_who_edits_and_resubmits(
        app_client: TestClient, make_deliberation, make_staff) -> None:
    d = make_deliberation()
    _post(app_client, d.slug, PHONE_TEXT)
    resident_cookies = dict(app_client.cookies)
    # The author sees why in plain Finnish, with the number highlighted.
    mine = app_client.get(f"/s/{d.slug}/my-posts")
    assert "puhelinnumero" in mine.text.lower()
    assert "<mark" in mine.text

    _as_resident(app_client)
    login(app_client, make_staff("moderator"))
    post_id = _held_post_id(app_client, d.id)
    queue = app_client.get("/staff/moderation")
    r = app_client.post(f"/staff/moderation/posts/{post_id}/reject",
                        data={"csrf": csrf_of(queue.text), "reason": "personal_data",
                              "note": "Poista puhelinnumero, niin julkaisemme."})
    assert "Hylätty" in r.text

    app_client.cookies.clear()
    app_client.cookies.update(resident_cookies)
    mine = app_client.get(f"/s/{d.slug}/my-posts")
    assert "Moderaattori ei julkaissut tätä viestiä" in mine.text
    assert "Henkilötiedot" in mine.text and "Poista puhelinnumero, niin julkaisemme." in mine.text
    r = app_client.post(f"/s/{d.slug}/my-posts/{post_id}",
                        data={"csrf": csrf_of(mine.text), "body": "Soittakaa minulle, kerron lisää."})
    assert "Viestisi julkaistiin." in r.text
    assert "Soittakaa minulle, kerron lisää." in app_client.get(f"/s/{d.slug}").text


def test_approve_over_json_publishes_and_the_queue_empties(
        app_client: TestClient, make_deliberation, make_staff) -> None:
    d = make_deliberation(mode="pre")
    _post(app_client, d.slug, "Kotihoitoon enemmän aikaa.")
    _as_resident(app_client)
    assert "Kotihoitoon enemmän aikaa." not in app_client.get(f"/s/{d.slug}").text
    login(app_client, make_staff("facilitator"))
    post_id = _held_post_id(app_client, d.id)
    token = csrf_of(app_client.get("/staff/moderation").text)
    r = app_client.post(f"/staff/moderation/posts/{post_id}/approve", data={"csrf": token},
                        headers={"accept": "application/json"})
    assert r.status_code == 200 and r.json()["ok"] is True
    again = app_client.post(f"/staff/moderation/posts/{post_id}/approve", data={"csrf": token},
                            headers={"accept": "application/json"})
    assert again.status_code == 409 and again.json()["error"]["code"] == "already_decided"
    assert "Jono on tyhjä" in app_client.get(f"/staff/moderation/queue?session={d.id}").text
    assert "Kotihoitoon enemmän aikaa." in app_client.get(f"/s/{d.slug}").text


def test_decisions_need_a_moderator_and_a_csrf_token(
        app_client: TestClient, make_deliberation, make_staff) -> None:
    d = make_deliberation(mode="pre")
    _post(app_client, d.slug, "Odottava ajatus.")
    r = app_client.get("/staff/moderation", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].startswith("/staff/login")
    r = app_client.post("/staff/moderation/posts/1/approve", data={},
                        headers={"accept": "application/json"})
    assert r.status_code == 401
    login(app_client, make_staff("moderator"))
    post_id = _held_post_id(app_client, d.id)
    r = app_client.post(f"/staff/moderation/posts/{post_id}/approve", data={"csrf": "wrong-token"},
                        headers={"accept": "application/json"})
    assert r.status_code == 403 and r.json()["error"]["code"] == "csrf_failed"
    assert f'id="item-{post_id}"' in app_client.get("/staff/moderation").text


def test_three_reports_hide_a_post_until_a_moderator_restores_it(
        app_client: TestClient, make_deliberation, make_staff) -> None:
    d = make_deliberation()
    _post(app_client, d.slug, "Tämä on julkaistu ajatus.")
    post_id = int(re.search(r'id="post-(\d+)"', app_client.get(f"/s/{d.slug}").text).group(1))  # type: ignore[union-attr]
    for i in range(3):
        _as_resident(app_client)
        page = app_client.get(f"/s/{d.slug}")
        assert f'action="/s/{d.slug}/posts/{post_id}/flag"' in page.text
        r = app_client.post(f"/s/{d.slug}/posts/{post_id}/flag",
                            data={"csrf": csrf_of(page.text), "reason": "offensive"})
        assert "Kiitos. Moderaattori katsoo viestin." in r.text
        if i == 0:  # reporting twice counts once
            r = app_client.post(f"/s/{d.slug}/posts/{post_id}/flag",
                                data={"csrf": csrf_of(page.text), "reason": "offensive"})
            assert "Olet jo ilmoittanut tästä viestistä" in r.text
    _as_resident(app_client)
    assert "Tämä on julkaistu ajatus." not in app_client.get(f"/s/{d.slug}").text

    login(app_client, make_staff("moderator"))
    queue = app_client.get(f"/staff/moderation?session={d.id}")
    assert "Piilotettu ilmoitusten vuoksi" in queue.text
    r = app_client.post(f"/staff/moderation/posts/{post_id}/approve",
                        data={"csrf": csrf_of(queue.text)})
    assert "Tämä on julkaistu ajatus." in app_client.get(f"/s/{d.slug}").text
    stats = app_client.get(f"/s/{d.slug}/moderation")
    assert stats.status_code == 200 and "Piilotettu ilmoitusten vuoksi" in stats.text


def test_flag_api_refuses_bad_input_with_json(app_client: TestClient, make_deliberation) -> None:
    d = make_deliberation()
    _post(app_client, d.slug, "Oma ajatus.")
    post_id = int(re.search(r'id="post-(\d+)"', app_client.get(f"/s/{d.slug}").text).group(1))  # type: ignore[union-attr]
    token = app_client.get(f"/api/s/{d.slug}").json()["csrf_token"]
    r = app_client.post(f"/api/s/{d.slug}/posts/{post_id}/flag", json={"reason": "spam"},
                        headers={"x-csrf-token": token})
    assert r.status_code == 422 and r.json()["error"]["code"] == "flag_own_post"
    r = app_client.post(f"/api/s/{d.slug}/posts/{post_id}/flag", content=b"[1",
                        headers={"x-csrf-token": token})
    assert r.status_code == 400


def test_mute_holds_every_post_and_ban_stops_posting(
        app_client: TestClient, make_deliberation, make_staff) -> None:
    d = make_deliberation()
    _post(app_client, d.slug, PHONE_TEXT)
    resident = dict(app_client.cookies)
    _as_resident(app_client)
    login(app_client, make_staff("moderator"))
    queue = app_client.get(f"/staff/moderation?session={d.id}")
    pid = re.search(r'/staff/moderation/participants/(\d+)/mute', queue.text).group(1)  # type: ignore[union-attr]
    app_client.post(f"/staff/moderation/participants/{pid}/mute", data={"csrf": csrf_of(queue.text)})
    app_client.post(f"/staff/moderation/participants/{pid}/ban", data={"csrf": csrf_of(queue.text)})
    app_client.cookies.clear()
    app_client.cookies.update(resident)
    page = _post(app_client, d.slug, "Tavallinen ajatus.")
    assert "Moderaattori on estänyt sinua kirjoittamasta" in page


def test_posting_rate_limit_has_a_clear_finnish_message(
        app_client: TestClient, make_deliberation) -> None:
    d = make_deliberation()
    for i in range(5):
        assert "Viestisi julkaistiin." in _post(app_client, d.slug, f"Ajatus numero {i + 1}.")
    page = _post(app_client, d.slug, "Kuudes ajatus.")
    assert "Lähetät viestejä hyvin tiheään" in page and "enintään 5 viestiä" in page


def test_audit_log_page_and_csv_export(app_client: TestClient, make_deliberation, make_staff) -> None:
    d = make_deliberation(mode="pre")
    _post(app_client, d.slug, "Hylättävä ajatus.")
    _as_resident(app_client)
    name = make_staff("moderator")
    login(app_client, name)
    post_id = _held_post_id(app_client, d.id)
    queue = app_client.get("/staff/moderation")
    app_client.post(f"/staff/moderation/posts/{post_id}/reject",
                    data={"csrf": csrf_of(queue.text), "reason": "spam", "note": "=1+1"})
    page = app_client.get("/staff/moderation/audit")
    assert "<th scope=\"col\">" in page.text and name in page.text and "Hylätty" in page.text
    r = app_client.get(f"/staff/moderation/audit.csv?session={d.id}")
    assert r.headers["content-type"].startswith("text/csv")
    assert "attachment" in r.headers["content-disposition"]
    rows = list(csv.reader(io.StringIO(r.text.lstrip("\ufeff"))))
    assert rows[1][2:4] == ["reject", "spam"] and rows[1][6] == name
    assert rows[1][7] == "'=1+1"


def test_queue_length_is_a_metric(app_client: TestClient, make_deliberation) -> None:
    d = make_deliberation(mode="pre")
    _post(app_client, d.slug, "Odottaa.")
    metrics = app_client.get("/metrics").text
    value = re.search(r"^raati_moderation_queue_length (\S+)$", metrics, re.M)
    assert value and float(value.group(1)) >= 1


def test_staff_websocket_announces_held_posts(
        app_client: TestClient, make_deliberation, make_staff) -> None:
    d = make_deliberation()
    with pytest.raises(WebSocketDisconnect) as refused:  # noqa: SIM117
        with app_client.websocket_connect("/staff/moderation/live") as ws:
            ws.receive_text()
    assert refused.value.code == 4401
    login(app_client, make_staff("moderator"))
    with app_client.websocket_connect("/staff/moderation/live") as ws:
        assert ws.receive_json()["type"] == "ready"
        _post(app_client, d.slug, PHONE_TEXT)
        kinds = []
        while "post_held" not in kinds:
            msg = ws.receive_json()
            assert msg["type"] == "event" and msg["session"] == d.id
            kinds.append(msg["event"]["kind"])


def _create_session(client: TestClient, title: str) -> tuple[int, str]:
    """A facilitator's new session through the staff form, published and open:
    its id and address."""
    page = client.get("/staff/sessions/new")
    slug = f"uusi-{secrets.token_hex(4)}"
    r = client.post("/staff/sessions/new", follow_redirects=False, data={
        "csrf": csrf_of(page.text), "title": title, "slug": slug, "introduction": "",
        "questions": "Mitä mieltä olet?", "opens_at": "2026-01-01T09:00", "closes_at": "",
        "moderation_mode": "post", "kind": "brainstorm", "action": "publish"})
    assert r.status_code == 303, r.text[:500]
    return int(r.headers["location"].rsplit("/", 1)[1]), slug


def test_staff_websocket_hears_sessions_created_after_it_connected(
        app_client: TestClient, make_staff) -> None:
    # The socket hears the creation announced on commit: the first message after
    # "ready" says it joined the new session (it does not look for sessions).
    login(app_client, make_staff("admin"))
    with app_client.websocket_connect("/staff/moderation/live") as ws:
        assert ws.receive_json()["type"] == "ready"
        session_id, slug = _create_session(app_client, "Uusi istunto")
        assert ws.receive_json() == {"type": "joined", "session": session_id}
        _as_resident(app_client)
        _post(app_client, slug, PHONE_TEXT)
        kinds = []
        while "post_held" not in kinds:
            msg = ws.receive_json()
            assert msg["type"] == "event" and msg["session"] == session_id
            kinds.append(msg["event"]["kind"])


def test_staff_websocket_hears_sessions_created_in_another_process(
        settings: Settings, make_staff) -> None:
    # Two apps sharing the database and Redis, as two server processes do.
    shared = replace(settings, redis_url=REDIS_URL)
    admin = make_staff("admin")
    with TestClient(create_app(shared)) as here, TestClient(create_app(shared)) as there:
        login(here, admin)
        login(there, admin)
        with here.websocket_connect("/staff/moderation/live") as ws:
            assert ws.receive_json()["type"] == "ready"
            session_id, _ = _create_session(there, "Toisen prosessin istunto")
            while ws.receive_json() != {"type": "joined", "session": session_id}:
                pass


def test_admin_creates_staff_and_others_may_not(app_client: TestClient, make_staff) -> None:
    login(app_client, make_staff("moderator"))
    assert app_client.get("/staff/users").status_code == 403
    app_client.cookies.clear()
    login(app_client, make_staff("admin"))
    page = app_client.get("/staff/users")
    r = app_client.post("/staff/users", data={"csrf": csrf_of(page.text), "username": "uusi.mod",
                                              "password": "lyhyt", "role": "moderator"})
    assert r.status_code == 422 and "vähintään 10" in r.text and 'value="uusi.mod"' in r.text
    r = app_client.post("/staff/users", data={"csrf": csrf_of(page.text), "username": "uusi.mod",
                                              "password": "riittävän-pitkä-salasana",
                                              "role": "moderator"})
    assert "Henkilökunnan tunnus luotiin." in r.text
    app_client.cookies.clear()
    login(app_client, "uusi.mod", "riittävän-pitkä-salasana")
    assert app_client.get("/staff/moderation").status_code == 200
