"""The publish/hold policy and redaction."""

from __future__ import annotations

import pytest

from moderation.screening import Finding, Screening, decide, redact, screen

CLEAN = Screening(())
PROFANE = Screening((Finding.of("profanity", 0, 5),))
PERSONAL = Screening((Finding.of("phone", 6, 18),))


@pytest.mark.parametrize(("mode", "screening", "decision"), [
    ("pre", CLEAN, "hold"),
    ("pre", PROFANE, "hold"),
    ("pre", PERSONAL, "hold"),
    ("post", CLEAN, "publish"),
    ("post", PROFANE, "hold"),
    ("post", PERSONAL, "hold"),
])
def test_decide(mode: str, screening: Screening, decision: str) -> None:
    assert decide(mode, screening) == decision


def test_unknown_mode_is_a_bug() -> None:
    with pytest.raises(ValueError):
        decide("none", CLEAN)


def test_screening_decision() -> None:
    assert CLEAN.decision == "publish"
    assert PROFANE.decision == "hold"
    assert not PROFANE.has_personal_data
    assert PERSONAL.has_personal_data


@pytest.mark.parametrize(("text", "spans", "redacted"), [
    ("Soita 040 123 4567 heti", [(6, 18)], "Soita [poistettu] heti"),
    ("abcdef", [], "abcdef"),
    ("abcdef", [(0, 6)], "[poistettu]"),
    ("abcdef", [(0, 2), (4, 6)], "[poistettu]cd[poistettu]"),
    ("abcdef", [(4, 6), (0, 2)], "[poistettu]cd[poistettu]"),  # any order
    ("abcdef", [(1, 4), (2, 5)], "a[poistettu]f"),  # overlapping spans merge
    ("abcdef", [(1, 3), (3, 5)], "a[poistettu]f"),  # touching spans merge
    ("abcdef", [(2, 2)], "abcdef"),  # an empty span removes nothing
])
def test_redact(text: str, spans: list[tuple[int, int]], redacted: str) -> None:
    assert redact(text, spans) == redacted


def test_redact_with_another_placeholder() -> None:
    assert redact("ring 040 123 4567", [(5, 17)], placeholder="[borttaget]") == "ring [borttaget]"


@pytest.mark.parametrize("span", [(-1, 2), (2, 1), (0, 7)])
def test_redact_refuses_spans_outside_the_text(span: tuple[int, int]) -> None:
    with pytest.raises(ValueError):
        redact("abcdef", [span])


def test_redact_the_personal_data_screening_found() -> None:
    text = "Naapurini 131052-308T soitti numerosta 040 123 4567, vitun kunta."
    screening = screen(text, names=False)
    spans = [f.span for f in screening.findings if f.is_personal_data]
    assert redact(text, spans) == "Naapurini [poistettu] soitti numerosta [poistettu], vitun kunta."
