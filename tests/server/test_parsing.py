"""Input parsing: ASCII digits only, bounded sizes, bounded JSON, no surrogates."""

from __future__ import annotations

import pytest

from server.parsing import (
    MAX_SEQ,
    ParseError,
    clean_text,
    parse_id,
    parse_json,
    parse_json_object,
    parse_optional_id,
    parse_seq,
)


@pytest.mark.parametrize(("raw", "expected"), [
    ("1", 1), (" 42 ", 42), ("2147483647", 2147483647), (7, 7),
])
def test_ids_accepted(raw: object, expected: int) -> None:
    assert parse_id(raw) == expected


@pytest.mark.parametrize("raw", [
    "²", "1²", "١٢", "１２", "0", "-1", "+1", "1.0", "1e3", "", " ", "2147483648",
    "9" * 5000, "0x10", True, None, 1.5, [], {}, 0, -3, 2**40, "1\x00", "١",
])
def test_ids_refused(raw: object) -> None:
    with pytest.raises(ParseError) as info:
        parse_id(raw)
    assert info.value.code == "bad_request"


def test_optional_id_blank_is_none() -> None:
    assert parse_optional_id("") is None and parse_optional_id(None) is None
    assert parse_optional_id("5") == 5


@pytest.mark.parametrize(("raw", "expected"), [
    (None, 0), ("0", 0), ("17", 17), (str(MAX_SEQ), MAX_SEQ),
])
def test_seq_accepted(raw: object, expected: int) -> None:
    assert parse_seq(raw) == expected


@pytest.mark.parametrize("raw", ["²", "-1", str(MAX_SEQ + 1), "9" * 4301, "abc", ""])
def test_seq_refused(raw: str) -> None:
    with pytest.raises(ParseError):
        parse_seq(raw)


def test_plain_json_passes() -> None:
    assert parse_json('{"a": [1, 2.5, "x", null, true], "b": {"c": "ä😀"}}') == {
        "a": [1, 2.5, "x", None, True], "b": {"c": "ä😀"}}
    # Brackets inside strings do not count as nesting.
    assert parse_json('{"t": "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[["}')["t"].startswith("[")
    assert parse_json('"\\ud83d\\ude00"') == "😀"  # a proper surrogate pair


@pytest.mark.parametrize("raw", [
    "[" * 5000 + "]" * 5000,
    '{"a":' * 100_000 + "1" + "}" * 100_000,
    "1" * 4301,
    '{"n": ' + "9" * 5000 + "}",
    '{"n": -' + "9" * 101 + "}",
    '"\\ud800"',
    '{"\\udfff": 1}',
    '["ok", {"x": "a\\ud800b"}]',
    "NaN", '{"x": Infinity}',
    "{", "", "nul", b"\xff\xfe", '{"x": 1e' + "9" * 100 + "}",
])
def test_malformed_json_refused(raw: str | bytes) -> None:
    with pytest.raises(ParseError):
        parse_json(raw)


def test_json_size_bounded() -> None:
    with pytest.raises(ParseError):
        parse_json(b'"' + b"a" * 300_000 + b'"')


def test_json_object_required() -> None:
    assert parse_json_object(b"") == {}
    for raw in ("[]", "1", '"x"', "null"):
        with pytest.raises(ParseError):
            parse_json_object(raw)


def test_clean_text() -> None:
    assert clean_text("Hyvä idea") == "Hyvä idea"
    assert clean_text("a\x00b") is None
    assert clean_text("a\ud800") is None
    assert clean_text(5) is None
