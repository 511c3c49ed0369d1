"""Moderation: screening of resident text, the publish/hold policy, and redaction.

Re-exports only; each concept lives in its own module beside this one.
"""

from moderation.findings import Finding
from moderation.policy import decide, redact
from moderation.screening import Screening, screen

__all__ = ["Finding", "Screening", "decide", "redact", "screen"]
