"""The reject and hide forms start from the reason that fits what was found."""

from __future__ import annotations

import pytest

from moderation.reasons import DECISION_REASONS, suggested_reason


@pytest.mark.parametrize(("found", "flags", "reason"), [
    (("phone",), None, "personal_data"),
    (("profanity", "email"), None, "personal_data"),
    (("slur",), None, "offensive"),
    (("link_spam",), None, "spam"),
    (("premoderation",), None, "other"),
    ((), {"off_topic": 3, "offensive": 1}, "off_topic"),
    ((), {"spam": 2, "offensive": 2}, "offensive"),
    ((), None, "other"),
])
def test_suggested_reason(found: tuple[str, ...], flags: dict[str, int] | None,
                          reason: str) -> None:
    assert suggested_reason(found, flags) == reason
    assert reason in DECISION_REASONS
