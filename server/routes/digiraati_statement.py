"""The joint statement's pages: sections and their versions, word diffs,
conflict-safe editing, amendments, votes, publication, the county's response
and the exports (Markdown, CSV, JSON, a printable page). All forms work
without JavaScript; page scripts may send them with ``Accept: application/json``.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlmodel import Session
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import Route

from deliberation.digiraati.amendments import (
    access_amendment,
    amendments_of,
    do_comment,
    do_decide,
    do_propose,
    do_toggle_amendment_support,
)
from deliberation.digiraati.invitations import panel_members
from deliberation.digiraati.phases import phase_state, phases_of
from deliberation.digiraati.publication import (
    RESPONSE_STATUSES,
    do_publish,
    do_respond,
    statement,
    to_csv,
    to_markdown,
)
from deliberation.digiraati.statements import (
    EditConflict,
    Writer,
    access_section,
    compare_versions,
    current_text,
    do_add_section,
    do_choose_writer,
    do_save_section,
    versions_of,
)
from deliberation.digiraati.votes import CHOICES, do_vote, my_votes
from deliberation.errors import DomainError, NotFound
from deliberation.events import last_seq
from deliberation.permissions import can_run_digiraati
from server import digiraati_views as views
from server.access import guard, staff_of
from server.errors import error_message, error_page, status_of, wants_json
from server.http import flash, participant_token, render, state
from server.participation import as_int


def _who(request: Request) -> dict[str, Any]:
    staff = staff_of(request)
    return {"slug": request.path_params["slug"],
            "token": participant_token(request, create=False),
            "staff_id": staff.id if staff else None, "staff_role": staff.role if staff else None}


def _back(request: Request, anchor: str = "") -> RedirectResponse:
    return RedirectResponse(f"/d/{request.path_params['slug']}/statement{anchor}",
                            status_code=303)


def _done(request: Request, anchor: str = "", code: str | None = None,
          data: dict[str, Any] | None = None) -> Response:
    message = error_message(request, code) if code else None
    if wants_json(request):
        return JSONResponse({"ok": True, **(data or {}),
                             **({"message": message} if message else {})})
    if message:
        flash(request, "success", message)
    return _back(request, anchor)


def _refused(request: Request, exc: DomainError) -> Response:
    if exc.code in ("session_not_found", "digiraati_not_found", "digiraati_private"):
        return error_page(request, exc.code, exc.params)
    flash(request, "error", error_message(request, exc.code, exc.params))
    return _back(request)


async def _kept(request: Request, exc: DomainError) -> Response:
    """A refused form with text in it: the statement page again at once, the
    message on top and what was typed back in its boxes (nothing is lost)."""
    if exc.code in ("session_not_found", "digiraati_not_found", "digiraati_private"):
        return error_page(request, exc.code, exc.params)
    form = await request.form()
    data = await state(request).read(_page, **_who(request))
    target = {"sid": as_int(request.path_params.get("sid", "")),
              "aid": as_int(request.path_params.get("aid", "")),
              "path": request.url.path.rsplit("/", 1)[-1]}
    draft = {k: str(v) for k, v in form.items() if k != "csrf" and isinstance(v, str)}
    return render(request, "digiraati/statement.html", {
        **data, "error": error_message(request, exc.code, exc.params),
        "draft_for": target, "draft": draft}, status_code=status_of(exc.code))


def _writer(v: views.Viewer, staff_name: str | None) -> Writer:
    if v.runs and staff_name:
        return Writer(staff_name, staff=True)
    me = views.acting_panellist(v)
    return Writer(me.pseudonym, participant=me)


# --- reading -----------------------------------------------------------------------------

def _page(db: Session, *, slug: str, token: str | None, staff_id: int | None,
          staff_role: str | None) -> dict[str, Any]:
    v = views.viewer(db, slug=slug, token=token, staff_id=staff_id, staff_role=staff_role,
                     statement=True)
    d = v.d
    assert d.id is not None
    states = {p.name: phase_state(p) for p in phases_of(db, d)}
    data = statement(db, d)
    me = v.participant.id if v.participant else None
    for s in data["sections"]:
        s["amendments"] = amendments_of(db, d, s["id"], viewer_id=me)
    return {
        "v": v, "d": d, "seq": last_seq(db, deliberation_id=d.id), "states": states,
        "statement": data, "my_votes": my_votes(db, d, v.participant) if v.member and (
            v.participant) else {},
        "members": [(m, p) for m, p in panel_members(db, d)] if v.runs else [],
        "choices": CHOICES, "response_statuses": RESPONSE_STATUSES,
    }


@guard()
async def statement_page(request: Request) -> Response:
    data = await state(request).read(_page, **_who(request))
    return render(request, "digiraati/statement.html", data)


def _amendment_part(db: Session, *, slug: str, token: str | None, staff_id: int | None,
                    staff_role: str | None, amendment_id: object) -> dict[str, Any]:
    v = views.viewer(db, slug=slug, token=token, staff_id=staff_id, staff_role=staff_role,
                     statement=True)
    amendment = access_amendment(db, v.d, amendment_id)
    me = v.participant.id if v.participant else None
    found = amendments_of(db, v.d, amendment.section_id, viewer_id=me,
                          amendment_id=amendment.id)
    if not found:  # held or rejected: only its author sees it
        raise NotFound("amendment_not_found")
    states = {p.name: phase_state(p) for p in phases_of(db, v.d)}
    return {"v": v, "d": v.d, "states": states, "a": found[0]}


@guard()
async def amendment_part(request: Request) -> Response:
    """One amendment as the statement page shows it to this viewer (its forms,
    comments and state), for the page script to insert or update live."""
    data = await state(request).read(_amendment_part, **_who(request),
                                     amendment_id=as_int(request.path_params["aid"]))
    return render(request, "digiraati/amendment_part.html", data)


def _export_data(db: Session, *, slug: str, token: str | None, staff_id: int | None,
                 staff_role: str | None) -> dict[str, Any]:
    v = views.viewer(db, slug=slug, token=token, staff_id=staff_id, staff_role=staff_role,
                     statement=True)
    return statement(db, v.d)


@guard()
async def export(request: Request) -> Response:
    fmt = request.path_params["fmt"]
    data = await state(request).read(_export_data, **_who(request))
    slug = request.path_params["slug"]
    if fmt == "json":
        return JSONResponse(data)
    if fmt == "md":
        return Response(to_markdown(data, _words(request)), media_type="text/markdown; charset=utf-8",
                        headers={"Content-Disposition": f'attachment; filename="{slug}.md"'})
    if fmt == "csv":
        return Response("\ufeff" + to_csv(data), media_type="text/csv; charset=utf-8",
                        headers={"Content-Disposition": f'attachment; filename="{slug}.csv"'})
    if fmt == "print":
        return render(request, "digiraati/statement_print.html", {"statement": data})
    raise NotFound("not_found")


def _words(request: Request) -> dict[str, str]:
    gettext = state(request).translator.gettext
    return {"agree": gettext("agree"), "accept": gettext("can accept"),
            "disagree": gettext("disagree"), "votes": gettext("Votes"),
            "response": gettext("Response"), "composition": gettext("Panel composition"),
            "accepted": gettext("accepted"), "partly": gettext("partly accepted"),
            "not_taken": gettext("not taken forward")}


def _section_data(db: Session, *, slug: str, token: str | None, staff_id: int | None,
                  staff_role: str | None, section_id: object) -> dict[str, Any]:
    v = views.viewer(db, slug=slug, token=token, staff_id=staff_id, staff_role=staff_role)
    section = access_section(db, v.d, section_id)
    return {"v": v, "d": v.d, "section": section, "text": current_text(db, section),
            "versions": versions_of(db, section)}


@guard()
async def edit_page(request: Request) -> Response:
    data = await state(request).read(_section_data, **_who(request),
                                     section_id=as_int(request.path_params["sid"]))
    return render(request, "digiraati/section_edit.html", data)


def _diff(db: Session, *, slug: str, token: str | None, staff_id: int | None,
          staff_role: str | None, section_id: object, old: object, new: object) -> dict[str, Any]:
    data = _section_data(db, slug=slug, token=token, staff_id=staff_id, staff_role=staff_role,
                         section_id=section_id)
    a, b, parts = compare_versions(db, data["d"], section_id, old, new)
    return {**data, "old": a, "new": b, "parts": parts}


@guard()
async def diff_page(request: Request) -> Response:
    q = request.query_params
    data = await state(request).read(
        _diff, **_who(request), section_id=as_int(request.path_params["sid"]),
        old=as_int(q.get("from", "")), new=as_int(q.get("to", "")))
    return render(request, "digiraati/section_diff.html", data)


# --- writing -----------------------------------------------------------------------------

def _act(fn: Any) -> Any:
    """A statement action: the viewer from the request, then ``fn``."""
    def run(db: Session, *, slug: str, token: str | None, staff_id: int | None,
            staff_role: str | None, staff_name: str | None = None, **kw: Any) -> Any:
        v = views.viewer(db, slug=slug, token=token, staff_id=staff_id, staff_role=staff_role)
        return fn(db, v=v, staff_name=staff_name, **kw)
    return run


def _staff_name(request: Request) -> str | None:
    staff = staff_of(request)
    return staff.username if staff else None


@_act
def _save(db: Session, *, v: views.Viewer, staff_name: str | None, section_id: object,
          base: object, text: object) -> Any:
    return do_save_section(db, d=v.d, writer=_writer(v, staff_name), section_id=section_id,
                           base=base, text=text)


async def _save_refused(request: Request, exc: DomainError) -> Response:
    """A refused save shows the editor again with what was typed; a conflict
    shows both texts (status 409): nothing typed is lost."""
    form = await request.form()
    data = await state(request).read(_section_data, **_who(request),
                                     section_id=as_int(request.path_params["sid"]))
    mine = str(form.get("text") or "")
    context = {**data, "error": error_message(request, exc.code, exc.params), "draft": mine}
    if isinstance(exc, EditConflict):
        context["conflict"] = {"current": exc.current_text, "mine": exc.your_text,
                               "version": exc.params["current"]}
    return render(request, "digiraati/section_edit.html", context,
                  status_code=status_of(exc.code))


@guard(csrf=True, on_error=_save_refused)
async def save(request: Request) -> Response:
    form = await request.form()
    sid = as_int(request.path_params["sid"])
    await state(request).run(_save, **_who(request), staff_name=_staff_name(request),
                             section_id=sid, base=as_int(form.get("base")),
                             text=form.get("text"))
    return _done(request, f"#section-{sid}", "section_saved")


@_act
def _add(db: Session, *, v: views.Viewer, staff_name: str | None, title: object,
         text: object) -> Any:
    if not v.runs:
        raise DomainError("forbidden")
    return do_add_section(db, d=v.d, title=title, text=text, author=staff_name or "")


@guard(can_run_digiraati, csrf=True, on_error=_kept)
async def add_section(request: Request) -> Response:
    form = await request.form()
    section, _ = await state(request).run(_add, **_who(request), staff_name=_staff_name(request),
                                          title=form.get("title"), text=form.get("text"))
    return _done(request, f"#section-{section.id}", "section_saved")


@_act
def _writer_choice(db: Session, *, v: views.Viewer, staff_name: str | None,
                   participant_id: object, writer: bool) -> Any:
    member = next((p for _, p in panel_members(db, v.d) if p.id == participant_id), None)
    if member is None:
        raise DomainError("not_panellist")
    return do_choose_writer(db, d=v.d, participant=member, writer=writer)


@guard(can_run_digiraati, csrf=True, on_error=_refused)
async def choose_writer(request: Request) -> Response:
    form = await request.form()
    await state(request).run(_writer_choice, **_who(request),
                             participant_id=as_int(form.get("participant_id")),
                             writer=form.get("writer") == "1")
    return _done(request, "#writers")


@_act
def _propose(db: Session, *, v: views.Viewer, staff_name: str | None, section_id: object,
             text: object, reason: object, names: bool) -> Any:
    return do_propose(db, d=v.d, participant=views.acting_panellist(v), section_id=section_id, text=text,
                      reason=reason, names=names)


@guard(csrf=True, on_error=_kept)
async def propose(request: Request) -> Response:
    form = await request.form()
    sid = as_int(request.path_params["sid"])
    amendment, _ = await state(request).run(
        _propose, **_who(request), section_id=sid, text=form.get("text"),
        reason=form.get("reason"), names=state(request).settings.detect_names)
    held = amendment.moderation != "published"
    return _done(request, f"#amendment-{amendment.id}",
                 "amendment_held_ok" if held else "amendment_proposed",
                 {"amendment_id": amendment.id, "held": held})


@_act
def _support(db: Session, *, v: views.Viewer, staff_name: str | None,
             amendment_id: object) -> Any:
    return do_toggle_amendment_support(db, d=v.d, participant=views.acting_panellist(v), amendment_id=amendment_id)


@guard(csrf=True, on_error=_refused)
async def support(request: Request) -> Response:
    aid = as_int(request.path_params["aid"])
    supported, event = await state(request).run(_support, **_who(request), amendment_id=aid)
    return _done(request, f"#amendment-{aid}", None,
                 {"supported": supported, "support_count": event.data["support_count"]})


@_act
def _comment(db: Session, *, v: views.Viewer, staff_name: str | None, amendment_id: object,
             body: object, names: bool) -> Any:
    return do_comment(db, d=v.d, participant=views.acting_panellist(v), amendment_id=amendment_id, body=body,
                      names=names)


@guard(csrf=True, on_error=_kept)
async def comment(request: Request) -> Response:
    form = await request.form()
    aid = as_int(request.path_params["aid"])
    event = await state(request).run(_comment, **_who(request), amendment_id=aid,
                                     body=form.get("body"),
                                     names=state(request).settings.detect_names)
    held = event.kind != "amendment_comment"
    return _done(request, f"#amendment-{aid}", "comment_held_ok" if held else None,
                 {"amendment_id": aid, "held": held})


@_act
def _decide(db: Session, *, v: views.Viewer, staff_name: str | None, amendment_id: object,
            accept: bool, reason: object) -> Any:
    return do_decide(db, d=v.d, writer=_writer(v, staff_name), amendment_id=amendment_id,
                     accept=accept, reason=reason)


@guard(csrf=True, on_error=_kept)
async def decide(request: Request) -> Response:
    form = await request.form()
    aid = as_int(request.path_params["aid"])
    await state(request).run(_decide, **_who(request), staff_name=_staff_name(request),
                             amendment_id=aid, accept=form.get("decision") == "accept",
                             reason=form.get("reason"))
    return _done(request, f"#amendment-{aid}", "amendment_decided_ok")


@_act
def _vote(db: Session, *, v: views.Viewer, staff_name: str | None, section_id: object,
          choice: object) -> Any:
    return do_vote(db, d=v.d, participant=views.acting_panellist(v), section_id=section_id, choice=choice)


@guard(csrf=True, on_error=_refused)
async def vote(request: Request) -> Response:
    form = await request.form()
    sid = as_int(request.path_params["sid"])
    await state(request).run(_vote, **_who(request), section_id=sid, choice=form.get("choice"))
    return _done(request, f"#section-{sid}", "vote_saved", {"choice": form.get("choice")})


@_act
def _publish(db: Session, *, v: views.Viewer, staff_name: str | None) -> Any:
    return do_publish(db, d=v.d)


@guard(can_run_digiraati, csrf=True, on_error=_refused)
async def publish(request: Request) -> Response:
    await state(request).run(_publish, **_who(request))
    return _done(request, "", "statement_published_ok")


@_act
def _respond(db: Session, *, v: views.Viewer, staff_name: str | None, section_id: object,
             status: object, reasons: object, responded_on: date) -> Any:
    return do_respond(db, d=v.d, section_id=section_id, status=status, reasons=reasons,
                      responded_on=responded_on)


@guard(can_run_digiraati, csrf=True, on_error=_kept)
async def respond(request: Request) -> Response:
    form = await request.form()
    sid = as_int(request.path_params["sid"])
    try:
        on = date.fromisoformat(str(form.get("responded_on") or ""))
    except ValueError:
        raise DomainError("date_invalid") from None
    await state(request).run(_respond, **_who(request), section_id=sid,
                             status=form.get("status"), reasons=form.get("reasons"),
                             responded_on=on)
    return _done(request, f"#section-{sid}", "response_saved")


routes = [
    Route("/d/{slug}/statement", statement_page),
    Route("/d/{slug}/statement/export.{fmt}", export),
    Route("/d/{slug}/statement/sections", add_section, methods=["POST"]),
    Route("/d/{slug}/statement/writers", choose_writer, methods=["POST"]),
    Route("/d/{slug}/statement/publish", publish, methods=["POST"]),
    Route("/d/{slug}/statement/sections/{sid}", save, methods=["POST"]),
    Route("/d/{slug}/statement/sections/{sid}/edit", edit_page),
    Route("/d/{slug}/statement/sections/{sid}/diff", diff_page),
    Route("/d/{slug}/statement/sections/{sid}/amendments", propose, methods=["POST"]),
    Route("/d/{slug}/statement/sections/{sid}/vote", vote, methods=["POST"]),
    Route("/d/{slug}/statement/sections/{sid}/response", respond, methods=["POST"]),
    Route("/d/{slug}/statement/amendments/{aid}", amendment_part),
    Route("/d/{slug}/statement/amendments/{aid}/support", support, methods=["POST"]),
    Route("/d/{slug}/statement/amendments/{aid}/comments", comment, methods=["POST"]),
    Route("/d/{slug}/statement/amendments/{aid}/decide", decide, methods=["POST"]),
]
