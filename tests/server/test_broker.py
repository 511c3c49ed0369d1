"""The broker, both backends: what is published reaches every subscriber of the
channel and nobody else; Redis runs for real at 127.0.0.1:6379 (unique channel
names and namespaces per test, so parallel test runs never meet)."""

from __future__ import annotations

import asyncio
import contextlib
import secrets
from collections.abc import AsyncIterator, Callable

import pytest
from redis.exceptions import RedisError

from server.live.broker import Broker, MemoryBroker, RedisBroker, Subscription, channel_namespace
from tests.conftest import REDIS_URL, OwnRedis

pytestmark = pytest.mark.anyio


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


def _namespace() -> str:
    return f"test-{secrets.token_hex(6)}"


@pytest.fixture(params=["memory", "redis"])
async def make(request: pytest.FixtureRequest) -> AsyncIterator[Callable[[str], Broker]]:
    """Brokers of one deployment (same namespace): for Redis, each is its own
    process's connection."""
    made: list[Broker] = []

    def factory(namespace: str) -> Broker:
        if request.param == "memory":
            if not made:
                made.append(MemoryBroker(namespace))
            return made[0]  # in-process: one broker is the whole deployment
        broker = RedisBroker(REDIS_URL, namespace)
        made.append(broker)
        return broker

    yield factory
    for broker in made:
        await broker.disconnect()


async def _next(sub: Subscription) -> str | None:
    return await asyncio.wait_for(sub.get(), 5)


async def _next_message(sub: Subscription) -> str:
    """The next real message, skipping "look in the database" markers."""
    while True:
        message = await _next(sub)
        if message is not None:
            return message


async def test_published_messages_reach_every_subscriber_in_order(make) -> None:  # type: ignore[no-untyped-def]
    ns = _namespace()
    a, b = make(ns), make(ns)
    await a.connect()
    await b.connect()
    async with a.subscribe("session:1") as sa, b.subscribe("session:1") as sb:
        for i in range(20):
            await b.publish("session:1", f"m{i}")
        for sub in (sa, sb):
            assert [await _next_message(sub) for _ in range(20)] == [f"m{i}" for i in range(20)]


async def test_other_channels_and_other_deployments_stay_apart(make) -> None:  # type: ignore[no-untyped-def]
    ns = _namespace()
    mine = make(ns)
    await mine.connect()
    other_deployment = RedisBroker(REDIS_URL, _namespace())
    await other_deployment.connect()
    try:
        async with mine.subscribe("session:1") as sub:
            await mine.publish("session:2", "not for session 1")
            await other_deployment.publish("session:1", "another deployment's session 1")
            await mine.publish("session:1", "for session 1")
            assert await _next_message(sub) == "for session 1"
    finally:
        await other_deployment.disconnect()


async def test_unsubscribed_channel_gets_nothing_more(make) -> None:  # type: ignore[no-untyped-def]
    broker = make(_namespace())
    await broker.connect()
    async with broker.subscribe("session:7") as first:
        pass
    async with broker.subscribe("session:7") as second:
        await broker.publish("session:7", "hello")
        assert await _next_message(second) == "hello"
    assert first.channel == second.channel


async def test_redis_subscription_is_live_when_subscribe_returns() -> None:
    """A message published right after subscribe() returns is not lost: the
    subscription is confirmed by Redis first."""
    ns = _namespace()
    listener, publisher = RedisBroker(REDIS_URL, ns), RedisBroker(REDIS_URL, ns)
    await listener.connect()
    await publisher.connect()
    try:
        await asyncio.wait_for(listener.connected.wait(), 5)
        for i in range(10):
            async with listener.subscribe(f"session:{i}") as sub:
                await publisher.publish(f"session:{i}", "first")
                assert await _next_message(sub) == "first"
    finally:
        await listener.disconnect()
        await publisher.disconnect()


async def test_redis_away_publish_fails_fast_and_subscribers_are_told_to_look() -> None:
    """With Redis unreachable, publish raises instead of retrying for seconds
    (the event is in the database anyway), and subscribing does not hang."""
    from tests.conftest import free_port

    broker = RedisBroker(f"redis://127.0.0.1:{free_port()}/0", _namespace())
    await broker.connect()
    try:
        with pytest.raises((RedisError, TimeoutError)):
            await broker.publish("session:1", "lost")
        assert not await broker.ping()
        async with broker.subscribe("session:1") as sub:
            # the reader keeps trying, and tells subscribers to check the database
            assert await _next(sub) is None
    finally:
        await broker.disconnect()


def test_namespace_is_shared_by_one_deployment_only() -> None:
    key = "k" * 40
    direct = channel_namespace(key, "postgresql://postgres@10.0.0.5:5432/raati")
    via_proxy = channel_namespace(key, "postgresql+psycopg://raati:pw@pgbouncer:6432/raati")
    assert direct == via_proxy
    assert channel_namespace(key, "postgresql://postgres@db/raati_staging") != direct
    assert channel_namespace("other-key" * 5, "postgresql://postgres@db/raati") != direct


async def test_redis_restart_subscribers_hear_of_it_and_stream_resumes() -> None:
    own = OwnRedis()
    own.start()
    ns = _namespace()
    listener, publisher = RedisBroker(own.url, ns), RedisBroker(own.url, ns)
    try:
        await listener.connect()
        await publisher.connect()
        async with listener.subscribe("session:1") as sub:
            await publisher.publish("session:1", "before")
            assert await _next_message(sub) == "before"
            own.stop()
            assert await _next(sub) is None  # "look in the database"
            await asyncio.to_thread(own.start)
            # Once the reader has resubscribed, publishing reaches the subscriber
            # again; whatever was published before that was lost (it is in the
            # database), which the None markers announced.
            await asyncio.wait_for(listener.connected.wait(), 10)
            for attempt in range(100):
                with contextlib.suppress(Exception):
                    await publisher.publish("session:1", f"after-{attempt}")
                try:
                    message = await asyncio.wait_for(sub.get(), 0.2)
                except TimeoutError:
                    continue
                if message is not None:
                    assert message.startswith("after-")
                    break
            else:
                pytest.fail("the subscription did not resume after the Redis restart")
    finally:
        await listener.disconnect()
        await publisher.disconnect()
        own.stop()
