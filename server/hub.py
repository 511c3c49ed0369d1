"""Per-process fan-out of a session's events to its local websocket clients.

One task per session with local clients listens on the broker. It keeps the
last sequence number it delivered; an event that skips numbers, a broker
"maybe lost" marker, or a periodic check makes it read the missing events
from the database first, so clients see every event exactly once, in order.
Each event is encoded once; every client gets the same text through its own
bounded queue, and a client whose queue is full is closed with RESUME so it
cannot slow the others.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from deliberation.events import EventOut
from server.broker import Broker
from server.metrics import Metrics

log = logging.getLogger("raati.hub")

# Close codes a client acts on (4000-4999 are the application's own).
RESUME = 4001  # you fell behind: reconnect with your last sequence number
GOING_AWAY = 1001


def channel(deliberation_id: int) -> str:
    return f"raati:session:{deliberation_id}"


class Client:
    """One websocket's outgoing side."""

    def __init__(self, send: Callable[[str], Awaitable[None]],
                 close: Callable[[int], Awaitable[None]], audiences: frozenset[str],
                 queue_size: int) -> None:
        self._send = send
        self.close = close
        self.audiences = audiences
        self.queue: asyncio.Queue[tuple[int, str]] = asyncio.Queue(maxsize=queue_size)
        self.sent_seq = 0
        self.overflowed = asyncio.Event()

    def offer(self, seq: int, audience: str, text: str) -> None:
        if audience not in self.audiences or self.overflowed.is_set():
            return
        try:
            self.queue.put_nowait((seq, text))
        except asyncio.QueueFull:
            self.overflowed.set()

    async def send_now(self, seq: int, text: str) -> None:
        """Send directly (the backlog on resume), before the writer starts."""
        await self._send(text)
        self.sent_seq = max(self.sent_seq, seq)

    async def write_forever(self) -> None:
        while True:
            seq, text = await self.queue.get()
            if seq <= self.sent_seq:
                continue  # already sent from the backlog
            await self._send(text)
            self.sent_seq = seq


@dataclass
class _SessionState:
    clients: set[Client] = field(default_factory=set)
    last: int = 0
    ready: asyncio.Event = field(default_factory=asyncio.Event)
    task: asyncio.Task[None] | None = None


class Hub:
    def __init__(
        self,
        broker: Broker,
        load_after: Callable[[int, int], Awaitable[list[EventOut]]],
        load_last_seq: Callable[[int], Awaitable[int]],
        metrics: Metrics,
        check_interval: float | None = None,
    ) -> None:
        self._broker = broker
        self._load_after = load_after
        self._load_last_seq = load_last_seq
        self._metrics = metrics
        self._check_interval = check_interval
        self._sessions: dict[int, _SessionState] = {}

    @property
    def client_count(self) -> int:
        return sum(len(s.clients) for s in self._sessions.values())

    async def join(self, deliberation_id: int, client: Client) -> None:
        """Start receiving a session's live events. Returns once the session's
        listener is subscribed, so a backlog read after this misses nothing."""
        state = self._sessions.get(deliberation_id)
        if state is None:
            state = self._sessions[deliberation_id] = _SessionState()
            state.task = asyncio.create_task(self._run(deliberation_id, state))
        state.clients.add(client)
        self._metrics.clients.inc()
        await state.ready.wait()

    def leave(self, deliberation_id: int, client: Client) -> None:
        state = self._sessions.get(deliberation_id)
        if state is None or client not in state.clients:
            return
        state.clients.discard(client)
        self._metrics.clients.dec()
        if not state.clients and state.task is not None:
            state.task.cancel()
            del self._sessions[deliberation_id]

    async def publish(self, events: list[EventOut]) -> None:
        """Announce committed events to every process (this one included)."""
        for ev in events:
            try:
                await self._broker.publish(channel(ev.deliberation_id), ev.encode())
                self._metrics.events_published.inc()
            except Exception as exc:
                # The event is safe in the database; listeners everywhere find it at
                # their next check. Our own clients need not wait for that.
                log.warning("publish failed (%s); local catch-up from the database", exc)
                state = self._sessions.get(ev.deliberation_id)
                if state is not None:
                    await self._catch_up(ev.deliberation_id, state)

    async def close_all(self, code: int) -> None:
        closing = [c.close(code) for s in self._sessions.values() for c in s.clients]
        with contextlib.suppress(Exception):
            await asyncio.gather(*closing, return_exceptions=True)

    async def stop(self) -> None:
        for state in list(self._sessions.values()):
            if state.task:
                state.task.cancel()
        self._sessions.clear()

    async def _run(self, deliberation_id: int, state: _SessionState) -> None:
        try:
            async with self._broker.subscribe(channel(deliberation_id)) as sub:
                state.last = await self._load_last_seq(deliberation_id)
                state.ready.set()
                while True:
                    try:
                        message = await asyncio.wait_for(sub.get(), self._check_interval)
                    except TimeoutError:
                        message = None  # periodic check: a lost last message shows here
                    if message is None:
                        await self._catch_up(deliberation_id, state)
                        continue
                    await self._on_message(deliberation_id, state, message)
        except asyncio.CancelledError:
            raise
        except Exception:
            log.exception("session %s listener failed", deliberation_id)
            state.ready.set()

    async def _on_message(self, deliberation_id: int, state: _SessionState, message: str) -> None:
        head = json.loads(message)
        seq = int(head["seq"])
        if seq <= state.last:
            return  # a duplicate, or already filled in from the database
        if seq > state.last + 1:
            await self._catch_up(deliberation_id, state)
            if seq <= state.last:
                return
        self._deliver(state, seq, head["audience"], message, float(head.get("ts", 0)))

    async def _catch_up(self, deliberation_id: int, state: _SessionState) -> None:
        try:
            missed = await self._load_after(deliberation_id, state.last)
        except Exception as exc:  # database away: the next message or check tries again
            log.warning("catch-up of session %s failed: %s", deliberation_id, exc)
            return
        for ev in missed:
            if ev.seq > state.last:
                self._metrics.gaps_filled.inc()
                self._deliver(state, ev.seq, ev.audience, ev.encode(), ev.ts)

    def _deliver(self, state: _SessionState, seq: int, audience: str, text: str, ts: float) -> None:
        state.last = seq
        for client in state.clients:
            client.offer(seq, audience, text)
        self._metrics.events_delivered.inc(len(state.clients))
        if ts:
            self._metrics.fanout_delay.observe(max(0.0, time.time() - ts))
