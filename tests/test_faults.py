"""Faults, against real ``raati serve`` processes, PostgreSQL and Redis: a post
made through one process reaches clients of another; a process killed, Redis
restarted or the database away for a moment loses and repeats nothing; SIGTERM
sends clients elsewhere and finishes what is in flight; a client that stops
reading is cut off without holding up the others.

Every test compares what a live client received with the session's events in
the database: the exact list, in order, no gaps, no repeats.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import random
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import psycopg
import pytest
import websockets
from sqlalchemy.engine import Engine

from deliberation.events import PUBLIC, events_after
from moderation.screening import screen
from server import db
from tests.conftest import REDIS_URL, ROOT, OwnRedis, ServerProcess, free_port
from tests.factories import make_session

pytestmark = [pytest.mark.anyio, pytest.mark.postgres]
# Limits high enough for a test that posts quickly as one resident.
FAST = {"RAATI_POSTS_PER_MINUTE": "100000", "RAATI_SESSION_POSTS_PER_MINUTE": "100000"}
WAIT = 30.0  # upper bound for "eventually" (never a timing assertion)

Factory = Callable[..., ServerProcess]


async def until(condition: Callable[[], bool]) -> None:
    """Wait until the condition holds; fail (not hang) if it never does."""
    async def poll() -> None:
        while not condition():
            await asyncio.sleep(0.02)
    await asyncio.wait_for(poll(), WAIT)


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
def pg(postgres_url: str) -> Iterator[Engine]:
    engine = db.make_engine(postgres_url)
    yield engine
    engine.dispose()


@pytest.fixture
def session(pg: Engine) -> tuple[str, int]:
    with db.session(pg) as s:
        d = make_session(s)
    assert d.id is not None
    return d.slug, d.id


def public_seqs(engine: Engine, deliberation_id: int) -> list[int]:
    with db.session(engine) as s:
        return [e.seq for e in events_after(s, deliberation_id=deliberation_id, after=0)
                if e.audience == PUBLIC]


class Resident:
    """Someone who joined the session through one server and posts there."""

    def __init__(self, url: str, slug: str) -> None:
        self.slug = slug
        self.http = httpx.AsyncClient(base_url=url, timeout=15)
        self.csrf = ""
        self.question_id = 0

    async def join(self) -> Resident:
        r = await self.http.get(f"/api/s/{self.slug}")
        assert r.status_code == 200, r.text
        info = r.json()
        self.csrf, self.question_id = info["csrf_token"], info["session"]["questions"][0]["id"]
        return self

    async def post(self, body: str) -> httpx.Response:
        return await self.http.post(
            f"/api/s/{self.slug}/posts", json={"question_id": self.question_id, "body": body},
            headers={"X-CSRF-Token": self.csrf})

    async def close(self) -> None:
        await self.http.aclose()


class LiveReader:
    """A live client like web/static/js/live.js: keeps the last sequence number
    it saw and, whenever its connection ends, reconnects (to the next server in
    its list) with ``?after=last``. Records every event it is sent."""

    def __init__(self, ws_urls: list[str], slug: str) -> None:
        self.urls, self.slug = ws_urls, slug
        self.seqs: list[int] = []
        self.close_codes: list[int | None] = []
        self.connections = 0
        self._turn = 0
        self._task: asyncio.Task[None] | None = None

    @property
    def last(self) -> int:
        return self.seqs[-1] if self.seqs else 0

    async def start(self) -> LiveReader:
        self._task = asyncio.create_task(self._run())
        await until(lambda: self.connections > 0)  # live once the first "ready" came
        return self

    async def _run(self) -> None:
        while True:
            url = f"{self.urls[self._turn % len(self.urls)]}/s/{self.slug}/live?after={self.last}"
            try:
                async with websockets.connect(url, open_timeout=5) as ws:
                    async for raw in ws:
                        msg = json.loads(raw)
                        if msg["type"] == "event":
                            self.seqs.append(msg["seq"])
                        elif msg["type"] == "ready":
                            self.connections += 1
                self.close_codes.append(ws.close_code)
            except websockets.ConnectionClosed as exc:
                self.close_codes.append(exc.rcvd.code if exc.rcvd else None)
            except (OSError, websockets.InvalidHandshake, TimeoutError):
                pass
            self._turn += 1
            await asyncio.sleep(0.05)

    async def wait_for(self, seq: int) -> None:
        await until(lambda: self.last >= seq)

    async def stop(self) -> None:
        if self._task:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task


@pytest.fixture
def own_redis() -> Iterator[OwnRedis]:
    redis = OwnRedis()
    redis.start()
    yield redis
    redis.stop()


class TcpProxy:
    """A TCP forwarder in front of PostgreSQL that can be cut: ``stop()`` refuses
    new connections and breaks the open ones, as a database restart would."""

    def __init__(self, target: tuple[str, int]) -> None:
        self.target = target
        self.port = free_port()
        self._open: set[socket.socket] = set()
        self._lock = threading.Lock()
        self._listener: socket.socket | None = None
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(64)
        listener.settimeout(0.1)
        self._listener = listener
        self._thread = threading.Thread(target=self._accept, args=(listener,), daemon=True)
        self._thread.start()

    def _accept(self, listener: socket.socket) -> None:
        while self._listener is listener:
            try:
                client, _ = listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            client.settimeout(None)
            try:
                upstream = socket.create_connection(self.target)
            except OSError:
                client.close()
                continue
            with self._lock:
                self._open.update((client, upstream))
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pump, args=(a, b), daemon=True).start()

    def _pump(self, src: socket.socket, dst: socket.socket) -> None:
        try:
            while data := src.recv(65536):
                dst.sendall(data)
        except OSError:
            pass
        for s in (src, dst):
            with contextlib.suppress(OSError):
                s.shutdown(socket.SHUT_RDWR)

    def stop(self) -> None:
        listener, self._listener = self._listener, None
        if listener:
            listener.close()
        if self._thread:
            self._thread.join()
        with self._lock:
            for s in self._open:
                with contextlib.suppress(OSError):
                    s.shutdown(socket.SHUT_RDWR)
                s.close()
            self._open.clear()


def _proxied(url: str, port: int) -> str:
    """The PostgreSQL URL with its host and port replaced by the proxy's."""
    from sqlalchemy.engine import make_url

    return make_url(url).set(host="127.0.0.1", port=port).render_as_string(hide_password=False)


def _words() -> list[str]:
    import csv

    with (ROOT / "nlp" / "data" / "sample_feedback.csv").open(encoding="utf-8") as f:
        words = {w.strip(".,!?:;\"()").lower() for row in csv.DictReader(f) for w in row["text"].split()}
    # Only words that pass screening on their own (the sample has some swearing).
    return sorted(w for w in words if w.isalpha() and not screen(w, names=False).findings)


WORDS = _words()
_random = random.Random(29)


def finnish_text(chars: int) -> str:
    """Real Finnish words in a random order: every post differs, so the duplicate
    screening publishes them all."""
    words: list[str] = []
    while sum(len(w) + 1 for w in words) < chars:
        words.append(_random.choice(WORDS))
    return " ".join(words)[:chars].strip().capitalize() + "."


async def _post_many(resident: Resident, count: int) -> None:
    for _ in range(count):
        r = await resident.post(finnish_text(120))
        assert r.status_code == 201, r.text


# --- several processes -----------------------------------------------------------


async def test_client_on_one_process_receives_post_made_through_another(
        server_factory: Factory, postgres_url: str, pg: Engine, session: tuple[str, int]) -> None:
    slug, d_id = session
    a = server_factory(postgres_url, redis_url=REDIS_URL, env=FAST)
    b = server_factory(postgres_url, redis_url=REDIS_URL, env=FAST)
    reader = await LiveReader([a.ws_url], slug).start()
    resident = await Resident(b.url, slug).join()
    r = await resident.post("Kotihoitoon enemmän aikaa asiakkaan luona.")
    assert r.status_code == 201
    expected = public_seqs(pg, d_id)
    await reader.wait_for(expected[-1])
    assert reader.seqs == expected
    await resident.close()
    await reader.stop()


async def test_process_killed_mid_stream_clients_resume_elsewhere(
        server_factory: Factory, postgres_url: str, pg: Engine, session: tuple[str, int]) -> None:
    slug, d_id = session
    a = server_factory(postgres_url, redis_url=REDIS_URL, env=FAST)
    b = server_factory(postgres_url, redis_url=REDIS_URL, env=FAST)
    readers = [await LiveReader([a.ws_url, b.ws_url], slug).start() for _ in range(3)]
    resident = await Resident(b.url, slug).join()
    await _post_many(resident, 15)
    first_round = public_seqs(pg, d_id)[-1]
    await readers[0].wait_for(first_round)
    posting = asyncio.create_task(_post_many(resident, 30))
    await until(lambda: readers[0].last >= first_round + 10)  # mid-stream
    assert a.proc is not None
    a.proc.kill()  # SIGKILL: no goodbye to anyone
    await posting
    await _post_many(resident, 5)
    expected = public_seqs(pg, d_id)
    for reader in readers:
        await reader.wait_for(expected[-1])
        assert reader.seqs == expected  # nothing lost, nothing twice
        assert reader.connections >= 2  # it really moved to the other process
        await reader.stop()
    await resident.close()


async def test_redis_restart_loses_nothing_and_posting_goes_on(
        server_factory: Factory, postgres_url: str, pg: Engine, session: tuple[str, int],
        own_redis: OwnRedis) -> None:
    slug, d_id = session
    a = server_factory(postgres_url, redis_url=own_redis.url, env=FAST)
    b = server_factory(postgres_url, redis_url=own_redis.url, env=FAST)
    reader = await LiveReader([a.ws_url], slug).start()
    resident = await Resident(b.url, slug).join()
    await _post_many(resident, 10)
    own_redis.stop()
    await _post_many(resident, 10)  # events are durable in the database
    await asyncio.to_thread(own_redis.start)
    await _post_many(resident, 10)
    expected = public_seqs(pg, d_id)
    await reader.wait_for(expected[-1])
    assert reader.seqs == expected
    ready = await resident.http.get(f"{a.url}/readyz")
    assert ready.status_code in (200, 503)  # answers; Redis may still be reconnecting
    await resident.close()
    await reader.stop()


# --- the database away -----------------------------------------------------------


async def test_database_away_gives_quick_503_and_everything_works_after(
        server_factory: Factory, postgres_url: str, pg: Engine, session: tuple[str, int]) -> None:
    slug, d_id = session
    proxy = TcpProxy(("127.0.0.1", 5432))
    proxy.start()
    try:
        server = server_factory(_proxied(postgres_url, proxy.port), env=FAST)
        resident = await Resident(server.url, slug).join()
        reader = await LiveReader([server.ws_url], slug).start()
        assert (await resident.post("Ennen katkosta.")).status_code == 201

        proxy.stop()
        # The client's own timeout (15 s) is far above the server's: a hang fails here.
        r = await resident.post("Katkoksen aikana.")
        assert r.status_code == 503
        assert r.json()["error"]["code"] == "database_unavailable"
        info = await resident.http.get(f"/api/s/{slug}")
        assert info.status_code == 503 and info.json()["error"]["code"] == "database_unavailable"
        ready = await resident.http.get("/readyz")
        assert ready.status_code == 503 and ready.json()["checks"]["database"] == "unavailable"
        assert (await resident.http.get("/healthz")).status_code == 200
        # A new live connection is turned away with "try again later", never left hanging.
        with pytest.raises(websockets.InvalidStatus) as refused:
            async with websockets.connect(f"{server.ws_url}/s/{slug}/live", open_timeout=15):
                pass
        assert refused.value.response.status_code == 503

        proxy.start()
        for _ in range(50):  # the first request may still meet a broken pooled connection
            r = await resident.post("Katkoksen jälkeen.")
            if r.status_code != 503:
                break
        assert r.status_code == 201, r.text
        assert (await resident.http.get("/readyz")).status_code == 200
        expected = public_seqs(pg, d_id)
        await reader.wait_for(expected[-1])
        assert reader.seqs == expected
        await reader.stop()
        await resident.close()
    finally:
        proxy.stop()


# --- stopping --------------------------------------------------------------------


def _waiting_on_lock(admin: psycopg.Connection[Any], database: str) -> bool:
    row = admin.execute(
        "SELECT count(*) FROM pg_stat_activity WHERE datname = %s AND wait_event_type = 'Lock'",
        (database,)).fetchone()
    return bool(row and row[0])


async def test_sigterm_sends_clients_away_finishes_requests_and_exits_0(
        server_factory: Factory, postgres_url: str, pg: Engine, session: tuple[str, int]) -> None:
    slug, d_id = session
    server = server_factory(postgres_url, redis_url=REDIS_URL, env=FAST)
    reader = await LiveReader([server.ws_url], slug).start()
    resident = await Resident(server.url, slug).join()
    database = postgres_url.rsplit("/", 1)[1]
    with psycopg.connect(postgres_url) as locker, \
            psycopg.connect(postgres_url, autocommit=True) as admin:
        # Hold the session row: a post in flight waits for it in the server.
        locker.execute("SELECT id FROM deliberation WHERE id = %s FOR UPDATE", (d_id,))
        in_flight = asyncio.create_task(resident.post("Lähetetty juuri ennen sammutusta."))
        await until(lambda: _waiting_on_lock(admin, database))
        assert server.proc is not None
        server.proc.send_signal(signal.SIGTERM)
        await until(lambda: bool(reader.close_codes))
        assert reader.close_codes[0] == 1001  # going away: reconnect elsewhere
        while True:  # no new connections are accepted
            try:
                await resident.http.get("/healthz", timeout=2)
            except httpx.TransportError:
                break
            await asyncio.sleep(0.05)
        locker.rollback()  # the request in flight can finish now
        r = await in_flight
    assert r.status_code == 201, r.text
    assert await asyncio.to_thread(server.proc.wait, WAIT) == 0
    assert public_seqs(pg, d_id)  # the post made it
    await reader.stop()
    await resident.close()


# --- a client that reads nothing -------------------------------------------------


def _stalled_websocket(port: int, slug: str) -> socket.socket:
    """Completes the websocket handshake, then never reads again. A small receive
    buffer makes the kernel stop accepting data early."""
    sock = socket.socket()
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    sock.connect(("127.0.0.1", port))
    sock.sendall((f"GET /s/{slug}/live HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
                  "Upgrade: websocket\r\nConnection: Upgrade\r\n"
                  "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                  "Sec-WebSocket-Version: 13\r\n\r\n").encode())
    head = b""
    while b"\r\n\r\n" not in head:
        head += sock.recv(1)
    assert head.startswith(b"HTTP/1.1 101"), head
    return sock


def _metric(text: str, name: str) -> float:
    for line in text.splitlines():
        if line.startswith(name + " "):
            return float(line.split()[1])
    raise AssertionError(f"{name} not in /metrics")


async def test_stalled_reader_is_cut_off_and_others_get_every_event(
        server_factory: Factory, postgres_url: str, pg: Engine, session: tuple[str, int]) -> None:
    slug, d_id = session
    server = server_factory(postgres_url, env=FAST)
    stalled = _stalled_websocket(server.port, slug)
    readers = [await LiveReader([server.ws_url], slug).start() for _ in range(2)]
    resident = await Resident(server.url, slug).join()
    posted = 0
    while _metric((await resident.http.get(
            "/metrics", headers={"authorization": "Bearer test-metrics-token"})).text, "raati_slow_clients_closed_total") < 1:
        for _ in range(20):
            r = await resident.post(finnish_text(1900))  # big events fill buffers sooner
            assert r.status_code == 201, r.text
        posted += 20
        assert posted < 3000, "the stalled client was never cut off"
    await _post_many(resident, 5)
    expected = public_seqs(pg, d_id)
    for reader in readers:
        await reader.wait_for(expected[-1])
        assert reader.seqs == expected  # the stalled one never held them up
        assert reader.connections == 1  # and they were never cut off themselves
        await reader.stop()
    # What the stalled client finally reads ends with the server closing on it,
    # long before the stream's end.
    stalled.settimeout(WAIT)
    received = b""
    with contextlib.suppress(ConnectionResetError):
        while chunk := stalled.recv(65536):
            received += chunk
    stalled.close()
    assert received.count(b'"type":"event"') < len(expected)
    await resident.close()


# --- raati serve --workers N -----------------------------------------------------


def _children(pid: int) -> list[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(p) for p in path.read_text().split()] if path.exists() else []


async def test_workers_share_the_port_and_events_cross_between_them(
        tmp_path: Path, postgres_url: str, pg: Engine, session: tuple[str, int]) -> None:
    slug, d_id = session
    port = free_port()
    env = ServerProcess(tmp_path, postgres_url, redis_url=REDIS_URL, env=FAST).env
    log = (tmp_path / "workers.log").open("wb")
    command = [sys.executable, "-m", "server.cli", "serve", "--workers", "2", "--port", str(port)]
    proc = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log,
                            stderr=subprocess.STDOUT)
    try:
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while len(_children(proc.pid)) < 2 or not _answers(url):
            assert proc.poll() is None and time.monotonic() < deadline, \
                (tmp_path / "workers.log").read_text()[-2000:]
            await asyncio.sleep(0.1)
        while not all(_answers(url) for _ in range(10)):  # both workers up
            await asyncio.sleep(0.1)
        readers = [await LiveReader([f"ws://127.0.0.1:{port}"], slug).start() for _ in range(8)]
        residents = [await Resident(url, slug).join() for _ in range(4)]
        for _i, resident in enumerate(residents):
            await _post_many(resident, 3)
        expected = public_seqs(pg, d_id)
        for reader in readers:
            await reader.wait_for(expected[-1])
            assert reader.seqs == expected
        served_by = {_owner_of(reader_port, port) for reader_port in _client_ports(port)}
        assert len(served_by - {None}) == 2, "the kernel should spread 8 clients over 2 workers"
        for reader in readers:
            await reader.stop()
        for resident in residents:
            await resident.close()
        proc.send_signal(signal.SIGTERM)
        assert await asyncio.to_thread(proc.wait, WAIT) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        log.close()


def _answers(url: str) -> bool:
    try:
        return httpx.get(f"{url}/healthz", timeout=2).status_code == 200
    except httpx.TransportError:
        return False


def _tcp_table() -> list[tuple[int, int, int]]:
    """(local port, remote port, inode) of every IPv4 TCP socket."""
    rows = []
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        f = line.split()
        rows.append((int(f[1].split(":")[1], 16), int(f[2].split(":")[1], 16), int(f[9])))
    return rows


def _client_ports(server_port: int) -> list[int]:
    """Local ports of this test's open connections to the server (state ESTABLISHED)."""
    return [local for local, remote, inode in _tcp_table() if remote == server_port and inode]


def _owner_of(client_port: int, server_port: int) -> int | None:
    """Which process holds the server side of the connection from client_port."""
    inodes = {inode for local, remote, inode in _tcp_table()
              if local == server_port and remote == client_port}
    for fd_dir in Path("/proc").glob("[0-9]*/fd"):
        with contextlib.suppress(OSError):
            for fd in fd_dir.iterdir():
                link = str(fd.readlink())
                if link.startswith("socket:[") and int(link[8:-1]) in inodes:
                    return int(fd_dir.parent.name)
    return None
