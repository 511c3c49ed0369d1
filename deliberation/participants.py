"""Anonymous participants: a pseudonym per session, found by a keyed hash of
the browser's cookie token.

A participant row is made on the first action (a post, a support, a report),
never by reading a page: a visitor who only looks leaves nothing behind.

The stored token hash is an HMAC keyed with the session's own random key
(``Deliberation.token_key``), so one browser's rows in two sessions cannot be
linked through the database. Rows made before the key existed hold a plain
SHA-256 of the token (64 hex characters, no version prefix); they still match,
and are re-keyed the next time their browser acts in that session (only then
is the token at hand). Until then those few rows stay linkable; they are not
deleted, because that would take away residents' pseudonyms and held posts.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, exists, or_
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from deliberation.models import Deliberation, Participant, Post, utcnow
from deliberation.pseudonyms import DRAWS_PER_WIDTH, MAX_DIGITS, MIN_DIGITS, random_pseudonym

KEYED_PREFIX = "k1$"
# Enough draws to reach the widest number suffix (the space is then 840 * 10**12).
MAX_DRAWS = (MAX_DIGITS - MIN_DIGITS + 1) * DRAWS_PER_WIDTH
# A participant counts as established (their reports can hide a post) after
# having published a post or having taken part for this long.
ESTABLISHED_AFTER = timedelta(minutes=10)


def hash_token(token: str, *, key: str) -> str:
    """The keyed, versioned hash stored for ``token`` in the session with ``key``."""
    digest = hmac.new(key.encode(), token.encode(), hashlib.sha256).digest()
    return KEYED_PREFIX + base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def legacy_hash(token: str) -> str:
    """The unkeyed hash of rows made before per-session keys (migration 0004)."""
    return hashlib.sha256(token.encode()).hexdigest()


def _session_key(db: Session, deliberation_id: int) -> str:
    d = db.get(Deliberation, deliberation_id)  # usually already in the identity map
    if d is None or not d.token_key:
        raise LookupError(f"session {deliberation_id} has no token key")
    return d.token_key


def find_participant(db: Session, *, deliberation_id: int, token: str) -> Participant | None:
    """The participant behind ``token`` in this session, or None. Reads only."""
    keyed = hash_token(token, key=_session_key(db, deliberation_id))
    rows = db.exec(
        select(Participant).where(
            Participant.deliberation_id == deliberation_id,
            col(Participant.token_hash).in_((keyed, legacy_hash(token))),
        )
    ).all()
    # Both forms can exist only if re-keying raced; the keyed one is the current one.
    rows = sorted(rows, key=lambda p: not p.token_hash.startswith(KEYED_PREFIX))
    return rows[0] if rows else None


def do_join(db: Session, *, deliberation_id: int, token: str) -> Participant:
    """The participant behind ``token`` in this session, made with a fresh
    pseudonym on their first action. Flushes; the caller's unit of work commits."""
    keyed = hash_token(token, key=_session_key(db, deliberation_id))
    existing = find_participant(db, deliberation_id=deliberation_id, token=token)
    if existing is not None:
        if existing.token_hash != keyed:
            existing.token_hash = keyed  # re-key a legacy row now that we have its token
            db.add(existing)
            db.flush()
        return existing
    for attempt in range(MAX_DRAWS):
        participant = Participant(deliberation_id=deliberation_id, token_hash=keyed,
                                  pseudonym=random_pseudonym(attempt))
        try:
            # A savepoint: a collision undoes this insert only, not the caller's
            # transaction, and leaves every loaded object attached.
            with db.begin_nested():
                db.add(participant)
                db.flush()
        except IntegrityError:
            # The pseudonym is taken here, or this browser joined in a parallel request.
            again = find_participant(db, deliberation_id=deliberation_id, token=token)
            if again is not None:
                return again
            continue
        return participant
    raise RuntimeError(f"no free pseudonym after {MAX_DRAWS} draws")  # 840 * 10**12 names


def established(now: datetime, after: timedelta = ESTABLISHED_AFTER) -> ColumnElement[bool]:
    """SQL condition on ``Participant``: has published a post, or has taken part
    since at least ``after`` ago. A script minting fresh identities gets neither
    at once."""
    has_posted = exists().where(col(Post.participant_id) == col(Participant.id),
                                col(Post.status) == "published")
    return or_(col(Participant.created_at) <= now - after, has_posted)


def is_established(db: Session, *, participant_id: int, now: datetime | None = None,
                   after: timedelta = ESTABLISHED_AFTER) -> bool:
    found = db.exec(select(Participant.id).where(
        Participant.id == participant_id, established(now or utcnow(), after))).first()
    return found is not None
