"""The hub on the real databases: whatever the broker does (loses, repeats or
reorders messages), each client gets every committed event exactly once, in
order; a client that stops reading is cut off without holding up the others."""

from __future__ import annotations

import asyncio
import json
import secrets
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy.engine import Engine

from deliberation.events import PUBLIC, EventOut, events_after, last_seq, participant_audience
from deliberation.posts import PostingLimits, do_create_post
from server import db
from server.live.broker import MemoryBroker
from server.live.hub import Client, Hub
from server.metrics import Metrics
from tests.factories import first_question, join, make_session

pytestmark = pytest.mark.anyio
LIMITS = PostingLimits(per_participant_per_minute=10_000, per_session_per_minute=10_000,
                       detect_names=False)


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


class Session:
    """A real session in the database, and a participant who posts in it."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        with db.session(engine) as s:
            d = make_session(s)
            self.participant = join(s, d)
            s.commit()
            self.question_id = first_question(s, d)
        assert d.id is not None and self.participant.id is not None
        self.d = d
        self.id: int = d.id
        self.audiences = frozenset({PUBLIC, participant_audience(self.participant.id)})

    def post(self, n: int = 1) -> list[EventOut]:
        """n committed posts; their events, not yet announced."""
        events: list[EventOut] = []
        for i in range(n):
            with db.session(self.engine) as s:
                outcome = do_create_post(s, d=self.d, participant=self.participant,
                                         question_id=self.question_id, parent_id=None,
                                         body=f"Ajatus numero {i} {secrets.token_hex(3)}",
                                         limits=LIMITS)
                s.commit()
            events.extend(outcome.events)
        return events

    async def apost(self, n: int = 1) -> list[EventOut]:
        return await asyncio.to_thread(self.post, n)

    def visible(self, events: list[EventOut]) -> list[int]:
        """The sequence numbers the participant's client may see."""
        return [ev.seq for ev in events if ev.audience in self.audiences]

    def make_hub(self, check_interval: float | None = None) -> tuple[Hub, MemoryBroker, Metrics]:
        broker, metrics = MemoryBroker(f"test-{secrets.token_hex(4)}"), Metrics()

        async def load_after(d_id: int, after: int) -> list[EventOut]:
            return await asyncio.to_thread(self._read, events_after, deliberation_id=d_id, after=after)

        async def load_last(d_id: int) -> int:
            return await asyncio.to_thread(self._read, last_seq, deliberation_id=d_id)

        return Hub(broker, load_after, load_last, metrics, check_interval), broker, metrics

    def _read(self, fn: Callable[..., Any], **kw: Any) -> Any:
        with db.session(self.engine) as s:
            return fn(s, **kw)


class Recorder:
    """A client whose socket takes everything (or, stalled, nothing)."""

    def __init__(self, audiences: frozenset[str], queue_size: int = 256,
                 stalled: bool = False) -> None:
        self.seqs: list[int] = []
        self.closed_with: int | None = None
        self._stalled = stalled
        self.client = Client(self._send, self._close, audiences, queue_size)
        self.task: asyncio.Task[None] | None = None

    async def _send(self, text: str) -> None:
        if self._stalled:
            await asyncio.Event().wait()  # the socket's buffer is full for good
        self.seqs.append(json.loads(text)["seq"])

    async def _close(self, code: int) -> None:
        self.closed_with = code

    def start(self) -> None:
        self.task = asyncio.create_task(self.client.write_forever())

    async def wait_for_seq(self, seq: int) -> None:
        while not self.seqs or self.seqs[-1] < seq:
            await asyncio.sleep(0.01)

    def stop(self) -> None:
        if self.task:
            self.task.cancel()


@pytest.fixture
def session(engine: Engine) -> Session:
    return Session(engine)


async def _joined(hub: Hub, session: Session, **kw: Any) -> Recorder:
    rec = Recorder(session.audiences, **kw)
    await hub.join(session.id, rec.client)
    rec.start()
    return rec


async def test_reordered_and_repeated_messages_arrive_once_in_order(session: Session) -> None:
    hub, _, _ = session.make_hub()
    rec = await _joined(hub, session)
    events = await session.apost(6)
    e = {ev.seq: ev for ev in events}
    first = events[0].seq
    # the broker repeats some and delivers others out of order
    order = [first + 2, first, first + 1, first + 1, first + 5, first + 3, first + 4, first + 2]
    await hub.publish([e[s] for s in order])
    await asyncio.wait_for(rec.wait_for_seq(session.visible(events)[-1]), 10)
    assert rec.seqs == session.visible(events)
    rec.stop()
    await hub.stop()


async def test_lost_messages_are_filled_from_the_database(session: Session) -> None:
    hub, _, metrics = session.make_hub()
    rec = await _joined(hub, session)
    events = await session.apost(5)
    await hub.publish(events[-1:])  # the first four announcements were lost
    await asyncio.wait_for(rec.wait_for_seq(session.visible(events)[-1]), 10)
    assert rec.seqs == session.visible(events)
    assert metrics.gaps_filled._value.get() >= 4  # type: ignore[attr-defined]
    rec.stop()
    await hub.stop()


async def test_lost_last_message_is_found_by_the_periodic_check(session: Session) -> None:
    hub, _, _ = session.make_hub(check_interval=0.05)
    rec = await _joined(hub, session)
    events = await session.apost(2)  # committed, never announced
    await asyncio.wait_for(rec.wait_for_seq(session.visible(events)[-1]), 10)
    assert rec.seqs == session.visible(events)
    rec.stop()
    await hub.stop()


async def test_a_message_the_database_does_not_confirm_is_never_delivered(session: Session) -> None:
    hub, broker, _ = session.make_hub()
    rec = await _joined(hub, session)
    stranger = EventOut(session.id, 10_000, "post_published", PUBLIC, {"body": "vieras"}, 0.0)
    await broker.publish(f"session:{session.id}", stranger.encode())
    events = await session.apost(2)
    await hub.publish(events)
    await asyncio.wait_for(rec.wait_for_seq(session.visible(events)[-1]), 10)
    assert rec.seqs == session.visible(events)
    rec.stop()
    await hub.stop()


async def test_a_stalled_client_is_cut_off_and_the_others_get_everything(session: Session) -> None:
    hub, _, _ = session.make_hub()
    stalled = await _joined(hub, session, queue_size=4, stalled=True)
    readers = [await _joined(hub, session) for _ in range(3)]
    events = await session.apost(30)
    await hub.publish(events)
    for rec in readers:
        await asyncio.wait_for(rec.wait_for_seq(session.visible(events)[-1]), 10)
        assert rec.seqs == session.visible(events)
    assert stalled.client.overflowed.is_set()
    assert stalled.client.queue.qsize() <= 4  # bounded: the rest was never queued
    for rec in [stalled, *readers]:
        rec.stop()
    await hub.stop()


async def test_two_hubs_on_one_database_each_serve_their_own_clients(session: Session) -> None:
    """Like two processes whose broker lost everything: each hub still delivers
    every event to its clients, from the database."""
    hub_a, _, _ = session.make_hub(check_interval=0.05)
    hub_b, _, _ = session.make_hub(check_interval=0.05)
    rec_a, rec_b = await _joined(hub_a, session), await _joined(hub_b, session)
    events = await session.apost(4)
    await hub_b.publish(events)  # hub_b's broker is not hub_a's
    for rec in (rec_a, rec_b):
        await asyncio.wait_for(rec.wait_for_seq(session.visible(events)[-1]), 10)
        assert rec.seqs == session.visible(events)
    for rec in (rec_a, rec_b):
        rec.stop()
    await hub_a.stop()
    await hub_b.stop()


async def test_leaving_stops_the_session_listener(session: Session) -> None:
    hub, _, metrics = session.make_hub()
    rec = await _joined(hub, session)
    assert hub.client_count == 1
    hub.leave(session.id, rec.client)
    assert hub.client_count == 0
    assert metrics.clients._value.get() == 0  # type: ignore[attr-defined]
    rec.stop()
    await hub.stop()


def test_fast_path_keeps_order_when_a_socket_stalls_and_recovers() -> None:
    """Events written at once and events that had to wait reach the client in
    order, each once: a stalled socket sends everything through the queue until
    the queue is empty again."""

    async def scenario() -> None:
        wire: list[str] = []
        socket_ready = [True]

        def send_now(data: bytes) -> bool:
            if socket_ready[0]:
                wire.append(data.decode())
            return socket_ready[0]

        async def send(text: str) -> None:
            wire.append(text)

        async def close(code: int) -> None:
            pass

        client = Client(send, close, frozenset({PUBLIC}), queue_size=10)
        client.go_live(send_now)
        writer = asyncio.create_task(client.write_forever())
        client.offer(1, PUBLIC, "1", b"1")
        socket_ready[0] = False
        client.offer(2, PUBLIC, "2", b"2")
        socket_ready[0] = True
        client.offer(3, PUBLIC, "3", b"3")  # older event still queued: must wait its turn
        client.offer(3, PUBLIC, "3", b"3")  # a repeat is dropped
        client.offer(4, "staff", "4", b"4")  # not for this client
        while client.sent_seq < 3:
            await asyncio.sleep(0)
        client.offer(5, PUBLIC, "5", b"5")
        writer.cancel()
        assert wire == ["1", "2", "3", "5"]

    asyncio.run(scenario())
