"""A bounded, deterministic fuzz over every HTTP route of the app with the
malformed inputs attackers used (non-ASCII digits, huge numbers, NUL, lone
surrogates, invalid UTF-8, deep or huge JSON), as a visitor, a resident and an
admin with valid CSRF tokens: no answer may be a 5xx."""

from __future__ import annotations

import random
import re
from typing import Any

from starlette.routing import Mount, Route
from starlette.testclient import TestClient

from server.app import create_app
from server.settings import Settings
from tests.server.conftest import csrf_of, login

SEED = 20261130
REQUESTS = 500

PATH_VALUES = ["²", "١٢", "９", "9" * 5000, "-1", "0", "%00", "%ED%A0%80", "%FF", "x" * 300,
               "..%2F..%2Fetc", "1.5", "+1", "3000000000"]
QUERY = ["after=²", "after=" + "9" * 5000, "after=-1", "after=%00", "session=١", "session=" +
         "9" * 50, "next=//evil.example", "lang=%00", "after=1&after=²", "q=%ED%A0%80"]
FORM_BODIES = [
    b"body=a%00b&question_id=%C2%B2&parent_id=%D9%A1",
    b"body=%ED%A0%80&question_id=1",
    b"question_id=" + b"9" * 5000 + b"&body=x",
    b"reason=%FF%FE&post_id=%C2%B2&post_id=1",
    b"title=T%00&slug=s&questions=%00&opens_at=%C2%B2.1.2026",
    b"username=%00&password=%ED%A0%80&role=admin",
    b"%FF%FE%FD",
    b"a=" + b"b" * 100_000,
]
JSON_BODIES = [
    b"[" * 5000 + b"]" * 5000,
    b'{"question_id": ' + b"9" * 5000 + b', "body": "x"}',
    b'{"body": "\\ud800", "question_id": 1}',
    b'{"reason": "\\udfff"}',
    b'{"question_id": "\xc2\xb2", "parent_id": "\xd9\xa1", "body": "x"}',
    b"\xff\xfe",
    b"NaN",
    b'{"altcha": "' + b"A" * 10_000 + b'"}',
    b'{"altcha": {"challenge": 1}}',
    b"1e99999",
]


def _routes(app: Any) -> list[tuple[str, str]]:
    found = []
    for route in app.routes:
        if isinstance(route, Mount) or not isinstance(route, Route):
            continue
        for method in sorted(route.methods or {"GET"}):
            if method != "HEAD":
                found.append((route.path, method))
    return found


def _fill(path: str, rng: random.Random, real: dict[str, str]) -> str:
    def value(match: re.Match[str]) -> str:
        name = match.group(1).split(":")[0]
        if rng.random() < 0.3 and name in real:
            return real[name]
        return rng.choice(PATH_VALUES)
    return re.sub(r"\{([^}]+)\}", value, path)


def test_no_route_answers_malformed_input_with_a_5xx(settings: Settings, make_deliberation,
                                                     make_staff) -> None:  # type: ignore[no-untyped-def]
    rng = random.Random(SEED)
    app = create_app(settings)
    d = make_deliberation()
    with TestClient(app, raise_server_exceptions=False) as visitor, \
            TestClient(app, raise_server_exceptions=False) as resident, \
            TestClient(app, raise_server_exceptions=False) as admin:
        info = resident.get(f"/api/s/{d.slug}").json()
        post = resident.post(f"/api/s/{d.slug}/posts", headers={"X-CSRF-Token": info["csrf_token"]},
                             json={"question_id": info["session"]["questions"][0]["id"],
                                   "body": "Kotihoitoon lisää aikaa."}).json()["post"]
        login(admin, make_staff("admin"))
        tokens = {id(resident): info["csrf_token"], id(admin): csrf_of(admin.get("/staff").text),
                  id(visitor): "no-token"}
        real = {"slug": d.slug, "post_id": str(post["id"]), "id": str(d.id), "fmt": "csv",
                "participant_id": "1", "action": "approve", "row_id": "1", "staff_id": "999"}
        routes = _routes(app)
        failures = []
        for _ in range(REQUESTS):
            path_tpl, method = rng.choice(routes)
            who = rng.choice([visitor, resident, admin])
            path = _fill(path_tpl, rng, real)
            if rng.random() < 0.5:
                path += "?" + rng.choice(QUERY)
            headers = {"X-CSRF-Token": tokens[id(who)]}
            if method == "GET":
                r = who.get(path, headers=headers, follow_redirects=False)
            elif rng.random() < 0.5:
                body = rng.choice(FORM_BODIES).replace(b"&", b"&csrf=" + tokens[id(who)].encode() + b"&", 1)
                r = who.post(path, content=body, follow_redirects=False, headers={
                    **headers, "content-type": "application/x-www-form-urlencoded"})
            else:
                r = who.post(path, content=rng.choice(JSON_BODIES), follow_redirects=False,
                             headers={**headers, "content-type": "application/json",
                                      "accept": "application/json"})
            if r.status_code >= 500:
                failures.append((method, path[:120], r.status_code, r.text[:200]))
        assert failures == [], failures[:10]


WS_FRAMES = [f.decode("utf-8", "replace") for f in JSON_BODIES] + [
    '{"type": "post", "request_id": "\\ud800", "body": "x"}',
    '{"type": "support", "post_id": "9' + "9" * 5000 + '"}',
    '{"type": "post", "question_id": 1, "parent_id": "١", "body": "x"}',
    '{"type": "ping", "request_id": ' + "[" * 100 + "]" * 100 + "}",
]


def test_the_websocket_answers_malformed_input_without_dropping(
        settings: Settings, make_deliberation) -> None:  # type: ignore[no-untyped-def]
    from starlette.websockets import WebSocketDisconnect

    rng = random.Random(SEED)
    d = make_deliberation()
    with TestClient(create_app(settings), raise_server_exceptions=False) as client:
        client.get(f"/s/{d.slug}")
        for _ in range(8):
            after = rng.choice(["0", *PATH_VALUES])
            try:
                with client.websocket_connect(f"/s/{d.slug}/live?after={after}") as ws:
                    assert ws.receive_json()["type"] == "hello"
                    assert ws.receive_json()["type"] == "ready"
                    for frame in rng.sample(WS_FRAMES, 6):
                        ws.send_text(frame)
                        assert ws.receive_json()["type"] == "error"
                    ws.send_text('{"type": "ping"}')
                    assert ws.receive_json() == {"type": "pong"}
            except WebSocketDisconnect as closed:
                assert closed.code in (1008, 4404, 4409), (after, closed.code)
