"""The moderators' queue: held posts and posts residents flagged, oldest first,
with what screening found marked in the text.

Reasons and findings are the verdict stored when the post was judged (sent or
resubmitted, see deliberation/verdicts.py): the queue never screens again, so
a post held as sent twice shows that reason, as its author saw it.
"""

from __future__ import annotations

import itertools
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func, or_
from sqlmodel import Session, col, select

from deliberation.models import Deliberation, Participant, Post, Question, utcnow
from deliberation.verdicts import stored_verdicts
from moderation.models import Flag
from moderation.screening import Finding

QUEUE_LIMIT = 200


@dataclass(frozen=True)
class Segment:
    """A stretch of a post's text; ``reasons`` is empty for unmarked text."""

    text: str
    reasons: tuple[str, ...] = ()


@dataclass
class QueueItem:
    post: Post
    pseudonym: str
    participant: Participant
    session: Deliberation
    question: str
    # "held": never published; "flagged": public, reported; "hidden": hidden by flags.
    state: str
    waiting_since: datetime
    findings: tuple[Finding, ...] = ()
    reasons: tuple[str, ...] = ()
    flag_reasons: dict[str, int] = field(default_factory=dict)
    segments: list[Segment] = field(default_factory=list)

    def waiting_seconds(self, now: datetime | None = None) -> int:
        return max(0, int(((now or utcnow()) - self.waiting_since).total_seconds()))


def segments(text: str, findings: tuple[Finding, ...] | list[Finding]) -> list[Segment]:
    """``text`` cut at every finding boundary; each piece knows which findings cover it.
    Overlapping findings give pieces with several reasons. Joined, the pieces are
    the text again."""
    cuts = sorted({0, len(text), *(min(f.start, len(text)) for f in findings),
                   *(min(f.end, len(text)) for f in findings)})
    out: list[Segment] = []
    for start, end in itertools.pairwise(cuts):
        if start == end:
            continue
        covering = tuple(sorted({f.reason for f in findings if f.start <= start and end <= f.end}))
        out.append(Segment(text[start:end], covering))
    return out


def _open_flags(db: Session, post_ids: list[int]) -> dict[int, list[Flag]]:
    if not post_ids:
        return {}
    rows = db.exec(select(Flag).where(col(Flag.post_id).in_(post_ids),
                                      col(Flag.resolved).is_(False))).all()
    out: dict[int, list[Flag]] = {}
    for f in rows:
        out.setdefault(f.post_id, []).append(f)
    return out


def queue_items(db: Session, *, deliberation_id: int | None = None,
                limit: int = QUEUE_LIMIT) -> list[QueueItem]:
    """What waits for a moderator, oldest wait first."""
    flagged_ids = select(Flag.post_id).where(col(Flag.resolved).is_(False))
    query = (
        select(Post, Participant, Deliberation, Question.text)
        .join(Participant, col(Participant.id) == col(Post.participant_id))
        .join(Deliberation, col(Deliberation.id) == col(Post.deliberation_id))
        .join(Question, col(Question.id) == col(Post.question_id))
        .where(or_(col(Post.status) == "held", col(Post.id).in_(flagged_ids)))
    )
    if deliberation_id is not None:
        query = query.where(Post.deliberation_id == deliberation_id)
    # Held posts wait from creation, flagged ones from their first flag; ordering by
    # post id first keeps the limit cheap, the exact order is settled below.
    rows = db.exec(query.order_by(col(Post.id)).limit(limit * 2)).all()
    flags = _open_flags(db, [p.id for p, *_ in rows if p.id is not None])
    verdicts = stored_verdicts(db, [p for p, *_ in rows])
    items: list[QueueItem] = []
    for post, participant, d, question in rows:
        open_flags = flags.get(post.id or 0, [])
        verdict = verdicts[post.id or 0]
        found = verdict.findings
        if post.status == "held":
            state, since = "held", post.created_at
        else:
            state = "hidden" if post.status == "hidden" else "flagged"
            since = min((f.created_at for f in open_flags), default=post.created_at)
        items.append(QueueItem(
            post=post, pseudonym=participant.pseudonym, participant=participant, session=d,
            question=question, state=state, waiting_since=since, findings=found,
            reasons=verdict.reasons if state == "held" else (),
            flag_reasons=dict(Counter(f.reason for f in open_flags)),
            segments=segments(post.body, found),
        ))
    items.sort(key=lambda i: (i.waiting_since, i.post.id or 0))
    return items[:limit]


def queue_length(db: Session, *, deliberation_id: int | None = None) -> int:
    flagged_ids = select(Flag.post_id).where(col(Flag.resolved).is_(False))
    query = select(func.count()).select_from(Post).where(
        or_(col(Post.status) == "held", col(Post.id).in_(flagged_ids)))
    if deliberation_id is not None:
        query = query.where(Post.deliberation_id == deliberation_id)
    return int(db.exec(query).one())
