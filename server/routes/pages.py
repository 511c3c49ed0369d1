"""Residents' pages: the list of sessions and a session's live page. Reading and
posting work without JavaScript (forms post here and redirect back)."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from deliberation.errors import DomainError
from deliberation.events import last_seq
from deliberation.models import Deliberation
from deliberation.posts import supported_by, threads_by_question
from deliberation.sessions import list_deliberations, questions_of, state_of
from server import participation
from server.access import guard
from server.errors import error_message, status_of
from server.http import flash, participant_token, render, state


async def home(request: Request) -> Response:
    sessions = await state(request).read(list_deliberations)
    items = [(d, state_of(d)) for d in sessions]
    return render(request, "home.html", {"sessions": items})


def _page_data(db: Session, *, d: Deliberation, viewer_id: int | None) -> dict[str, Any]:
    assert d.id is not None
    # The sequence number is read before the posts: whatever is newer than it
    # reaches the page over the websocket (the page skips posts it already shows).
    seq = last_seq(db, deliberation_id=d.id)
    return {
        "seq": seq,
        "questions": questions_of(db, deliberation_id=d.id),
        "threads": threads_by_question(db, d=d, viewer_id=viewer_id),
        "supported": supported_by(db, participant_id=viewer_id) if viewer_id else set(),
    }


async def session_page(request: Request) -> Response:
    return await _session_response(request, request.path_params["slug"])


async def _session_response(request: Request, slug: str, *, draft: dict[str, Any] | None = None,
                            status_code: int = 200) -> Response:
    st = state(request)
    token = participant_token(request, create=True)
    seat = await participation.seat(st, slug, token, join=True)
    d, me = seat.deliberation, seat.participant
    if d.kind == "digiraati":  # its own page shows its phases, panel and hearing
        return RedirectResponse(f"/d/{d.slug}", status_code=303)
    data = await st.read(_page_data, d=d, viewer_id=me.id if me else None)
    return render(request, "session.html", {
        "d": d, "state": state_of(d), "me": me, "draft": draft, **data,
    }, status_code=status_code)


def _back(slug: str, anchor: str = "") -> RedirectResponse:
    return RedirectResponse(f"/s/{slug}{anchor}", status_code=303)


async def _draft(request: Request) -> dict[str, Any]:
    form = await request.form()
    body = form.get("body")
    return {"question_id": participation.as_int(form.get("question_id")),
            "parent_id": participation.as_int(form.get("parent_id") or None),
            "body": body if isinstance(body, str) else ""}


async def _post_refused(request: Request, exc: DomainError) -> Response:
    # Shown again at once with the message and the text in its box: nothing typed
    # is lost, whatever its size.
    flash(request, "error", error_message(request, exc.code, exc.params))
    return await _session_response(request, request.path_params["slug"],
                                   draft=await _draft(request), status_code=status_of(exc.code))


@guard(csrf=True, on_error=_post_refused)
async def post_form(request: Request) -> Response:
    """A new idea or reply sent from the page without JavaScript. Success
    redirects back to the page; a refusal shows the page again at once."""
    slug = request.path_params["slug"]
    form = await request.form()
    parent_raw = form.get("parent_id")
    parent_id = participation.as_int(parent_raw) if parent_raw else None
    outcome = await participation.create_post(
        state(request), slug=slug, token=participant_token(request, create=False),
        question_id=participation.as_int(form.get("question_id")),
        # A parent that is not a valid id is an error, not a new thread.
        parent_id=(parent_id if parent_id is not None else parent_raw) if parent_raw else None,
        body=form.get("body"))
    if outcome.status == "held":
        flash(request, "info", error_message(request, "post_held"))
    else:
        flash(request, "success", error_message(request, "post_published"))
    return _back(slug, f"#post-{outcome.post.id}")


def back_to_post(request: Request, exc: DomainError) -> Response:
    """A refused action on a post, told on the session page at that post."""
    flash(request, "error", error_message(request, exc.code, exc.params))
    post_id = participation.as_int(request.path_params["post_id"])
    return _back(request.path_params["slug"],
                 "" if exc.code == "csrf_failed" else f"#post-{post_id}")


@guard(csrf=True, on_error=back_to_post)
async def support_form(request: Request) -> Response:
    slug = request.path_params["slug"]
    post_id = participation.as_int(request.path_params["post_id"])
    await participation.toggle_support(
        state(request), slug=slug, token=participant_token(request, create=False),
        post_id=post_id)
    return _back(slug, f"#post-{post_id}")


routes = [
    Route("/", home, name="home"),
    Route("/s/{slug}", session_page, name="session"),
    Route("/s/{slug}/posts", post_form, methods=["POST"], name="post_form"),
    Route("/s/{slug}/posts/{post_id}/support", support_form, methods=["POST"], name="support_form"),
]
