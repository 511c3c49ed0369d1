"""Staff authentication: Argon2 password hashes and a login rate limit.

The limit counts failures per username and for the whole process within a
window; no IP address is kept (see DESIGN: nothing identifying is stored).
"""

from __future__ import annotations

import time
from collections import deque

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

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


class LoginLimiter:
    def __init__(self, per_user: int = 5, overall: int = 50, window: float = 300.0) -> None:
        self.per_user, self.overall, self.window = per_user, overall, window
        self._failures: dict[str, deque[float]] = {}
        self._all: deque[float] = deque()

    def _trim(self, q: deque[float], now: float) -> None:
        while q and q[0] < now - self.window:
            q.popleft()

    def allowed(self, username: str, now: float | None = None) -> bool:
        now = time.monotonic() if now is None else now
        user_q = self._failures.get(username.lower(), deque())
        self._trim(user_q, now)
        self._trim(self._all, now)
        return len(user_q) < self.per_user and len(self._all) < self.overall

    def failed(self, username: str, now: float | None = None) -> None:
        now = time.monotonic() if now is None else now
        self._failures.setdefault(username.lower(), deque()).append(now)
        self._all.append(now)

    def succeeded(self, username: str) -> None:
        self._failures.pop(username.lower(), None)
