"""Live threads against the real server (uvicorn on a free port) with the
websockets client, on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from starlette.testclient import TestClient
from starlette.websockets import WebSocketDisconnect
from websockets.asyncio.client import ClientConnection, connect

from server import db
from tests.conftest import ServerProcess
from tests.factories import make_session


class Resident:
    """A browser's worth of state: the session cookie and one websocket."""

    def __init__(self, server: Any) -> None:
        self.server = server
        self.slug = server.slug
        self.http = httpx.Client(base_url=server.url)
        info = self.http.get(f"/api/s/{self.slug}").json()
        self.pseudonym = info["me"]["pseudonym"]
        self.question_id = info["session"]["questions"][0]["id"]
        self.ws: ClientConnection | None = None
        self.last_seq = 0
        self.events: list[dict[str, Any]] = []
        self.replies: list[dict[str, Any]] = []

    async def open(self, after: int | None = None) -> None:
        cookie = "; ".join(f"{k}={v}" for k, v in self.http.cookies.items())
        after = self.last_seq if after is None else after
        self.ws = await connect(f"{self.server.ws_url}/s/{self.slug}/live?after={after}",
                                additional_headers={"Cookie": cookie})
        while (await self._next())["type"] != "ready":
            pass

    async def _next(self) -> dict[str, Any]:
        assert self.ws is not None
        msg = json.loads(await asyncio.wait_for(self.ws.recv(), 20))
        if msg["type"] == "event":
            assert msg["seq"] > self.last_seq, "an event came twice or out of order"
            self.last_seq = msg["seq"]
            self.events.append(msg)
        elif msg["type"] in ("ack", "error"):
            self.replies.append(msg)
        return msg  # type: ignore[no-any-return]

    async def send(self, **payload: Any) -> dict[str, Any]:
        assert self.ws is not None
        await self.ws.send(json.dumps(payload))
        while True:
            msg = await self._next()
            if msg["type"] in ("ack", "error"):
                return msg

    async def post(self, body: str, parent_id: int | None = None) -> dict[str, Any]:
        return await self.send(type="post", request_id=body[:20], question_id=self.question_id,
                               parent_id=parent_id, body=body)

    async def wait_for_posts(self, bodies: set[str]) -> None:
        while not bodies <= self.bodies():
            await self._next()

    def bodies(self) -> set[str]:
        return {e["data"]["post"]["body_html"] for e in self.events if e["kind"] == "post_published"}

    async def close(self) -> None:
        if self.ws is not None:
            await self.ws.close()
        self.http.close()


@pytest.fixture(scope="module", params=["sqlite", "postgres"])
def module_server(request: pytest.FixtureRequest,
                  tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    """One real server per database for this module (starting one takes seconds)."""
    url = str(request.getfixturevalue(f"{request.param}_url"))
    server = ServerProcess(tmp_path_factory.mktemp("live"), url).start()
    server.database_url = url  # type: ignore[attr-defined]
    yield server
    server.stop()


@pytest.fixture
def live_server(module_server: ServerProcess) -> ServerProcess:
    """The module's server, and a session of this test's own (``.slug``)."""
    engine = db.make_engine(module_server.database_url)  # type: ignore[attr-defined]
    with db.session(engine) as s:
        module_server.slug = make_session(s).slug  # type: ignore[attr-defined]
    engine.dispose()
    return module_server


def test_a_post_reaches_the_other_resident_live(live_server: Any) -> None:
    async def scenario() -> None:
        alice, bob = Resident(live_server), Resident(live_server)
        await alice.open()
        await bob.open()
        ack = await alice.post("Kotihoitoon enemmän aikaa jokaiselle käynnille.")
        assert ack["status"] == "published"
        await bob.wait_for_posts({"Kotihoitoon enemmän aikaa jokaiselle käynnille."})
        event = next(e for e in bob.events if e["kind"] == "post_published")
        assert event["data"]["post"]["author"] == alice.pseudonym

        support = await bob.send(type="support", request_id="s1", post_id=ack["post"]["id"])
        assert support["support_count"] == 1
        while not any(e["kind"] == "post_support" for e in alice.events):
            await alice._next()
        await alice.close()
        await bob.close()

    asyncio.run(scenario())


def test_a_dropped_client_resumes_with_nothing_lost_or_repeated(live_server: Any) -> None:
    async def scenario() -> None:
        writer, reader = Resident(live_server), Resident(live_server)
        await writer.open()
        await reader.open()
        await writer.post("Ensimmäinen idea ennen katkosta")
        await reader.wait_for_posts({"Ensimmäinen idea ennen katkosta"})
        assert reader.ws is not None
        await reader.ws.close()  # the phone goes into a tunnel

        missed = {"Omaishoitajille enemmän vapaapäiviä", "Kotikäynnit myös viikonloppuisin",
                  "Ruoka-annokset voisi tuoda lämpimänä"}
        for body in sorted(missed):
            await writer.post(body)
        await reader.open()  # resumes from reader.last_seq
        await reader.wait_for_posts(missed)
        await writer.post("Idea yhteyden palattua")
        await reader.wait_for_posts({"Idea yhteyden palattua"})

        seqs = [e["seq"] for e in reader.events]
        assert seqs == list(range(seqs[0], seqs[0] + len(seqs)))  # no gaps, no repeats
        published = [e["data"]["post"]["body_html"] for e in reader.events
                     if e["kind"] == "post_published"]
        assert len(published) == len(set(published)) == 5
        await writer.close()
        await reader.close()

    asyncio.run(scenario())


def test_a_fresh_page_gets_the_whole_history_once(live_server: Any) -> None:
    async def scenario() -> None:
        writer = Resident(live_server)
        await writer.open()
        first = await writer.post("Päiväkeskukseen lisää toimintaa")
        await writer.post("Samaa mieltä, erityisesti iltaisin", parent_id=first["post"]["id"])
        late = Resident(live_server)
        await late.open(after=0)
        assert late.bodies() == {"Päiväkeskukseen lisää toimintaa",
                                 "Samaa mieltä, erityisesti iltaisin"}
        reply = next(e for e in late.events if e["data"]["post"]["parent_id"])
        assert reply["data"]["post"]["parent_id"] == first["post"]["id"]
        await writer.close()
        await late.close()

    asyncio.run(scenario())


@pytest.mark.parametrize("raw", ["not json", "[]", '{"type": "post"}',
                                 '{"type": "post", "question_id": 1, "body": ""}',
                                 '{"type": "support", "post_id": "x"}', '{"type": "dance"}',
                                 b'{"type": "ping"}'])  # a binary frame
def test_bad_messages_get_errors_and_the_connection_stays(live_server: Any,
                                                          raw: str | bytes) -> None:
    async def scenario() -> None:
        r = Resident(live_server)
        await r.open()
        assert r.ws is not None
        await r.ws.send(raw)
        while not r.replies:
            await r._next()
        assert r.replies[0]["type"] == "error" and r.replies[0]["message"]
        ack = await r.post("Yhteys toimii yhä")
        assert ack["status"] == "published"
        await r.close()

    asyncio.run(scenario())


def test_a_reader_without_a_pseudonym_cannot_post(live_server: Any) -> None:
    async def scenario() -> None:
        async with connect(f"{live_server.ws_url}/s/{live_server.slug}/live?after=0") as ws:
            while json.loads(await ws.recv())["type"] != "ready":
                pass
            await ws.send(json.dumps({"type": "post", "request_id": "x", "question_id": 1,
                                      "body": "Hei"}))
            reply = json.loads(await asyncio.wait_for(ws.recv(), 20))
            assert reply["type"] == "error" and reply["code"] == "not_joined"

    asyncio.run(scenario())


def test_rapid_repeated_supports_keep_an_honest_count(live_server: Any) -> None:
    """A double-clicking resident (many toggles of one post at once) never gets a
    server error, and the count everyone sees ends as 0 or 1, matching the state."""
    from concurrent.futures import ThreadPoolExecutor

    async def make_post() -> int:
        author = Resident(live_server)
        await author.open()
        ack = await author.post("Kannatettava idea: iltakäynnit myös viikonloppuisin")
        await author.close()
        return int(ack["post"]["id"])

    post_id = asyncio.run(make_post())
    fan = Resident(live_server)
    token = fan.http.get(f"/api/s/{fan.slug}").json()["csrf_token"]

    def toggle(_: int) -> httpx.Response:
        return fan.http.post(f"/api/s/{fan.slug}/posts/{post_id}/support",
                             headers={"X-CSRF-Token": token})

    with ThreadPoolExecutor(8) as pool:
        responses = list(pool.map(toggle, range(40)))
    assert [r.status_code for r in responses] == [200] * 40
    threads = fan.http.get(f"/api/s/{fan.slug}/posts").json()["questions"][0]["threads"]
    count = threads[0]["post"]["support_count"]
    final = toggle(0).json()  # one more toggle tells the state it was in
    assert count in (0, 1)
    assert final["support_count"] == 1 - count and final["supported"] == (count == 0)
    fan.http.close()


def test_a_socket_to_no_such_session_is_refused_with_4404(app_client: TestClient) -> None:
    with pytest.raises(WebSocketDisconnect) as refused:  # noqa: SIM117
        with app_client.websocket_connect("/s/ei-tallaista-istuntoa/live?after=0"):
            pass
    assert refused.value.code == 4404  # session_not_found: 4000 + its HTTP 404
