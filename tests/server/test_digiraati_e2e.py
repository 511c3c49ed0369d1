"""A small digiraati end to end over the real server (uvicorn on a free port,
PostgreSQL and Redis), driven as its people would with forms and a live
websocket: 12 volunteers -> 6 panellists and one expert through orientation,
the hearing and deliberation; then drafting, an accepted amendment, voting,
publication and the county's response."""

from __future__ import annotations

import asyncio
import csv
import io
import json
import re
import secrets
import threading
from typing import Any

import httpx
from websockets.asyncio.client import ClientConnection, connect

from deliberation.staff import do_create_staff
from server import db
from server.auth import hash_password
from tests.conftest import REDIS_URL
from tests.deliberation.digiraati.factories import QUOTAS, VOLUNTEERS_CSV

PASSWORD = "oikein-pitkä-salasana"
OPEN: list[Browser] = []


class Browser:
    """One browser: its cookies (the signed session) and, when opened, a websocket."""

    def __init__(self, server: Any) -> None:
        self.server = server
        self.http = httpx.Client(base_url=server.url, timeout=30, follow_redirects=True)
        OPEN.append(self)
        self.ws: ClientConnection | None = None
        self.events: list[dict[str, Any]] = []

    def csrf(self, path: str = "/") -> str:
        match = re.search(r'name="csrf" value="([^"]+)"', self.http.get(path).text)
        assert match, f"no CSRF token on {path}"
        return match.group(1)

    def post(self, path: str, data: dict[str, Any] | None = None, *, page: str = "/",
             json_reply: bool = False, expect: int | None = None) -> httpx.Response:
        headers = {"Accept": "application/json"} if json_reply else {}
        r = self.http.post(path, data={**(data or {}), "csrf": self.csrf(page)}, headers=headers)
        if expect is not None:
            assert r.status_code == expect, (path, r.status_code, r.text[:800])
        return r

    def login(self, username: str, next_url: str = "/staff") -> None:
        r = self.post("/staff/login", {"username": username, "password": PASSWORD,
                                       "next": next_url}, page="/staff/login")
        assert r.status_code in (200, 303), r.text[:300]

    async def listen(self, slug: str) -> None:
        cookie = "; ".join(f"{k}={v}" for k, v in self.http.cookies.items())
        self.ws = await connect(f"{self.server.ws_url}/s/{slug}/live?after=0",
                                additional_headers={"Cookie": cookie})
        while (await self._next())["type"] != "ready":
            pass

    async def _next(self) -> dict[str, Any]:
        assert self.ws is not None
        msg: dict[str, Any] = json.loads(await asyncio.wait_for(self.ws.recv(), 20))
        if msg["type"] == "event":
            self.events.append(msg)
        return msg

    async def wait_for(self, kind: str, **match: Any) -> dict[str, Any]:
        def found() -> dict[str, Any] | None:
            for e in self.events:
                if e["kind"] == kind and all(e["data"].get(k) == v for k, v in match.items()):
                    return e
            return None
        while (hit := found()) is None:
            await self._next()
        return hit

    async def listen_staff(self) -> None:
        """The moderators' live socket: every session's staff and public events."""
        cookie = "; ".join(f"{k}={v}" for k, v in self.http.cookies.items())
        self.ws = await connect(f"{self.server.ws_url}/staff/moderation/live",
                                additional_headers={"Cookie": cookie})
        while (await self._next())["type"] != "ready":
            pass

    async def wait_for_staff(self, kind: str) -> dict[str, Any]:
        while True:
            msg = await self._next()
            if msg["type"] == "event" and msg["event"]["kind"] == kind:
                return dict(msg["event"])

    async def close(self) -> None:
        if self.ws is not None:
            await self.ws.close()
        self.http.close()


def _staff(url: str, role: str) -> str:
    engine = db.make_engine(url)
    name = f"{role}-{secrets.token_hex(3)}"
    with db.session(engine) as s:
        do_create_staff(s, username=name, password_hash=hash_password(PASSWORD), role=role)
        s.commit()
    engine.dispose()
    return name


def test_a_small_digiraati_from_volunteers_to_the_countys_response(
        postgres_url: str, server_factory: Any) -> None:
    facilitator_name, expert_name = _staff(postgres_url, "facilitator"), _staff(postgres_url, "expert")
    moderator_name = _staff(postgres_url, "moderator")
    server = server_factory(postgres_url, redis_url=REDIS_URL)

    async def run() -> None:
        try:
            await _run(server, facilitator_name, expert_name, moderator_name)
        finally:
            for browser in OPEN:
                await browser.close()
            OPEN.clear()

    # Its own thread and event loop: a browser test earlier in the run may have
    # left Playwright's loop running in this thread.
    errors: list[BaseException] = []

    def in_thread() -> None:
        try:
            asyncio.run(run())
        except BaseException as exc:
            errors.append(exc)

    worker = threading.Thread(target=in_thread)
    worker.start()
    worker.join()
    if errors:
        raise errors[0]


async def _run(server: Any, facilitator_name: str, expert_name: str,
               moderator_name: str) -> None:
    f = Browser(server)
    f.login(facilitator_name)
    slug = f"raati-{secrets.token_hex(3)}"
    r = f.post("/staff/digiraati/new", {
        "title": "Digiraati: kotihoidon tulevaisuus", "slug": slug, "introduction": "Tervetuloa.",
        "background": "# Taustaa\n\n- yksi", "questions": "Mitä muuttaisit?", "panel_size": "6",
        "public_read": "1", "moderation_mode": "post"}, page="/staff/digiraati/new")
    assert r.status_code == 200 and "/staff/digiraati/" in str(r.url), r.text[:500]
    manage = str(r.url).replace(server.url, "")
    panel = f"{manage}/panel"

    # A CSV with an unknown value is refused with words that name it.
    bad = VOLUNTEERS_CSV.replace("Reuna", "Kaukana", 1)
    r = f.post(f"{panel}/pool", {"volunteers_text": bad, "quotas": QUOTAS}, page=panel)
    assert "Kaukana" in r.text and "kunta" in r.text
    f.post(f"{panel}/pool", {"volunteers_text": VOLUNTEERS_CSV, "quotas": QUOTAS}, page=panel)
    r = f.post(f"{panel}/draw", {"seed": "4242"}, page=panel)
    assert r.status_code == 200 and "4242" in r.text  # drawing in the background…
    while f.http.get(f"{panel}/draw/status").json()["running"]:  # …as the page's script asks
        await asyncio.sleep(0.2)
    r = f.http.get(panel)
    assert "4242" in r.text and "maximin" in r.text
    r = f.post(f"{manage}/experts", {"username": expert_name, "display_name": "Dr. Koti"},
               page=manage)
    assert "Dr. Koti" in r.text
    r = f.post(f"{manage}/invitations", {}, page=panel)
    assert r.headers["content-type"].startswith("text/csv")
    links = [row["link"] for row in csv.DictReader(io.StringIO(r.text.lstrip("\ufeff")))]
    assert len(links) == 6 and all(link.startswith(f"{server.url}/d/{slug}/invite/") for link in links)

    people = [Browser(server) for _ in range(6)]
    for person, link in zip(people, links, strict=True):
        path = link.replace(server.url, "")
        person.post(path, {}, page=path, expect=200)
    # A used link is kindly refused for anyone else.
    stranger = Browser(server)
    used = links[0].replace(server.url, "")
    r = stranger.http.get(used)
    assert r.status_code == 409 and "Joku muu on jo käyttänyt" in r.text
    a, b, c, d_, e, g = people
    a.post(f"/d/{slug}/name", {"name": "Aino"}, page=f"/d/{slug}", expect=200)

    watcher = people[5]
    await watcher.listen(slug)

    # Orientation: panellists introduce themselves; the public cannot post.
    f.post(f"{manage}/phases/orientation/open", page=manage)
    await watcher.wait_for("phase_open", phase="orientation")
    page = a.http.get(f"/d/{slug}").text
    intro_id = re.search(r'name="question_id" value="(\d+)"', page)
    assert intro_id
    a.post(f"/d/{slug}/posts", {"question_id": intro_id.group(1), "body": "Hei, olen Aino."},
           page=f"/d/{slug}", expect=200)
    published = await watcher.wait_for("post_published")
    assert published["data"]["post"]["author"] == "Aino"
    r = stranger.post(f"/d/{slug}/posts", {"question_id": intro_id.group(1), "body": "Hei"},
                      page=f"/d/{slug}", json_reply=True)
    assert r.status_code == 403 and r.json()["error"]["code"] == "not_panellist"

    # The hearing: questions, supports re-order them live, the expert answers.
    f.post(f"{manage}/phases/hearing/open", page=manage)
    await watcher.wait_for("phase_open", phase="hearing")
    q1 = b.post(f"/d/{slug}/hearing/questions", {"body": "Riittävätkö hoitajat?"},
                page=f"/d/{slug}/hearing", json_reply=True, expect=200).json()["post"]["id"]
    q2 = c.post(f"/d/{slug}/hearing/questions", {"body": "Mitä etähoiva maksaa?"},
                page=f"/d/{slug}/hearing", json_reply=True, expect=200).json()["post"]["id"]
    for fan in (d_, e):
        fan.post(f"/d/{slug}/hearing/questions/{q2}/support", page=f"/d/{slug}/hearing",
                 json_reply=True, expect=200)
    await watcher.wait_for("post_support", post_id=q2, support_count=2)
    hearing = g.http.get(f"/d/{slug}/hearing").text
    assert hearing.index("Mitä etähoiva maksaa?") < hearing.index("Riittävätkö hoitajat?")
    r = d_.post(f"/d/{slug}/hearing/questions/{q2}/support", page=f"/d/{slug}/hearing",
                json_reply=True)
    assert r.json()["supported"] is False  # one support per panellist: a second click takes it back
    expert = Browser(server)
    expert.login(expert_name, f"/d/{slug}/hearing")
    expert.post(f"/d/{slug}/hearing/questions/{q2}/answers", {"body": "Ei mitään lisää."},
                page=f"/d/{slug}/hearing", expect=200)
    answer = await watcher.wait_for("hearing_answer")
    assert answer["data"]["answer"]["expert"] == "Dr. Koti"
    f.post(f"/d/{slug}/hearing/questions/{q1}/answered", {"answered": "1"},
           page=f"/d/{slug}/hearing")
    await watcher.wait_for("hearing_answered", post_id=q1)

    # Deliberation: the hearing takes no more questions; the threads do.
    f.post(f"{manage}/phases/deliberation/open", page=manage)
    await watcher.wait_for("phase_open", phase="deliberation")
    r = b.post(f"/d/{slug}/hearing/questions", {"body": "Myöhässä?"},
               page=f"/d/{slug}/hearing", json_reply=True)
    assert r.status_code == 409 and r.json()["error"]["code"] == "phase_not_open"
    page = b.http.get(f"/d/{slug}").text
    sub = re.findall(r'name="question_id" value="(\d+)"', page)
    assert len(sub) == 1  # only the open phase's thread takes messages
    b.post(f"/d/{slug}/posts", {"question_id": sub[0], "body": "Lisää iltakäyntejä."},
           page=f"/d/{slug}", expect=200)

    # Part 2: drafting with an accepted amendment, voting, publication, response.
    statement = f"/d/{slug}/statement"
    f.post(f"{statement}/sections", {"title": "Henkilöstö", "text": "Lisää hoitajia."},
           page=statement, expect=200)
    f.post(f"{manage}/phases/drafting/open", page=manage)
    await watcher.wait_for("phase_open", phase="drafting")
    sid = int(re.search(r'id="section-(\d+)"', f.http.get(statement).text).group(1))  # type: ignore[union-attr]
    c.post(f"{statement}/sections/{sid}/amendments",
           {"text": "Lisää hoitajia ja aikaa.", "reason": "Aika on tärkeintä."},
           page=statement, expect=200)
    amendment = await watcher.wait_for("amendment_proposed")
    aid = amendment["data"]["amendment"]["id"]
    f.post(f"/d/{slug}/statement/amendments/{aid}/decide", {"decision": "accept"},
           page=statement, expect=200)
    saved = await watcher.wait_for("section_saved")
    assert saved["data"]["section"]["text"] == "Lisää hoitajia ja aikaa."
    await _held_amendment(server, statement, sid, author=d_, watcher=watcher,
                          moderator_name=moderator_name)
    f.post(f"{manage}/phases/voting/open", page=manage)
    await watcher.wait_for("phase_open", phase="voting")
    for person, choice in zip(people, ("agree", "agree", "agree", "accept", "disagree", "agree"),
                              strict=True):
        person.post(f"{statement}/sections/{sid}/vote", {"choice": choice}, page=statement,
                    expect=200)
    r = a.http.get(f"{statement}/export.json").json()
    assert r["sections"][0]["votes"] is None  # hidden until voting closes
    f.post(f"{manage}/phases/voting/close", page=manage)
    f.post(f"{statement}/publish", page=statement, expect=200)
    f.post(f"{statement}/sections/{sid}/response",
           {"status": "partly", "reasons": "Lisätään iltavuoroja.", "responded_on": "2027-01-15"},
           page=statement, expect=200)
    data = stranger.http.get(f"{statement}/export.json").json()
    section = data["sections"][0]
    assert section["votes"]["counts"] == {"agree": 4, "accept": 1, "disagree": 1}
    assert section["response"]["status"] == "partly"
    assert data["participation"]["panellists"] == 6 and data["seed"] == 4242
    everything = json.dumps(data) + stranger.http.get(f"{statement}/export.md").text
    assert "@example.fi" not in everything and not re.search(r"Henkilö \d", everything)


async def _held_amendment(server: Any, statement: str, sid: int, *, author: Browser,
                          watcher: Browser, moderator_name: str) -> None:
    """An amendment with a phone number waits in the moderators' live queue, seen
    only by its author, until a moderator publishes it for the panel."""
    moderator = Browser(server)
    moderator.login(moderator_name, "/staff/moderation")
    await moderator.listen_staff()
    r = author.post(f"{statement}/sections/{sid}/amendments",
                    {"text": "Soittakaa minulle 040 123 4567.", "reason": "Nopeampaa."},
                    page=statement, json_reply=True, expect=200)
    assert r.json()["held"] is True and "moderaattori" in r.json()["message"]
    aid = r.json()["amendment_id"]
    held = await moderator.wait_for_staff("statement_text_held")
    assert held["data"] == {"what": "amendment", "id": aid}
    queue = moderator.http.get("/staff/moderation").text
    assert f"/staff/moderation/statement/amendment/{aid}/approve" in queue
    assert "040 123 4567</mark>" in queue
    mine = author.http.get(statement).text
    assert "040 123 4567" in mine and "Odottaa moderaattoria" in mine
    assert "040 123 4567" not in watcher.http.get(statement).text
    assert watcher.http.get(f"{statement}/amendments/{aid}").status_code == 404
    moderator.post(f"/staff/moderation/statement/amendment/{aid}/approve",
                   page="/staff/moderation", expect=200)
    while not any(e["kind"] == "amendment_proposed"
                  and e["data"]["amendment"]["id"] == aid for e in watcher.events):
        await watcher._next()
    assert "040 123 4567" in watcher.http.get(statement).text
    part = watcher.http.get(f"{statement}/amendments/{aid}")
    assert part.status_code == 200 and "040 123 4567" in part.text and "Kannata" in part.text
    assert f"/staff/moderation/statement/amendment/{aid}/" not in (
        moderator.http.get("/staff/moderation").text)
