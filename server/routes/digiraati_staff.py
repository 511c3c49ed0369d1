"""Facilitators' pages of a digiraati: creating it, its phases and experts,
the panel (volunteers' CSV, quotas, the draw, replacements, deleting contacts)
and the invitations (a mail-merge CSV). Personal data (contact columns, the
names facilitators type on invitations) appears only here.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlmodel import Session
from starlette.datastructures import FormData, UploadFile
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import Route

from deliberation.digiraati.hearing import do_add_expert, experts_of
from deliberation.digiraati.invitations import (
    IssuedInvitation,
    do_invite_by_hand,
    do_invite_panel,
    do_revoke_invitation,
    invitations_of,
    mail_merge_csv,
)
from deliberation.digiraati.panels import (
    do_delete_contacts,
    do_finalise_panel,
    do_load_volunteers,
    do_replace_decliner,
    draw_running,
    facilitator_view,
)
from deliberation.digiraati.phases import (
    PHASES,
    DigiraatiForm,
    do_close_phase,
    do_create_digiraati,
    do_open_phase,
    do_update_background,
)
from deliberation.errors import DomainError, NotFound
from deliberation.models import utcnow
from deliberation.permissions import can_run_digiraati
from deliberation.staff import find_staff
from server import digiraati_views as views
from server.access import guard
from server.errors import error_message, status_of
from server.http import flash, local_input, parse_local, render, state
from server.lottery_runner import solve_in_child
from server.participation import as_int

MAX_UPLOAD_BYTES = 5_000_000


def _id(request: Request) -> int:
    value = as_int(request.path_params["id"])
    if value is None:
        raise NotFound("digiraati_not_found")
    return value


def _manage(request: Request, anchor: str = "") -> RedirectResponse:
    return RedirectResponse(f"/staff/digiraati/{_id(request)}{anchor}", status_code=303)


def _panel(request: Request, anchor: str = "") -> RedirectResponse:
    return RedirectResponse(f"/staff/digiraati/{_id(request)}/panel{anchor}", status_code=303)


def _flash_back(to: Any) -> Any:
    def on_error(request: Request, exc: DomainError) -> Response:
        flash(request, "error", error_message(request, exc.code, exc.params))
        return to(request)  # type: ignore[no-any-return]
    return on_error


# --- creating ----------------------------------------------------------------------------

FIELDS = ("title", "slug", "introduction", "background", "questions", "panel_size", "opens_at",
          "closes_at", "moderation_mode", "public_read")


def _form_from(data: FormData) -> DigiraatiForm:
    size = as_int(data.get("panel_size"))
    schedule: dict[str, tuple[datetime | None, datetime | None]] = {}
    for name in PHASES:
        starts, ends = parse_local(data.get(f"{name}_starts")), parse_local(data.get(f"{name}_ends"))
        if starts or ends:
            schedule[name] = (starts, ends)
    return DigiraatiForm(
        title=str(data.get("title") or ""), slug=str(data.get("slug") or ""),
        introduction=str(data.get("introduction") or ""),
        background=str(data.get("background") or ""),
        questions=tuple(str(data.get("questions") or "").replace("\r\n", "\n").split("\n")),
        panel_size=size or 0, opens_at=parse_local(data.get("opens_at")),
        closes_at=parse_local(data.get("closes_at")),
        public_read=data.get("public_read") == "1",
        moderation_mode=str(data.get("moderation_mode") or "post"), schedule=schedule)


async def _new_refused(request: Request, exc: DomainError) -> Response:
    form = await request.form()
    values = {k: str(form.get(k) or "") for k in FIELDS}
    values.update({f"{n}_{e}": str(form.get(f"{n}_{e}") or "") for n in PHASES
                   for e in ("starts", "ends")})
    return render(request, "digiraati/staff_new.html", {
        "values": values, "phases": PHASES,
        "error": error_message(request, exc.code, exc.params)}, status_code=status_of(exc.code))


@guard(can_run_digiraati, csrf=True, on_error=_new_refused)
async def new_digiraati(request: Request) -> Response:
    if request.method == "GET":
        return render(request, "digiraati/staff_new.html", {
            "values": {"panel_size": "30", "moderation_mode": "post"}, "phases": PHASES})
    form = await request.form()
    d = await state(request).run(do_create_digiraati, form=_form_from(form))
    flash(request, "success", error_message(request, "session_saved"))
    return RedirectResponse(f"/staff/digiraati/{d.id}", status_code=303)


# --- running ---------------------------------------------------------------------------

def _manage_data(db: Session, *, deliberation_id: int) -> dict[str, Any]:
    d, raati = views.staff_digiraati(db, deliberation_id=deliberation_id)
    return {"d": d, "raati": raati, "phases": views.phase_list(db, d),
            "experts": experts_of(db, d)}


@guard(can_run_digiraati)
async def manage(request: Request) -> Response:
    data = await state(request).read(_manage_data, deliberation_id=_id(request))
    return render(request, "digiraati/staff_manage.html", {
        **data, "local_input": local_input})


def _phase(db: Session, *, deliberation_id: int, name: str, open_: bool) -> Any:
    d, _ = views.staff_digiraati(db, deliberation_id=deliberation_id)
    return (do_open_phase if open_ else do_close_phase)(db, d=d, name=name)


@guard(can_run_digiraati, csrf=True, on_error=_flash_back(_manage))
async def phase_action(request: Request) -> Response:
    action = request.path_params["action"]
    if action not in ("open", "close"):
        raise NotFound("not_found")
    await state(request).run(_phase, deliberation_id=_id(request),
                             name=str(request.path_params["name"]), open_=action == "open")
    return _manage(request, "#phases")


def _expert(db: Session, *, deliberation_id: int, username: str, display_name: str) -> Any:
    d, _ = views.staff_digiraati(db, deliberation_id=deliberation_id)
    user = find_staff(db, username=username)
    if user is None:
        raise DomainError("expert_role_required")
    return do_add_expert(db, d=d, user=user, display_name=display_name)


@guard(can_run_digiraati, csrf=True, on_error=_flash_back(_manage))
async def add_expert(request: Request) -> Response:
    form = await request.form()
    await state(request).run(_expert, deliberation_id=_id(request),
                             username=str(form.get("username") or "").strip(),
                             display_name=str(form.get("display_name") or ""))
    flash(request, "success", error_message(request, "expert_added"))
    return _manage(request, "#experts")


def _background(db: Session, *, deliberation_id: int, text: str, public_read: bool) -> Any:
    d, _ = views.staff_digiraati(db, deliberation_id=deliberation_id)
    return do_update_background(db, d=d, text=text, public_read=public_read)


@guard(can_run_digiraati, csrf=True, on_error=_flash_back(_manage))
async def background(request: Request) -> Response:
    form = await request.form()
    await state(request).run(_background, deliberation_id=_id(request),
                             text=str(form.get("background") or ""),
                             public_read=form.get("public_read") == "1")
    flash(request, "success", error_message(request, "session_saved"))
    return _manage(request, "#background")


# --- the panel ---------------------------------------------------------------------------

def _panel_data(db: Session, *, deliberation_id: int) -> dict[str, Any]:
    d, raati = views.staff_digiraati(db, deliberation_id=deliberation_id)
    return {"d": d, "raati": raati, "panel": facilitator_view(db, d),
            "invitations": invitations_of(db, d)}


def _failure_text(request: Request, failure: tuple[str, dict[str, Any]] | None) -> str:
    return error_message(request, *failure) if failure else ""


@guard(can_run_digiraati)
async def panel_page(request: Request) -> Response:
    data = await state(request).read(_panel_data, deliberation_id=_id(request))
    return render(request, "digiraati/staff_panel.html", {
        **data, "draw_failure_text": _failure_text(request, data["panel"]["draw_failure"])})


def _draw_status(db: Session, *, deliberation_id: int) -> bool:
    _, raati = views.staff_digiraati(db, deliberation_id=deliberation_id)
    return draw_running(raati, utcnow())


@guard(can_run_digiraati)
async def draw_status(request: Request) -> Response:
    """Whether the panel is still being drawn (the panel page's script asks)."""
    running = await state(request).read(_draw_status, deliberation_id=_id(request))
    return JSONResponse({"running": running}, headers={"Cache-Control": "no-store"})


async def _text_of(form: FormData, file_field: str, text_field: str) -> str:
    upload = form.get(file_field)
    if isinstance(upload, UploadFile) and upload.filename:
        raw = await upload.read(MAX_UPLOAD_BYTES + 1)
        await upload.close()
        if len(raw) > MAX_UPLOAD_BYTES:
            raise DomainError("panel_csv_too_large")
        for encoding in ("utf-8-sig", "cp1252"):  # Excel's CSV is often Windows-1252
            try:
                return raw.decode(encoding)
            except UnicodeDecodeError:
                continue
    return str(form.get(text_field) or "")


def _pool(db: Session, *, deliberation_id: int, csv_text: str, quotas_text: str) -> Any:
    d, _ = views.staff_digiraati(db, deliberation_id=deliberation_id)
    return do_load_volunteers(db, d=d, csv_text=csv_text, quotas_text=quotas_text)


@guard(can_run_digiraati, csrf=True, on_error=_flash_back(_panel))
async def load_pool(request: Request) -> Response:
    form = await request.form()
    await state(request).run(_pool, deliberation_id=_id(request),
                             csv_text=await _text_of(form, "volunteers", "volunteers_text"),
                             quotas_text=str(form.get("quotas") or ""))
    flash(request, "success", error_message(request, "pool_loaded"))
    return _panel(request)


@guard(can_run_digiraati, csrf=True, on_error=_flash_back(_panel))
async def draw(request: Request) -> Response:
    form = await request.form()
    raw = str(form.get("seed") or "").strip()
    seed = as_int(raw) if raw else None
    if raw and not seed:
        raise DomainError("seed_invalid", limit=2**31 - 1)
    st = state(request)
    # The lottery takes tens of seconds with thousands of volunteers: it runs in
    # the background and the panel page shows it running until it is done.
    await st.draws.start(st, deliberation_id=_id(request), seed=seed)
    return _panel(request, "#draw-status")


def _replace(db: Session, *, deliberation_id: int, volunteer_id: object) -> Any:
    d, _ = views.staff_digiraati(db, deliberation_id=deliberation_id)
    return do_replace_decliner(db, d=d, volunteer_id=volunteer_id, solve=solve_in_child)


@guard(can_run_digiraati, csrf=True, on_error=_flash_back(_panel))
async def replace(request: Request) -> Response:
    out = await state(request).run(_replace, deliberation_id=_id(request),
                                   volunteer_id=as_int(request.path_params["volunteer_id"]))
    flash(request, "success", error_message(request, "replacement_drawn",
                                            {"row": out.replacement.row_number}))
    return _panel(request, "#volunteers")


def _final(db: Session, *, deliberation_id: int, contacts_only: bool) -> Any:
    d, _ = views.staff_digiraati(db, deliberation_id=deliberation_id)
    return do_delete_contacts(db, d=d) if contacts_only else do_finalise_panel(db, d=d)


@guard(can_run_digiraati, csrf=True, on_error=_flash_back(_panel))
async def finalise(request: Request) -> Response:
    await state(request).run(_final, deliberation_id=_id(request), contacts_only=False)
    flash(request, "success", error_message(request, "panel_finalised"))
    return _panel(request)


@guard(can_run_digiraati, csrf=True, on_error=_flash_back(_panel))
async def delete_contacts(request: Request) -> Response:
    await state(request).run(_final, deliberation_id=_id(request), contacts_only=True)
    flash(request, "success", error_message(request, "contacts_deleted"))
    return _panel(request)


# --- invitations -------------------------------------------------------------------------

def _csv_response(request: Request, issued: list[IssuedInvitation], slug: str) -> Response:
    base = str(request.base_url).rstrip("/")
    text = mail_merge_csv(issued, link_prefix=f"{base}/d/{slug}/invite/")
    return Response("\ufeff" + text, media_type="text/csv; charset=utf-8", headers={
        "Content-Disposition": f'attachment; filename="{slug}-invitations.csv"',
        "Cache-Control": "no-store"})


def _invite(db: Session, *, deliberation_id: int, label: str | None,
            expires_at: datetime | None) -> tuple[list[IssuedInvitation], str]:
    d, _ = views.staff_digiraati(db, deliberation_id=deliberation_id)
    if label is None:
        issued, _event = do_invite_panel(db, d=d, expires_at=expires_at)
        return issued, d.slug
    one, _event = do_invite_by_hand(db, d=d, label=label, expires_at=expires_at)
    return [one], d.slug


@guard(can_run_digiraati, csrf=True, on_error=_flash_back(_panel))
async def invite(request: Request) -> Response:
    """The new invitations as a CSV for a mail merge: the tokens are shown only
    now (the database keeps their hashes)."""
    form = await request.form()
    label = str(form.get("label") or "") if form.get("by_hand") else None
    issued, slug = await state(request).run(
        _invite, deliberation_id=_id(request), label=label,
        expires_at=parse_local(form.get("expires_at")))
    return _csv_response(request, issued, slug)


def _revoke(db: Session, *, deliberation_id: int, invitation_id: object) -> Any:
    d, _ = views.staff_digiraati(db, deliberation_id=deliberation_id)
    return do_revoke_invitation(db, d=d, invitation_id=invitation_id)


@guard(can_run_digiraati, csrf=True, on_error=_flash_back(_panel))
async def revoke(request: Request) -> Response:
    await state(request).run(_revoke, deliberation_id=_id(request),
                             invitation_id=as_int(request.path_params["invitation_id"]))
    flash(request, "success", error_message(request, "invitation_revoked_ok"))
    return _panel(request, "#invitations")


routes = [
    Route("/staff/digiraati/new", new_digiraati, methods=["GET", "POST"]),
    Route("/staff/digiraati/{id}", manage),
    Route("/staff/digiraati/{id}/phases/{name}/{action}", phase_action, methods=["POST"]),
    Route("/staff/digiraati/{id}/experts", add_expert, methods=["POST"]),
    Route("/staff/digiraati/{id}/background", background, methods=["POST"]),
    Route("/staff/digiraati/{id}/panel", panel_page),
    Route("/staff/digiraati/{id}/panel/pool", load_pool, methods=["POST"]),
    Route("/staff/digiraati/{id}/panel/draw", draw, methods=["POST"]),
    Route("/staff/digiraati/{id}/panel/draw/status", draw_status),
    Route("/staff/digiraati/{id}/panel/replace/{volunteer_id}", replace, methods=["POST"]),
    Route("/staff/digiraati/{id}/panel/final", finalise, methods=["POST"]),
    Route("/staff/digiraati/{id}/panel/contacts/delete", delete_contacts, methods=["POST"]),
    Route("/staff/digiraati/{id}/invitations", invite, methods=["POST"]),
    Route("/staff/digiraati/{id}/invitations/{invitation_id}/revoke", revoke, methods=["POST"]),
]
