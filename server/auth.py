"""Staff authentication: Argon2 password hashes and a login rate limit.

The limit counts failures per username within a window; no IP address is kept
(see DESIGN: nothing identifying is stored). There is no limit for the whole
process: anyone could then lock every staff member out.
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
    """At most ``per_user`` failed logins per username in ``window`` seconds."""

    def __init__(self, per_user: int = 5, window: float = 300.0) -> None:
        self.per_user, self.window = per_user, window
        self._failures: dict[str, deque[float]] = {}

    def _recent(self, username: str, now: float) -> deque[float]:
        key = username.lower()
        q = self._failures.get(key, deque())
        while q and q[0] < now - self.window:
            q.popleft()
        if not q:
            self._failures.pop(key, None)  # forget names with no recent failures
        return q

    def allowed(self, username: str, now: float | None = None) -> bool:
        now = time.monotonic() if now is None else now
        return len(self._recent(username, now)) < self.per_user

    def failed(self, username: str, now: float | None = None) -> None:
        now = time.monotonic() if now is None else now
        self._failures.setdefault(username.lower(), deque()).append(now)

    def succeeded(self, username: str) -> None:
        self._failures.pop(username.lower(), None)
