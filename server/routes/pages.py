"""Residents' pages: the list of sessions and a session's live page. Reading and
posting work without JavaScript (forms post here and redirect back)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlmodel import Session
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from deliberation.content import LocalizedQuestion, localize, translations_of
from deliberation.errors import DomainError
from deliberation.events import last_seq
from deliberation.feedback import feedback_due
from deliberation.lifecycle import CLOSED, OPEN, RESULTS, stage_of
from deliberation.listing import Listing, listing
from deliberation.models import Deliberation, Participant
from deliberation.outcomes import do_mark_results_seen, results_notice_due, took_part
from deliberation.posts import supported_by, threads_by_question
from deliberation.sessions import list_deliberations, questions_of, state_of
from server import organisation as org_cache
from server import participation
from server.access import guard, staff_role
from server.errors import N_, error_message, status_of
from server.http import flash, participant_token, render, state, take_flashes, use_language

# Orders of a question's ideas (deliberation/listing.py), as the page offers them.
SORTS = (("newest", N_("Newest first")), ("supported", N_("Most supported")),
         ("replied", N_("Most replies")))


def _visible_sessions(db: Session) -> list[tuple[Deliberation, str]]:
    # Drafts are for staff only, even by name.
    return [(d, state_of(d)) for d in list_deliberations(db) if d.published_at is not None]


async def home(request: Request) -> Response:
    items = await state(request).read(_visible_sessions)
    return render(request, "home.html", {"sessions": items})


@dataclass(frozen=True)
class Section:
    q: LocalizedQuestion
    listing: Listing


def _feedback_context(db: Session, d: Deliberation, me: Participant | None,
                      stage: str) -> str | None:
    """Whether to ask "did you feel heard?" now: after a resident's first post
    while open, or once the session has closed (only of those who took part)."""
    if not feedback_due(d, me) or me is None or not took_part(db, participant=me):
        return None
    return "first_post" if stage == OPEN else "closed" if stage in (CLOSED, RESULTS) else None


def _page_data(db: Session, *, d: Deliberation, me: Participant | None, lang: str,
               sorts: dict[int, str], shown: dict[int, str]) -> dict[str, Any]:
    assert d.id is not None
    # The sequence number is read before the posts: whatever is newer than it
    # reaches the page over the websocket (the page skips posts it already shows).
    seq = last_seq(db, deliberation_id=d.id)
    viewer_id = me.id if me else None
    content = localize(translations_of(db, deliberation_id=d.id), d,
                       questions_of(db, deliberation_id=d.id), lang)
    threads = threads_by_question(db, d=d, viewer_id=viewer_id)
    stage = stage_of(d)
    notice = results_notice_due(db, d=d, participant=me)
    return {
        "seq": seq, "content": content, "stage": stage, "results_notice": notice,
        "sections": [Section(q, listing(threads.get(q.id, []), sort=sorts.get(q.id),
                                        shown=shown.get(q.id)))
                     for q in content.questions],
        "supported": supported_by(db, participant_id=viewer_id) if viewer_id else set(),
        "feedback_context": _feedback_context(db, d, me, stage),
    }


def _results_seen(db: Session, *, participant_id: int) -> None:
    me = db.get(Participant, participant_id)
    if me is not None:
        do_mark_results_seen(db, participant=me)


def _per_question(request: Request, prefix: str) -> dict[int, str]:
    """``sort-<question id>`` / ``show-<question id>`` links, by question id."""
    out: dict[int, str] = {}
    for key, value in request.query_params.items():
        qid = key.removeprefix(prefix)
        if key.startswith(prefix) and qid.isdigit() and len(qid) <= 10:
            out[int(qid)] = value
    return out


async def session_page(request: Request) -> Response:
    return await _session_response(request, request.path_params["slug"])


async def _session_response(request: Request, slug: str, *, draft: dict[str, Any] | None = None,
                            status_code: int = 200) -> Response:
    st = state(request)
    token = participant_token(request, create=True)
    seat = await participation.seat(st, slug, token, join=True, role=staff_role(request))
    d, me = seat.deliberation, seat.participant
    data = await st.read(_page_data, d=d, me=me, lang=use_language(request),
                         sorts=_per_question(request, "sort-"),
                         shown=_per_question(request, "show-"))
    if data["results_notice"] and me is not None and me.id is not None:
        await st.run(_results_seen, participant_id=me.id)  # told once
    gettext, org = st.translator.gettext, org_cache.current(request)
    flashes = take_flashes(request)
    shown_ids = {t.post["id"] for s in data["sections"] for t in s.listing.threads} | {
        r["id"] for s in data["sections"] for t in s.listing.threads for r in t.replies}
    return render(request, "session.html", {
        "d": d, "state": state_of(d), "me": me, "draft": draft, **data,
        "sorts": [(code, gettext(text)) for code, text in SORTS],
        # A message about a post goes next to it, where the person is looking;
        # about a post not on the page (a later page of ideas), at the top.
        "flashes": [f for f in flashes if f.get("post_id") not in shown_ids],
        "confirmations": {f["post_id"]: f for f in flashes if f.get("post_id") in shown_ids},
        "org_rules": bool(org and org.texts.get("rules")),
    }, status_code=status_code)


def _back(slug: str, anchor: str = "") -> RedirectResponse:
    return RedirectResponse(f"/s/{slug}{anchor}", status_code=303)


def _at_post(slug: str, post_id: int | None) -> RedirectResponse:
    # The browser moves to the confirmation itself (it has tabindex=-1), so a screen
    # reader reads it out and a sighted person sees it beside the post.
    return _back(slug, f"#confirm-{post_id}" if post_id else "")


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
    code = "post_held" if outcome.status == "held" else "post_published"
    flash(request, "info" if outcome.status == "held" else "success",
          error_message(request, code), post_id=outcome.post.id, posted=True)
    return _at_post(slug, outcome.post.id)


def back_to_post(request: Request, exc: DomainError) -> Response:
    """A refused action on a post, told on the session page at that post."""
    post_id = participation.as_int(request.path_params["post_id"])
    if exc.code == "csrf_failed" or post_id is None:
        flash(request, "error", error_message(request, exc.code, exc.params))
        return _back(request.path_params["slug"])
    flash(request, "error", error_message(request, exc.code, exc.params), post_id=post_id)
    return _at_post(request.path_params["slug"], post_id)


@guard(csrf=True, on_error=back_to_post)
async def support_form(request: Request) -> Response:
    slug = request.path_params["slug"]
    post_id = participation.as_int(request.path_params["post_id"])
    outcome = await participation.toggle_support(
        state(request), slug=slug, token=participant_token(request, create=False),
        post_id=post_id)
    code = "support_saved" if outcome.supported else "support_removed"
    flash(request, "success", error_message(request, code), post_id=post_id)
    return _at_post(slug, post_id)


routes = [
    Route("/", home, name="home"),
    Route("/s/{slug}", session_page, name="session"),
    Route("/s/{slug}/posts", post_form, methods=["POST"], name="post_form"),
    Route("/s/{slug}/posts/{post_id}/support", support_form, methods=["POST"], name="support_form"),
]
