"""Parsing what a client sends, before anything else sees it: ids, sequence
numbers and JSON bodies. Every refusal is a :class:`ParseError` (code
``bad_request``, a 400 / websocket error frame), never a Python error that
would surface as a 500.

Why each bound exists:
- ``str.isdigit()`` and ``int()`` accept non-ASCII digits ("²", "١"), some of
  which ``int()`` then refuses: ids and sequence numbers take ASCII digits only.
- ``json.loads`` recurses per nesting level (``RecursionError`` near 1000),
  turns digit strings over 4300 characters into a ``ValueError``, and lets
  ``"\\ud800"`` through as a lone surrogate that later fails to encode.
"""

from __future__ import annotations

import json
from typing import Any

from starlette.convertors import Convertor, register_url_convertor

from deliberation.errors import MAX_ID, DomainError

# Event sequence numbers are 32-bit integers in the schema, like ids.
MAX_SEQ = MAX_ID
MAX_JSON_DEPTH = 16
MAX_JSON_INT_DIGITS = 100  # far below int()'s 4300-digit limit
MAX_JSON_BYTES = 256 * 1024
_ASCII_DIGITS = frozenset("0123456789")


class ParseError(DomainError):
    """Input that cannot be understood; always answered with ``bad_request``."""

    def __init__(self, why: str) -> None:
        super().__init__("bad_request")
        self.why = why  # for tests and debugging; never shown to the user


def _ascii_number(value: object, *, limit: int, allow_zero: bool) -> int:
    if isinstance(value, bool):
        raise ParseError("not a number")
    if isinstance(value, int):
        number = value
    elif isinstance(value, str):
        text = value.strip()
        # len() bounds int()'s work before it runs; digits of `limit` suffice.
        if not text or len(text) > len(str(limit)) or not set(text) <= _ASCII_DIGITS:
            raise ParseError("not ASCII digits of a bounded size")
        number = int(text)
    else:
        raise ParseError("not a number")
    if number > limit or number < 0 or (number == 0 and not allow_zero):
        raise ParseError("out of range")
    return number


def parse_id(value: object) -> int:
    """A row id (1..MAX_ID) from a path, query, form or JSON value."""
    return _ascii_number(value, limit=MAX_ID, allow_zero=False)


def parse_optional_id(value: object) -> int | None:
    """An id, or None when the value is missing or empty (a form's blank field)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    return parse_id(value)


def parse_seq(value: object, default: int = 0) -> int:
    """An event sequence number (0..MAX_SEQ), e.g. ``?after=``; missing is ``default``."""
    if value is None:
        return default
    return _ascii_number(value, limit=MAX_SEQ, allow_zero=True)


def _check_depth(text: str, max_depth: int) -> None:
    """Refuse nesting deeper than ``max_depth`` without recursing: one pass that
    counts brackets outside strings."""
    depth = 0
    in_string = escaped = False
    for ch in text:
        if in_string:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                in_string = False
        elif ch == '"':
            in_string = True
        elif ch in "[{":
            depth += 1
            if depth > max_depth:
                raise ParseError("JSON nested too deeply")
        elif ch in "]}":
            depth -= 1


def _parse_int(digits: str) -> int:
    if len(digits.lstrip("-")) > MAX_JSON_INT_DIGITS:
        raise ParseError("integer too large")
    return int(digits)


def _parse_float(text: str) -> float:
    if len(text) > 64:
        raise ParseError("number too long")
    return float(text)


def _refuse_constant(name: str) -> Any:
    raise ParseError(f"{name} is not JSON")


def _check_strings(value: Any) -> None:
    """Refuse lone surrogates anywhere (keys included); iterative, no recursion."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            try:
                item.encode("utf-8")
            except UnicodeEncodeError:
                raise ParseError("unpaired surrogate") from None
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)


def parse_json(raw: bytes | str, *, max_depth: int = MAX_JSON_DEPTH,
               max_bytes: int = MAX_JSON_BYTES) -> Any:
    """A JSON document within the bounds above, or :class:`ParseError`."""
    if len(raw) > max_bytes:
        raise ParseError("JSON too large")
    if isinstance(raw, bytes):
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            raise ParseError("not UTF-8") from None
    else:
        text = raw
    _check_depth(text, max_depth)
    try:
        value = json.loads(text, parse_int=_parse_int, parse_float=_parse_float,
                           parse_constant=_refuse_constant)
    except (ValueError, RecursionError):  # JSONDecodeError is a ValueError
        raise ParseError("not JSON") from None
    _check_strings(value)
    return value


def parse_json_object(raw: bytes | str, **bounds: int) -> dict[str, Any]:
    """A JSON object (the shape of every API body and websocket message)."""
    value = parse_json(raw or "{}", **bounds)
    if not isinstance(value, dict):
        raise ParseError("not a JSON object")
    return value


def clean_text(value: object) -> str | None:
    """A form or JSON string that can be stored as it is: no NUL (PostgreSQL
    refuses it in text) and no lone surrogate. None for anything else."""
    if not isinstance(value, str) or "\x00" in value:
        return None
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return None
    return value


class IdConvertor(Convertor[int]):
    """``{name:id}`` in a route path: 1 to 10 ASCII digits. Starlette's ``int``
    matches any number of digits and then fails in ``int()`` past 4300 of them
    (a 500); a longer number here simply matches no route (a 404)."""

    regex = "[0-9]{1,10}"

    def convert(self, value: str) -> int:
        return int(value)

    def to_string(self, value: int) -> str:
        return str(value)


register_url_convertor("id", IdConvertor())
