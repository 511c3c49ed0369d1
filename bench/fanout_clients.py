"""The receiving side of the fan-out benchmark: one subprocess holding many
websocket clients.

The parent starts a few of these (multiprocessing, spawn) so the load generator
does not share one event loop, or one core, with the whole crowd. Each client
connects to its live URL, waits for ``{"type":"ready"}``, then notes the wall
clock time (``time.time()``, the same clock the poster uses) at which every
marked post arrives. A client that is closed (4001 "resume", 1001 "going
away", a broken connection) reconnects with ``?after=<last seq>`` as the
browser does, so a late delivery counts as late, not lost.

Talks to the parent over a ``multiprocessing`` pipe:
  worker -> parent  ("ready", {"ready": n, "failed": n, "error": str | None})
  parent -> worker  ("finish", {"sends": {marker: t_send}, "drain": seconds})
  worker -> parent  ("results", {...delays per URL index, lost, duplicates...})
"""

from __future__ import annotations

import asyncio
import contextlib
import resource
import time
from collections import Counter
from multiprocessing.connection import Connection
from typing import Any

MARK_PREFIX = "bxfanout"
MARK_LEN = len(MARK_PREFIX) + 2 + 5  # prefix, run id (2 letters), post index (5 letters)
_EVENT_HEAD = '{"type":"event","seq":'
_READY = ('{"type":"ready"', '{"type": "ready"')
_MAX_RECONNECTS = 5
_HANDSHAKES_AT_ONCE = 64


def raise_nofile(wanted: int) -> None:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    target = hard if hard != resource.RLIM_INFINITY else max(wanted, soft)
    if soft < target:
        resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))


class Receiver:
    """One websocket client: what it received and when."""

    def __init__(self, url: str, url_index: int, compression: str | None) -> None:
        self.url = url
        self.url_index = url_index
        self.compression = compression
        self.last_seq = 0
        self.got: dict[str, float] = {}
        self.duplicates = 0
        self.ready = asyncio.Event()
        self.failed: str | None = None
        self.closes: Counter[str] = Counter()
        self.stopping = False
        self.ws: Any = None

    def on_message(self, msg: str, t: float) -> None:
        if msg.startswith(_EVENT_HEAD):
            end = msg.find(",", len(_EVENT_HEAD))
            with contextlib.suppress(ValueError):
                self.last_seq = int(msg[len(_EVENT_HEAD):end])
            if '"post_published"' in msg:
                i = msg.find(MARK_PREFIX)
                if i >= 0:
                    mark = msg[i:i + MARK_LEN]
                    if mark in self.got:
                        self.duplicates += 1
                    else:
                        self.got[mark] = t
        elif not self.ready.is_set() and msg.startswith(_READY):
            self.ready.set()

    async def run(self, gate: asyncio.Semaphore) -> None:
        from websockets.asyncio.client import connect
        from websockets.exceptions import ConnectionClosed

        attempts = 0
        while not self.stopping and attempts <= _MAX_RECONNECTS:
            try:
                async with gate:
                    ws = await connect(
                        f"{self.url}?after={self.last_seq}", compression=self.compression,
                        proxy=None, open_timeout=60, ping_interval=None, close_timeout=2,
                        max_size=2**20)
                self.ws = ws
                try:
                    while True:
                        msg = await ws.recv()
                        self.on_message(msg if isinstance(msg, str) else msg.decode(), time.time())
                except ConnectionClosed:
                    pass
                code = ws.close_code
                self.closes[str(code)] += 1
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                self.closes[type(exc).__name__] += 1
                if not self.ready.is_set():
                    self.failed = f"{type(exc).__name__}: {exc}"
            attempts += 1
            if not self.stopping:
                await asyncio.sleep(0.2)
        if not self.ready.is_set() and self.failed is None:
            self.failed = "closed before ready"

    async def stop(self) -> None:
        self.stopping = True
        if self.ws is not None:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(self.ws.close(), 3)


async def _next_command(conn: Connection, timeout: float) -> tuple[str, Any] | None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if conn.poll():
            return conn.recv()  # type: ignore[no-any-return]
        await asyncio.sleep(0.05)
    return None


async def _wait_ready(receivers: list[Receiver], timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if all(r.ready.is_set() or r.failed for r in receivers):
            return
        await asyncio.sleep(0.1)


async def _drain(receivers: list[Receiver], expected: set[str], seconds: float) -> float:
    started = time.monotonic()
    while time.monotonic() - started < seconds:
        if all(expected <= r.got.keys() for r in receivers):
            break
        await asyncio.sleep(0.2)
    return time.monotonic() - started


def _results(receivers: list[Receiver], sends: dict[str, float], n_urls: int,
             drained_s: float) -> dict[str, Any]:
    delays: list[list[float]] = [[] for _ in range(n_urls)]
    lost = [0] * n_urls
    closes: Counter[str] = Counter()
    for r in receivers:
        closes.update(r.closes)
        out = delays[r.url_index]
        for mark, t_send in sends.items():
            t = r.got.get(mark)
            if t is None:
                lost[r.url_index] += 1
            else:
                out.append((t - t_send) * 1000.0)
    return {"delays": delays, "lost": lost, "duplicates": sum(r.duplicates for r in receivers),
            "closes": dict(closes), "failed": sum(1 for r in receivers if r.failed),
            "drained_s": drained_s}


async def _main(conn: Connection, urls: list[str], assignment: list[int],
                compression: str | None, connect_timeout: float, max_life: float) -> None:
    receivers = [Receiver(urls[i], i, compression) for i in assignment]
    gate = asyncio.Semaphore(_HANDSHAKES_AT_ONCE)
    tasks = [asyncio.create_task(r.run(gate)) for r in receivers]
    try:
        await _wait_ready(receivers, connect_timeout)
        failed = [r for r in receivers if not r.ready.is_set()]
        conn.send(("ready", {"ready": len(receivers) - len(failed), "failed": len(failed),
                             "error": next((r.failed for r in failed if r.failed), None)}))
        cmd = await _next_command(conn, max_life)
        if cmd is None or cmd[0] != "finish":
            return
        sends: dict[str, float] = cmd[1]["sends"]
        drained = await _drain(receivers, set(sends), float(cmd[1]["drain"]))
        conn.send(("results", _results(receivers, sends, len(urls), drained)))
    finally:
        await asyncio.gather(*(r.stop() for r in receivers), return_exceptions=True)
        for t in tasks:
            t.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)


def worker_main(conn: Connection, urls: list[str], assignment: list[int],
                compression: str | None, connect_timeout: float, max_life: float) -> None:
    """Entry point of a client subprocess; ``assignment[i]`` is client i's URL index."""
    import signal

    import uvloop

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides when we stop
    raise_nofile(len(assignment) + 256)
    try:
        uvloop.run(_main(conn, urls, assignment, compression, connect_timeout, max_life))
    except (BrokenPipeError, EOFError):
        pass  # the parent went away
    finally:
        conn.close()
