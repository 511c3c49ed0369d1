"""Domain errors: each carries a stable ``code``; server/errors.py maps codes to
HTTP statuses, JSON bodies and websocket close codes, and the catalogs to words."""

from __future__ import annotations

from typing import Any, TypeGuard


class DomainError(Exception):
    """A rule said no. ``code`` is stable; ``params`` fill the user-facing message."""

    def __init__(self, code: str, **params: Any) -> None:
        super().__init__(code)
        self.code = code
        self.params = params


class NotFound(DomainError):
    pass


class Forbidden(DomainError):
    pass


class Conflict(DomainError):
    pass


# Row ids are 32-bit in the schema; anything outside cannot name a row.
MAX_ID = 2**31 - 1


def is_id(value: object) -> TypeGuard[int]:
    """Whether ``value`` can be a row id (an int, not a bool, in range)."""
    return isinstance(value, int) and not isinstance(value, bool) and 0 < value <= MAX_ID
