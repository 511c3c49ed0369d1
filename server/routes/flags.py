"""Residents flagging a post (a report that it breaks the rules), from the page
without JavaScript or from the page script. Enough flags hide the post until a
moderator decides (moderation/flags.py)."""

from __future__ import annotations

from sqlmodel import Session
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import Route

from deliberation.errors import DomainError
from moderation.flags import FlagOutcome, do_flag_post
from server import participation
from server.access import guard
from server.errors import error_message
from server.http import flash, json_body, participant_token, state


def _flag(db: Session, *, slug: str, token: str | None, post_id: object, reason: object,
          threshold: int) -> FlagOutcome:
    d, me = participation.joined(db, slug=slug, token=token)
    return do_flag_post(db, d=d, participant=me, post_id=post_id, reason=reason,
                        threshold=threshold)


async def _do_flag(request: Request, reason: object) -> FlagOutcome:
    st = state(request)
    return await st.run(_flag, slug=request.path_params["slug"],
                        token=participant_token(request, create=False),
                        post_id=participation.as_int(request.path_params["post_id"]),
                        reason=reason, threshold=st.settings.flag_threshold)


def _back(request: Request, kind: str, code: str, params: dict[str, object] | None = None,
          ) -> Response:
    """Back to the post, with the message next to it (the page shows it at the top
    if the post is no longer there, e.g. hidden by reports)."""
    slug, post_id = request.path_params["slug"], request.path_params["post_id"]
    flash(request, kind, error_message(request, code, params), post_id=post_id)
    return RedirectResponse(f"/s/{slug}#confirm-{post_id}", status_code=303)


def _refused(request: Request, exc: DomainError) -> Response:
    return _back(request, "error", exc.code, exc.params)


@guard(csrf=True, on_error=_refused)
async def flag_form(request: Request) -> Response:
    form = await request.form()
    await _do_flag(request, form.get("reason"))
    return _back(request, "success", "flag_received")


@guard(csrf=True)
async def flag_api(request: Request) -> Response:
    body = await json_body(request)
    outcome = await _do_flag(request, body.get("reason"))
    return JSONResponse({"flagged": True, "hidden": outcome.hidden,
                         "message": error_message(request, "flag_received")}, status_code=201)


routes = [
    Route("/s/{slug}/posts/{post_id:int}/flag", flag_form, methods=["POST"]),
    Route("/api/s/{slug}/posts/{post_id:int}/flag", flag_api, methods=["POST"]),
]
