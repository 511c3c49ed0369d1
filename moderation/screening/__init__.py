"""Pure screening: text -> findings (personal data, profanity, spam) and the
policy (mode + findings -> publish or hold). No database, no I/O; may import
``nlp`` and nothing else of Raati, so ``deliberation`` can use it.

Findings are found on normalised views of the text (``normalise``) and always
point at the characters of the original text.
"""

from moderation.screening.findings import Finding
from moderation.screening.pipeline import Screening, find_split_personal_data, screen
from moderation.screening.policy import decide, redact, remaining_personal_data

__all__ = [
    "Finding",
    "Screening",
    "decide",
    "find_split_personal_data",
    "redact",
    "remaining_personal_data",
    "screen",
]
