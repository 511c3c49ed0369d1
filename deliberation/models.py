"""SQLModel tables and the public shapes of the deliberation domain.

Times are aware UTC datetimes (SQLModel's UTCDateTime stores them as UTC on
SQLite and PostgreSQL alike); ``utcnow`` is the one place that makes them.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import Column, Index, Text, UniqueConstraint
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
    token_hash: str = Field(max_length=64)
    pseudonym: str = Field(max_length=80)
    created_at: datetime = Field(default_factory=utcnow)
    # Moderation state: a muted participant's posts are all held; a banned one cannot post.
    muted: bool = False
    banned: bool = False


class Post(SQLModel, table=True):
    """An idea (no parent) or a reply in its thread."""

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
