"""Moderation over HTTP for staff: the queue and its decisions, the audit log
and its CSV export, and the staff accounts page. The moderators' live updates are in
server/live/staff.py, the residents' side in server/routes/flags.py and
server/routes/own_posts.py.

Decisions are plain HTML forms with CSRF tokens (they work without JavaScript);
the queue page's script sends the same forms with ``Accept: application/json``
and gets JSON back.
"""

from __future__ import annotations

from typing import Any, Protocol

from babel.dates import format_timedelta
from markupsafe import Markup
from sqlmodel import Session
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import Route

from deliberation.errors import DomainError
from deliberation.permissions import can_manage_staff, can_moderate
from deliberation.sessions import list_deliberations
from deliberation.staff import check_new_staff, do_create_staff
from moderation import decisions
from moderation.audit import Actor, csv_lines, list_actions
from moderation.queue import queue_items, queue_length
from moderation.reasons import DECISION_REASONS, FLAG_REASONS, hold_explanation, label
from moderation.sanctions import SANCTIONS, do_sanction
from moderation.statement import do_decide_statement_text, statement_queue
from server import participation
from server.access import guard, staff_of
from server.auth import hash_password
from server.errors import error_message, status_of, wants_json
from server.http import flash, render, state
from server.i18n import current_language
from server.state import AppState


class _Decide(Protocol):
    def __call__(self, db: Session, *, post_id: object, actor: Actor) -> decisions.Decision: ...


# Decisions that need no reason (reject and hide take one from the form).
DECISIONS: dict[str, _Decide] = {
    "approve": decisions.do_approve, "redact": decisions.do_redact,
    "restore": decisions.do_restore,
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
    staff = staff_of(request)
    assert staff is not None  # the route's guard let only staff in
    return Actor(staff.id, staff.username)


def _session_filter(request: Request) -> int | None:
    return participation.as_int(request.query_params.get("session"))


def waited(seconds: int) -> str:
    return format_timedelta(seconds, threshold=1.5, locale=current_language.get())


# --- the queue --------------------------------------------------------------------------

def _queue_data(db: Session, *, deliberation_id: int | None) -> dict[str, Any]:
    return {"items": queue_items(db, deliberation_id=deliberation_id),
            "statement_items": statement_queue(db, deliberation_id=deliberation_id),
            "sessions": list_deliberations(db)}


async def _queue_context(request: Request) -> dict[str, Any]:
    st = state(request)
    selected = _session_filter(request)
    data = await st.read(_queue_data, deliberation_id=selected)
    return {**data, "selected": selected, "waited": waited,
            "decision_reasons": list(DECISION_REASONS.items())}


@guard(can_moderate)
async def queue_page(request: Request) -> Response:
    return render(request, "moderation/queue.html", await _queue_context(request))


@guard(can_moderate)
async def queue_fragment(request: Request) -> Response:
    """The queue list alone, for the page script to swap in after live events."""
    return render(request, "moderation/_queue.html", await _queue_context(request))


def back_to_queue(request: Request, exc: DomainError) -> Response:
    """A refused decision, shown as a message on the queue the form was on."""
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
    if wants_json(request):
        return JSONResponse({"ok": True, "message": message, **data})
    flash(request, "success", message)
    return RedirectResponse(_back_to_queue(request), status_code=303)


@guard(can_moderate, csrf=True, on_error=back_to_queue)
async def decide(request: Request) -> Response:
    action = request.path_params["action"]
    form = await request.form()
    st = state(request)
    post_id, actor = request.path_params["post_id"], _actor(request)
    if action in ("reject", "hide"):
        do = decisions.do_reject if action == "reject" else decisions.do_hide
        decision = await st.run(do, post_id=post_id, actor=actor, reason=form.get("reason"),
                                note=form.get("note") or "")
    elif action in DECISIONS:
        decision = await st.run(DECISIONS[action], post_id=post_id, actor=actor)
    else:
        raise DomainError("bad_request")
    return _done(request, f"decision_{action}", post_id=decision.post.id,
                 status=decision.post.status)


@guard(can_moderate, csrf=True, on_error=back_to_queue)
async def decide_statement_text(request: Request) -> Response:
    """A decision on a held digiraati amendment or comment (moderation/statement.py)."""
    form = await request.form()
    action = request.path_params["action"]
    await state(request).run(do_decide_statement_text, kind=request.path_params["kind"],
                             item_id=request.path_params["item_id"], action=action,
                             actor=_actor(request), reason=form.get("reason"),
                             note=form.get("note") or "")
    return _done(request, f"decision_{action}")


@guard(can_moderate, csrf=True, on_error=back_to_queue)
async def bulk_approve(request: Request) -> Response:
    form = await request.form()
    ids = [participation.as_int(v) for v in form.getlist("post_id")]
    if not ids:
        raise DomainError("nothing_selected")
    done = await state(request).run(decisions.do_bulk_approve, post_ids=ids, actor=_actor(request))
    return _done(request, "decision_bulk_approve", approved=[d.post.id for d in done])


@guard(can_moderate, csrf=True, on_error=back_to_queue)
async def sanction(request: Request) -> Response:
    form = await request.form()
    action = request.path_params["action"]
    if action not in SANCTIONS:
        raise DomainError("bad_request")
    outcome = await state(request).run(
        do_sanction, participant_id=request.path_params["participant_id"], action=action,
        actor=_actor(request), note=form.get("note") or "")
    return _done(request, f"sanction_{action}", muted=outcome.participant.muted,
                 banned=outcome.participant.banned)


# --- audit log --------------------------------------------------------------------------

@guard(can_moderate)
async def audit_page(request: Request) -> Response:
    st = state(request)
    selected = _session_filter(request)
    rows = await st.read(list_actions, deliberation_id=selected, limit=500)
    sessions = await st.read(list_deliberations)
    return render(request, "moderation/audit.html",
                  {"rows": rows, "sessions": sessions, "selected": selected})


@guard(can_moderate)
async def audit_csv(request: Request) -> Response:
    st = state(request)
    rows = await st.read(list_actions, deliberation_id=_session_filter(request), limit=1_000_000)
    # A byte order mark makes spreadsheet programs read the file as UTF-8 (ä, ö, å).
    return Response("\ufeff" + csv_lines(rows), media_type="text/csv; charset=utf-8",
                    headers={"content-disposition": 'attachment; filename="raati-moderation.csv"'})


# --- staff accounts (admins) --------------------------------------------------------------

def _create_staff(db: Session, *, username: str, password: str, role: str) -> object:
    check_new_staff(username, password, role)
    return do_create_staff(db, username=username, password_hash=hash_password(password),
                           role=role)


async def _typed_values(request: Request) -> dict[str, str]:
    form = await request.form()
    return {"username": str(form.get("username") or "").strip(),
            "role": str(form.get("role") or "")}


async def _staff_form_error(request: Request, exc: DomainError) -> Response:
    return render(request, "moderation/staff_users.html", {
        "values": await _typed_values(request),
        "error": error_message(request, exc.code, exc.params),
    }, status_code=status_of(exc.code))


@guard(can_manage_staff, csrf=True, on_error=_staff_form_error)
async def staff_users(request: Request) -> Response:
    if request.method != "POST":
        return render(request, "moderation/staff_users.html",
                      {"values": {"username": "", "role": "moderator"}, "error": None})
    values = await _typed_values(request)
    form = await request.form()
    await state(request).run(_create_staff, username=values["username"],
                             password=str(form.get("password") or ""), role=values["role"])
    flash(request, "success", error_message(request, "staff_created"))
    return RedirectResponse("/staff/users", status_code=303)


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
    Route("/staff/moderation/posts/{post_id:id}/{action}", decide, methods=["POST"]),
    Route("/staff/moderation/statement/{kind}/{item_id:id}/{action}", decide_statement_text,
          methods=["POST"]),
    Route("/staff/moderation/bulk-approve", bulk_approve, methods=["POST"]),
    Route("/staff/moderation/participants/{participant_id:id}/{action}", sanction,
          methods=["POST"]),
    Route("/staff/moderation/audit", audit_page),
    Route("/staff/moderation/audit.csv", audit_csv),
    Route("/staff/users", staff_users, methods=["GET", "POST"]),
]
