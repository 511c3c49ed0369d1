"""Public moderation statistics of a session, for transparency: how many posts
were published, held, rejected and hidden, and the decisions counted by reason.
Nothing here tells who wrote or who decided."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import func
from sqlmodel import Session, select

from deliberation.models import Post
from moderation.models import Flag, ModerationAction


@dataclass
class SessionStats:
    posts_by_status: dict[str, int] = field(default_factory=dict)
    # (action, reason) -> count, for every decision in the audit log
    decisions: dict[tuple[str, str], int] = field(default_factory=dict)
    flags_by_reason: dict[str, int] = field(default_factory=dict)

    @property
    def total_posts(self) -> int:
        return sum(self.posts_by_status.values())


def session_stats(db: Session, *, deliberation_id: int) -> SessionStats:
    statuses = db.exec(select(Post.status, func.count()).where(
        Post.deliberation_id == deliberation_id).group_by(Post.status)).all()
    decisions = db.exec(
        select(ModerationAction.action, ModerationAction.reason, func.count())
        .where(ModerationAction.deliberation_id == deliberation_id)
        .group_by(ModerationAction.action, ModerationAction.reason)).all()
    flags = db.exec(select(Flag.reason, func.count()).where(
        Flag.deliberation_id == deliberation_id).group_by(Flag.reason)).all()
    return SessionStats(
        posts_by_status={s: int(n) for s, n in statuses},
        decisions={(a, r): int(n) for a, r, n in sorted(decisions)},
        flags_by_reason={r: int(n) for r, n in sorted(flags)},
    )
