"""Staff pages: login, and facilitators creating and editing sessions."""

from __future__ import annotations

import secrets
from typing import Any

from sqlmodel import Session
from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from deliberation.digiraati.phases import do_create_from_session_form
from deliberation.errors import DomainError
from deliberation.models import Deliberation
from deliberation.permissions import can_manage_sessions, can_moderate
from deliberation.sessions import (
    SessionForm,
    access_deliberation_by_id,
    do_create_deliberation,
    do_update_deliberation,
    list_deliberations,
    questions_of,
    state_of,
)
from deliberation.staff import find_staff
from server.access import guard, staff_role
from server.auth import verify_password
from server.errors import error_message, status_of
from server.http import flash, local_input, parse_local, render, state


@guard()  # anyone: the form to log in
async def login_page(request: Request) -> Response:
    return render(request, "staff/login.html", {"next": _safe_next(request.query_params.get("next"))})


def _safe_next(value: object) -> str:
    # Only local paths, so the login cannot be used to send people elsewhere.
    if isinstance(value, str) and value.startswith("/") and not value.startswith("//"):
        return value
    return "/staff"


async def _login_error(request: Request, exc: DomainError) -> Response:
    form = await request.form()
    return render(request, "staff/login.html", {
        "error": error_message(request, exc.code, exc.params),
        "username": str(form.get("username") or "").strip(),
        "next": _safe_next(form.get("next")),
    }, status_code=status_of(exc.code))


@guard(csrf=True, on_error=_login_error)
async def login(request: Request) -> Response:
    st = state(request)
    form = await request.form()
    username = str(form.get("username") or "").strip()
    password = str(form.get("password") or "")
    next_url = _safe_next(form.get("next"))
    limiter = st.login_limiter
    if not limiter.allowed(username):
        raise DomainError("login_rate_limited")
    user = await st.read(find_staff, username=username)
    if not verify_password(user.password_hash if user else None, password) or user is None:
        limiter.failed(username)
        raise DomainError("login_failed")
    limiter.succeeded(username)
    request.session.clear()
    request.session["staff"] = {"id": user.id, "username": user.username, "role": user.role}
    request.session["csrf"] = secrets.token_urlsafe(24)
    if next_url == "/staff" and not can_moderate(user.role):
        next_url = "/"  # an expert has no staff dashboard: the digiraatis are on the front page
    return RedirectResponse(next_url, status_code=303)


def _home(request: Request, exc: DomainError) -> Response:
    return RedirectResponse("/", status_code=303)


@guard(csrf=True, on_error=_home)
async def logout(request: Request) -> Response:
    request.session.pop("staff", None)
    return RedirectResponse("/", status_code=303)


@guard(can_moderate)
async def dashboard(request: Request) -> Response:
    """Every staff member's start page: the sessions (editable by facilitators)."""
    sessions = await state(request).read(list_deliberations)
    return render(request, "staff/dashboard.html", {
        "sessions": [(d, state_of(d)) for d in sessions],
        "can_manage": can_manage_sessions(staff_role(request)),
    })


def _form_from(data: FormData) -> SessionForm:
    questions = str(data.get("questions") or "").replace("\r\n", "\n").split("\n")
    return SessionForm(
        title=str(data.get("title") or ""), slug=str(data.get("slug") or ""),
        introduction=str(data.get("introduction") or ""), questions=tuple(questions),
        opens_at=parse_local(data.get("opens_at")), closes_at=parse_local(data.get("closes_at")),
        moderation_mode=str(data.get("moderation_mode") or "post"),
        kind=str(data.get("kind") or "brainstorm"),
    )


def _values(d: Deliberation | None, questions: list[Any]) -> dict[str, str]:
    if d is None:
        return {"title": "", "slug": "", "introduction": "", "questions": "", "opens_at": "",
                "closes_at": "", "moderation_mode": "post", "kind": "brainstorm"}
    return {"title": d.title, "slug": d.slug, "introduction": d.introduction,
            "questions": "\n".join(q.text for q in questions),
            "opens_at": local_input(d.opens_at), "closes_at": local_input(d.closes_at),
            "moderation_mode": d.moderation_mode, "kind": d.kind}


async def _session_form_error(request: Request, exc: DomainError) -> Response | None:
    if request.method == "GET":
        return None  # the error page: there is no form to show it on
    # Everything typed comes back into the form: nothing is lost.
    form = await request.form()
    values = {k: str(form.get(k) or "") for k in _values(None, [])}
    d = None
    if "id" in request.path_params:
        d = await state(request).read(access_deliberation_by_id,
                                      deliberation_id=request.path_params["id"])
    return render(request, "staff/session_form.html", {
        "values": values, "d": d, "error": error_message(request, exc.code, exc.params),
    }, status_code=status_of(exc.code))


@guard(can_manage_sessions, csrf=True, on_error=_session_form_error)
async def new_session(request: Request) -> Response:
    if request.method == "GET":
        return render(request, "staff/session_form.html", {"values": _values(None, []), "d": None})
    form = await request.form()
    session_form = _form_from(form)
    if session_form.kind == "digiraati":
        # A digiraati has its own pages for the panel, phases and experts.
        d = await state(request).run(do_create_from_session_form, form=session_form)
        flash(request, "success", error_message(request, "session_saved"))
        return RedirectResponse(f"/staff/digiraati/{d.id}", status_code=303)
    d = await state(request).run(do_create_deliberation, form=session_form)
    flash(request, "success", error_message(request, "session_saved"))
    return RedirectResponse(f"/staff/sessions/{d.id}", status_code=303)


def _edit_data(db: Session, *, deliberation_id: int) -> tuple[Deliberation, list[Any]]:
    d = access_deliberation_by_id(db, deliberation_id=deliberation_id)
    return d, questions_of(db, deliberation_id=deliberation_id)


def _update(db: Session, *, deliberation_id: int, form: SessionForm) -> object:
    d = access_deliberation_by_id(db, deliberation_id=deliberation_id)
    return do_update_deliberation(db, d=d, form=form)


@guard(can_manage_sessions, csrf=True, on_error=_session_form_error)
async def edit_session(request: Request) -> Response:
    st = state(request)
    raw_id = request.path_params["id"]
    if request.method == "GET":
        d, questions = await st.read(_edit_data, deliberation_id=raw_id)
        return render(request, "staff/session_form.html", {"values": _values(d, questions), "d": d})
    form = await request.form()
    await st.run(_update, deliberation_id=raw_id, form=_form_from(form))
    flash(request, "success", error_message(request, "session_saved"))
    return RedirectResponse(f"/staff/sessions/{raw_id}", status_code=303)


routes = [
    Route("/staff/login", login_page, methods=["GET"]),
    Route("/staff/login", login, methods=["POST"]),
    Route("/staff/logout", logout, methods=["POST"]),
    Route("/staff", dashboard),
    Route("/staff/sessions/new", new_session, methods=["GET", "POST"]),
    Route("/staff/sessions/{id:int}", edit_session, methods=["GET", "POST"]),
]
