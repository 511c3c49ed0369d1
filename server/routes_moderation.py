"""Moderation over HTTP for staff: the queue and its decisions, the audit log
and its CSV export, and the staff accounts page. The moderators' live updates are in
server/moderation_live.py, the residents' side in server/routes_reports.py.

Decisions are plain HTML forms with CSRF tokens (they work without JavaScript);
the queue page's script sends the same forms with ``Accept: application/json``
and gets JSON back.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from babel.dates import format_timedelta
from markupsafe import Markup
from sqlmodel import Session
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import Route

from deliberation.errors import DomainError
from deliberation.permissions import can_moderate, is_admin
from deliberation.sessions import list_deliberations
from deliberation.staff import check_new_staff, do_create_staff
from moderation import decisions
from moderation.audit import Actor, csv_lines, list_actions
from moderation.queue import queue_items, queue_length
from moderation.reasons import DECISION_REASONS, FLAG_REASONS, hold_explanation, label
from moderation.sanctions import SANCTIONS, do_sanction
from server import participation
from server.auth import hash_password
from server.i18n import current_language
from server.routes_staff import require
from server.state import AppState
from server.web import (
    csrf_ok,
    error_message,
    flash,
    json_error,
    render,
    state,
)

DECISIONS: dict[str, Callable[..., decisions.Decision]] = {
    "approve": decisions.do_approve, "reject": decisions.do_reject,
    "redact": decisions.do_redact, "hide": decisions.do_hide, "restore": decisions.do_restore,
}


def install(st: AppState) -> None:
    """Template helpers the moderation templates and includes need, and the queue
    length gauge of /metrics."""
    env = st.templates.env
    env.globals["flag_reasons"] = list(FLAG_REASONS.items())
    env.globals["moderation_label"] = lambda code: st.translator.gettext(label(code))
    env.globals["hold_explanation"] = lambda code: st.translator.gettext(hold_explanation(code))
    env.filters["marked"] = marked

    def count() -> float:
        from server import db as dbmod

        with dbmod.session(st.engine) as s:
            return float(queue_length(s))

    st.metrics.set_queue_length_source(count)


def _actor(request: Request) -> Actor:
    staff = request.session["staff"]
    return Actor(int(staff["id"]), str(staff["username"]))


def _wants_json(request: Request) -> bool:
    return "application/json" in request.headers.get("accept", "")


def _session_filter(request: Request) -> int | None:
    return participation.as_int(request.query_params.get("session"))


def waited(seconds: int) -> str:
    return format_timedelta(seconds, threshold=1.5, locale=current_language.get())


# --- the queue --------------------------------------------------------------------------

def _queue_data(db: Session, *, deliberation_id: int | None) -> dict[str, Any]:
    return {"items": queue_items(db, deliberation_id=deliberation_id),
            "sessions": list_deliberations(db)}


async def _queue_context(request: Request) -> dict[str, Any]:
    st = state(request)
    selected = _session_filter(request)
    data = await st.read(_queue_data, deliberation_id=selected)
    return {**data, "selected": selected, "waited": waited,
            "decision_reasons": list(DECISION_REASONS.items())}


async def queue_page(request: Request) -> Response:
    if (denied := require(request, can_moderate)) is not None:
        return denied
    return render(request, "moderation/queue.html", await _queue_context(request))


async def queue_fragment(request: Request) -> Response:
    """The queue list alone, for the page script to swap in after live events."""
    if (denied := require(request, can_moderate)) is not None:
        return denied
    return render(request, "moderation/_queue.html", await _queue_context(request))


async def _staff_form(request: Request) -> tuple[Any, Response | None]:
    """The submitted form, or the response refusing it (login, role, CSRF)."""
    if (denied := require(request, can_moderate)) is not None:
        if _wants_json(request):
            code = "login_required" if "staff" not in request.session else "forbidden"
            return None, json_error(request, code)
        return None, denied
    form = await request.form()
    if not csrf_ok(request, form.get("csrf")):
        return None, _refused(request, DomainError("csrf_failed"))
    return form, None


def _refused(request: Request, exc: DomainError) -> Response:
    if _wants_json(request):
        return json_error(request, exc.code, exc.params)
    flash(request, "error", error_message(request, exc.code, exc.params))
    return RedirectResponse(_back_to_queue(request), status_code=303)


def _back_to_queue(request: Request) -> str:
    # Back to the page the form was on (a filtered queue), never to another site.
    referer = request.headers.get("referer", "")
    base = str(request.base_url).rstrip("/")
    if referer.startswith(base + "/staff/moderation"):
        return referer[len(base):]
    return "/staff/moderation"


def _done(request: Request, code: str, **data: Any) -> Response:
    message = error_message(request, code)
    if _wants_json(request):
        return JSONResponse({"ok": True, "message": message, **data})
    flash(request, "success", message)
    return RedirectResponse(_back_to_queue(request), status_code=303)


async def decide(request: Request) -> Response:
    action = request.path_params["action"]
    form, refused = await _staff_form(request)
    if refused is not None:
        return refused
    st = state(request)
    if action not in DECISIONS:
        return _refused(request, DomainError("bad_request"))
    kwargs: dict[str, Any] = {"post_id": request.path_params["post_id"], "actor": _actor(request)}
    if action in ("reject", "hide"):
        kwargs.update(reason=form.get("reason"), note=form.get("note") or "")
    try:
        decision = await st.run(DECISIONS[action], **kwargs)
    except DomainError as exc:
        return _refused(request, exc)
    return _done(request, f"decision_{action}", post_id=decision.post.id,
                 status=decision.post.status)


async def bulk_approve(request: Request) -> Response:
    form, refused = await _staff_form(request)
    if refused is not None:
        return refused
    st = state(request)
    ids = [participation.as_int(v) for v in form.getlist("post_id")]
    if not ids:
        return _refused(request, DomainError("nothing_selected"))
    try:
        done = await st.run(decisions.do_bulk_approve, post_ids=ids, actor=_actor(request))
    except DomainError as exc:
        return _refused(request, exc)
    return _done(request, "decision_bulk_approve", approved=[d.post.id for d in done])


async def sanction(request: Request) -> Response:
    form, refused = await _staff_form(request)
    if refused is not None:
        return refused
    st = state(request)
    action = request.path_params["action"]
    if action not in SANCTIONS:
        return _refused(request, DomainError("bad_request"))
    try:
        outcome = await st.run(do_sanction, participant_id=request.path_params["participant_id"],
                               action=action, actor=_actor(request), note=form.get("note") or "")
    except DomainError as exc:
        return _refused(request, exc)
    return _done(request, f"sanction_{action}", muted=outcome.participant.muted,
                 banned=outcome.participant.banned)


# --- audit log --------------------------------------------------------------------------

async def audit_page(request: Request) -> Response:
    if (denied := require(request, can_moderate)) is not None:
        return denied
    st = state(request)
    selected = _session_filter(request)
    rows = await st.read(list_actions, deliberation_id=selected, limit=500)
    sessions = await st.read(list_deliberations)
    return render(request, "moderation/audit.html",
                  {"rows": rows, "sessions": sessions, "selected": selected})


async def audit_csv(request: Request) -> Response:
    if (denied := require(request, can_moderate)) is not None:
        return denied
    st = state(request)
    rows = await st.read(list_actions, deliberation_id=_session_filter(request), limit=1_000_000)
    # A byte order mark makes spreadsheet programs read the file as UTF-8 (ä, ö, å).
    return Response("\ufeff" + csv_lines(rows), media_type="text/csv; charset=utf-8",
                    headers={"content-disposition": 'attachment; filename="raati-moderation.csv"'})


# --- staff accounts (admins) --------------------------------------------------------------

def _create_staff(db: Session, *, username: str, password: str, role: str) -> Any:
    check_new_staff(username, password, role)
    return do_create_staff(db, username=username, password_hash=hash_password(password),
                           role=role)


async def staff_users(request: Request) -> Response:
    if (denied := require(request, is_admin)) is not None:
        return denied
    values = {"username": "", "role": "moderator"}
    if request.method == "POST":
        form = await request.form()
        values = {"username": str(form.get("username") or "").strip(),
                  "role": str(form.get("role") or "")}
        try:
            if not csrf_ok(request, form.get("csrf")):
                raise DomainError("csrf_failed")
            await state(request).run(_create_staff, username=values["username"],
                                     password=str(form.get("password") or ""), role=values["role"])
        except DomainError as exc:
            from server.errors import status_of

            return render(request, "moderation/staff_users.html", {
                "values": values, "error": error_message(request, exc.code, exc.params),
            }, status_code=status_of(exc.code))
        flash(request, "success", error_message(request, "staff_created"))
        return RedirectResponse("/staff/users", status_code=303)
    return render(request, "moderation/staff_users.html", {"values": values, "error": None})


def marked(segs: list[Any]) -> Markup:
    """Text with its findings in <mark>: every piece escaped, only our tags are markup."""
    from markupsafe import escape

    out = []
    for seg in segs:
        piece = escape(seg.text)
        if seg.reasons:
            out.append(Markup('<mark data-reasons="{}">{}</mark>').format(
                " ".join(seg.reasons), piece))
        else:
            out.append(piece)
    return Markup("").join(out)


routes = [
    Route("/staff/moderation", queue_page),
    Route("/staff/moderation/queue", queue_fragment),
    Route("/staff/moderation/posts/{post_id:int}/{action}", decide, methods=["POST"]),
    Route("/staff/moderation/bulk-approve", bulk_approve, methods=["POST"]),
    Route("/staff/moderation/participants/{participant_id:int}/{action}", sanction,
          methods=["POST"]),
    Route("/staff/moderation/audit", audit_page),
    Route("/staff/moderation/audit.csv", audit_csv),
    Route("/staff/users", staff_users, methods=["GET", "POST"]),
]
