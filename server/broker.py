"""The broker: a doorbell that tells every server process about committed events.

A small interface (connect, disconnect, publish, subscribe) with two backends
chosen by URL, as encode/broadcaster does: in-process (default) and Redis
pub/sub (``REDIS_URL``). Subscriptions are async context managers yielding
messages; ``None`` in the stream means "something may have been lost" (the
Redis connection broke), and the subscriber fills the gap from the database.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from typing import Protocol

log = logging.getLogger("raati.broker")


class Subscription:
    """Messages for one channel, in the order the broker saw them."""

    def __init__(self, channel: str) -> None:
        self.channel = channel
        self._queue: asyncio.Queue[str | None] = asyncio.Queue()

    def put(self, message: str | None) -> None:
        self._queue.put_nowait(message)

    async def get(self) -> str | None:
        return await self._queue.get()

    def __aiter__(self) -> "Subscription":
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

    def __init__(self) -> None:
        self._fanout = _Fanout()

    async def connect(self) -> None:
        pass

    async def disconnect(self) -> None:
        pass

    async def publish(self, channel: str, message: str) -> None:
        self._fanout.deliver(channel, message)

    @contextlib.asynccontextmanager
    async def subscribe(self, channel: str) -> AsyncIterator[Subscription]:
        sub = Subscription(channel)
        self._fanout.add(sub)
        try:
            yield sub
        finally:
            self._fanout.remove(sub)


class RedisBroker:
    """Redis pub/sub: one connection per process for all its subscriptions."""

    def __init__(self, url: str) -> None:
        self._url = url
        self._fanout = _Fanout()
        self._reader: asyncio.Task[None] | None = None
        self._lock = asyncio.Lock()
        self.connected = asyncio.Event()

    async def connect(self) -> None:
        import redis.asyncio as aioredis

        self._redis = aioredis.from_url(
            self._url, socket_connect_timeout=2, socket_timeout=None, health_check_interval=10
        )
        self._pubsub = self._redis.pubsub(ignore_subscribe_messages=True)
        self._reader = asyncio.create_task(self._read_forever(), name="redis-broker-reader")

    async def disconnect(self) -> None:
        if self._reader:
            self._reader.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._reader
        with contextlib.suppress(Exception):
            await self._pubsub.aclose()
        with contextlib.suppress(Exception):
            await self._redis.aclose()

    async def ping(self) -> bool:
        try:
            return bool(await asyncio.wait_for(self._redis.ping(), 2))
        except Exception:
            return False

    async def publish(self, channel: str, message: str) -> None:
        await self._redis.publish(channel, message)

    @contextlib.asynccontextmanager
    async def subscribe(self, channel: str) -> AsyncIterator[Subscription]:
        sub = Subscription(channel)
        if self._fanout.add(sub):
            await self._safe(self._pubsub.subscribe(channel))
        try:
            yield sub
        finally:
            if self._fanout.remove(sub):
                await self._safe(self._pubsub.unsubscribe(channel))

    async def _safe(self, op: object) -> None:
        # While Redis is away, (un)subscribing fails; the reader resubscribes to
        # every channel it still has subscribers for once Redis is back.
        try:
            async with self._lock:
                await op  # type: ignore[misc]
        except Exception as exc:
            log.warning("redis subscribe/unsubscribe failed: %s", exc)

    async def _read_forever(self) -> None:
        delay = 0.1
        recovering = False
        while True:
            try:
                if not self._pubsub.subscribed and self._fanout.subs:
                    async with self._lock:
                        await self._pubsub.subscribe(*self._fanout.subs)
                    if recovering:
                        # Events published before this resubscription went nowhere.
                        self._fanout.deliver_all(None)
                        recovering = False
                if not self._pubsub.subscribed:
                    await asyncio.sleep(0.05)
                    continue
                self.connected.set()
                msg = await self._pubsub.get_message(timeout=1.0)
                delay = 0.1
                if msg and msg.get("type") == "message":
                    channel = msg["channel"].decode()
                    data = msg["data"]
                    self._fanout.deliver(channel, data.decode() if isinstance(data, bytes) else data)
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                self.connected.clear()
                recovering = True
                log.warning("redis pub/sub connection lost (%s); retrying in %.1fs", exc, delay)
                # Whatever was published meanwhile is in the database: tell subscribers
                # to look there.
                self._fanout.deliver_all(None)
                await asyncio.sleep(delay)
                delay = min(delay * 2, 2.0)
                with contextlib.suppress(Exception):
                    await self._pubsub.reset()
                    self._pubsub = self._redis.pubsub(ignore_subscribe_messages=True)


def make_broker(redis_url: str | None) -> Broker:
    if redis_url:
        return RedisBroker(redis_url)
    return MemoryBroker()
