"""Proof-of-work for minting a resident (ALTCHA, altcha-lib-py v2 challenges;
the browser widget is vendored under web/static/vendor/altcha/).

A browser pays once, about a second of CPU in the background, when it first
takes part in a session; a script minting identities pays it for each one.
Challenges are signed with a key derived from the app's secret, expire after
``ttl`` seconds, and each challenge is accepted once: remembered as spent
until it expires, in this process's memory (embedded) or, when Redis is
configured, in Redis, so that no other process accepts it again. Nothing about
the client is stored.

With Redis configured but unreachable a solution is refused, never accepted
unchecked (see docs/abuse.md).
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import logging
import math
import time
from collections import OrderedDict
from typing import Any, Protocol

import altcha

from server.live.broker import redis_client

log = logging.getLogger("raati.pow")

ALGORITHM = "PBKDF2/SHA-256"
MAX_PAYLOAD_CHARS = 4096
# How long spending may wait for Redis before the solution is refused.
REDIS_TIMEOUT = 2.0


class SpentUnknown(Exception):
    """Whether a solution was spent before cannot be told (Redis is away)."""


class SpentSolutions(Protocol):
    async def spend(self, key: str, expires_at: float, now: float) -> bool:
        """True the first time ``key`` is spent before ``expires_at``, False after;
        raises :class:`SpentUnknown` when that cannot be told."""
        ...

    async def close(self) -> None: ...


class MemorySpent:
    """Spent challenges in this process's memory (the embedded default)."""

    def __init__(self, max_remembered: int = 200_000) -> None:
        self.max_remembered = max_remembered
        self._spent: OrderedDict[str, float] = OrderedDict()

    async def spend(self, key: str, expires_at: float, now: float) -> bool:
        while self._spent and next(iter(self._spent.values())) < now:
            self._spent.popitem(last=False)
        if key in self._spent:
            return False
        self._spent[key] = expires_at
        while len(self._spent) > self.max_remembered:
            # Oldest first; a flood cannot grow memory. Forgetting a key early
            # only lets it be spent once more before it expires.
            self._spent.popitem(last=False)
        return True

    async def close(self) -> None:
        pass


class RedisSpent:
    """Spent challenges in Redis, shared by every process of a deployment:
    ``SET key 1 NX EX <seconds left>`` is atomic, so exactly one process wins,
    and Redis forgets the key when the challenge would have expired anyway."""

    def __init__(self, url: str, namespace: str = "") -> None:
        self._url = url
        self.prefix = f"raati:{namespace}:pow-spent:" if namespace else "raati:pow-spent:"
        self._redis: Any = None

    async def spend(self, key: str, expires_at: float, now: float) -> bool:
        seconds = max(1, math.ceil(expires_at - now))
        try:
            if self._redis is None:  # made in the loop that uses it
                self._redis = redis_client(self._url, retries=1)
            stored = await asyncio.wait_for(
                self._redis.set(self.prefix + key, b"1", nx=True, ex=seconds), REDIS_TIMEOUT)
        except Exception as exc:
            log.warning("redis unavailable for proof-of-work, refusing: %s", exc)
            raise SpentUnknown from exc
        return bool(stored)

    async def close(self) -> None:
        if self._redis is not None:
            client, self._redis = self._redis, None
            try:
                await client.aclose()
            except Exception as exc:  # closing a broken connection says nothing new
                log.debug("closing redis: %s", exc)


class ProofOfWork:
    def __init__(self, secret_key: str, *, cost: int = 5000, ttl: int = 600,
                 spent: SpentSolutions | None = None) -> None:
        # Separate keys for signing challenges and for the fast key check, both
        # derived from the app's secret so that every process agrees on them.
        self._challenge_key = _derive(secret_key, "altcha-challenge")
        self._key_key = _derive(secret_key, "altcha-derived-key")
        self.cost, self.ttl = cost, ttl
        self.spent: SpentSolutions = spent if spent is not None else MemorySpent()

    def challenge(self, now: float | None = None) -> dict[str, Any]:
        """A fresh challenge, as the widget fetches it (JSON)."""
        now = time.time() if now is None else now
        ch = altcha.create_challenge(ALGORITHM, self.cost, expires_at=int(now) + self.ttl,
                                     hmac_secret=self._challenge_key,
                                     hmac_key_secret=self._key_key)
        return dict(ch.to_dict())

    async def verify(self, payload: object, now: float | None = None) -> bool:
        """Whether ``payload`` (the widget's base64 form field) solves one of our
        challenges that has not expired and was not used before. Spends it.
        Raises :class:`SpentUnknown` when the spent record cannot be reached."""
        if not isinstance(payload, str) or not 0 < len(payload) <= MAX_PAYLOAD_CHARS:
            return False
        now = time.time() if now is None else now
        try:
            result = altcha.verify_solution(payload, self._challenge_key,
                                            hmac_key_secret=self._key_key)
            parsed = altcha.Payload.from_base64(payload)
        except Exception:  # a malformed payload of any shape is simply not a solution
            return False
        params = parsed.challenge.parameters
        if not result.verified or params.algorithm != ALGORITHM or int(params.cost) < self.cost:
            return False
        # Keyed by the challenge (its signature), not the solution: one challenge
        # may have several valid counters, and each must not mint another identity.
        key = hashlib.sha256(str(parsed.challenge.signature).encode()).hexdigest()[:32]
        return await self.spent.spend(key, float(params.expires_at or now + self.ttl), now)


def _derive(secret_key: str, purpose: str) -> str:
    return hmac.new(secret_key.encode(), purpose.encode(), hashlib.sha256).hexdigest()


def solve(challenge: dict[str, Any]) -> str:
    """Solve a challenge as a browser would (for tests and the benchmark)."""
    ch = altcha.Challenge.from_dict(challenge)
    solution = altcha.solve_challenge(ch)
    if solution is None:
        raise RuntimeError("challenge not solved in time")
    return str(altcha.Payload(ch, solution).to_base64())
