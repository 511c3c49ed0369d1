"""Proof-of-work for minting a resident (ALTCHA, altcha-lib-py v2 challenges;
the browser widget is vendored under web/static/vendor/altcha/).

A browser pays once, about a second of CPU in the background, when it first
takes part in a session; a script minting identities pays it for each one.
Challenges are signed with a key derived from the app's secret, expire after
``ttl`` seconds, and each solution is accepted once (remembered in memory until
it expires). Nothing about the client is stored.

Trade-offs (see docs/abuse.md): in-memory replay protection is per process,
so with N processes one solution could be spent N times, within its expiry;
the per-client identity limit (server/throttle.py) bounds that as well.
"""

from __future__ import annotations

import hashlib
import hmac
import time
from collections import OrderedDict
from typing import Any

import altcha

ALGORITHM = "PBKDF2/SHA-256"
MAX_PAYLOAD_CHARS = 4096


class ProofOfWork:
    def __init__(self, secret_key: str, *, cost: int = 5000, ttl: int = 600,
                 max_remembered: int = 200_000) -> None:
        # Separate keys for signing challenges and for the fast key check, both
        # derived from the app's secret so that every process agrees on them.
        self._challenge_key = _derive(secret_key, "altcha-challenge")
        self._key_key = _derive(secret_key, "altcha-derived-key")
        self.cost, self.ttl, self.max_remembered = cost, ttl, max_remembered
        self._spent: OrderedDict[str, float] = OrderedDict()

    def challenge(self, now: float | None = None) -> dict[str, Any]:
        """A fresh challenge, as the widget fetches it (JSON)."""
        now = time.time() if now is None else now
        ch = altcha.create_challenge(ALGORITHM, self.cost, expires_at=int(now) + self.ttl,
                                     hmac_secret=self._challenge_key,
                                     hmac_key_secret=self._key_key)
        return dict(ch.to_dict())

    def verify(self, payload: object, now: float | None = None) -> bool:
        """Whether ``payload`` (the widget's base64 form field) solves one of our
        challenges that has not expired and was not used before. Spends it."""
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
        return self._spend(str(params.nonce), float(params.expires_at or now + self.ttl), now)

    def _spend(self, nonce: str, expires_at: float, now: float) -> bool:
        while self._spent and next(iter(self._spent.values())) < now:
            self._spent.popitem(last=False)
        if nonce in self._spent:
            return False
        self._spent[nonce] = expires_at
        while len(self._spent) > self.max_remembered:
            # Oldest first; a flood cannot grow memory. Forgetting a nonce early
            # only lets it be spent once more before it expires.
            self._spent.popitem(last=False)
        return True


def _derive(secret_key: str, purpose: str) -> str:
    return hmac.new(secret_key.encode(), purpose.encode(), hashlib.sha256).hexdigest()


def solve(challenge: dict[str, Any]) -> str:
    """Solve a challenge as a browser would (for tests and the benchmark)."""
    ch = altcha.Challenge.from_dict(challenge)
    solution = altcha.solve_challenge(ch)
    if solution is None:
        raise RuntimeError("challenge not solved in time")
    return str(altcha.Payload(ch, solution).to_base64())
