"""The publish/hold policy, the redaction a moderator applies, and the re-screening
that tells whether a redacted text still holds personal data."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Final

from moderation.screening.findings import Finding
from moderation.screening.pipeline import Screening, screen

MODES: Final = frozenset({"pre", "post"})
REDACTED: Final = "[poistettu]"


def decide(mode: str, screening: Screening) -> str:
    """"publish" or "hold" for a post screened in a session with moderation ``mode``.

    "pre": everything waits for a moderator. "post": published unless screening
    found something. Personal data is held whatever the mode.
    """
    if mode not in MODES:
        # Sessions validate their mode; an unknown one here is a bug, not user input.
        raise ValueError(f"unknown moderation mode {mode!r}")
    if mode == "pre" or screening.has_personal_data:
        return "hold"
    return screening.decision


def redact(text: str, spans: Iterable[tuple[int, int]], *, placeholder: str = REDACTED) -> str:
    """``text`` with each span replaced by ``placeholder``; overlapping spans merge."""
    merged: list[list[int]] = []
    for start, end in sorted(spans):
        if not 0 <= start <= end <= len(text):
            raise ValueError(f"span {start}..{end} is outside the text")
        if start == end:
            continue
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    parts: list[str] = []
    at = 0
    for start, end in merged:
        parts += [text[at:start], placeholder]
        at = end
    parts.append(text[at:])
    return "".join(parts)


def remaining_personal_data(text: str, *, names: bool = True) -> list[Finding]:
    """The personal data still in ``text``, screened afresh: what a moderator's cut
    left behind (a second copy, a disguised one). Empty means safe to publish as far
    as personal data goes; the placeholder itself is never a finding."""
    return [f for f in screen(text, names=names).findings if f.is_personal_data]
