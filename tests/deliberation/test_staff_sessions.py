"""Server-side staff sessions: the role is read from the account each time, and
logout, a new password, deleting the account or an admin end sessions at once."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session

from deliberation.errors import DomainError
from deliberation.models import StaffUser, utcnow
from deliberation.staff import (
    SESSION_IDLE,
    SESSION_LIFETIME,
    access_staff_session,
    active_staff_sessions,
    do_change_password,
    do_create_staff,
    do_delete_staff,
    do_end_staff_session,
    do_end_staff_session_by_row,
    do_start_staff_session,
    find_staff,
)
from tests.factories import session


def _user(db: Session, name: str, role: str = "moderator") -> StaffUser:
    import secrets

    return do_create_staff(db, username=f"{name}-{secrets.token_hex(3)}", password_hash="h",
                           role=role)


def test_session_reads_the_current_role_and_logout_ends_it(engine: Engine) -> None:
    with session(engine) as db:
        user = _user(db, "mod")
        sid = do_start_staff_session(db, user=user)
        db.commit()
        assert access_staff_session(db, session_id=sid) == user
        user.role = "admin"  # promoted: the very next request sees it
        db.add(user)
        db.commit()
        found = access_staff_session(db, session_id=sid)
        assert found is not None and found.role == "admin"
        do_end_staff_session(db, session_id=sid)
        db.commit()
        assert access_staff_session(db, session_id=sid) is None


@pytest.mark.parametrize("bad", [None, 5, "", "x" * 19, "tuntematon-istunto-123456789", "x" * 200])
def test_unknown_ids_open_nothing(engine: Engine, bad: object) -> None:
    with session(engine) as db:
        assert access_staff_session(db, session_id=bad) is None


def test_sessions_expire_and_idle_out(engine: Engine) -> None:
    with session(engine) as db:
        user = _user(db, "fac", "facilitator")
        start = utcnow()
        sid = do_start_staff_session(db, user=user, now=start)
        db.commit()
        assert access_staff_session(db, session_id=sid, now=start + SESSION_IDLE / 2) == user
        assert access_staff_session(db, session_id=sid,
                                    now=start + SESSION_IDLE / 2 + SESSION_IDLE) is None
        late = start + SESSION_LIFETIME + timedelta(seconds=1)
        assert access_staff_session(db, session_id=sid, now=late) is None


def test_password_change_ends_every_session_of_the_account(engine: Engine) -> None:
    with session(engine) as db:
        user, other = _user(db, "a"), _user(db, "b")
        sids = [do_start_staff_session(db, user=user) for _ in range(2)]
        other_sid = do_start_staff_session(db, user=other)
        with pytest.raises(DomainError):
            do_change_password(db, user=user, password="lyhyt", password_hash="x")
        do_change_password(db, user=user, password="uusi-pitkä-salasana", password_hash="new")
        db.commit()
        assert [access_staff_session(db, session_id=s) for s in sids] == [None, None]
        assert access_staff_session(db, session_id=other_sid) == other


def test_deleted_account_cannot_come_back(engine: Engine) -> None:
    with session(engine) as db:
        admin, victim = _user(db, "admin", "admin"), _user(db, "old", "admin")
        sid = do_start_staff_session(db, user=victim)
        with pytest.raises(DomainError) as err:
            do_delete_staff(db, staff_id=admin.id, by=admin)
        assert err.value.code == "staff_delete_self"
        do_delete_staff(db, staff_id=victim.id, by=admin)
        db.commit()
        assert access_staff_session(db, session_id=sid) is None
        assert find_staff(db, username=victim.username) is None
        with pytest.raises(DomainError) as err:
            do_create_staff(db, username=victim.username, password_hash="h", role="admin")
        assert err.value.code == "username_taken"
        with pytest.raises(DomainError):
            do_delete_staff(db, staff_id=victim.id, by=admin)


def test_admin_sees_and_ends_sessions(engine: Engine) -> None:
    with session(engine) as db:
        user = _user(db, "listed")
        sid = do_start_staff_session(db, user=user)
        db.commit()
        mine = [s for s in active_staff_sessions(db) if s.username == user.username]
        assert len(mine) == 1
        do_end_staff_session_by_row(db, row_id=mine[0].row_id)
        db.commit()
        assert access_staff_session(db, session_id=sid) is None
        with pytest.raises(DomainError):
            do_end_staff_session_by_row(db, row_id=mine[0].row_id)
