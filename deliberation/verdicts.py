"""Verdicts: whether a post is published or held, and why, decided once and
stored with the post.

:func:`judge` runs screening (``moderation.screening``) on the text with the
author's recent posts, applies the session's moderation mode and the author's
sanctions. :func:`do_store_verdict` keeps the decision, the reason codes and
every finding (kind, span, reason) with the post, in the post's transaction.
Everyone who later explains the decision (the moderators' queue, the author's
page, a redaction) reads :func:`stored_verdicts`; nothing screens again to
explain a past decision.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete
from sqlmodel import Session, col, select

from deliberation.models import Deliberation, Participant, Post, PostFinding
from moderation.screening import Finding, decide, screen

PUBLISH = "publish"
HOLD = "hold"


@dataclass(frozen=True)
class Verdict:
    """Publish or hold a text by this author now, and why."""

    decision: str  # "publish" | "hold"
    # Screening reason codes, "premoderation" (pre-moderated session) or "muted".
    reasons: tuple[str, ...]
    findings: tuple[Finding, ...] = ()

    def findings_data(self) -> list[dict[str, Any]]:
        """The findings as plain data, for event payloads."""
        return [{"kind": f.kind, "start": f.start, "end": f.end, "reason": f.reason}
                for f in self.findings]


NO_VERDICT = Verdict(PUBLISH, ())


def judge(text: str, *, d: Deliberation, participant: Participant, names: bool,
          recent_texts: Sequence[str] = ()) -> Verdict:
    """Screening plus the session's mode plus the author's sanctions."""
    screening = screen(text, names=names, recent_texts=recent_texts)
    decision = HOLD if participant.muted else decide(d.moderation_mode, screening)
    reasons = list(screening.reasons)
    if participant.muted:
        reasons.append("muted")
    elif decision == HOLD and not reasons:
        reasons.append("premoderation")
    return Verdict(decision, tuple(reasons), screening.findings)


def do_store_verdict(db: Session, *, post: Post, verdict: Verdict) -> None:
    """Keep ``verdict`` as the post's verdict (replacing an earlier one)."""
    assert post.id is not None
    post.verdict = verdict.decision
    post.hold_reasons = " ".join(verdict.reasons)
    db.add(post)
    db.execute(delete(PostFinding).where(col(PostFinding.post_id) == post.id))
    for f in verdict.findings:
        db.add(PostFinding(post_id=post.id, kind=f.kind, start=f.start, end=f.end,
                           reason=f.reason))
    db.flush()


def do_forget_findings(db: Session, *, post: Post) -> None:
    """The post's text changed (a redaction): its findings no longer point at it.
    The decision and its reasons stay as they were made."""
    db.execute(delete(PostFinding).where(col(PostFinding.post_id) == post.id))
    db.flush()


def stored_verdicts(db: Session, posts: Iterable[Post]) -> dict[int, Verdict]:
    """The stored verdict of each post, by post id, read in one query."""
    by_id = {p.id: p for p in posts if p.id is not None}
    found: dict[int, list[Finding]] = {i: [] for i in by_id}
    if by_id:
        rows = db.exec(select(PostFinding).where(col(PostFinding.post_id).in_(list(by_id)))
                       .order_by(col(PostFinding.start), col(PostFinding.end),
                                 col(PostFinding.id))).all()
        for row in rows:
            found[row.post_id].append(Finding(row.kind, row.start, row.end, row.reason))
    return {i: Verdict(p.verdict, tuple(p.hold_reasons.split()), tuple(found[i]))
            for i, p in by_id.items()}


def stored_verdict(db: Session, post: Post) -> Verdict:
    return stored_verdicts(db, [post]).get(post.id or 0, NO_VERDICT)
