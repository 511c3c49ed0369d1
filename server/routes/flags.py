"""Residents flagging a post (a report that it breaks the rules), from the page
without JavaScript or from the page script. Enough flags hide the post until a
moderator decides (moderation/flags.py)."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import Session
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import Route

from deliberation.errors import DomainError
from moderation.flags import FlagOutcome, do_flag_post
from server import participation
from server.access import guard
from server.errors import error_message
from server.http import client_address, flash, json_body, participant_token, state


def _flag(db: Session, *, slug: str, token: str | None, may_join: bool, post_id: object,
          reason: object, threshold: int, established_after: timedelta) -> FlagOutcome:
    d, me = participation.acting(db, slug=slug, token=token, may_join=may_join)
    return do_flag_post(db, d=d, participant=me, post_id=post_id, reason=reason,
                        threshold=threshold, established_after=established_after)


async def _do_flag(request: Request, reason: object, proof: object) -> FlagOutcome:
    st = state(request)
    token = participant_token(request, create=False)
    return await participation.first_action(
        st, lambda may: st.run(
            _flag, slug=request.path_params["slug"], token=token, may_join=may,
            post_id=participation.as_int(request.path_params["post_id"]), reason=reason,
            threshold=st.settings.flag_threshold,
            established_after=st.limits.established_after),
        token=token, proof=proof, client=client_address(request))


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
    await _do_flag(request, form.get("reason"), form.get("altcha"))
    return _back(request, "success", "flag_received")


@guard(csrf=True)
async def flag_api(request: Request) -> Response:
    body = await json_body(request)
    outcome = await _do_flag(request, body.get("reason"), body.get("altcha"))
    return JSONResponse({"flagged": True, "hidden": outcome.hidden,
                         "message": error_message(request, "flag_received")}, status_code=201)


routes = [
    Route("/s/{slug}/posts/{post_id:id}/flag", flag_form, methods=["POST"]),
    Route("/api/s/{slug}/posts/{post_id:id}/flag", flag_api, methods=["POST"]),
]
