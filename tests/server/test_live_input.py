"""The resident websocket under bad input: a close code or an error frame,
never a dropped connection; a resume ahead of the session is told so."""

from __future__ import annotations

import json

import pytest
from starlette.testclient import TestClient
from starlette.websockets import WebSocketDisconnect


@pytest.mark.parametrize("after", ["²", "١٢", "-1", "9" * 5000, "1e3", "%00"])
def test_malformed_after_closes_with_1008(app_client: TestClient, make_deliberation,
                                          after: str) -> None:  # type: ignore[no-untyped-def]
    d = make_deliberation()
    with pytest.raises(WebSocketDisconnect) as closed, \
            app_client.websocket_connect(f"/s/{d.slug}/live?after={after}") as ws:
        ws.receive_json()
    assert closed.value.code == 1008


def test_after_ahead_of_the_session_is_told(app_client: TestClient, make_deliberation) -> None:  # type: ignore[no-untyped-def]
    d = make_deliberation()
    with app_client.websocket_connect(f"/s/{d.slug}/live?after=5000") as ws:
        assert ws.receive_json()["type"] == "hello"
        with pytest.raises(WebSocketDisconnect) as closed:
            ws.receive_json()
    assert closed.value.code == 4409


def test_resume_from_the_last_number_gets_ready_at_once(app_client: TestClient,
                                                        make_deliberation) -> None:  # type: ignore[no-untyped-def]
    d = make_deliberation()
    info = app_client.get(f"/api/s/{d.slug}").json()
    app_client.post(f"/api/s/{d.slug}/posts", headers={"X-CSRF-Token": info["csrf_token"]},
                    json={"question_id": info["session"]["questions"][0]["id"], "body": "Hei!"})
    with app_client.websocket_connect(f"/s/{d.slug}/live?after=0") as first:
        first.receive_json()
        assert first.receive_json()["seq"] == 1
        assert first.receive_json() == {"type": "ready", "seq": 1}
        with app_client.websocket_connect(f"/s/{d.slug}/live?after=1") as again:
            assert again.receive_json()["type"] == "hello"
            assert again.receive_json() == {"type": "ready", "seq": 1}


MALFORMED_FRAMES = [
    "[" * 5000 + "]" * 5000,
    '{"type": "post", "question_id": ' + "9" * 5000 + "}",
    '{"type": "post", "body": "\\ud800"}',
    '{"type": "support", "post_id": "²"}',
    '{"type": "post", "question_id": "١", "body": "x"}',
    "NaN", "", "{", "\x00",
]


def test_malformed_frames_get_error_frames_and_the_socket_stays(
        app_client: TestClient, make_deliberation) -> None:  # type: ignore[no-untyped-def]
    d = make_deliberation()
    app_client.get(f"/s/{d.slug}")
    with app_client.websocket_connect(f"/s/{d.slug}/live") as ws:
        ws.receive_json()
        ws.receive_json()
        for frame in MALFORMED_FRAMES:
            ws.send_text(frame)
            reply = json.loads(ws.receive_text())
            assert reply["type"] == "error" and reply["message"], frame[:40]
        ws.send_bytes(b"\xff\xfe")
        assert ws.receive_json()["type"] == "error"
        ws.send_text('{"type": "ping"}')
        assert ws.receive_json() == {"type": "pong"}


def test_a_reconnect_writes_nothing_and_reads_once(app_client: TestClient,
                                                   make_deliberation) -> None:  # type: ignore[no-untyped-def]
    """A reconnect storm after a deploy is every open page at once: each
    reconnect from the last number seen does no write and one read."""
    from sqlalchemy import event

    d = make_deliberation()
    info = app_client.get(f"/api/s/{d.slug}").json()
    app_client.post(f"/api/s/{d.slug}/posts", headers={"X-CSRF-Token": info["csrf_token"]},
                    json={"question_id": info["session"]["questions"][0]["id"], "body": "Hei!"})
    engine = app_client.app.state.raati.engine  # type: ignore[attr-defined]
    statements: list[str] = []

    def seen(conn, cursor, statement, *args) -> None:  # type: ignore[no-untyped-def]
        statements.append(statement.split(None, 1)[0].upper())

    with app_client.websocket_connect(f"/s/{d.slug}/live?after=0") as first:
        while first.receive_json()["type"] != "ready":
            pass
        event.listen(engine, "before_cursor_execute", seen)
        try:
            with app_client.websocket_connect(f"/s/{d.slug}/live?after=1") as again:
                assert again.receive_json()["type"] == "hello"
                assert again.receive_json() == {"type": "ready", "seq": 1}
        finally:
            event.remove(engine, "before_cursor_execute", seen)
    assert not {"INSERT", "UPDATE", "DELETE"} & set(statements), statements
    # The session by its address and this browser's participant: one transaction.
    assert statements.count("SELECT") <= 2, statements
