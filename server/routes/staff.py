"""Staff pages: login, and facilitators creating and editing sessions."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlmodel import Session
from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from deliberation.content import TRANSLATED_LANGS, Translations, translations_of
from deliberation.errors import DomainError
from deliberation.lifecycle import (
    CLOSED,
    DRAFT,
    OPEN,
    RESULTS,
    SCHEDULED,
    do_close_now,
    do_publish,
    do_unpublish,
    stage_of,
)
from deliberation.models import Deliberation, Question
from deliberation.permissions import can_manage_sessions, can_moderate
from deliberation.sessions import (
    QuestionImpact,
    SessionForm,
    access_deliberation_by_id,
    do_create_deliberation,
    do_update_deliberation,
    list_deliberations,
    question_impacts,
    questions_of,
    state_of,
)
from deliberation.staff import find_staff
from server import forms
from server.access import guard, staff_role
from server.auth import verify_password
from server.errors import N_, error_message, status_of
from server.http import flash, render, state

HELSINKI = ZoneInfo("Europe/Helsinki")


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
        "sessions": [(d, state_of(d), stage_of(d)) for d in sessions],
        "stage_texts": {k: state(request).translator.gettext(v) for k, v in STAGE_TEXTS.items()},
        "can_manage": can_manage_sessions(staff_role(request)),
    })


def local_input(dt: datetime | None) -> str:
    """A stored UTC time as the value of a datetime-local field, Finnish time."""
    return dt.astimezone(HELSINKI).strftime("%Y-%m-%dT%H:%M") if dt else ""


def parse_local(value: object) -> datetime | None:
    text = str(value or "").strip()
    if not text:
        return None
    for fmt in ("%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%d.%m.%Y %H:%M", "%d.%m.%Y %H.%M", "%d.%m.%Y"):
        try:
            moment = datetime.strptime(text, fmt)
        except ValueError:
            continue
        if not 2000 <= moment.year <= 2100:
            raise DomainError("date_invalid")
        return moment.replace(tzinfo=HELSINKI).astimezone(UTC)
    raise DomainError("date_invalid")


def _form_from(data: FormData) -> SessionForm:
    questions = str(data.get("questions") or "").replace("\r\n", "\n").split("\n")
    return SessionForm(
        title=str(data.get("title") or ""), slug=str(data.get("slug") or ""),
        introduction=str(data.get("introduction") or ""), questions=tuple(questions),
        opens_at=parse_local(data.get("opens_at")), closes_at=parse_local(data.get("closes_at")),
        moderation_mode=str(data.get("moderation_mode") or "post"),
        kind=str(data.get("kind") or "brainstorm"),
        closing_message=str(data.get("closing_message") or ""),
        versions=forms.language_versions(data),
    )


VALUE_KEYS = ("title", "slug", "introduction", "questions", "opens_at", "closes_at",
              "moderation_mode", "kind", "closing_message",
              *(f"{name}_{lang}" for lang in TRANSLATED_LANGS
                for name in ("title", "introduction", "questions", "closing")))
IN_LANGUAGE = {"sv": N_("In Swedish"), "en": N_("In English")}
STAGE_TEXTS = {DRAFT: N_("Draft"), SCHEDULED: N_("Published, not open yet"), OPEN: N_("Open"),
               CLOSED: N_("Closed"), RESULTS: N_("Responses published")}


def _values(d: Deliberation | None, questions: list[Question],
            t: Translations | None = None) -> dict[str, str]:
    values = dict.fromkeys(VALUE_KEYS, "")
    values.update(moderation_mode="post", kind="brainstorm")
    if d is None:
        return values
    values.update(title=d.title, slug=d.slug, introduction=d.introduction,
                  questions="\n".join(q.text for q in questions),
                  opens_at=local_input(d.opens_at), closes_at=local_input(d.closes_at),
                  moderation_mode=d.moderation_mode, kind=d.kind,
                  closing_message=d.closing_message)
    for lang in TRANSLATED_LANGS if t else ():
        assert t is not None
        values[f"title_{lang}"] = t.get("title", lang)
        values[f"introduction_{lang}"] = t.get("introduction", lang)
        values[f"closing_{lang}"] = t.get("closing", lang)
        values[f"questions_{lang}"] = "\n".join(
            t.get("question", lang, q.id or 0) for q in questions).rstrip("\n")
    return values


def _form_page(request: Request, d: Deliberation | None, values: dict[str, str],
               status_code: int = 200, **extra: Any) -> Response:
    gettext = state(request).translator.gettext
    stage = stage_of(d) if d else DRAFT
    return render(request, "staff/session_form.html", {
        "values": values, "d": d, "stage": stage, "stage_text": gettext(STAGE_TEXTS[stage]),
        "in_language": {code: gettext(text) for code, text in IN_LANGUAGE.items()},
        "impacts": [], "new_questions": [], "moves": {}, **extra,
    }, status_code=status_code)


async def _session_form_error(request: Request, exc: DomainError) -> Response | None:
    if request.method == "GET":
        return None  # the error page: there is no form to show it on
    # Everything typed comes back into the form: nothing is lost.
    form = await request.form()
    values = {k: str(form.get(k) or "") for k in VALUE_KEYS}
    d = None
    if "id" in request.path_params:
        d = await state(request).read(access_deliberation_by_id,
                                      deliberation_id=request.path_params["id"])
    return _form_page(request, d, values, status_of(exc.code),
                      error=error_message(request, exc.code, exc.params))


def _create(db: Session, *, form: SessionForm, publish: bool, role: str | None) -> Deliberation:
    d = do_create_deliberation(db, form=form)
    if publish:
        do_publish(db, d=d, role=role)
    return d


def _saved(request: Request, d_id: object, publish: bool) -> Response:
    flash(request, "success", error_message(
        request, "session_published" if publish else "session_saved"))
    return RedirectResponse(f"/staff/sessions/{d_id}", status_code=303)


@guard(can_manage_sessions, csrf=True, on_error=_session_form_error)
async def new_session(request: Request) -> Response:
    if request.method == "GET":
        return _form_page(request, None, _values(None, []))
    form = await request.form()
    publish = form.get("action") == "publish"
    d = await state(request).run(_create, form=_form_from(form), publish=publish,
                                 role=staff_role(request))
    return _saved(request, d.id, publish)


def _edit_data(db: Session, *, deliberation_id: int) -> dict[str, Any]:
    d = access_deliberation_by_id(db, deliberation_id=deliberation_id)
    questions = questions_of(db, deliberation_id=deliberation_id)
    return {"d": d, "values": _values(d, questions, translations_of(db, deliberation_id=deliberation_id))}


@dataclass
class EditResult:
    d: Deliberation
    impacts: list[QuestionImpact]
    saved: bool


def _update(db: Session, *, deliberation_id: int, form: SessionForm, moves: dict[int, int],
            confirmed: bool, publish: bool, role: str | None) -> EditResult:
    """Save the edit, unless it would reword or hide questions residents wrote
    under and the facilitator has not yet seen that warning."""
    d = access_deliberation_by_id(db, deliberation_id=deliberation_id)
    impacts = question_impacts(db, d=d, form=form)
    if impacts and not confirmed:
        return EditResult(d, impacts, saved=False)
    do_update_deliberation(db, d=d, form=form, moves=moves)
    if publish:
        do_publish(db, d=d, role=role)
    return EditResult(d, impacts, saved=True)


@guard(can_manage_sessions, csrf=True, on_error=_session_form_error)
async def edit_session(request: Request) -> Response:
    st = state(request)
    raw_id = request.path_params["id"]
    if request.method == "GET":
        data = await st.read(_edit_data, deliberation_id=raw_id)
        return _form_page(request, data["d"], data["values"])
    form = await request.form()
    publish = form.get("action") == "publish"
    session_form = _form_from(form)
    result = await st.run(_update, deliberation_id=raw_id, form=session_form,
                          moves=forms.moves(form), confirmed=form.get("confirmed") == "1",
                          publish=publish, role=staff_role(request))
    if not result.saved:
        values = {k: str(form.get(k) or "") for k in VALUE_KEYS}
        return _form_page(request, result.d, values, 409, impacts=result.impacts,
                          new_questions=list(enumerate(q for q in session_form.questions
                                                       if q.strip())))
    return _saved(request, raw_id, publish)


def _stage_change(db: Session, *, deliberation_id: int, action: str, role: str | None) -> str:
    d = access_deliberation_by_id(db, deliberation_id=deliberation_id)
    if action == "unpublish":
        do_unpublish(db, d=d, role=role)
        return "session_unpublished"
    if action == "close":
        do_close_now(db, d=d, role=role)
        return "session_closed_now"
    if action == "publish":
        do_publish(db, d=d, role=role)
        return "session_published"
    raise DomainError("bad_request")


def _back_to_form(request: Request, exc: DomainError) -> Response:
    flash(request, "error", error_message(request, exc.code, exc.params))
    return RedirectResponse(f"/staff/sessions/{request.path_params['id']}", status_code=303)


@guard(can_manage_sessions, csrf=True, on_error=_back_to_form)
async def change_stage(request: Request) -> Response:
    form = await request.form()
    code = await state(request).run(_stage_change, deliberation_id=request.path_params["id"],
                                    action=str(form.get("action") or ""),
                                    role=staff_role(request))
    flash(request, "success", error_message(request, code))
    return RedirectResponse(f"/staff/sessions/{request.path_params['id']}", status_code=303)


routes = [
    Route("/staff/login", login_page, methods=["GET"]),
    Route("/staff/login", login, methods=["POST"]),
    Route("/staff/logout", logout, methods=["POST"]),
    Route("/staff", dashboard),
    Route("/staff/sessions/new", new_session, methods=["GET", "POST"]),
    Route("/staff/sessions/{id:int}", edit_session, methods=["GET", "POST"]),
    Route("/staff/sessions/{id:int}/stage", change_stage, methods=["POST"]),
]
