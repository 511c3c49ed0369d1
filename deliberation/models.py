"""SQLModel tables and the public shapes of the deliberation domain.

Times are aware UTC datetimes (SQLModel's UTCDateTime stores them as UTC on
SQLite and PostgreSQL alike); ``utcnow`` is the one place that makes them.
"""

from __future__ import annotations

import secrets
from datetime import UTC, date, datetime

from sqlalchemy import Column, Index, LargeBinary, Text, UniqueConstraint
from sqlmodel import Field, SQLModel


def utcnow() -> datetime:
    return datetime.now(UTC)


class Deliberation(SQLModel, table=True):
    """A brainstorming session or a digiraati: what residents join by link."""

    id: int | None = Field(default=None, primary_key=True)
    slug: str = Field(index=True, unique=True, max_length=80)
    kind: str = Field(default="brainstorm", max_length=20)  # "brainstorm" | "digiraati"
    title: str = Field(max_length=200)
    introduction: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    opens_at: datetime | None = None
    closes_at: datetime | None = None
    # "post": published at once, risky posts held; "pre": nothing public until approved.
    moderation_mode: str = Field(default="post", max_length=10)
    # The last event sequence number handed out; the row lock on it orders events.
    last_seq: int = Field(default=0)
    created_at: datetime = Field(default_factory=utcnow)
    # Keys the participants' token hashes (deliberation/participants.py), so one
    # browser's rows in two sessions cannot be linked. Never shown, never exported.
    token_key: str = Field(default_factory=lambda: secrets.token_hex(32), max_length=64)
    # Lifecycle (deliberation/lifecycle.py): None is a draft, seen by staff only.
    published_at: datetime | None = None
    # When staff published "what was done with your input" (the theme responses).
    results_published_at: datetime | None = None
    # Shown once the session has closed (Finnish; other languages in ContentText).
    closing_message: str = Field(default="", sa_column=Column(Text, nullable=False,
                                                                default=""))


class Question(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    deliberation_id: int = Field(foreign_key="deliberation.id", index=True)
    position: int = 0
    text: str = Field(sa_column=Column(Text, nullable=False))
    # A question removed in an edit keeps its posts but is no longer shown.
    active: bool = True


class Participant(SQLModel, table=True):
    """A resident in one session: a random pseudonym tied to a hashed cookie token.

    Nothing identifying is stored: no IP address, no user agent, no account.
    """

    __table_args__ = (
        UniqueConstraint("deliberation_id", "token_hash"),
        UniqueConstraint("deliberation_id", "pseudonym"),
    )

    id: int | None = Field(default=None, primary_key=True)
    deliberation_id: int = Field(foreign_key="deliberation.id", index=True)
    # "k1$" + HMAC-SHA256(session's token_key, token); legacy rows: plain SHA-256 hex.
    token_hash: str = Field(max_length=64)
    pseudonym: str = Field(max_length=80)
    created_at: datetime = Field(default_factory=utcnow)
    # Moderation state: a muted participant's posts are all held; a banned one cannot post.
    muted: bool = False
    banned: bool = False
    # When this resident last saw the published results (for the returning notice).
    results_seen_at: datetime | None = None
    # Only whether feedback was given: the answer itself is stored without a link.
    feedback_given: bool = False


class Post(SQLModel, table=True):
    """An idea (no parent) or a reply in its thread."""

    # Posting limits count an author's and a session's posts of the last minute.
    __table_args__ = (
        Index("ix_post_participant_created", "participant_id", "created_at"),
        Index("ix_post_deliberation_created", "deliberation_id", "created_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    deliberation_id: int = Field(foreign_key="deliberation.id", index=True)
    question_id: int = Field(foreign_key="question.id", index=True)
    # Replies always point at the thread's first post, so threads are one level deep.
    parent_id: int | None = Field(default=None, foreign_key="post.id", index=True)
    participant_id: int = Field(foreign_key="participant.id", index=True)
    body: str = Field(sa_column=Column(Text, nullable=False))
    # Moderation state:
    #   "published" - visible to everyone;
    #   "held"      - waiting for a moderator (screening or pre-moderation);
    #   "rejected"  - a moderator refused it, the author sees why;
    #   "hidden"    - was published, then hidden by a moderator or by flags.
    status: str = Field(default="published", max_length=12, index=True)
    support_count: int = 0
    created_at: datetime = Field(default_factory=utcnow)
    published_at: datetime | None = None
    # The verdict made when the post was judged (sent or resubmitted), stored so
    # that it is never worked out again to explain itself (deliberation/verdicts.py):
    #   verdict      - "publish" or "hold";
    #   hold_reasons - space-separated reason codes (screening's, "premoderation",
    #                  "muted"); the findings behind them are PostFinding rows.
    verdict: str = Field(default="publish", max_length=10)
    hold_reasons: str = Field(default="", max_length=400)


class PostFinding(SQLModel, table=True):
    """One thing screening found in a post when it was judged: ``body[start:end]``."""

    id: int | None = Field(default=None, primary_key=True)
    post_id: int = Field(foreign_key="post.id", index=True)
    kind: str = Field(max_length=20)  # personal_data | offensive | spam
    start: int
    end: int
    reason: str = Field(max_length=30)  # a reason code of moderation.screening.findings


class Support(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("post_id", "participant_id"),)

    id: int | None = Field(default=None, primary_key=True)
    post_id: int = Field(foreign_key="post.id", index=True)
    participant_id: int = Field(foreign_key="participant.id")
    created_at: datetime = Field(default_factory=utcnow)


class Event(SQLModel, table=True):
    """The event log: every change, numbered per session, written with the change."""

    __table_args__ = (
        UniqueConstraint("deliberation_id", "seq"),
        Index("ix_event_deliberation_seq", "deliberation_id", "seq"),
    )

    id: int | None = Field(default=None, primary_key=True)
    deliberation_id: int = Field(foreign_key="deliberation.id")
    seq: int
    kind: str = Field(max_length=40)
    # Who may see it: "public", "staff", or "participant:<id>".
    audience: str = Field(default="public", max_length=40)
    payload: str = Field(sa_column=Column(Text, nullable=False))  # JSON object
    created_at: datetime = Field(default_factory=utcnow)


class StaffUser(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    username: str = Field(index=True, unique=True, max_length=80)
    password_hash: str = Field(max_length=200)
    role: str = Field(default="facilitator", max_length=20)  # admin | facilitator | moderator
    created_at: datetime = Field(default_factory=utcnow)
    # A deleted account stays as a row (the audit log points at it) but can never
    # log in again: inactive, its password hash emptied, its sessions ended.
    active: bool = True


class StaffSession(SQLModel, table=True):
    """A logged-in staff member's session, kept on the server so that logout,
    a password change or deleting the account end it at once. The cookie holds
    a random id; only its hash is stored (a database leak opens no session)."""

    id: int | None = Field(default=None, primary_key=True)
    id_hash: str = Field(max_length=64, unique=True)
    staff_id: int = Field(foreign_key="staffuser.id", index=True)
    created_at: datetime = Field(default_factory=utcnow)
    last_seen_at: datetime = Field(default_factory=utcnow)
    expires_at: datetime


class ContentText(SQLModel, table=True):
    """A Swedish or English version of a session's text (Finnish lives on the row
    itself): ``field`` names what it translates, ``ref_id`` which row (0 for the
    session's own title, introduction and closing message)."""

    __table_args__ = (UniqueConstraint("deliberation_id", "field", "ref_id", "lang"),)

    id: int | None = Field(default=None, primary_key=True)
    deliberation_id: int = Field(foreign_key="deliberation.id", index=True)
    field: str = Field(max_length=20)  # see deliberation.content.FIELDS
    ref_id: int = 0
    lang: str = Field(max_length=5)
    text: str = Field(sa_column=Column(Text, nullable=False))


class Organisation(SQLModel, table=True):
    """The county running this Raati: one row (id 1), shown on every page.
    Texts that have language versions live in OrganisationText."""

    id: int | None = Field(default=None, primary_key=True)
    logo_url: str = Field(default="", max_length=500)
    # An uploaded logo (PNG, JPEG or WebP; never SVG, which can carry script).
    logo_bytes: bytes | None = Field(default=None, sa_column=Column(LargeBinary, nullable=True))
    logo_type: str = Field(default="", max_length=20)
    contact_email: str = Field(default="", max_length=200)
    contact_phone: str = Field(default="", max_length=40)
    website_url: str = Field(default="", max_length=500)
    privacy_url: str = Field(default="", max_length=500)
    # Accessibility statement template: "full" | "partial" | "none".
    a11y_conformance: str = Field(default="partial", max_length=10)
    a11y_assessed_on: date | None = None
    a11y_feedback_email: str = Field(default="", max_length=200)
    updated_at: datetime = Field(default_factory=utcnow)


class OrganisationText(SQLModel, table=True):
    """A language version of an organisation text (name, contact, privacy notice,
    discussion rules, known accessibility issues)."""

    __table_args__ = (UniqueConstraint("field", "lang"),)

    id: int | None = Field(default=None, primary_key=True)
    field: str = Field(max_length=30)  # see deliberation.organisation.TEXT_FIELDS
    lang: str = Field(max_length=5)
    text: str = Field(sa_column=Column(Text, nullable=False))


class ThemeResponse(SQLModel, table=True):
    """Closing the loop: what the county did with one theme of residents' input.
    The theme is copied (label, size) because theme reports are recomputed."""

    id: int | None = Field(default=None, primary_key=True)
    deliberation_id: int = Field(foreign_key="deliberation.id", index=True)
    position: int = 0
    label: str = Field(max_length=200)
    post_count: int = 0
    status: str = Field(default="considered", max_length=20)  # see outcomes.STATUSES
    response: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    updated_at: datetime = Field(default_factory=utcnow)


class Feedback(SQLModel, table=True):
    """A resident's answer to "did you feel heard?". Anonymous by design: no
    participant link, and only the day it was given."""

    id: int | None = Field(default=None, primary_key=True)
    deliberation_id: int = Field(foreign_key="deliberation.id", index=True)
    context: str = Field(max_length=12)  # "first_post" | "closed"
    score: int | None = None  # 1..5, or None when only text was given
    text: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    given_on: date
