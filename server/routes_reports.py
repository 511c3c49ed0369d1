"""Moderation over HTTP for residents: reporting a post, the author's view of
their held or rejected posts with the reasons in plain words, editing and
sending one again, and the public moderation statistics of a session."""

from __future__ import annotations

import json
from typing import Any

from sqlmodel import Session
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import Route

from deliberation.errors import DomainError
from deliberation.models import Deliberation
from deliberation.posts import PostOutcome
from deliberation.sessions import access_deliberation
from moderation.flags import do_flag_post
from moderation.queue import segments
from moderation.resubmission import do_resubmit_post, own_waiting_posts
from moderation.stats import session_stats
from server import participation
from server.errors import status_of
from server.web import csrf_ok, error_message, error_page, flash, participant_token, render, state


def _flag(db: Session, *, slug: str, token: str | None, post_id: object, reason: object,
          threshold: int) -> Any:
    d, me = participation.joined(db, slug=slug, token=token)
    return do_flag_post(db, d=d, participant=me, post_id=post_id, reason=reason,
                        threshold=threshold)


async def _do_flag(request: Request, reason: object) -> Any:
    st = state(request)
    outcome = await st.run(_flag, slug=request.path_params["slug"],
                           token=participant_token(request, create=False),
                           post_id=participation.as_int(request.path_params["post_id"]),
                           reason=reason, threshold=st.settings.flag_threshold)
    return outcome


async def flag_form(request: Request) -> Response:
    slug, post_id = request.path_params["slug"], request.path_params["post_id"]
    form = await request.form()
    back = RedirectResponse(f"/s/{slug}#post-{post_id}", status_code=303)
    if not csrf_ok(request, form.get("csrf")):
        flash(request, "error", error_message(request, "csrf_failed"))
        return back
    try:
        await _do_flag(request, form.get("reason"))
    except DomainError as exc:
        if exc.code == "session_not_found":
            return error_page(request, exc.code)
        flash(request, "error", error_message(request, exc.code, exc.params))
        return back
    flash(request, "success", error_message(request, "flag_received"))
    return back


async def flag_api(request: Request) -> Response:
    if not csrf_ok(request, request.headers.get("x-csrf-token")):
        raise DomainError("csrf_failed")
    try:
        body = json.loads(await request.body() or b"{}")
    except (ValueError, UnicodeDecodeError):
        raise DomainError("bad_request") from None
    if not isinstance(body, dict):
        raise DomainError("bad_request")
    outcome = await _do_flag(request, body.get("reason"))
    return JSONResponse({"flagged": True, "hidden": outcome.hidden,
                         "message": error_message(request, "flag_received")}, status_code=201)


def _own_posts(db: Session, *, slug: str, token: str | None) -> dict[str, Any]:
    s = participation._seat(db, slug=slug, token=token, join=False)
    own = (own_waiting_posts(db, d=s.deliberation, participant=s.participant)
           if s.participant else [])
    return {"d": s.deliberation, "me": s.participant, "own": [
        {"item": o, "segments": segments(o.post.body, o.verdict.findings if o.verdict else ())}
        for o in own]}


async def my_posts(request: Request) -> Response:
    return await _my_posts_page(request)


async def _my_posts_page(request: Request, draft: dict[str, Any] | None = None,
                         status_code: int = 200) -> Response:
    st = state(request)
    data = await st.read(_own_posts, slug=request.path_params["slug"],
                         token=participant_token(request, create=False))
    return render(request, "moderation/my_posts.html", {**data, "draft": draft},
                  status_code=status_code)


def _resubmit(db: Session, *, slug: str, token: str | None, post_id: object, body: object,
              limits: Any) -> PostOutcome:
    d, me = participation.joined(db, slug=slug, token=token)
    return do_resubmit_post(db, d=d, participant=me, post_id=post_id, body=body, limits=limits)


async def resubmit(request: Request) -> Response:
    st = state(request)
    slug, post_id = request.path_params["slug"], request.path_params["post_id"]
    form = await request.form()
    body = form.get("body")
    try:
        if not csrf_ok(request, form.get("csrf")):
            raise DomainError("csrf_failed")
        outcome = await st.run(_resubmit, slug=slug, token=participant_token(request, create=False),
                               post_id=post_id, body=body, limits=st.limits)
    except DomainError as exc:
        if exc.code == "session_not_found":
            return error_page(request, exc.code)
        flash(request, "error", error_message(request, exc.code, exc.params))
        # Shown again at once with the text in its box: nothing typed is lost,
        # whatever its length (a draft in the cookie would not fit).
        draft = {"post_id": post_id, "body": body if isinstance(body, str) else ""}
        return await _my_posts_page(request, draft, status_of(exc.code))
    if outcome.status == "published":
        flash(request, "success", error_message(request, "post_published"))
        return RedirectResponse(f"/s/{slug}#post-{post_id}", status_code=303)
    flash(request, "info", error_message(request, "post_held"))
    return RedirectResponse(f"/s/{slug}/my-posts#own-{post_id}", status_code=303)


def _stats(db: Session, *, slug: str) -> tuple[Deliberation, Any]:
    d = access_deliberation(db, slug=slug)
    assert d.id is not None
    return d, session_stats(db, deliberation_id=d.id)


async def public_stats(request: Request) -> Response:
    d, stats = await state(request).read(_stats, slug=request.path_params["slug"])
    return render(request, "moderation/stats.html", {"d": d, "stats": stats})


routes = [
    Route("/s/{slug}/posts/{post_id:int}/flag", flag_form, methods=["POST"]),
    Route("/api/s/{slug}/posts/{post_id:int}/flag", flag_api, methods=["POST"]),
    Route("/s/{slug}/my-posts", my_posts),
    Route("/s/{slug}/my-posts/{post_id:int}", resubmit, methods=["POST"]),
    Route("/s/{slug}/moderation", public_stats),
]
