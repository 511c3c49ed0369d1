"""The author's side of moderation: their held or rejected posts with the
reasons in plain words (the stored verdict, findings marked), editing one and
sending it again."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from deliberation.errors import DomainError
from deliberation.posts import PostingLimits, PostOutcome
from moderation.queue import segments
from moderation.resubmission import do_resubmit_post, own_waiting_posts
from server import participation
from server.access import guard
from server.errors import error_message, status_of
from server.http import flash, participant_token, render, state


def _own_posts(db: Session, *, slug: str, token: str | None) -> dict[str, Any]:
    s = participation.find_seat(db, slug=slug, token=token)
    own = (own_waiting_posts(db, d=s.deliberation, participant=s.participant)
           if s.participant else [])
    return {"d": s.deliberation, "me": s.participant, "own": [
        {"item": o, "segments": segments(o.post.body, o.verdict.findings if o.verdict else ())}
        for o in own]}


async def my_posts(request: Request) -> Response:
    return await _my_posts_page(request)


async def _my_posts_page(request: Request, draft: dict[str, Any] | None = None,
                         status_code: int = 200) -> Response:
    data = await state(request).read(_own_posts, slug=request.path_params["slug"],
                                     token=participant_token(request, create=False))
    return render(request, "moderation/my_posts.html", {**data, "draft": draft},
                  status_code=status_code)


def _resubmit(db: Session, *, slug: str, token: str | None, post_id: object, body: object,
              limits: PostingLimits) -> PostOutcome:
    d, me = participation.joined(db, slug=slug, token=token)
    return do_resubmit_post(db, d=d, participant=me, post_id=post_id, body=body, limits=limits)


async def _resubmit_refused(request: Request, exc: DomainError) -> Response:
    flash(request, "error", error_message(request, exc.code, exc.params))
    # Shown again at once with the text in its box: nothing typed is lost,
    # whatever its length (a draft in the cookie would not fit).
    body = (await request.form()).get("body")
    draft = {"post_id": request.path_params["post_id"],
             "body": body if isinstance(body, str) else ""}
    return await _my_posts_page(request, draft, status_of(exc.code))


@guard(csrf=True, on_error=_resubmit_refused)
async def resubmit(request: Request) -> Response:
    st = state(request)
    slug, post_id = request.path_params["slug"], request.path_params["post_id"]
    form = await request.form()
    outcome = await st.run(_resubmit, slug=slug, token=participant_token(request, create=False),
                           post_id=post_id, body=form.get("body"), limits=st.limits)
    if outcome.status == "published":
        flash(request, "success", error_message(request, "post_published"))
        return RedirectResponse(f"/s/{slug}#post-{post_id}", status_code=303)
    flash(request, "info", error_message(request, "post_held"))
    return RedirectResponse(f"/s/{slug}/my-posts#own-{post_id}", status_code=303)


routes = [
    Route("/s/{slug}/my-posts", my_posts),
    Route("/s/{slug}/my-posts/{post_id:int}", resubmit, methods=["POST"]),
]
