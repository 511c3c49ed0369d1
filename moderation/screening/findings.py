"""What screening found in a post: a reason code and a character span.

Reason codes are a contract: the server sends them to clients, the message
catalogs (fi, sv, en) explain each one to the author, and moderators filter
by them. Never rename one; add a new code instead.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

# Kinds group the reasons: personal data is never published automatically.
PERSONAL_DATA: Final = "personal_data"
OFFENSIVE: Final = "offensive"
SPAM: Final = "spam"

# Personal data
PERSONAL_ID: Final = "personal_id"  # a valid henkilötunnus
POSSIBLE_PERSONAL_ID: Final = "possible_personal_id"  # hetu shape and date, wrong check mark
PHONE: Final = "phone"
EMAIL: Final = "email"
ADDRESS: Final = "address"
PERSON_NAME: Final = "person_name"
# Offensive language
PROFANITY: Final = "profanity"
SLUR: Final = "slur"
# Spam
LINK_SPAM: Final = "link_spam"
REPEATED_TEXT: Final = "repeated_text"
DUPLICATE: Final = "duplicate"

KIND_OF_REASON: Final[dict[str, str]] = {
    PERSONAL_ID: PERSONAL_DATA,
    POSSIBLE_PERSONAL_ID: PERSONAL_DATA,
    PHONE: PERSONAL_DATA,
    EMAIL: PERSONAL_DATA,
    ADDRESS: PERSONAL_DATA,
    PERSON_NAME: PERSONAL_DATA,
    PROFANITY: OFFENSIVE,
    SLUR: OFFENSIVE,
    LINK_SPAM: SPAM,
    REPEATED_TEXT: SPAM,
    DUPLICATE: SPAM,
}
REASONS: Final = frozenset(KIND_OF_REASON)


@dataclass(frozen=True, slots=True)
class Finding:
    """One thing screening found: ``text[start:end]`` is what it points at."""

    kind: str
    start: int
    end: int
    reason: str

    def __post_init__(self) -> None:
        if KIND_OF_REASON.get(self.reason) != self.kind:
            raise ValueError(f"reason {self.reason!r} is not of kind {self.kind!r}")
        if not 0 <= self.start <= self.end:
            raise ValueError(f"bad span {self.start}..{self.end}")

    @classmethod
    def of(cls, reason: str, start: int, end: int) -> Finding:
        """A finding whose kind follows from its reason."""
        return cls(KIND_OF_REASON[reason], start, end, reason)

    @property
    def span(self) -> tuple[int, int]:
        return (self.start, self.end)

    @property
    def is_personal_data(self) -> bool:
        return self.kind == PERSONAL_DATA
