"""SQLModel tables of the digiraati. Everything hangs off a ``Deliberation``
of kind "digiraati" by ``deliberation_id``.

Personal data: only ``Volunteer.contact`` (the recruitment CSV's contact columns)
and ``Invitation.label`` (a name the facilitator typed) can hold it; both are
shown to staff only, and the contacts are deleted when the panel is final.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Column, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from deliberation.models import utcnow


class Digiraati(SQLModel, table=True):
    """The digiraati's own settings, one row per deliberation."""

    id: int | None = Field(default=None, primary_key=True)
    deliberation_id: int = Field(foreign_key="deliberation.id", unique=True)
    # Background material: the facilitator's Markdown and its sanitised HTML.
    background_source: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    background_html: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    panel_size: int = 0
    # Whether anyone with the link may read along (only the panel, experts and staff write).
    public_read: bool = False
    # The quotas as JSON: {"category": {"value": {"min": n, "max": m}}}.
    quotas: str = Field(default="{}", sa_column=Column(Text, nullable=False, default="{}"))
    # The last draw: its seed (shown and published) and the algorithm that ran.
    seed: int | None = None
    algorithm: str = Field(default="", max_length=20)
    drawn_at: datetime | None = None
    # A draw running in the background: its seed (None: no draw is running) and
    # when its server process was last heard from. A draw not heard from for
    # ``panels.DRAW_STALE_AFTER`` was lost (the server restarted) and counts as
    # failed, so the panel is never stuck "running".
    draw_seed: int | None = None
    draw_alive_at: datetime | None = None
    # Why the last background draw failed, as JSON {"code": ..., "params": {...}}
    # (a DomainError); None after a success or a new start.
    draw_error: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    # Once final, no more draws; the contact columns are gone.
    panel_final_at: datetime | None = None
    contacts_deleted_at: datetime | None = None
    published_at: datetime | None = None
    created_at: datetime = Field(default_factory=utcnow)


class Volunteer(SQLModel, table=True):
    """One row of the recruitment CSV."""

    __table_args__ = (UniqueConstraint("deliberation_id", "row_number"),)

    id: int | None = Field(default=None, primary_key=True)
    deliberation_id: int = Field(foreign_key="deliberation.id", index=True)
    row_number: int
    # Category values as JSON {"category": "value"}; kept for the published composition.
    categories: str = Field(sa_column=Column(Text, nullable=False))
    # Contact columns as JSON; personal data, staff only, None once deleted.
    contact: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    # "pool" | "selected" | "declined" (selected, then said no) | "replacement"
    status: str = Field(default="pool", max_length=12)
    # The chance the last draw's distribution gave this volunteer.
    probability: float = 0.0


class Expert(SQLModel, table=True):
    """A staff account (role "expert") named as an expert of one digiraati."""

    __table_args__ = (UniqueConstraint("deliberation_id", "staff_user_id"),)

    id: int | None = Field(default=None, primary_key=True)
    deliberation_id: int = Field(foreign_key="deliberation.id", index=True)
    staff_user_id: int = Field(foreign_key="staffuser.id")
    # How the panel sees the expert: a name and a title the facilitator gives.
    display_name: str = Field(max_length=120)


class Invitation(SQLModel, table=True):
    """A single-use link for one panellist. Only the token's hash is stored."""

    id: int | None = Field(default=None, primary_key=True)
    deliberation_id: int = Field(foreign_key="deliberation.id", index=True)
    token_hash: str = Field(max_length=64, unique=True)
    volunteer_id: int | None = Field(default=None, foreign_key="volunteer.id")
    # Who it is for, as the facilitator wrote it (staff only).
    label: str = Field(default="", max_length=120)
    created_at: datetime = Field(default_factory=utcnow)
    expires_at: datetime | None = None
    used_at: datetime | None = None
    revoked_at: datetime | None = None
    participant_id: int | None = Field(default=None, foreign_key="participant.id")


class PanelMember(SQLModel, table=True):
    """A participant who joined by an invitation: one invitation, one panellist."""

    __table_args__ = (UniqueConstraint("deliberation_id", "participant_id"),)

    id: int | None = Field(default=None, primary_key=True)
    deliberation_id: int = Field(foreign_key="deliberation.id", index=True)
    participant_id: int = Field(foreign_key="participant.id")
    invitation_id: int = Field(foreign_key="invitation.id", unique=True)
    # Whether the panellist chose a display name (else the pseudonym is kept).
    named: bool = False
    # Writers may edit the statement's sections directly.
    writer: bool = False
    joined_at: datetime = Field(default_factory=utcnow)


class Phase(SQLModel, table=True):
    """One of the fixed phases, opened and closed by hand or on schedule."""

    __table_args__ = (UniqueConstraint("deliberation_id", "name"),)

    id: int | None = Field(default=None, primary_key=True)
    deliberation_id: int = Field(foreign_key="deliberation.id", index=True)
    name: str = Field(max_length=20)
    position: int
    starts_at: datetime | None = None
    ends_at: datetime | None = None
    # A facilitator's hand overrides the schedule.
    opened_at: datetime | None = None
    closed_at: datetime | None = None
    # The state last announced by an event ("pending" | "open" | "closed"), so a
    # schedule passing is announced exactly once.
    announced: str = Field(default="pending", max_length=10)


class HearingQuestion(SQLModel, table=True):
    """What the hearing adds to a panellist's question (itself a ``Post`` in the
    digiraati's hearing thread, so it is screened and moderated like any post)."""

    post_id: int = Field(foreign_key="post.id", primary_key=True)
    deliberation_id: int = Field(foreign_key="deliberation.id", index=True)
    answered_at: datetime | None = None
    # A duplicate merged into another question: its supports moved there.
    merged_into: int | None = Field(default=None, foreign_key="post.id")


class PhaseThread(SQLModel, table=True):
    """Which phase a ``Question`` (thread) of a digiraati belongs to: the
    introductions in orientation, the hearing's questions, the deliberation's
    sub-questions. Posting there is allowed only while that phase is open."""

    question_id: int = Field(foreign_key="question.id", primary_key=True)
    deliberation_id: int = Field(foreign_key="deliberation.id", index=True)
    phase: str = Field(max_length=20)


class HearingAnswer(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    post_id: int = Field(foreign_key="post.id", index=True)
    expert_id: int = Field(foreign_key="expert.id")
    body: str = Field(sa_column=Column(Text, nullable=False))
    created_at: datetime = Field(default_factory=utcnow)


# --- the statement (part 2) --------------------------------------------------------

class Section(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    deliberation_id: int = Field(foreign_key="deliberation.id", index=True)
    position: int = 0
    title: str = Field(max_length=200)
    # The newest version number; a save names the version it edited (optimistic lock).
    version: int = 0


class SectionVersion(SQLModel, table=True):
    """Every save of a section's text, kept forever."""

    __table_args__ = (UniqueConstraint("section_id", "number"),)

    id: int | None = Field(default=None, primary_key=True)
    section_id: int = Field(foreign_key="section.id", index=True)
    number: int
    text: str = Field(sa_column=Column(Text, nullable=False))
    author: str = Field(max_length=120)
    amendment_id: int | None = Field(default=None, foreign_key="amendment.id")
    created_at: datetime = Field(default_factory=utcnow)


class Amendment(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    section_id: int = Field(foreign_key="section.id", index=True)
    participant_id: int = Field(foreign_key="participant.id")
    base_version: int
    text: str = Field(sa_column=Column(Text, nullable=False))
    reason: str = Field(sa_column=Column(Text, nullable=False))
    # "open" | "accepted" | "declined"
    status: str = Field(default="open", max_length=10)
    decision_reason: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    support_count: int = 0
    created_at: datetime = Field(default_factory=utcnow)
    decided_at: datetime | None = None
    # Moderation state, as a post's (screened once, see deliberation/verdicts.py):
    #   "published" - the panel sees it;
    #   "held"      - waiting for a moderator, only its author sees it;
    #   "rejected"  - a moderator refused it, only its author sees it and why.
    moderation: str = Field(default="published", max_length=12)
    # The stored verdict: decision, reason codes and findings (JSON list of
    # {kind, start, end, reason} on "text\nreason", the text that was screened).
    verdict: str = Field(default="publish", max_length=10)
    hold_reasons: str = Field(default="", max_length=400)
    findings: str = Field(default="[]", sa_column=Column(Text, nullable=False, default="[]"))
    rejection_reason: str = Field(default="", max_length=40)


class AmendmentSupport(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("amendment_id", "participant_id"),)

    id: int | None = Field(default=None, primary_key=True)
    amendment_id: int = Field(foreign_key="amendment.id", index=True)
    participant_id: int = Field(foreign_key="participant.id")


class AmendmentComment(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    amendment_id: int = Field(foreign_key="amendment.id", index=True)
    author: str = Field(max_length=120)
    participant_id: int | None = Field(default=None, foreign_key="participant.id")
    body: str = Field(sa_column=Column(Text, nullable=False))
    # Screened like posts: "published" | "held" | "rejected" (see Amendment.moderation)
    status: str = Field(default="published", max_length=12)
    created_at: datetime = Field(default_factory=utcnow)
    # The stored verdict, as on Amendment (findings on ``body``).
    verdict: str = Field(default="publish", max_length=10)
    hold_reasons: str = Field(default="", max_length=400)
    findings: str = Field(default="[]", sa_column=Column(Text, nullable=False, default="[]"))
    rejection_reason: str = Field(default="", max_length=40)


class Vote(SQLModel, table=True):
    """One panellist's vote on one section; the unique key makes it one."""

    __table_args__ = (UniqueConstraint("section_id", "participant_id"),)

    id: int | None = Field(default=None, primary_key=True)
    section_id: int = Field(foreign_key="section.id", index=True)
    participant_id: int = Field(foreign_key="participant.id")
    choice: str = Field(max_length=12)  # "agree" | "accept" | "disagree"
    updated_at: datetime = Field(default_factory=utcnow)


class SectionResponse(SQLModel, table=True):
    """The county's answer to one section: what was done with it."""

    id: int | None = Field(default=None, primary_key=True)
    section_id: int = Field(foreign_key="section.id", unique=True)
    status: str = Field(max_length=16)  # "accepted" | "partly" | "not_taken"
    reasons: str = Field(sa_column=Column(Text, nullable=False))
    responded_on: date
    updated_at: datetime = Field(default_factory=utcnow)
