"""The digiraati's pages for its panel, experts and readers: the main page
with the open phase's threads, invitations, display names, and the expert
hearing. Everything works without JavaScript (forms post and redirect back);
page scripts send the same forms with ``Accept: application/json``.
"""

from __future__ import annotations

from typing import Any

from sqlmodel import Session
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import Route

from deliberation.digiraati.hearing import (
    check_digiraati_post,
    check_digiraati_support,
    do_answer,
    do_ask,
    do_close_hearing,
    do_mark_answered,
    do_merge,
    do_support_question,
)
from deliberation.digiraati.invitations import (
    access_invitation,
    do_choose_name,
    do_redeem_invitation,
)
from deliberation.digiraati.rules import digiraati_of
from deliberation.errors import DomainError, NotFound
from deliberation.participants import do_join, find_participant
from deliberation.permissions import can_answer_hearing, can_run_digiraati
from deliberation.posts import PostingLimits, do_create_post, do_toggle_support
from deliberation.sessions import access_deliberation
from server import digiraati_views as views
from server.access import guard, staff_of
from server.errors import error_message, error_page, status_of, wants_json
from server.http import flash, participant_token, render, state
from server.participation import as_int


def _who(request: Request, *, join: bool = False) -> dict[str, Any]:
    staff = staff_of(request)
    return {"slug": request.path_params["slug"],
            "token": participant_token(request, create=join),
            "staff_id": staff.id if staff else None, "staff_role": staff.role if staff else None,
            "join": join}


def _back(request: Request, path: str = "", anchor: str = "") -> RedirectResponse:
    return RedirectResponse(f"/d/{request.path_params['slug']}{path}{anchor}", status_code=303)


def _done(request: Request, data: dict[str, Any], *, path: str = "", anchor: str = "",
          message: str | None = None, kind: str = "success") -> Response:
    """JSON for page scripts; otherwise a flash and a redirect back."""
    if wants_json(request):
        return JSONResponse({"ok": True, **data, **({"message": message} if message else {})})
    if message:
        flash(request, kind, message)
    return _back(request, path, anchor)


def _refused(path: str) -> Any:
    def on_error(request: Request, exc: DomainError) -> Response:
        if exc.code in ("session_not_found", "digiraati_not_found", "digiraati_private"):
            return error_page(request, exc.code, exc.params)
        flash(request, "error", error_message(request, exc.code, exc.params))
        return _back(request, path)
    return on_error


# --- the main page -------------------------------------------------------------------

@guard()
async def digiraati_page(request: Request) -> Response:
    st = state(request)
    v = await st.run(views.viewer, **_who(request, join=True))
    data = await st.read(views.page_data, v=v)
    return render(request, "digiraati/page.html", {"v": v, "d": v.d, **data})


# --- invitations and names -------------------------------------------------------------

def _check_invitation(db: Session, *, slug: str, token: str,
                      participant_token: str | None) -> tuple[Any, str | None]:
    """The digiraati, and where a panellist coming back by their link goes."""
    d = access_deliberation(db, slug=slug)
    assert d.id is not None
    me = find_participant(db, deliberation_id=d.id, token=participant_token) if (
        participant_token) else None
    inv = access_invitation(db, d=d, token=token, participant=me)
    if inv.used_at is None:
        return d, None
    published = digiraati_of(db, d).published_at is not None
    return d, f"/d/{d.slug}/statement" if published else f"/d/{d.slug}"


def _invitation_refused(request: Request, exc: DomainError) -> Response:
    return render(request, "digiraati/invitation.html", {
        "problem": error_message(request, exc.code, exc.params), "d": None,
        "token": request.path_params["token"]}, status_code=404 if exc.code.endswith(
            "unknown") else 410 if exc.code in ("invitation_revoked", "invitation_expired")
        else 409)


@guard(on_error=_invitation_refused)
async def invitation_page(request: Request) -> Response:
    """The link in the invitation: a page with one button, so that a mail
    scanner opening the link does not use it up."""
    d, back = await state(request).read(
        _check_invitation, slug=request.path_params["slug"], token=request.path_params["token"],
        participant_token=participant_token(request, create=False))
    if back is not None:  # the panellist again: the county's response may be waiting
        return RedirectResponse(back, status_code=303)
    return render(request, "digiraati/invitation.html", {
        "d": d, "problem": None, "token": request.path_params["token"]})


def _redeem(db: Session, *, slug: str, token: str, invitation: str) -> Any:
    d = access_deliberation(db, slug=slug)
    assert d.id is not None
    me = do_join(db, deliberation_id=d.id, token=token)
    member, _events = do_redeem_invitation(db, d=d, participant=me, token=invitation)
    return member


@guard(csrf=True, on_error=_invitation_refused)
async def redeem(request: Request) -> Response:
    token = participant_token(request, create=True)
    assert token is not None  # create=True always makes one
    await state(request).run(_redeem, slug=request.path_params["slug"], token=token,
                             invitation=request.path_params["token"])
    flash(request, "success", error_message(request, "panel_joined"))
    return _back(request, anchor="#name")


def _name(db: Session, *, slug: str, token: str | None, staff_id: int | None,
          staff_role: str | None, join: bool, name: object) -> Any:
    v = views.viewer(db, slug=slug, token=token, staff_id=staff_id, staff_role=staff_role)
    me = views.acting_panellist(v)
    return do_choose_name(db, d=v.d, participant=me, name=name)


@guard(csrf=True, on_error=_refused("#name"))
async def choose_name(request: Request) -> Response:
    form = await request.form()
    await state(request).run(_name, **_who(request), name=form.get("name"))
    return _done(request, {}, anchor="#name", message=error_message(request, "name_saved"))


# --- threads of orientation and deliberation ------------------------------------------

def _post(db: Session, *, slug: str, token: str | None, staff_id: int | None,
          staff_role: str | None, join: bool, question_id: object, parent_id: object,
          body: object, limits: PostingLimits) -> Any:
    v = views.viewer(db, slug=slug, token=token, staff_id=staff_id, staff_role=staff_role)
    me = views.acting_panellist(v)
    check_digiraati_post(db, d=v.d, participant=me, question_id=question_id)
    return do_create_post(db, d=v.d, participant=me, question_id=question_id,
                          parent_id=parent_id if isinstance(parent_id, int) else None,
                          body=body, limits=limits)


@guard(csrf=True, on_error=_refused(""))
async def thread_post(request: Request) -> Response:
    form = await request.form()
    parent = form.get("parent_id")
    parent_id = as_int(parent) if parent else None
    if parent and parent_id is None:
        raise NotFound("post_not_found")
    out = await state(request).run(
        _post, **_who(request), question_id=as_int(form.get("question_id")), parent_id=parent_id,
        body=form.get("body"), limits=state(request).limits)
    code = "post_held" if out.status == "held" else "post_published"
    return _done(request, {"status": out.status, "post": out.view, "reasons": out.reasons},
                 anchor=f"#post-{out.post.id}", message=error_message(request, code),
                 kind="info" if out.status == "held" else "success")


def _thread_support(db: Session, *, slug: str, token: str | None, staff_id: int | None,
                    staff_role: str | None, join: bool, post_id: object) -> Any:
    v = views.viewer(db, slug=slug, token=token, staff_id=staff_id, staff_role=staff_role)
    me = views.acting_panellist(v)
    check_digiraati_support(db, d=v.d, participant=me, post_id=post_id)
    return do_toggle_support(db, d=v.d, participant=me, post_id=post_id)


@guard(csrf=True, on_error=_refused(""))
async def thread_support(request: Request) -> Response:
    post_id = as_int(request.path_params["post_id"])
    out = await state(request).run(_thread_support, **_who(request), post_id=post_id)
    return _done(request, {"supported": out.supported, "support_count": out.support_count},
                 anchor=f"#post-{post_id}")


# --- the hearing -------------------------------------------------------------------------

@guard()
async def hearing_page(request: Request) -> Response:
    st = state(request)
    v = await st.run(views.viewer, **_who(request, join=True))
    data = await st.read(views.hearing_data, v=v)
    return render(request, "digiraati/hearing.html", {"v": v, "d": v.d, **data})


def _ask(db: Session, *, slug: str, token: str | None, staff_id: int | None,
         staff_role: str | None, join: bool, body: object, limits: PostingLimits) -> Any:
    v = views.viewer(db, slug=slug, token=token, staff_id=staff_id, staff_role=staff_role)
    me = views.acting_panellist(v)
    return do_ask(db, d=v.d, participant=me, body=body, limits=limits)


async def _ask_refused(request: Request, exc: DomainError) -> Response:
    # The hearing page again at once, the question still in its box.
    if exc.code in ("session_not_found", "digiraati_not_found", "digiraati_private"):
        return error_page(request, exc.code, exc.params)
    st = state(request)
    form = await request.form()
    v = await st.run(views.viewer, **_who(request, join=True))
    data = await st.read(views.hearing_data, v=v)
    return render(request, "digiraati/hearing.html", {
        "v": v, "d": v.d, **data, "draft": str(form.get("body") or ""),
        "error": error_message(request, exc.code, exc.params)}, status_code=status_of(exc.code))


@guard(csrf=True, on_error=_ask_refused)
async def ask(request: Request) -> Response:
    form = await request.form()
    out = await state(request).run(_ask, **_who(request), body=form.get("body"),
                                   limits=state(request).limits)
    code = "question_held" if out.status == "held" else "question_published"
    return _done(request, {"status": out.status, "post": out.view, "reasons": out.reasons},
                 path="/hearing", anchor=f"#post-{out.post.id}",
                 message=error_message(request, code),
                 kind="info" if out.status == "held" else "success")


def _support(db: Session, *, slug: str, token: str | None, staff_id: int | None,
             staff_role: str | None, join: bool, post_id: object) -> Any:
    v = views.viewer(db, slug=slug, token=token, staff_id=staff_id, staff_role=staff_role)
    me = views.acting_panellist(v)
    return do_support_question(db, d=v.d, participant=me, post_id=post_id)


@guard(csrf=True, on_error=_refused("/hearing"))
async def support_question(request: Request) -> Response:
    post_id = as_int(request.path_params["post_id"])
    out = await state(request).run(_support, **_who(request), post_id=post_id)
    return _done(request, {"supported": out.supported, "support_count": out.support_count},
                 path="/hearing", anchor=f"#post-{post_id}")


def _as_staff(fn: Any) -> Any:
    """A hearing action by staff: the digiraati from the slug, then ``fn``."""
    def run(db: Session, *, slug: str, staff_id: int | None, staff_role: str | None,
            **kw: Any) -> Any:
        v = views.viewer(db, slug=slug, token=None, staff_id=staff_id, staff_role=staff_role)
        return fn(db, v=v, staff_id=staff_id, **kw)
    return run


def _staff_args(request: Request) -> dict[str, Any]:
    staff = staff_of(request)
    assert staff is not None  # the guard let only staff through
    return {"slug": request.path_params["slug"], "staff_id": staff.id, "staff_role": staff.role}


@_as_staff
def _answer(db: Session, *, v: views.Viewer, staff_id: int | None, post_id: object,
            body: object) -> Any:
    return do_answer(db, d=v.d, staff_user_id=staff_id, post_id=post_id, body=body)


@guard(can_answer_hearing, csrf=True, on_error=_refused("/hearing"))
async def answer(request: Request) -> Response:
    form = await request.form()
    post_id = as_int(request.path_params["post_id"])
    await state(request).run(_answer, **_staff_args(request), post_id=post_id,
                             body=form.get("body"))
    return _done(request, {}, path="/hearing", anchor=f"#post-{post_id}",
                 message=error_message(request, "answer_published"))


@_as_staff
def _mark(db: Session, *, v: views.Viewer, staff_id: int | None, post_id: object,
          answered: bool) -> Any:
    return do_mark_answered(db, d=v.d, post_id=post_id, answered=answered)


@guard(can_run_digiraati, csrf=True, on_error=_refused("/hearing"))
async def mark_answered(request: Request) -> Response:
    form = await request.form()
    post_id = as_int(request.path_params["post_id"])
    await state(request).run(_mark, **_staff_args(request), post_id=post_id,
                             answered=form.get("answered") != "0")
    return _done(request, {}, path="/hearing", anchor=f"#post-{post_id}")


@_as_staff
def _merge(db: Session, *, v: views.Viewer, staff_id: int | None, duplicate_id: object,
           into_id: object) -> Any:
    return do_merge(db, d=v.d, duplicate_id=duplicate_id, into_id=into_id)


@guard(can_run_digiraati, csrf=True, on_error=_refused("/hearing"))
async def merge(request: Request) -> Response:
    form = await request.form()
    await state(request).run(_merge, **_staff_args(request),
                             duplicate_id=as_int(form.get("duplicate_id")),
                             into_id=as_int(form.get("into_id")))
    return _done(request, {}, path="/hearing", message=error_message(request, "questions_merged"))


@_as_staff
def _close(db: Session, *, v: views.Viewer, staff_id: int | None) -> Any:
    return do_close_hearing(db, d=v.d)


@guard(can_run_digiraati, csrf=True, on_error=_refused("/hearing"))
async def close_hearing(request: Request) -> Response:
    await state(request).run(_close, **_staff_args(request))
    return _done(request, {}, path="/hearing", message=error_message(request, "hearing_closed"))


routes = [
    Route("/d/{slug}", digiraati_page, name="digiraati"),
    Route("/d/{slug}/invite/{token}", invitation_page, methods=["GET"]),
    Route("/d/{slug}/invite/{token}", redeem, methods=["POST"]),
    Route("/d/{slug}/name", choose_name, methods=["POST"]),
    Route("/d/{slug}/posts", thread_post, methods=["POST"]),
    Route("/d/{slug}/posts/{post_id}/support", thread_support, methods=["POST"]),
    Route("/d/{slug}/hearing", hearing_page, name="hearing"),
    Route("/d/{slug}/hearing/questions", ask, methods=["POST"]),
    Route("/d/{slug}/hearing/questions/{post_id}/support", support_question, methods=["POST"]),
    Route("/d/{slug}/hearing/questions/{post_id}/answers", answer, methods=["POST"]),
    Route("/d/{slug}/hearing/questions/{post_id}/answered", mark_answered, methods=["POST"]),
    Route("/d/{slug}/hearing/merge", merge, methods=["POST"]),
    Route("/d/{slug}/hearing/close", close_hearing, methods=["POST"]),
]
