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
from server.live.broker import Broker, Subscription
from server.metrics import Metrics

log = logging.getLogger("raati.hub")

# Close codes a client acts on (4000-4999 are the application's own).
RESUME = 4001  # you fell behind: reconnect with your last sequence number
GOING_AWAY = 1001  # this process is stopping: reconnect (to another one)
TRY_AGAIN_LATER = 1013  # the database is away: reconnect in a moment


# A session whose listener cannot get going (database away) turns joiners away
# after this long, so they retry rather than hang.
JOIN_TIMEOUT = 5.0
# How soon to retry reading the database after a failed or incomplete catch-up.
RETRY_INTERVAL = 0.5


class HubUnavailable(RuntimeError):
    """The session's live stream cannot start now (the database is away)."""


def channel(deliberation_id: int) -> str:
    """The broker channel of a session (the broker adds its namespace)."""
    return f"session:{deliberation_id}"


# The staff-wide channel: the id of every session created, after its commit, so
# moderators' sockets start following it at once (see server/live/staff.py).
SESSIONS_CHANNEL = "sessions"


class Client:
    """One websocket's outgoing side.

    Live events take the fast path when they can: written at once, in the
    hub's own pass over the session's clients (no task wakes up per client).
    When the socket cannot take more without waiting, or older events still
    wait in the queue, they go to the bounded queue and the writer task sends
    them in order; a full queue marks the client overflowed (told to resume).
    """

    def __init__(self, send: Callable[[str], Awaitable[None]],
                 close: Callable[[int], Awaitable[None]], audiences: frozenset[str],
                 queue_size: int, overflowed: asyncio.Event | None = None) -> None:
        self._send = send
        self.close = close
        self.audiences = audiences
        self.queue: asyncio.Queue[tuple[int, str]] = asyncio.Queue(maxsize=queue_size)
        self.sent_seq = 0
        # Shared by the clients of one socket (a moderator's, one per session).
        self.overflowed = overflowed or asyncio.Event()
        self._send_now: Callable[[bytes], bool] | None = None
        self._writing = False  # the writer holds an event it has not finished sending

    def go_live(self, send_now: Callable[[bytes], bool] | None) -> None:
        """The backlog is sent: from now on events may be written at once."""
        self._send_now = send_now

    def offer(self, seq: int, audience: str, text: str, data: bytes | None = None) -> None:
        if audience not in self.audiences or self.overflowed.is_set() or seq <= self.sent_seq:
            return
        if (self._send_now is not None and data is not None and not self._writing
                and self.queue.empty() and self._send_now(data)):
            self.sent_seq = seq
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
            self._writing = True
            try:
                await self._send(text)
            finally:
                self._writing = False
            self.sent_seq = seq


@dataclass
class _SessionState:
    clients: set[Client] = field(default_factory=set)
    last: int = 0
    ready: asyncio.Event = field(default_factory=asyncio.Event)
    # A catch-up failed or found less than a message promised: retry soon.
    behind: bool = False
    # Set before cancelling: Python 3.11's wait_for can swallow a cancellation
    # that races with its timeout, and the listener must stop all the same.
    stopped: bool = False
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
        # With a broker that can lose messages (Redis), a quiet session is also
        # checked against the database this often: a lost *last* message shows
        # no gap until the next one arrives.
        self._check_interval = check_interval
        self._sessions: dict[int, _SessionState] = {}

    @property
    def client_count(self) -> int:
        return sum(len(s.clients) for s in self._sessions.values())

    async def join(self, deliberation_id: int, client: Client) -> None:
        """Start receiving a session's live events. Returns once the session's
        listener is subscribed and knows the session's last sequence number, so a
        backlog read after this misses nothing. Raises HubUnavailable if that
        cannot happen soon (the database is away)."""
        state = self._sessions.get(deliberation_id)
        if state is None:
            state = self._sessions[deliberation_id] = _SessionState()
            state.task = asyncio.create_task(self._run(deliberation_id, state),
                                             name=f"hub-session-{deliberation_id}")
        state.clients.add(client)
        self._metrics.clients.inc()
        try:
            await asyncio.wait_for(state.ready.wait(), JOIN_TIMEOUT)
        except TimeoutError:
            self.leave(deliberation_id, client)
            raise HubUnavailable(f"session {deliberation_id} live stream unavailable") from None

    def leave(self, deliberation_id: int, client: Client) -> None:
        state = self._sessions.get(deliberation_id)
        if state is None or client not in state.clients:
            return
        state.clients.discard(client)
        self._metrics.clients.dec()
        if not state.clients and state.task is not None:
            state.stopped = True
            state.task.cancel()
            del self._sessions[deliberation_id]

    async def publish(self, events: list[EventOut]) -> None:
        """Announce committed events to every process (this one included)."""
        for ev in events:
            try:
                await self._broker.publish(channel(ev.deliberation_id), ev.encode())
                self._metrics.events_published.inc()
            except Exception as exc:
                # The event is safe in the database; listeners elsewhere find it at
                # their next check. Our own clients need not wait for that.
                log.warning("publish failed (%s); local catch-up from the database", exc)
                state = self._sessions.get(ev.deliberation_id)
                if state is not None and state.ready.is_set():
                    await self._catch_up(ev.deliberation_id, state)

    async def announce_sessions(self, deliberation_ids: list[int]) -> None:
        """Announce committed new sessions on the staff-wide channel."""
        for deliberation_id in deliberation_ids:
            try:
                await self._broker.publish(SESSIONS_CHANNEL, str(deliberation_id))
            except Exception as exc:
                # A broker that lost messages says so when it is back (``None``),
                # and staff sockets then read the session list again.
                log.warning("announcing session %s failed (%s)", deliberation_id, exc)

    def created_sessions(self) -> contextlib.AbstractAsyncContextManager[Subscription]:
        """Hear sessions created from now on: each message is a session id as
        text, or ``None`` when some may have been lost (read the list again)."""
        return self._broker.subscribe(SESSIONS_CHANNEL)

    async def close_all(self, code: int) -> None:
        closing = [c.close(code) for s in self._sessions.values() for c in s.clients]
        with contextlib.suppress(Exception):
            await asyncio.gather(*closing, return_exceptions=True)

    async def stop(self) -> None:
        tasks = [s.task for s in self._sessions.values() if s.task is not None]
        for state in self._sessions.values():
            state.stopped = True
        for task in tasks:
            task.cancel()
        if tasks:
            await asyncio.wait(tasks, timeout=5)
        self._sessions.clear()

    async def _run(self, deliberation_id: int, state: _SessionState) -> None:
        """Listen until cancelled; start over after any failure (the broker or
        the database away), keeping ``state.last`` so nothing is skipped."""
        while not state.stopped:
            try:
                async with self._broker.subscribe(channel(deliberation_id)) as sub:
                    if not state.ready.is_set():
                        state.last = await self._load_last_seq(deliberation_id)
                        state.ready.set()
                    else:
                        await self._catch_up(deliberation_id, state)
                    await self._listen(deliberation_id, state, sub)
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                log.warning("session %s listener failed (%s); restarting", deliberation_id, exc)
                await asyncio.sleep(RETRY_INTERVAL)

    async def _listen(self, deliberation_id: int, state: _SessionState, sub: Subscription) -> None:
        while not state.stopped:
            timeout = RETRY_INTERVAL if state.behind else self._check_interval
            try:
                async with asyncio.timeout(timeout):
                    message = await sub.get()
            except TimeoutError:
                message = None  # periodic check: a lost last message shows here
            if message is None:
                await self._catch_up(deliberation_id, state)
            else:
                await self._on_message(deliberation_id, state, message)

    async def _on_message(self, deliberation_id: int, state: _SessionState, message: str) -> None:
        try:
            head = json.loads(message)
            seq, audience = int(head["seq"]), str(head["audience"])
            ts = float(head.get("ts", 0))
        except (ValueError, KeyError, TypeError):
            log.warning("session %s: ignoring a malformed broker message", deliberation_id)
            return
        if seq <= state.last:
            return  # a duplicate, or already filled in from the database
        if seq > state.last + 1:
            await self._catch_up(deliberation_id, state)
            if seq > state.last:
                # Not in the database (yet): never deliver out of order, nor
                # anything the database does not confirm. Retry soon.
                state.behind = True
            return
        self._deliver(state, seq, audience, message, ts)

    async def _catch_up(self, deliberation_id: int, state: _SessionState) -> None:
        while True:
            try:
                missed = await self._load_after(deliberation_id, state.last)
            except Exception as exc:  # database away: retry soon
                log.warning("catch-up of session %s failed: %s", deliberation_id, exc)
                state.behind = True
                return
            fresh = [ev for ev in missed if ev.seq > state.last]
            if not fresh:
                state.behind = False
                return
            for ev in fresh:
                if ev.seq > state.last:  # another catch-up may have run meanwhile
                    self._metrics.gaps_filled.inc()
                    self._deliver(state, ev.seq, ev.audience, ev.encode(), ev.ts)

    def _deliver(self, state: _SessionState, seq: int, audience: str, text: str, ts: float) -> None:
        state.last = seq
        data = text.encode()  # once per event: every client gets these same bytes
        for client in state.clients:
            client.offer(seq, audience, text, data)
        self._metrics.events_delivered.inc(len(state.clients))
        if ts:
            self._metrics.fanout_delay.observe(max(0.0, time.time() - ts))
