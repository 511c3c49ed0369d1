"""The author's side of moderation: their posts waiting for a moderator or
rejected, why (in the catalogs' words), and editing one and sending it again.

A resubmitted post keeps its id and is judged again like a new one (its new
verdict replaces the stored one): clean text in a post-moderated session is
published at once, anything else waits. Why a post waits is read from its
stored verdict, never worked out again.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, col, select

from deliberation.errors import DomainError, Forbidden, NotFound, is_id
from deliberation.models import Deliberation, Participant, Post
from deliberation.posts import (
    PostingLimits,
    PostOutcome,
    do_publish_post,
    post_view,
    recent_bodies,
    record_held,
)
from deliberation.sessions import check_open
from deliberation.text import check_post_body
from deliberation.verdicts import PUBLISH, Verdict, do_store_verdict, judge, stored_verdicts
from moderation.models import ModerationAction


@dataclass
class OwnPost:
    post: Post
    reasons: tuple[str, ...]  # hold reasons (screening codes, "premoderation", "muted")
    rejected_reason: str = ""
    rejected_note: str = ""
    verdict: Verdict | None = None  # the stored verdict of a held post (findings marked)


def own_waiting_posts(db: Session, *, d: Deliberation, participant: Participant) -> list[OwnPost]:
    posts = db.exec(select(Post).where(
        Post.deliberation_id == d.id, Post.participant_id == participant.id,
        col(Post.status).in_(("held", "rejected"))).order_by(col(Post.id))).all()
    verdicts = stored_verdicts(db, posts)
    out: list[OwnPost] = []
    for post in posts:
        verdict = verdicts[post.id or 0]
        if post.status == "held":
            out.append(OwnPost(post, verdict.reasons, verdict=verdict))
            continue
        last = db.exec(select(ModerationAction).where(
            ModerationAction.post_id == post.id, ModerationAction.action == "reject")
            .order_by(col(ModerationAction.id).desc())).first()
        out.append(OwnPost(post, (), last.reason if last else "", last.note if last else ""))
    return out


def access_own_post(db: Session, *, d: Deliberation, participant: Participant,
                    post_id: object) -> Post:
    if not is_id(post_id):
        raise NotFound("post_not_found")
    post = db.get(Post, post_id)
    if post is None or post.deliberation_id != d.id or post.participant_id != participant.id:
        raise NotFound("post_not_found")
    if post.status not in ("held", "rejected"):
        raise DomainError("post_not_editable")
    return post


def do_resubmit_post(db: Session, *, d: Deliberation, participant: Participant, post_id: object,
                     body: object, limits: PostingLimits | None = None) -> PostOutcome:
    limits = limits or PostingLimits()
    check_open(d)
    if participant.banned:
        raise Forbidden("participant_banned")
    post = access_own_post(db, d=d, participant=participant, post_id=post_id)
    text = check_post_body(body)
    assert d.id is not None and participant.id is not None
    recent = recent_bodies(db, participant_id=participant.id, except_post=post.id)
    verdict = judge(text, d=d, participant=participant, names=limits.detect_names,
                    recent_texts=recent)
    do_store_verdict(db, post=post, verdict=verdict)
    if verdict.decision == PUBLISH:
        event = do_publish_post(db, post=post, author=participant.pseudonym, body=text)
        return PostOutcome(post, post_view(post, participant.pseudonym), "published", [], [event])
    post.body, post.status = text, "held"
    db.add(post)
    db.flush()
    view = post_view(post, participant.pseudonym)
    events = record_held(db, post=post, view=view, verdict=verdict, resubmitted=True)
    return PostOutcome(post, view, "held", list(verdict.reasons), events)
