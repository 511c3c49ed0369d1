"""SQLModel tables of moderation: residents' flags and the append-only audit log.

A post's own moderation state (held, published, rejected, hidden) and a
participant's sanctions (muted, banned) live on ``Post`` and ``Participant`` in
deliberation/models.py; these tables hold what moderation adds beside them.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, Index, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from deliberation.models import utcnow


class Flag(SQLModel, table=True):
    """A resident's report that a post breaks the rules, with a reason code."""

    __table_args__ = (UniqueConstraint("post_id", "participant_id"),)

    id: int | None = Field(default=None, primary_key=True)
    deliberation_id: int = Field(foreign_key="deliberation.id", index=True)
    post_id: int = Field(foreign_key="post.id", index=True)
    # Who reported: one flag per participant and post, so a threshold counts people.
    participant_id: int = Field(foreign_key="participant.id")
    reason: str = Field(max_length=20)
    created_at: datetime = Field(default_factory=utcnow)
    # Moderation state: an open flag puts the post in the queue; any decision on the
    # post resolves its open flags (they stay stored for statistics).
    resolved: bool = Field(default=False, index=True)


class ModerationAction(SQLModel, table=True):
    """One moderation decision: who, when, what, why. Rows are never updated or
    deleted (database triggers refuse it, see migration 0002)."""

    __table_args__ = (Index("ix_moderationaction_deliberation_id_id", "deliberation_id", "id"),)

    id: int | None = Field(default=None, primary_key=True)
    deliberation_id: int = Field(foreign_key="deliberation.id")
    created_at: datetime = Field(default_factory=utcnow)
    # None with actor_name "system" when flags hid a post automatically.
    actor_id: int | None = Field(default=None, foreign_key="staffuser.id")
    # A copy of the username, so the log reads the same if the account is renamed.
    actor_name: str = Field(max_length=80)
    action: str = Field(max_length=20)  # see moderation.decisions.ACTIONS
    reason: str = Field(default="", max_length=30)
    post_id: int | None = Field(default=None, foreign_key="post.id")
    participant_id: int | None = Field(default=None, foreign_key="participant.id")
    # Free text from the moderator; for a rejection it is shown to the author.
    note: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
