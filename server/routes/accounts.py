"""Staff accounts and their sessions: changing one's password, and for admins
the active staff sessions (ended with one click) and deleting accounts.
Creating accounts stays on the staff accounts page (routes/moderation.py)."""

from __future__ import annotations

from sqlmodel import Session
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from deliberation.errors import DomainError
from deliberation.models import StaffUser
from deliberation.permissions import can_manage_staff, can_moderate
from deliberation.staff import (
    active_staff_sessions,
    do_change_password,
    do_delete_staff,
    do_end_staff_session_by_row,
    do_start_staff_session,
    list_staff,
)
from server.access import guard, staff_of, start_staff_session
from server.auth import PasswordGuard
from server.errors import error_message, status_of
from server.http import client_address, flash, render, state
from server.participation import as_int


def _me(request: Request) -> int:
    staff = staff_of(request)
    assert staff is not None  # the guard let a staff member in
    return staff.id


async def _password_refused(request: Request, exc: DomainError) -> Response:
    return render(request, "staff/password.html",
                  {"error": error_message(request, exc.code, exc.params)},
                  status_code=status_of(exc.code))


@guard(can_moderate, csrf=True, on_error=_password_refused)
async def password(request: Request) -> Response:
    """Any staff member changes their own password; every session of the
    account ends, and this browser gets a fresh one."""
    if request.method != "POST":
        return render(request, "staff/password.html", {"error": None})
    st = state(request)
    form = await request.form()
    current, new = str(form.get("current") or ""), str(form.get("new") or "")
    me = await st.read(_user, staff_id=_me(request))
    passwords: PasswordGuard = st.passwords
    verdict = await passwords.check(username=me.username, password=current,
                                    password_hash=me.password_hash,
                                    client=client_address(request))
    if not verdict.ok:
        raise DomainError(verdict.code or "login_failed")
    new_hash = await passwords.hash(new) if len(new) >= 10 else ""
    await st.run(_change, staff_id=_me(request), password=new, password_hash=new_hash)
    start_staff_session(request, await st.run(_new_session, staff_id=_me(request)))
    flash(request, "success", error_message(request, "password_changed"))
    return RedirectResponse("/staff", status_code=303)


def _user(db: Session, *, staff_id: int) -> StaffUser:
    user = db.get(StaffUser, staff_id)
    if user is None or not user.active:
        raise DomainError("staff_not_found")
    return user


def _change(db: Session, *, staff_id: int, password: str, password_hash: str) -> None:
    do_change_password(db, user=_user(db, staff_id=staff_id), password=password,
                       password_hash=password_hash)


def _new_session(db: Session, *, staff_id: int) -> str:
    return do_start_staff_session(db, user=_user(db, staff_id=staff_id))


def _overview(db: Session) -> dict[str, object]:
    return {"sessions": active_staff_sessions(db), "accounts": list_staff(db)}


@guard(can_manage_staff)
async def logins(request: Request) -> Response:
    """Admins: who is logged in now, and every account (to delete)."""
    data = await state(request).run(_overview)
    return render(request, "staff/logins.html", {**data, "me": _me(request)})


def _back(request: Request, exc: DomainError) -> Response:
    flash(request, "error", error_message(request, exc.code, exc.params))
    return RedirectResponse("/staff/logins", status_code=303)


@guard(can_manage_staff, csrf=True, on_error=_back)
async def end_session(request: Request) -> Response:
    await state(request).run(do_end_staff_session_by_row,
                             row_id=as_int(request.path_params["row_id"]))
    flash(request, "success", error_message(request, "staff_session_ended"))
    return RedirectResponse("/staff/logins", status_code=303)


def _delete(db: Session, *, staff_id: object, by_id: int) -> None:
    do_delete_staff(db, staff_id=staff_id, by=_user(db, staff_id=by_id))


@guard(can_manage_staff, csrf=True, on_error=_back)
async def delete_account(request: Request) -> Response:
    await state(request).run(_delete, staff_id=as_int(request.path_params["staff_id"]),
                             by_id=_me(request))
    flash(request, "success", error_message(request, "staff_deleted"))
    return RedirectResponse("/staff/logins", status_code=303)


routes = [
    Route("/staff/password", password, methods=["GET", "POST"]),
    Route("/staff/logins", logins),
    Route("/staff/logins/{row_id:id}/end", end_session, methods=["POST"]),
    Route("/staff/users/{staff_id:id}/delete", delete_account, methods=["POST"]),
]
