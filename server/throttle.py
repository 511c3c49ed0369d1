"""In-memory limits on what one client or one account may try, keyed so that
no address is ever kept.

:class:`ClientKeys` turns a client's address into an opaque key: an HMAC with a
random key that exists only in this process's memory and is replaced every
``rotate_every`` seconds. The address itself is never stored, written to the
database or logged, and a key means nothing after its rotation (nor in another
process). Limits therefore reset at each rotation and per process: they slow a
script down, they are not a record of anyone.

:class:`Backoff` counts failures per key and says how long the next attempt
must wait: nothing for the first few, then doubling up to a cap. Entries are
forgotten after a quiet period, and the table has a size bound, so a flood of
keys cannot grow memory without end.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from collections import OrderedDict
from dataclasses import dataclass


class ClientKeys:
    def __init__(self, rotate_every: float = 3600.0) -> None:
        self.rotate_every = rotate_every
        self._secret = secrets.token_bytes(32)
        self._since = time.monotonic()

    def _rotate_if_due(self, now: float) -> None:
        if now - self._since >= self.rotate_every:
            self._secret = secrets.token_bytes(32)
            self._since = now

    def key(self, address: str | None, now: float | None = None) -> str:
        """An opaque key for ``address`` (None: a client whose address is unknown,
        e.g. a test client; they share one key)."""
        self._rotate_if_due(time.monotonic() if now is None else now)
        digest = hmac.new(self._secret, (address or "?").encode(), hashlib.sha256).hexdigest()
        return digest[:32]


@dataclass
class _Failures:
    count: int
    last: float


class Backoff:
    """Failures per key; after ``free`` of them each attempt waits ``base``
    seconds, doubling per further failure, at most ``cap``."""

    def __init__(self, *, free: int = 3, base: float = 1.0, cap: float = 60.0,
                 forget_after: float = 900.0, max_keys: int = 100_000) -> None:
        self.free, self.base, self.cap = free, base, cap
        self.forget_after, self.max_keys = forget_after, max_keys
        self._failures: OrderedDict[str, _Failures] = OrderedDict()

    def delay(self, failures: int) -> float:
        if failures < self.free:
            return 0.0
        return float(min(self.cap, self.base * 2 ** (failures - self.free)))

    def wait(self, key: str, now: float | None = None) -> float:
        """Seconds before ``key`` may try again (0: now)."""
        now = time.monotonic() if now is None else now
        entry = self._failures.get(key)
        if entry is None:
            return 0.0
        if now - entry.last >= self.forget_after:
            del self._failures[key]
            return 0.0
        return max(0.0, entry.last + self.delay(entry.count) - now)

    def failures(self, key: str) -> int:
        entry = self._failures.get(key)
        return entry.count if entry else 0

    def failed(self, key: str, now: float | None = None) -> None:
        now = time.monotonic() if now is None else now
        entry = self._failures.pop(key, None)
        if entry is not None and now - entry.last >= self.forget_after:
            entry = None
        self._failures[key] = _Failures((entry.count if entry else 0) + 1, now)
        while len(self._failures) > self.max_keys:
            self._failures.popitem(last=False)  # the least recently failed

    def reset(self, key: str) -> None:
        self._failures.pop(key, None)

    def clear(self) -> None:
        self._failures.clear()


class Window:
    """At most ``limit`` events per key in a sliding ``seconds`` window (for
    example new identities per client). Same bounds on memory as Backoff."""

    def __init__(self, *, limit: int, seconds: float, max_keys: int = 100_000) -> None:
        self.limit, self.seconds, self.max_keys = limit, seconds, max_keys
        self._events: OrderedDict[str, list[float]] = OrderedDict()

    def _recent(self, key: str, now: float) -> list[float]:
        times = [t for t in self._events.get(key, ()) if now - t < self.seconds]
        if times:
            self._events[key] = times
        else:
            self._events.pop(key, None)
        return times

    def allowed(self, key: str, now: float | None = None) -> bool:
        now = time.monotonic() if now is None else now
        return len(self._recent(key, now)) < self.limit

    def retry_after(self, key: str, now: float | None = None) -> float:
        now = time.monotonic() if now is None else now
        times = self._recent(key, now)
        if len(times) < self.limit:
            return 0.0
        return max(0.0, times[-self.limit] + self.seconds - now)

    def add(self, key: str, now: float | None = None) -> None:
        now = time.monotonic() if now is None else now
        times = self._recent(key, now)
        self._events.pop(key, None)
        self._events[key] = [*times, now]
        while len(self._events) > self.max_keys:
            self._events.popitem(last=False)

    def clear(self) -> None:
        self._events.clear()
