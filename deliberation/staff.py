"""Staff accounts (admins, facilitators, moderators). Password hashing is the
caller's: this module stores and finds accounts."""

from __future__ import annotations

import re

from sqlmodel import Session, select

from deliberation.errors import DomainError
from deliberation.models import StaffUser
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
    return db.exec(select(StaffUser).where(StaffUser.username == username)).first()


def do_create_staff(db: Session, *, username: str, password_hash: str, role: str) -> StaffUser:
    if find_staff(db, username=username) is not None:
        raise DomainError("username_taken")
    user = StaffUser(username=username, password_hash=password_hash, role=role)
    db.add(user)
    db.flush()
    return user
