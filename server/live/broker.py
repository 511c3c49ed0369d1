"""The broker: a doorbell that tells every server process about committed events.

A small interface (connect, disconnect, publish, subscribe) with two backends
chosen by URL, as encode/broadcaster does: in-process (default) and Redis
pub/sub (``REDIS_URL``). Subscriptions are async context managers yielding
messages; ``None`` in the stream means "something may have been lost, look in
the database" (the Redis connection broke, or a (re)subscription just took
effect), and the subscriber fills the gap from the database.

Channel names are prefixed with a namespace, so two deployments sharing one
Redis never hear each other's sessions.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import logging
import time
from collections.abc import AsyncIterator
from typing import Any, Protocol

log = logging.getLogger("raati.broker")

# How long publishing or subscribing may wait for Redis before giving up: the
# event is in the database either way, so a slow Redis must not slow posting.
REDIS_TIMEOUT = 2.0
# The reader pings Redis this often and treats this much silence as a lost
# connection (a half-open TCP connection otherwise blocks forever).
PING_EVERY = 5.0
SILENCE_LIMIT = 15.0


def channel_namespace(secret_key: str, database_url: str) -> str:
    """A short name shared by exactly the processes of one deployment: they all
    sign cookies with the same key and use the same database."""
    from sqlalchemy.engine import make_url

    try:
        database = make_url(database_url).database or ""
    except Exception:
        database = database_url
    digest = hashlib.sha256(f"{secret_key}\0{database}".encode()).hexdigest()
    return digest[:16]


def redis_client(url: str, retries: int) -> Any:
    """An asyncio Redis client that gives up after ``REDIS_TIMEOUT``."""
    import redis.asyncio as aioredis
    from redis.asyncio.retry import Retry
    from redis.backoff import NoBackoff

    return aioredis.from_url(
        url, socket_connect_timeout=REDIS_TIMEOUT, socket_timeout=REDIS_TIMEOUT,
        retry=Retry(NoBackoff(), retries),
    )


class Subscription:
    """Messages for one channel, in the order the broker saw them."""

    def __init__(self, channel: str) -> None:
        self.channel = channel
        self._queue: asyncio.Queue[str | None] = asyncio.Queue()

    def put(self, message: str | None) -> None:
        self._queue.put_nowait(message)

    async def get(self) -> str | None:
        return await self._queue.get()

    def __aiter__(self) -> Subscription:
        return self

    async def __anext__(self) -> str | None:
        return await self._queue.get()


class Broker(Protocol):
    async def connect(self) -> None: ...
    async def disconnect(self) -> None: ...
    async def publish(self, channel: str, message: str) -> None: ...
    def subscribe(self, channel: str) -> contextlib.AbstractAsyncContextManager[Subscription]: ...


class _Fanout:
    """Channel -> local subscriptions; shared by both backends."""

    def __init__(self) -> None:
        self.subs: dict[str, set[Subscription]] = {}

    def add(self, sub: Subscription) -> bool:
        """Adds; True when it is the channel's first subscription."""
        group = self.subs.setdefault(sub.channel, set())
        group.add(sub)
        return len(group) == 1

    def remove(self, sub: Subscription) -> bool:
        """Removes; True when the channel has no subscriptions left."""
        group = self.subs.get(sub.channel, set())
        group.discard(sub)
        if not group:
            self.subs.pop(sub.channel, None)
            return True
        return False

    def deliver(self, channel: str, message: str | None) -> None:
        for sub in self.subs.get(channel, ()):
            sub.put(message)

    def deliver_all(self, message: str | None) -> None:
        for group in self.subs.values():
            for sub in group:
                sub.put(message)


class MemoryBroker:
    """One process: publishing hands the message straight to local subscriptions."""

    def __init__(self, namespace: str = "") -> None:
        self._fanout = _Fanout()
        self._prefix = f"raati:{namespace}:" if namespace else "raati:"

    async def connect(self) -> None:
        pass

    async def disconnect(self) -> None:
        pass

    async def publish(self, channel: str, message: str) -> None:
        self._fanout.deliver(self._prefix + channel, message)

    @contextlib.asynccontextmanager
    async def subscribe(self, channel: str) -> AsyncIterator[Subscription]:
        sub = Subscription(self._prefix + channel)
        self._fanout.add(sub)
        try:
            yield sub
        finally:
            self._fanout.remove(sub)


class RedisBroker:
    """Redis pub/sub: one connection per process for all its subscriptions.

    redis-py's own reconnect-and-retry is switched off for the subscriber
    connection: a reconnection must be noticed, because whatever was published
    meanwhile was lost. Every subscription confirmation from Redis (the first
    one, or after a reconnection) is passed on as ``None``, so the subscriber
    reads the database once the channel is live again.
    """

    def __init__(self, url: str, namespace: str = "") -> None:
        self._url = url
        self._prefix = f"raati:{namespace}:" if namespace else "raati:"
        self._control = f"{self._prefix}broker"  # keeps the connection subscribed
        self._fanout = _Fanout()
        self._confirmed: dict[str, asyncio.Event] = {}
        self._reader: asyncio.Task[None] | None = None
        self._lock = asyncio.Lock()
        self._pubsub: Any = None
        self.connected = asyncio.Event()
        self._away = False  # the last connection attempt failed
        self.reconnections = 0

    async def connect(self) -> None:
        # One retry for commands: the first use of a pooled connection after a
        # Redis restart fails once, then reconnects.
        self._redis = redis_client(self._url, retries=1)
        self._sub_redis = redis_client(self._url, retries=0)
        self._reader = asyncio.create_task(self._read_forever(), name="redis-broker-reader")

    async def disconnect(self) -> None:
        if self._reader:
            self._reader.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._reader
        for client in (self._redis, self._sub_redis):
            with contextlib.suppress(Exception):
                await client.aclose()

    async def ping(self) -> bool:
        try:
            return bool(await asyncio.wait_for(self._redis.ping(), 1.0))
        except Exception:
            return False

    async def publish(self, channel: str, message: str) -> None:
        await asyncio.wait_for(self._redis.publish(self._prefix + channel, message), REDIS_TIMEOUT)

    @contextlib.asynccontextmanager
    async def subscribe(self, channel: str) -> AsyncIterator[Subscription]:
        """Yields once Redis confirmed the subscription (or is known to be away:
        then the reader subscribes when it is back, and says so with ``None``)."""
        name = self._prefix + channel
        sub = Subscription(name)
        if self._fanout.add(sub):
            confirmed = self._confirmed.setdefault(name, asyncio.Event())
            # Just started, or Redis is up: the reader or this command subscribes
            # soon. Redis known to be away: don't make every joiner wait for it.
            if await self._command("subscribe", name) or not self._away:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(confirmed.wait(), REDIS_TIMEOUT)
        try:
            yield sub
        finally:
            if self._fanout.remove(sub):
                self._confirmed.pop(name, None)
                await self._command("unsubscribe", name)

    async def _command(self, verb: str, name: str) -> bool:
        """(Un)subscribe on the live connection; False when Redis is away (the
        reader resubscribes every channel that still has subscribers)."""
        try:
            async with self._lock:
                if self._pubsub is None or not self.connected.is_set():
                    return False
                await asyncio.wait_for(getattr(self._pubsub, verb)(name), REDIS_TIMEOUT)
                return True
        except Exception as exc:
            log.warning("redis %s %s failed: %s", verb, name, exc)
            return False

    async def _read_forever(self) -> None:
        delay = 0.1
        while True:
            pubsub = self._sub_redis.pubsub()
            try:
                async with self._lock:
                    self._pubsub = pubsub
                    await pubsub.subscribe(self._control, *self._fanout.subs)
                    self.connected.set()
                self._away = False
                delay = 0.1
                await self._listen(pubsub)
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                self._away = True
                log.warning("redis pub/sub connection lost (%s); retrying in %.1fs", exc, delay)
            finally:
                self.connected.clear()
                async with self._lock:
                    self._pubsub = None
                with contextlib.suppress(Exception):
                    await asyncio.wait_for(pubsub.aclose(), 1.0)
            self.reconnections += 1
            # Whatever was published meanwhile is in the database: tell subscribers
            # to look there now (and again when their channel is live again).
            self._fanout.deliver_all(None)
            await asyncio.sleep(delay)
            delay = min(delay * 2, 2.0)

    async def _listen(self, pubsub: Any) -> None:
        last_heard = last_ping = time.monotonic()
        while True:
            msg = await pubsub.get_message(timeout=1.0)
            now = time.monotonic()
            if msg is not None:
                last_heard = now
                self._on_message(msg)
            if now - last_ping >= PING_EVERY:
                await asyncio.wait_for(pubsub.ping(), REDIS_TIMEOUT)
                last_ping = now
            if now - last_heard > SILENCE_LIMIT:
                raise ConnectionError("no answer from redis")

    def _on_message(self, msg: dict[str, Any]) -> None:
        kind = msg.get("type")
        raw = msg.get("channel")
        name = raw.decode() if isinstance(raw, bytes) else str(raw)
        if kind == "message":
            data = msg["data"]
            self._fanout.deliver(name, data.decode() if isinstance(data, bytes) else data)
        elif kind == "subscribe":
            # From now on nothing published on the channel is missed; anything
            # published before is in the database.
            event = self._confirmed.get(name)
            if event is not None:
                event.set()
            self._fanout.deliver(name, None)


def make_broker(redis_url: str | None, namespace: str = "") -> Broker:
    if redis_url:
        return RedisBroker(redis_url, namespace)
    return MemoryBroker(namespace)
