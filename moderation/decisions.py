"""Moderators' decisions on posts: approve, reject, redact, hide, restore, bulk
approve. Each one changes the post, resolves its open flags, appends to the
audit log and records its events in the same transaction.

Events: residents see ``post_published`` / ``post_hidden`` (public) and
``post_rejected`` (the author only); every moderators' queue hears
``moderation_decided`` (staff).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlalchemy import update
from sqlmodel import Session, col, select

from deliberation.errors import Conflict, DomainError, NotFound, is_id
from deliberation.events import STAFF, EventOut, participant_audience, record_event
from deliberation.models import Participant, Post
from deliberation.posts import do_hide_post, do_publish_post
from deliberation.verdicts import do_forget_findings, stored_verdict
from moderation.audit import Actor, record_action
from moderation.models import Flag
from moderation.reasons import DECISION_REASONS
from moderation.screening import redact, remaining_personal_data
from moderation.screening.findings import KIND_OF_REASON, PERSONAL_DATA

ACTIONS = ("approve", "reject", "redact", "hide", "restore", "auto_hide",
           "mute", "unmute", "ban", "unban")
MAX_NOTE_CHARS = 1000
MAX_BULK = 200


@dataclass
class Decision:
    post: Post
    events: list[EventOut] = field(default_factory=list)


def check_reason(reason: object) -> str:
    if not isinstance(reason, str) or reason not in DECISION_REASONS:
        raise DomainError("decision_reason_invalid")
    return reason


def check_note(note: object) -> str:
    text = note.strip() if isinstance(note, str) else ""
    if len(text) > MAX_NOTE_CHARS:
        raise DomainError("note_too_long", limit=MAX_NOTE_CHARS)
    return text


def access_post(db: Session, *, post_id: object) -> tuple[Post, Participant]:
    """The post and its author, the post's row locked until commit (PostgreSQL) so
    two moderators cannot decide on it at once."""
    if not is_id(post_id):
        raise NotFound("post_not_found")
    post = db.exec(select(Post).where(Post.id == post_id).with_for_update()).first()
    if post is None:
        raise NotFound("post_not_found")
    author = db.get(Participant, post.participant_id)
    assert author is not None
    return post, author


def has_open_flags(db: Session, post_id: int) -> bool:
    return db.exec(select(Flag.id).where(Flag.post_id == post_id,
                                         col(Flag.resolved).is_(False))).first() is not None


def _resolve_flags(db: Session, post_id: int) -> None:
    db.execute(update(Flag).where(col(Flag.post_id) == post_id,
                                  col(Flag.resolved).is_(False)).values(resolved=True))


def _finish(db: Session, *, post: Post, actor: Actor, action: str, reason: str = "",
            note: str = "", events: list[EventOut]) -> Decision:
    assert post.id is not None
    _resolve_flags(db, post.id)
    record_action(db, deliberation_id=post.deliberation_id, actor=actor, action=action,
                  reason=reason, post_id=post.id, participant_id=post.participant_id, note=note)
    events.append(record_event(db, deliberation_id=post.deliberation_id,
                               kind="moderation_decided", audience=STAFF,
                               data={"post_id": post.id, "action": action,
                                     "status": post.status, "by": actor.name}))
    return Decision(post, events)


def do_approve(db: Session, *, post_id: object, actor: Actor) -> Decision:
    """Publish a held post, restore a hidden one, or keep a flagged one public."""
    post, author = access_post(db, post_id=post_id)
    assert post.id is not None
    if post.status in ("held", "hidden"):
        events = [do_publish_post(db, post=post, author=author.pseudonym)]
    elif post.status == "published" and has_open_flags(db, post.id):
        events = []  # the reports were unfounded: the post stays as it is
    else:
        raise Conflict("already_decided")
    return _finish(db, post=post, actor=actor, action="approve", events=events)


def do_reject(db: Session, *, post_id: object, actor: Actor, reason: object,
              note: object = "") -> Decision:
    """Refuse a post for good; its author is told why and may edit and resubmit."""
    reason_code, text = check_reason(reason), check_note(note)
    post, _ = access_post(db, post_id=post_id)
    if post.status == "rejected":
        raise Conflict("already_decided")
    events: list[EventOut] = []
    if post.status == "published":
        events.append(do_hide_post(db, post=post, reason=reason_code))
    post.status = "rejected"
    db.add(post)
    db.flush()
    events.append(record_event(
        db, deliberation_id=post.deliberation_id, kind="post_rejected",
        audience=participant_audience(post.participant_id),
        data={"post_id": post.id, "reason": reason_code, "note": text}))
    return _finish(db, post=post, actor=actor, action="reject", reason=reason_code, note=text,
                   events=events)


def do_redact(db: Session, *, post_id: object, actor: Actor,
              reasons: Iterable[str] | None = None) -> Decision:
    """Cut what screening marked when the post was judged (all of it, or only
    findings with ``reasons``) and publish the rest."""
    post, author = access_post(db, post_id=post_id)
    if post.status == "rejected":
        raise Conflict("already_decided")
    wanted = set(reasons) if reasons is not None else None
    chosen = [f for f in stored_verdict(db, post).findings
              if wanted is None or f.reason in wanted]
    if not chosen:
        raise DomainError("nothing_to_redact")
    cut = sorted({f.reason for f in chosen})
    body = redact(post.body, [f.span for f in chosen])
    # A second or disguised copy left behind must not go out with the cut: the
    # moderator rejects the post (the author can edit it) or cuts everything marked.
    remaining = remaining_personal_data(body)
    if remaining:
        raise DomainError("redaction_incomplete")
    events = [do_publish_post(db, post=post, author=author.pseudonym, body=body)]
    do_forget_findings(db, post=post)
    return _finish(db, post=post, actor=actor, action="redact",
                   reason="personal_data" if _any_personal(cut) else "other",
                   note=", ".join(cut), events=events)


def _any_personal(reasons: list[str]) -> bool:
    return any(KIND_OF_REASON.get(r) == PERSONAL_DATA for r in reasons)


def do_hide(db: Session, *, post_id: object, actor: Actor, reason: object,
            note: object = "") -> Decision:
    reason_code, text = check_reason(reason), check_note(note)
    post, _ = access_post(db, post_id=post_id)
    if post.status != "published":
        raise Conflict("already_decided")
    events = [do_hide_post(db, post=post, reason=reason_code)]
    return _finish(db, post=post, actor=actor, action="hide", reason=reason_code, note=text,
                   events=events)


def do_restore(db: Session, *, post_id: object, actor: Actor) -> Decision:
    post, author = access_post(db, post_id=post_id)
    if post.status != "hidden":
        raise Conflict("already_decided")
    events = [do_publish_post(db, post=post, author=author.pseudonym)]
    return _finish(db, post=post, actor=actor, action="restore", events=events)


def do_bulk_approve(db: Session, *, post_ids: Iterable[object], actor: Actor) -> list[Decision]:
    """Approve every listed post that still waits; ones another moderator already
    decided are skipped, not an error."""
    ids = list(dict.fromkeys(post_ids))
    if len(ids) > MAX_BULK:
        raise DomainError("too_many_selected", limit=MAX_BULK)
    done: list[Decision] = []
    for post_id in ids:
        try:
            done.append(do_approve(db, post_id=post_id, actor=actor))
        except (Conflict, NotFound):
            continue
    return done

