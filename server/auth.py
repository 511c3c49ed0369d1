"""Staff authentication: Argon2 password hashes, checked off the event loop,
and failed logins that slow further attempts down instead of locking anyone out.

Argon2 is deliberately slow (tens of milliseconds of CPU); run on the event
loop, three failed logins a second stalled every other request. Checks run in
worker threads, at most ``concurrency`` at a time, with a bounded queue.

Slowing down, in memory only (server/throttle.py, no address is kept):
- per client: after a few failures its next attempts must wait, doubling up to
  five minutes; the client is told how long (a 429). This stops one guesser
  without touching the real owner, who logs in from elsewhere.
- per account: after a few failures every attempt on that account is delayed
  a little (at most ``account_cap`` seconds) but still checked, so guessing from
  many clients is slowed while the owner always gets in, at worst a few
  seconds later. There is no lockout: nobody can shut a staff member out.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

import anyio
import anyio.to_thread
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from server.throttle import Backoff, ClientKeys

_hasher = PasswordHasher()
# A hash to verify against when the username does not exist, so both cases take as long.
_DUMMY_HASH = _hasher.hash("raati-dummy-password")


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    try:
        return _hasher.verify(password_hash or _DUMMY_HASH, password) and password_hash is not None
    except (VerificationError, InvalidHashError):
        return False


@dataclass(frozen=True)
class LoginVerdict:
    ok: bool
    code: str | None = None  # "login_failed" | "login_rate_limited"
    retry_after: int = 0  # seconds, for a refusal


class PasswordGuard:
    """Password checks in worker threads with a concurrency cap, and the
    per-client and per-account slowdown described above."""

    def __init__(self, *, concurrency: int = 2, max_pending: int = 64,
                 client_keys: ClientKeys | None = None,
                 sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
                 verify: Callable[[str | None, str], bool] = verify_password) -> None:
        self._limiter = anyio.CapacityLimiter(concurrency)
        self.max_pending = max_pending
        self._pending = 0
        self.keys = client_keys or ClientKeys()
        self.clients = Backoff(free=5, base=2.0, cap=300.0)
        self.accounts = Backoff(free=3, base=0.5, cap=4.0)
        self._sleep, self._verify = sleep, verify

    async def run(self, fn: Callable[[], object]) -> object:
        """Any Argon2 work (hashing a new password too) under the same cap."""
        return await anyio.to_thread.run_sync(fn, limiter=self._limiter)

    async def hash(self, password: str) -> str:
        return str(await self.run(lambda: hash_password(password)))

    async def check(self, *, username: str, password: str, password_hash: str | None,
                    client: str | None) -> LoginVerdict:
        """Whether ``password`` opens the account whose stored hash is
        ``password_hash`` (None: no such account; checked all the same)."""
        client_key, account = self.keys.key(client), username.strip().lower()
        wait = self.clients.wait(client_key)
        if wait > 0:
            return LoginVerdict(False, "login_rate_limited", max(1, round(wait)))
        if self._pending >= self.max_pending:
            return LoginVerdict(False, "login_rate_limited", 5)
        self._pending += 1
        try:
            delay = self.accounts.wait(account)
            if delay > 0:
                await self._sleep(delay)
            ok = bool(await self.run(lambda: self._verify(password_hash, password)))
        finally:
            self._pending -= 1
        if ok:
            self.clients.reset(client_key)
            self.accounts.reset(account)
            return LoginVerdict(True)
        self.clients.failed(client_key)
        self.accounts.failed(account)
        return LoginVerdict(False, "login_failed")

