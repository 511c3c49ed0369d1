"""Reason codes of moderation and the plain-language explanation of each.

Screening reasons (moderation.screening.findings) and the hold reasons of deliberation
("premoderation", "muted") are explained to the author of a held post;
decision reasons label why a moderator rejected or hid a post, or why a
resident reported one. Texts are English msgids; the catalogs
web/locale/<lang>/moderation.po hold Finnish, Swedish and English.
"""

from __future__ import annotations

from typing import Final


def N_(message: str) -> str:
    """Marks a msgid for the catalogs; translated where it is shown."""
    return message


# Why a post waits: told to its author, in the words of the catalogs.
HOLD_EXPLANATIONS: Final[dict[str, str]] = {
    "personal_id": N_("Your message seems to contain a personal identity code (henkilötunnus). It must never be published: remove it."),
    "possible_personal_id": N_("Your message contains something that looks like a personal identity code. Remove it if it is one."),
    "phone": N_("Your message contains a phone number. Remove it: others' and your own contact details are not published."),
    "email": N_("Your message contains an e-mail address. Remove it: contact details are not published."),
    "address": N_("Your message contains a street address. Remove it, or say only the area or the town."),
    "person_name": N_("Your message seems to name a person. Write about roles instead, such as \"the nurse\" or \"my neighbour\"."),
    "profanity": N_("Your message contains swear words. Say the same thing without them."),
    "slur": N_("Your message contains words that insult a group of people."),
    "link_spam": N_("Your message has many links or looks like advertising."),
    "repeated_text": N_("Your message repeats the same text many times."),
    "duplicate": N_("You have already sent the same message."),
    "premoderation": N_("In this session a moderator reads every message before it is published."),
    "muted": N_("A moderator reads your messages before they are published."),
}

# Why a moderator rejected or hid a post, or why a resident reports one.
DECISION_REASONS: Final[dict[str, str]] = {
    "personal_data": N_("Personal data"),
    "offensive": N_("Offensive or insulting"),
    "spam": N_("Spam or advertising"),
    "off_topic": N_("Off topic"),
    "other": N_("Other reason"),
}
FLAG_REASONS: Final = DECISION_REASONS

# Reasons the system itself gives in the audit log.
SYSTEM_REASONS: Final[dict[str, str]] = {
    "flags": N_("Reported by several participants"),
    "screening": N_("Found by automatic screening"),
}

ALL_REASON_LABELS: Final[dict[str, str]] = {**DECISION_REASONS, **SYSTEM_REASONS}


def hold_explanation(reason: str) -> str:
    return HOLD_EXPLANATIONS.get(reason, N_("A moderator checks your message before it is published."))


def reason_label(reason: str) -> str:
    return ALL_REASON_LABELS.get(reason, reason)


# Short labels of screening and hold reasons, for moderators' eyes.
SCREENING_LABELS: Final[dict[str, str]] = {
    "personal_id": N_("Personal identity code"),
    "possible_personal_id": N_("Possible personal identity code"),
    "phone": N_("Phone number"),
    "email": N_("E-mail address"),
    "address": N_("Street address"),
    "person_name": N_("Person's name"),
    "profanity": N_("Swear word"),
    "slur": N_("Slur"),
    "link_spam": N_("Link spam"),
    "repeated_text": N_("Repeated text"),
    "duplicate": N_("Sent twice"),
    "premoderation": N_("Pre-moderation"),
    "muted": N_("Muted pseudonym"),
}

# What a row of the audit log did, in words.
ACTION_LABELS: Final[dict[str, str]] = {
    "approve": N_("Approved"),
    "reject": N_("Rejected"),
    "redact": N_("Redacted and published"),
    "hide": N_("Hidden"),
    "restore": N_("Restored"),
    "auto_hide": N_("Hidden by reports"),
    "mute": N_("Pseudonym muted"),
    "unmute": N_("Mute lifted"),
    "ban": N_("Pseudonym banned"),
    "unban": N_("Ban lifted"),
}

# A post's moderation state, in words.
STATUS_LABELS: Final[dict[str, str]] = {
    "published": N_("Published"),
    "held": N_("Waiting for a moderator"),
    "rejected": N_("Rejected"),
    "hidden": N_("Hidden"),
}


def label(code: str) -> str:
    """The msgid naming any reason, action or status code (the code itself if unknown)."""
    for table in (SCREENING_LABELS, ALL_REASON_LABELS, ACTION_LABELS, STATUS_LABELS):
        if code in table:
            return table[code]
    return code


# Which decision reason a screening or hold reason suggests, so the reject or hide
# form starts from what was found (a moderator can still choose another).
_SUGGESTED_BY_FINDING: Final[dict[str, str]] = {
    "personal_id": "personal_data", "possible_personal_id": "personal_data",
    "phone": "personal_data", "email": "personal_data", "address": "personal_data",
    "person_name": "personal_data", "profanity": "offensive", "slur": "offensive",
    "link_spam": "spam", "repeated_text": "spam", "duplicate": "spam",
}


def suggested_reason(found: tuple[str, ...] | list[str],
                     flag_reasons: dict[str, int] | None = None) -> str:
    """The decision reason to preselect: from what screening found (personal data
    first, as it must never be published), else the reason most residents reported,
    else "other"."""
    suggested = [_SUGGESTED_BY_FINDING[r] for r in found if r in _SUGGESTED_BY_FINDING]
    for reason in ("personal_data", "offensive", "spam"):
        if reason in suggested:
            return reason
    if flag_reasons:
        return max(sorted(flag_reasons), key=lambda r: flag_reasons[r])
    return "other"
