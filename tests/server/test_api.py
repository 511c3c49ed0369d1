"""The JSON API: bad input gets a 4xx JSON error with a Finnish message, never a 500."""

from __future__ import annotations

from typing import Any

import pytest
from starlette.testclient import TestClient


def _join(client: TestClient, slug: str) -> dict[str, Any]:
    r = client.get(f"/api/s/{slug}")
    assert r.status_code == 200
    return r.json()  # type: ignore[no-any-return]


def test_session_info_gives_pseudonym_questions_and_token(app_client: TestClient, make_deliberation) -> None:
    d = make_deliberation()
    info = _join(app_client, d.slug)
    assert info["session"]["title"] == d.title
    assert len(info["session"]["questions"]) == 2
    assert info["me"] is None  # reading makes no participant; the first action does
    assert info["csrf_token"]


def test_post_support_and_read_back(app_client: TestClient, make_deliberation) -> None:
    d = make_deliberation()
    info = _join(app_client, d.slug)
    qid = info["session"]["questions"][0]["id"]
    headers = {"X-CSRF-Token": info["csrf_token"]}
    r = app_client.post(f"/api/s/{d.slug}/posts", json={"question_id": qid, "body": "Lisää aikaa"},
                        headers=headers)
    assert r.status_code == 201
    post = r.json()["post"]
    assert post["author"] == _join(app_client, d.slug)["me"]["pseudonym"]

    other = TestClient(app_client.app)
    other_info = _join(other, d.slug)
    s = other.post(f"/api/s/{d.slug}/posts/{post['id']}/support",
                   headers={"X-CSRF-Token": other_info["csrf_token"]})
    assert s.json() == {"supported": True, "support_count": 1}

    threads = app_client.get(f"/api/s/{d.slug}/posts").json()["questions"][0]["threads"]
    assert threads[0]["post"]["support_count"] == 1
    events = app_client.get(f"/api/s/{d.slug}/events?after=0").json()["events"]
    assert [e["kind"] for e in events] == ["post_published", "post_support"]
    assert [e["seq"] for e in app_client.get(f"/api/s/{d.slug}/events?after=1").json()["events"]] == [2]


BAD_POSTS = [
    ({"question_id": "Q", "body": "Hei"}, 422, "question_required"),
    ({"body": "Hei"}, 422, "question_required"),
    ({"question_id": 999999, "body": "Hei"}, 404, "question_not_found"),
    ({"question_id": "QID", "body": ""}, 422, "post_empty"),
    ({"question_id": "QID", "body": ["lista"]}, 422, "post_empty"),
    ({"question_id": "QID", "body": "x" * 2001}, 422, "post_too_long"),
    ({"question_id": "QID", "parent_id": 999999, "body": "Hei"}, 404, "post_not_found"),
    ({"question_id": "QID", "parent_id": "abc", "body": "Hei"}, 404, "post_not_found"),
]


@pytest.mark.parametrize(("payload", "status", "code"), BAD_POSTS)
def test_bad_posts_get_json_errors(app_client: TestClient, make_deliberation,
                                   payload: dict[str, Any], status: int, code: str) -> None:
    d = make_deliberation()
    info = _join(app_client, d.slug)
    qid = info["session"]["questions"][0]["id"]
    body = {k: (qid if v == "QID" else v) for k, v in payload.items()}
    r = app_client.post(f"/api/s/{d.slug}/posts", json=body,
                        headers={"X-CSRF-Token": info["csrf_token"]})
    assert r.status_code == status
    assert r.json()["error"]["code"] == code
    assert r.json()["error"]["message"]  # Finnish words for the person


@pytest.mark.parametrize("raw", [b"{", b"[]", b"\xff\xfe", b'"text"'])
def test_malformed_json_is_a_400(app_client: TestClient, make_deliberation, raw: bytes) -> None:
    d = make_deliberation()
    info = _join(app_client, d.slug)
    r = app_client.post(f"/api/s/{d.slug}/posts", content=raw,
                        headers={"X-CSRF-Token": info["csrf_token"], "Content-Type": "application/json"})
    assert r.status_code == 400
    assert r.json()["error"]["code"] == "bad_request"


def test_missing_csrf_header_is_refused(app_client: TestClient, make_deliberation) -> None:
    d = make_deliberation()
    info = _join(app_client, d.slug)
    r = app_client.post(f"/api/s/{d.slug}/posts",
                        json={"question_id": info["session"]["questions"][0]["id"], "body": "Hei"})
    assert r.status_code == 403
    assert r.json()["error"]["code"] == "csrf_failed"


def test_unknown_session_and_language(app_client: TestClient) -> None:
    r = app_client.get("/api/s/ei-ole?lang=sv")
    assert r.status_code == 404
    assert r.json()["error"] == {"code": "session_not_found",
                                 "message": "Diskussionen hittades inte. Kontrollera länken."}
    assert app_client.get("/api/s/x/events?after=abc").status_code in (400, 404)


def test_closed_session_answers_409(app_client: TestClient, make_deliberation) -> None:
    d = make_deliberation(closed=True)
    info = _join(app_client, d.slug)
    r = app_client.post(f"/api/s/{d.slug}/posts",
                        json={"question_id": info["session"]["questions"][0]["id"], "body": "Hei"},
                        headers={"X-CSRF-Token": info["csrf_token"]})
    assert r.status_code == 409
    assert r.json()["error"]["message"].startswith("Keskustelu on päättynyt")


@pytest.mark.parametrize("number", ["3000000000", "99999999999999999999999"])
def test_numbers_too_large_for_an_id_are_clear_errors(app_client: TestClient, make_deliberation,
                                                      make_staff, number: str) -> None:
    from tests.server.conftest import login

    d = make_deliberation()
    info = _join(app_client, d.slug)
    headers = {"X-CSRF-Token": info["csrf_token"]}
    assert app_client.get(f"/api/s/{d.slug}/events?after={number}").status_code == 400
    r = app_client.post(f"/api/s/{d.slug}/posts", headers=headers,
                        json={"question_id": int(number), "body": "Hei"})
    assert r.status_code in (404, 422) and r.json()["error"]["message"]
    r = app_client.post(f"/api/s/{d.slug}/posts/{number}/support", headers=headers)
    assert r.status_code == 404
    login(app_client, make_staff("admin"))
    assert app_client.get(f"/staff/sessions/{number}").status_code == 404
    assert app_client.get(f"/api/staff/sessions/{number}/themes").status_code == 404


def test_events_after_a_position_past_the_session_say_reload(app_client: TestClient,
                                                            make_deliberation) -> None:  # type: ignore[no-untyped-def]
    d = make_deliberation()
    info = _join(app_client, d.slug)
    r = app_client.post(f"/api/s/{d.slug}/posts", headers={"X-CSRF-Token": info["csrf_token"]},
                        json={"question_id": info["session"]["questions"][0]["id"], "body": "Hei"})
    assert r.status_code == 201
    last = _join(app_client, d.slug)["seq"]
    assert last >= 1
    # Exactly caught up: nothing new, not an error.
    r = app_client.get(f"/api/s/{d.slug}/events?after={last}")
    assert r.status_code == 200 and r.json() == {"events": []}
    # A position kept from another copy of the session: told to reload, as 4409 does.
    r = app_client.get(f"/api/s/{d.slug}/events?after={last + 1}")
    assert r.status_code == 409
    error = r.json()["error"]
    assert error["code"] == "events_ahead" and error["params"] == {"seq": last}
    assert "Lataa sivu uudelleen" in error["message"]
    r = app_client.get(f"/api/s/{d.slug}/events?after={last + 1}&lang=sv")
    assert "Ladda om sidan" in r.json()["error"]["message"]


def test_events_of_a_session_without_any_are_empty_from_zero(app_client: TestClient,
                                                             make_deliberation) -> None:  # type: ignore[no-untyped-def]
    d = make_deliberation()
    assert app_client.get(f"/api/s/{d.slug}/events?after=0").json() == {"events": []}
    assert app_client.get(f"/api/s/{d.slug}/events?after=1").status_code == 409
