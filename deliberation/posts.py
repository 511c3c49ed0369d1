"""Posts, replies and supports: the rules of taking part in a live thread."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import func, update
from sqlmodel import Session, col, select

from deliberation.errors import DomainError, Forbidden, NotFound, is_id
from deliberation.events import STAFF, EventOut, participant_audience, record_event
from deliberation.models import Deliberation, Participant, Post, Question, Support, utcnow
from deliberation.sessions import check_open
from deliberation.text import check_post_body, render_body
from deliberation.verdicts import HOLD, PUBLISH, Verdict, do_store_verdict, judge

# How many of the author's latest posts screening compares a new one with (repeats).
_RECENT_FOR_SCREENING = 5


@dataclass(frozen=True)
class PostingLimits:
    per_participant_per_minute: int = 5
    per_session_per_minute: int = 600
    detect_names: bool = True


def access_public_post(db: Session, *, d: Deliberation, participant: Participant,
                       post_id: object, own_code: str, now: datetime | None = None) -> Post:
    """A published post of this open session that this participant may act on
    (support, report): not their own (``own_code`` says no), and not banned."""
    check_open(d, now)
    if participant.banned:
        raise Forbidden("participant_banned")
    if not is_id(post_id):
        raise NotFound("post_not_found")
    post = db.get(Post, post_id)
    if post is None or post.deliberation_id != d.id or post.status != "published":
        raise NotFound("post_not_found")
    if post.participant_id == participant.id:
        raise DomainError(own_code)
    return post


@dataclass
class PostOutcome:
    post: Post
    view: dict[str, Any]
    status: str  # "published" | "held"
    reasons: list[str] = field(default_factory=list)
    events: list[EventOut] = field(default_factory=list)


def iso(dt: datetime | None) -> str | None:
    if dt is None:
        return None
    return dt.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def post_view(post: Post, author: str) -> dict[str, Any]:
    """What anyone allowed to see the post gets: never the raw cookie token or IDs of people."""
    return {
        "id": post.id,
        "question_id": post.question_id,
        "parent_id": post.parent_id,
        "author": author,
        "body_html": render_body(post.body),
        "support_count": post.support_count,
        "status": post.status,
        "created_at": iso(post.created_at),
    }


def _check_rate(db: Session, *, d: Deliberation, participant: Participant,
                limits: PostingLimits, now: datetime) -> None:
    since = now - timedelta(minutes=1)
    own = db.exec(
        select(func.count()).select_from(Post).where(
            Post.participant_id == participant.id, Post.created_at >= since
        )
    ).one()
    if own >= limits.per_participant_per_minute:
        raise DomainError("rate_limited", limit=limits.per_participant_per_minute)
    everyone = db.exec(
        select(func.count()).select_from(Post).where(
            Post.deliberation_id == d.id, Post.created_at >= since
        )
    ).one()
    if everyone >= limits.per_session_per_minute:
        raise DomainError("session_busy")


def _thread_root(db: Session, *, d: Deliberation, question_id: int,
                 parent_id: int | None) -> int | None:
    if parent_id is None:
        return None
    if not is_id(parent_id):
        raise NotFound("post_not_found")
    parent = db.get(Post, parent_id)
    if parent is None or parent.deliberation_id != d.id or parent.status != "published":
        raise NotFound("post_not_found")
    if parent.question_id != question_id:
        raise DomainError("reply_wrong_question")
    # Threads are one level deep: a reply to a reply joins the same thread.
    return parent.parent_id or parent.id


def _check_question(db: Session, *, d: Deliberation, question_id: object) -> int:
    if not is_id(question_id):
        raise DomainError("question_required")
    q = db.get(Question, question_id)
    if q is None or q.deliberation_id != d.id or not q.active:
        raise NotFound("question_not_found")
    return question_id


def recent_bodies(db: Session, *, participant_id: int, except_post: int | None = None) -> list[str]:
    """The author's latest posts, newest first: screening reads a new text with
    them (repeats, personal data split over posts)."""
    query = select(Post.body).where(Post.participant_id == participant_id)
    if except_post is not None:
        query = query.where(col(Post.id) != except_post)
    return list(db.exec(query.order_by(col(Post.id).desc()).limit(_RECENT_FOR_SCREENING)).all())


def do_create_post(
    db: Session, *, d: Deliberation, participant: Participant, question_id: object,
    parent_id: int | None, body: object, limits: PostingLimits = PostingLimits(),
    now: datetime | None = None,
) -> PostOutcome:
    now = now or utcnow()
    check_open(d, now)
    if participant.banned:
        raise Forbidden("participant_banned")
    text = check_post_body(body)
    qid = _check_question(db, d=d, question_id=question_id)
    root = _thread_root(db, d=d, question_id=qid, parent_id=parent_id)
    _check_rate(db, d=d, participant=participant, limits=limits, now=now)
    assert d.id is not None and participant.id is not None

    verdict = judge(text, d=d, participant=participant, names=limits.detect_names,
                    recent_texts=recent_bodies(db, participant_id=participant.id))
    published = verdict.decision == PUBLISH
    post = Post(
        deliberation_id=d.id, question_id=qid, parent_id=root, participant_id=participant.id,
        body=text, status="published" if published else "held", created_at=now,
        published_at=now if published else None,
    )
    db.add(post)
    db.flush()
    do_store_verdict(db, post=post, verdict=verdict)
    view = post_view(post, participant.pseudonym)
    if published:
        events = [record_event(db, deliberation_id=d.id, kind="post_published", data={"post": view})]
        return PostOutcome(post, view, "published", [], events)
    events = record_held(db, post=post, view=view, verdict=verdict)
    return PostOutcome(post, view, "held", list(verdict.reasons), events)


def record_held(db: Session, *, post: Post, view: dict[str, Any], verdict: Verdict,
                resubmitted: bool = False) -> list[EventOut]:
    """The events of a post held for a moderator: the text, reasons and findings
    for staff; the reasons for its author."""
    assert verdict.decision == HOLD
    reasons = list(verdict.reasons)
    staff_view = dict(view, body=post.body, reasons=reasons, findings=verdict.findings_data())
    if resubmitted:
        staff_view["resubmitted"] = True
    return [
        record_event(db, deliberation_id=post.deliberation_id, kind="post_held",
                     data={"post": staff_view}, audience=STAFF),
        record_event(db, deliberation_id=post.deliberation_id, kind="post_pending",
                     data={"post": view, "reasons": reasons},
                     audience=participant_audience(post.participant_id)),
    ]


@dataclass
class SupportOutcome:
    supported: bool
    support_count: int
    events: list[EventOut]


def do_toggle_support(
    db: Session, *, d: Deliberation, participant: Participant, post_id: object,
    now: datetime | None = None,
) -> SupportOutcome:
    post = access_public_post(db, d=d, participant=participant, post_id=post_id,
                              own_code="support_own_post", now=now)
    assert participant.id is not None and post.id is not None
    post_id = post.id
    # Lock the post's row first, so that toggles of one post (a double click, two
    # tabs, many residents) queue up here instead of racing each other.
    db.execute(update(Post).where(col(Post.id) == post_id)
               .values(support_count=col(Post.support_count)))
    existing = db.exec(
        select(Support).where(Support.post_id == post_id, Support.participant_id == participant.id)
    ).first()
    if existing is None:
        db.add(Support(post_id=post_id, participant_id=participant.id))
    else:
        db.delete(existing)
    db.flush()
    # The count is the rows, never a running sum that a lost race could skew.
    count = int(db.exec(
        select(func.count()).select_from(Support).where(Support.post_id == post_id)).one())
    # Written in SQL: the ORM would skip the write when its (stale) copy of the
    # post already shows this number.
    db.execute(update(Post).where(col(Post.id) == post_id).values(support_count=count))
    db.refresh(post)
    supported = existing is None
    assert d.id is not None
    event = record_event(db, deliberation_id=d.id, kind="post_support",
                         data={"post_id": post_id, "support_count": post.support_count})
    return SupportOutcome(supported, post.support_count, [event])


def do_hide_post(db: Session, *, post: Post, reason: str) -> EventOut:
    """Take a published post out of public view (a moderator's decision or flags)."""
    post.status = "hidden"
    db.add(post)
    db.flush()
    return record_event(db, deliberation_id=post.deliberation_id, kind="post_hidden",
                        data={"post_id": post.id, "reason": reason})


def do_publish_post(db: Session, *, post: Post, author: str, body: str | None = None,
                    now: datetime | None = None) -> EventOut:
    """Make a held or hidden post public (approve, redact, restore)."""
    if body is not None:
        post.body = body
    post.status = "published"
    post.published_at = post.published_at or now or utcnow()
    db.add(post)
    db.flush()
    return record_event(db, deliberation_id=post.deliberation_id, kind="post_published",
                        data={"post": post_view(post, author)})


# --- reading -------------------------------------------------------------------------

@dataclass
class Thread:
    post: dict[str, Any]
    replies: list[dict[str, Any]]


def threads_by_question(
    db: Session, *, d: Deliberation, viewer_id: int | None = None
) -> dict[int, list[Thread]]:
    """Published threads per question, newest idea first, replies oldest first.
    The viewer also sees their own posts waiting for a moderator."""
    visible = col(Post.status) == "published"
    if viewer_id is not None:
        visible = visible | ((col(Post.participant_id) == viewer_id) & (col(Post.status) == "held"))
    rows = db.exec(
        select(Post, Participant.pseudonym)
        .join(Participant, col(Participant.id) == col(Post.participant_id))
        .where(Post.deliberation_id == d.id, visible)
        .order_by(col(Post.id))
    ).all()
    threads: dict[int, Thread] = {}
    by_question: dict[int, list[Thread]] = {}
    for post, pseudonym in rows:
        view = post_view(post, pseudonym)
        view["own"] = post.participant_id == viewer_id
        if post.parent_id is None:
            assert post.id is not None
            threads[post.id] = Thread(view, [])
            by_question.setdefault(post.question_id, []).append(threads[post.id])
        elif post.parent_id in threads:
            threads[post.parent_id].replies.append(view)
    for items in by_question.values():
        items.reverse()
    return by_question


def supported_by(db: Session, *, participant_id: int) -> set[int]:
    return set(db.exec(select(Support.post_id).where(Support.participant_id == participant_id)).all())
