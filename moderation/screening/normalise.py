"""Normalised views of a post, each mapping its characters back to the original.

Disguised personal data hides in how a text is written, not in what it says:
full-width digits (０４０), zero-width spaces between digits, a soft hyphen inside
a word, bidi controls, "1 3 1 0 5 2 - 3 0 8 T", "040.123.4567". Detectors run on
a normalised view instead of the raw text, and every character of a view knows
the stretch of the original it came from, so a finding's span still points at
the characters a moderator cuts and a reader sees highlighted.

Two views:

- ``normalise``: Unicode NFKC (per character and its combining marks), format
  characters (category Cf: zero-width, bidi controls, soft hyphen) removed, every
  dash and minus sign written "-", every decimal digit of any script written
  0-9. Ordinary text comes out unchanged. On request,
  text inside a right-to-left override is reversed, as a reader sees it.
- ``collapse``: on top of that, spacing taken out where it only disguises a
  pattern: runs of spaced-out single characters ("m a t t i", two spaces between words), spaces around a
  dash between digits ("040 - 123"), letters that look like digits among digits
  ("O4O"), and dots between the digit groups of what is
  not a date and long enough to be a phone number ("040.123.4567" reads "040 123 4567"). Only the number, e-mail and
  identity-code detectors read it, and those of names and offensive words.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Final

# Unicode category Cf (format characters) as of Python 3.11's database, listed
# rather than computed: scanning every code point costs a quarter of a second.
_FORMAT_CHARS: Final = (
    "\u00ad\u0600-\u0605\u061c\u06dd\u070f\u0890-\u0891\u08e2\u180e\u200b-\u200f"
    "\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb\U000110bd\U000110cd"
    "\U00013430-\U00013438\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0001"
    "\U000e0020-\U000e007f"
)
RIGHT_TO_LEFT_OVERRIDE: Final = "\u202e"
_DASHES: Final = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d"
_FORMAT_RE: Final = re.compile(f"[{_FORMAT_CHARS}]")
_NEEDS_WORK_RE: Final = re.compile(f"[{_FORMAT_CHARS}{_DASHES}\ufe0e\ufe0f]")
_OTHER_DIGIT_RE: Final = re.compile(r"(?![0-9])\d")
_DASH_TABLE: Final = str.maketrans(dict.fromkeys(_DASHES, "-"))

# "m a t t i", "0 4 0 1 2 3", "1 3 1 0 5 2 - 3 0 8 T": three or more single
# characters, each followed by one or two spaces.
_SPACED_RUN_RE: Final = re.compile(r"(?<!\S)(?:\S {1,2}){2,}\S(?!\S)")
_GAP_RE: Final = re.compile(r" {1,2}")
# "040 - 123", "131052 -308T": spacing around a dash between digits.
_SPACED_DASH_RE: Final = re.compile(r"(?<=\d)( *)-( *)(?=\d)")
# "040.123.4567", "+358.40.123.4567": dots between digit groups.
_DOTTED_NUMBER_RE: Final = re.compile(r"(?<![\w.,])(?:\+\d{1,3}|\d{2,4})(?:\.\d{2,7}){1,4}(?![\w]|\.\d)")
# "O4O 123 4567", "131O52-3O8T": letters that look like digits, in a run of digits
# not inside a word (one letter may follow: a hetu's check mark).
_LOOKALIKE_DIGITS_RE: Final = re.compile(r"(?<![^\W\d])[0-9OoIl]*[OoIl][0-9OoIl]*(?![^\W\d]{2})")
_ASCII_DIGIT_RE: Final = re.compile(r"[0-9]")
_DIGIT_OF: Final = {"O": "0", "o": "0", "I": "1", "l": "1"}
# Fewer digits than a phone number has: a time, a price, a version ("08.00", "1.250").
_MIN_PHONE_DIGITS: Final = 7
_DATE_LIKE_RE: Final = re.compile(r"(?:0?[1-9]|[12]\d|3[01])\.(?:0?[1-9]|1[0-2])(?:\.(?:\d{2}|\d{4}))?")


@dataclass(frozen=True, slots=True)
class View:
    """A rewritten text whose ``i``-th character came from ``original[starts[i]:ends[i]]``.

    Without ``starts``/``ends`` the view is the original text itself.
    """

    text: str
    starts: tuple[int, ...] | None = None
    ends: tuple[int, ...] | None = None

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        """The stretch of the original text that ``text[start:end]`` was made from."""
        if self.starts is None or self.ends is None:
            return start, end
        if start >= end:
            point = self.starts[start] if start < len(self.starts) else self._original_length
            return point, point
        # min/max, not the ends: a right-to-left override is read reversed.
        return min(self.starts[start:end]), max(self.ends[start:end])

    @property
    def _original_length(self) -> int:
        return self.ends[-1] if self.ends else 0

    def rewritten(self, deletions: set[int], replacements: dict[int, str]) -> View:
        """This view with the characters at ``deletions`` dropped and those at
        ``replacements`` changed (one character for one)."""
        if not deletions and not replacements:
            return self
        starts = self.starts if self.starts is not None else range(len(self.text))
        ends = self.ends if self.ends is not None else range(1, len(self.text) + 1)
        chars: list[str] = []
        new_starts: list[int] = []
        new_ends: list[int] = []
        for i, ch in enumerate(self.text):
            if i in deletions:
                continue
            chars.append(replacements.get(i, ch))
            new_starts.append(starts[i])
            new_ends.append(ends[i])
        return View("".join(chars), tuple(new_starts), tuple(new_ends))


def normalise(text: str, *, as_displayed: bool = False) -> View:
    """NFKC, format characters removed, dashes as "-"; the original itself if that
    changes nothing. ``as_displayed`` reads right-to-left overrides the way they are
    shown, reversed (copied text keeps the stored order, so both views matter)."""
    if (unicodedata.is_normalized("NFKC", text) and not _NEEDS_WORK_RE.search(text)
            and not _OTHER_DIGIT_RE.search(text)):
        return View(text)
    chars: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    reversed_runs: list[tuple[int, int]] = []  # view ranges shown right to left
    overrides: list[bool] = []  # the open embeddings: True for a right-to-left override
    for start, end in _clusters(text):
        cluster = text[start:end]
        _track_overrides(cluster, overrides)
        run_start = len(chars)
        for ch in unicodedata.normalize("NFKC", _FORMAT_RE.sub("", cluster)).translate(
            _DASH_TABLE
        ):
            if ch in "\ufe0e\ufe0f":  # emoji presentation selectors carry nothing
                continue
            if ch.isdecimal() and not ch.isascii():  # "٠٤٠", "০৪০": digits all the same
                ch = str(unicodedata.decimal(ch))
            chars.append(ch)
            starts.append(start)
            ends.append(end)
        if as_displayed and overrides and overrides[-1] and len(chars) > run_start:
            if reversed_runs and reversed_runs[-1][1] == run_start:
                reversed_runs[-1] = (reversed_runs[-1][0], len(chars))
            else:
                reversed_runs.append((run_start, len(chars)))
    for lo, hi in reversed_runs:
        chars[lo:hi] = chars[lo:hi][::-1]
        starts[lo:hi] = starts[lo:hi][::-1]
        ends[lo:hi] = ends[lo:hi][::-1]
    return View("".join(chars), tuple(starts), tuple(ends))


def _track_overrides(cluster: str, overrides: list[bool]) -> None:
    """Open and close the explicit embeddings: "\u202e4567 321 040\u202c" is shown
    as "040 123 7654", and that is what a reader (and screening) must see."""
    for ch in cluster:
        if ch == "\u202e":
            overrides.append(True)
        elif ch in "\u202a\u202b\u202d":
            overrides.append(False)
        elif (ch == "\u202c" or ch == "\n") and overrides:
            if ch == "\n":
                overrides.clear()
            else:
                overrides.pop()


def _clusters(text: str) -> list[tuple[int, int]]:
    """A character with the combining marks after it, as (start, end): NFKC may join
    them ("a" + U+0308 -> "ä"), so they map back together."""
    spans: list[tuple[int, int]] = []
    for i, ch in enumerate(text):
        if spans and unicodedata.combining(ch):
            spans[-1] = (spans[-1][0], i + 1)
        else:
            spans.append((i, i + 1))
    return spans


def collapse(view: View) -> View:
    """``view`` with the spacing that disguises numbers and addresses taken out."""
    deletions: set[int] = set()
    replacements: dict[int, str] = {}
    text = view.text
    for m in _SPACED_RUN_RE.finditer(text):
        # One space joins letters, two part words: "m a t t i  v i r t a n e n".
        for gap in _GAP_RE.finditer(text, m.start(), m.end()):
            deletions.add(gap.start())
    for m in _SPACED_DASH_RE.finditer(text):
        deletions.update(range(*m.span(1)))
        deletions.update(range(*m.span(2)))
    for m in _LOOKALIKE_DIGITS_RE.finditer(text):
        if _ASCII_DIGIT_RE.search(m.group()):
            replacements.update((i, _DIGIT_OF[text[i]]) for i in range(m.start(), m.end())
                                if text[i] in _DIGIT_OF)
    for m in _DOTTED_NUMBER_RE.finditer(text):
        number = m.group()
        if sum(ch.isdigit() for ch in number) >= _MIN_PHONE_DIGITS and not (
            _DATE_LIKE_RE.fullmatch(number)
        ):
            replacements.update((i, " ") for i in range(m.start(), m.end()) if text[i] == ".")
    return view.rewritten(deletions, replacements)
