"""Staff accounts (admins, facilitators, moderators) and their server-side
sessions. Password hashing is the caller's: this module stores and finds
accounts and sessions."""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete
from sqlmodel import Session, col, select

from deliberation.errors import DomainError, NotFound, is_id
from deliberation.models import StaffSession, StaffUser, utcnow
from deliberation.permissions import ROLES

_USERNAME_RE = re.compile(r"^[A-Za-z0-9_.@-]{2,80}$")
MIN_PASSWORD_CHARS = 10


def check_new_staff(username: str, password: str, role: str) -> None:
    if not _USERNAME_RE.match(username):
        raise DomainError("username_invalid")
    if len(password) < MIN_PASSWORD_CHARS:
        raise DomainError("password_too_short", limit=MIN_PASSWORD_CHARS)
    if role not in ROLES:
        raise DomainError("role_invalid")


def find_staff(db: Session, *, username: str) -> StaffUser | None:
    """An account that may log in (deleted ones are not found)."""
    return db.exec(select(StaffUser).where(StaffUser.username == username,
                                           col(StaffUser.active).is_(True))).first()


def do_create_staff(db: Session, *, username: str, password_hash: str, role: str) -> StaffUser:
    # Deleted accounts keep their name too: the audit log refers to it.
    if db.exec(select(StaffUser.id).where(StaffUser.username == username)).first() is not None:
        raise DomainError("username_taken")
    user = StaffUser(username=username, password_hash=password_hash, role=role)
    db.add(user)
    db.flush()
    return user


# --- server-side staff sessions --------------------------------------------------------
# The browser's cookie holds only a random session id; the row here says whose it
# is, and the account's current role is read with it on every request. Ending a
# row (logout, password change, deleting the account, an admin's decision) ends
# the session at once, whatever cookie copies exist.

SESSION_LIFETIME = timedelta(hours=12)  # a working day, then log in again
SESSION_IDLE = timedelta(hours=2)  # unused this long: ended
_TOUCH_EVERY = timedelta(minutes=1)  # last_seen_at is written at most this often


def _hash_session_id(session_id: str) -> str:
    # Only the hash is stored: a copy of the database opens no session.
    return hashlib.sha256(session_id.encode()).hexdigest()


def do_start_staff_session(db: Session, *, user: StaffUser, now: datetime | None = None) -> str:
    """A new session for ``user``; returns the random id for the cookie."""
    assert user.id is not None
    now = now or utcnow()
    session_id = secrets.token_urlsafe(32)
    db.add(StaffSession(id_hash=_hash_session_id(session_id), staff_id=user.id,
                        created_at=now, last_seen_at=now, expires_at=now + SESSION_LIFETIME))
    db.flush()
    return session_id


def access_staff_session(db: Session, *, session_id: object,
                         now: datetime | None = None) -> StaffUser | None:
    """The active account of a live session, or None (unknown, ended, expired,
    idle too long, or the account was deleted). Notes the visit."""
    if not isinstance(session_id, str) or not 20 <= len(session_id) <= 100:
        return None
    now = now or utcnow()
    row = db.exec(select(StaffSession, StaffUser)
                  .join(StaffUser, col(StaffUser.id) == col(StaffSession.staff_id))
                  .where(StaffSession.id_hash == _hash_session_id(session_id))).first()
    if row is None:
        return None
    staff_session, user = row
    if not user.active or now >= staff_session.expires_at \
            or now - staff_session.last_seen_at >= SESSION_IDLE:
        return None
    if now - staff_session.last_seen_at >= _TOUCH_EVERY:
        staff_session.last_seen_at = now
        db.add(staff_session)
        db.flush()
    return user


def do_end_staff_session(db: Session, *, session_id: object) -> None:
    """Logout: this browser's session ends (nothing happens for an unknown id)."""
    if isinstance(session_id, str):
        db.execute(delete(StaffSession)
                   .where(col(StaffSession.id_hash) == _hash_session_id(session_id)))


def do_end_staff_sessions(db: Session, *, staff_id: int) -> int:
    """End every session of one account; returns how many were live."""
    result = db.execute(delete(StaffSession).where(col(StaffSession.staff_id) == staff_id))
    return int(getattr(result, "rowcount", 0) or 0)


def do_end_staff_session_by_row(db: Session, *, row_id: object) -> None:
    """An admin ends one listed session."""
    if not is_id(row_id):
        raise NotFound("staff_session_not_found")
    row = db.get(StaffSession, row_id)
    if row is None:
        raise NotFound("staff_session_not_found")
    db.delete(row)
    db.flush()


@dataclass(frozen=True)
class ActiveSession:
    row_id: int
    username: str
    role: str
    created_at: datetime
    last_seen_at: datetime


def active_staff_sessions(db: Session, *, now: datetime | None = None) -> list[ActiveSession]:
    """Live sessions, most recently used first (ended and expired ones are purged)."""
    now = now or utcnow()
    db.execute(delete(StaffSession).where(
        (col(StaffSession.expires_at) <= now)
        | (col(StaffSession.last_seen_at) <= now - SESSION_IDLE)))
    rows = db.exec(select(StaffSession, StaffUser)
                   .join(StaffUser, col(StaffUser.id) == col(StaffSession.staff_id))
                   .where(col(StaffUser.active).is_(True))
                   .order_by(col(StaffSession.last_seen_at).desc())).all()
    return [ActiveSession(s.id or 0, u.username, u.role, s.created_at, s.last_seen_at)
            for s, u in rows]


def do_change_password(db: Session, *, user: StaffUser, password: str,
                       password_hash: str) -> None:
    """A new password (checked here, hashed by the caller); every session of the
    account ends, so a stolen cookie stops working with the old password."""
    if len(password) < MIN_PASSWORD_CHARS:
        raise DomainError("password_too_short", limit=MIN_PASSWORD_CHARS)
    assert user.id is not None
    user.password_hash = password_hash
    db.add(user)
    db.flush()
    do_end_staff_sessions(db, staff_id=user.id)


def do_delete_staff(db: Session, *, staff_id: object, by: StaffUser) -> StaffUser:
    """Delete an account: it can never log in again and its sessions end now.
    The row stays for the audit log, which names who decided what."""
    if not is_id(staff_id):
        raise NotFound("staff_not_found")
    user = db.get(StaffUser, staff_id)
    if user is None or not user.active:
        raise NotFound("staff_not_found")
    if user.id == by.id:
        raise DomainError("staff_delete_self")
    user.active = False
    user.password_hash = ""
    db.add(user)
    db.flush()
    do_end_staff_sessions(db, staff_id=staff_id)
    return user


def list_staff(db: Session) -> list[StaffUser]:
    return list(db.exec(select(StaffUser).where(col(StaffUser.active).is_(True))
                        .order_by(col(StaffUser.username))).all())
