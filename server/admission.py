"""Who may become a resident of a session: the gate before a browser's first
action mints a participant (docs/abuse.md).

Two checks, both without keeping anything about the client: the proof-of-work
payload the page's widget computed (server/pow.py), and the number of
identities this client made in the last ten minutes (server/throttle.py, an
in-memory count keyed by a rotating HMAC of the address).
"""

from __future__ import annotations

import math

from deliberation.errors import DomainError
from server.pow import MemorySpent, ProofOfWork, RedisSpent, SpentSolutions, SpentUnknown
from server.throttle import ClientKeys, Window

JOIN_WINDOW_SECONDS = 600.0


class Admission:
    def __init__(self, *, secret_key: str, pow_cost: int, joins_per_client: int,
                 client_keys: ClientKeys | None = None, redis_url: str | None = None,
                 namespace: str = "") -> None:
        # Spent solutions in Redis when processes share one, else in memory.
        spent: SpentSolutions = (RedisSpent(redis_url, namespace) if redis_url
                                 else MemorySpent())
        self.pow = ProofOfWork(secret_key, cost=pow_cost, spent=spent) if pow_cost > 0 else None
        self.keys = client_keys or ClientKeys()
        self.joins = Window(limit=max(1, joins_per_client), seconds=JOIN_WINDOW_SECONDS)

    async def admit(self, proof: object, client: str | None) -> None:
        """Let this client mint one more identity, or raise ``pow_required`` /
        ``join_rate_limited`` (or ``pow_unavailable`` when Redis, which
        remembers spent proofs, cannot be reached: refused, never let through
        unchecked). Spends the proof and counts the identity."""
        key = self.keys.key(client)
        if not self.joins.allowed(key):
            minutes = max(1, math.ceil(self.joins.retry_after(key) / 60))
            raise DomainError("join_rate_limited", minutes=minutes)
        if self.pow is not None:
            try:
                solved = await self.pow.verify(proof)
            except SpentUnknown:
                raise DomainError("pow_unavailable") from None
            if not solved:
                raise DomainError("pow_required")
        self.joins.add(key)

    async def close(self) -> None:
        if self.pow is not None:
            await self.pow.spent.close()
