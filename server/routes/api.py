"""The JSON API for residents. Bad input gets a 4xx JSON error, never a 500."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from deliberation.errors import DomainError
from deliberation.events import PUBLIC, EventOut, events_after, last_seq, participant_audience
from deliberation.models import Deliberation
from deliberation.posts import threads_by_question
from deliberation.sessions import questions_of, state_of
from server import participation
from server.access import guard
from server.errors import json_error
from server.http import client_address, csrf_token, json_body, participant_token, state
from server.parsing import parse_seq


def session_view(d: Deliberation, questions: list[Any]) -> dict[str, Any]:
    return {
        "slug": d.slug, "title": d.title, "kind": d.kind, "introduction": d.introduction,
        "state": state_of(d), "moderation_mode": d.moderation_mode,
        "opens_at": d.opens_at.isoformat() if d.opens_at else None,
        "closes_at": d.closes_at.isoformat() if d.closes_at else None,
        "questions": [{"id": q.id, "text": q.text} for q in questions],
    }


def _overview(db: Session, *, d: Deliberation) -> dict[str, Any]:
    assert d.id is not None
    return {"seq": last_seq(db, deliberation_id=d.id),
            "session": session_view(d, questions_of(db, deliberation_id=d.id))}


async def session_info(request: Request) -> Response:
    st = state(request)
    seat = await participation.seat(st, request.path_params["slug"],
                                    participant_token(request, create=True))
    data = await st.read(_overview, d=seat.deliberation)
    data["me"] = {"pseudonym": seat.participant.pseudonym} if seat.participant else None
    data["csrf_token"] = csrf_token(request)
    return JSONResponse(data)


def _threads(db: Session, *, d: Deliberation, viewer_id: int | None) -> dict[str, Any]:
    by_q = threads_by_question(db, d=d, viewer_id=viewer_id)
    return {"questions": [
        {"id": q.id, "text": q.text, "threads": [
            {"post": t.post, "replies": t.replies} for t in by_q.get(q.id or 0, [])]}
        for q in questions_of(db, deliberation_id=d.id or 0)]}


async def list_posts(request: Request) -> Response:
    st = state(request)
    seat = await participation.seat(st, request.path_params["slug"],
                                    participant_token(request, create=False))
    me = seat.participant
    return JSONResponse(await st.read(_threads, d=seat.deliberation, viewer_id=me.id if me else None))


def _events_after(db: Session, *, deliberation_id: int, after: int) -> list[EventOut]:
    """As the live socket's 4409: a position past the session's last event was
    kept from another copy (an old page, another database); say so, rather
    than answer "nothing new" forever."""
    events = events_after(db, deliberation_id=deliberation_id, after=after)
    if not events:
        known = last_seq(db, deliberation_id=deliberation_id)
        if after > known:
            raise DomainError("events_ahead", seq=known)
    return events


async def list_events(request: Request) -> Response:
    st = state(request)
    after = parse_seq(request.query_params.get("after"))
    seat = await participation.seat(st, request.path_params["slug"],
                                    participant_token(request, create=False))
    assert seat.deliberation.id is not None
    events = await st.read(_events_after, deliberation_id=seat.deliberation.id, after=after)
    allowed = {PUBLIC}
    if seat.participant and seat.participant.id:
        allowed.add(participant_audience(seat.participant.id))
    return JSONResponse({"events": [
        {"seq": e.seq, "kind": e.kind, "data": e.data} for e in events if e.audience in allowed]})


@guard(csrf=True)
async def create_post(request: Request) -> Response:
    body = await json_body(request)
    outcome = await participation.create_post(
        state(request), slug=request.path_params["slug"],
        token=participant_token(request, create=False), question_id=body.get("question_id"),
        parent_id=body.get("parent_id"), body=body.get("body"), proof=body.get("altcha"),
        client=client_address(request))
    return JSONResponse({"status": outcome.status, "post": outcome.view, "reasons": outcome.reasons},
                        status_code=201 if outcome.status == "published" else 202)


@guard(csrf=True)
async def support(request: Request) -> Response:
    body = await json_body(request)
    outcome = await participation.toggle_support(
        state(request), slug=request.path_params["slug"],
        token=participant_token(request, create=False),
        post_id=participation.as_int(request.path_params["post_id"]),
        proof=body.get("altcha"), client=client_address(request))
    return JSONResponse({"supported": outcome.supported, "support_count": outcome.support_count})


@guard(csrf=True)
async def join(request: Request) -> Response:
    """Take part: ``{"altcha": payload}`` (the widget's proof-of-work)."""
    body = await json_body(request)
    me = await participation.join(state(request), slug=request.path_params["slug"],
                                  token=participant_token(request, create=False),
                                  proof=body.get("altcha"), client=client_address(request))
    return JSONResponse({"me": {"pseudonym": me.pseudonym}}, status_code=201)


async def pow_challenge(request: Request) -> Response:
    """A proof-of-work challenge for the widget (nothing is stored or set)."""
    gate = participation.admission(state(request))
    if gate.pow is None:
        return json_error(request, "not_found")
    return JSONResponse(gate.pow.challenge(), headers={"Cache-Control": "no-store"})


routes = [
    Route("/api/s/{slug}", session_info),
    Route("/api/s/{slug}/posts", list_posts, methods=["GET"]),
    Route("/api/s/{slug}/posts", create_post, methods=["POST"]),
    Route("/api/s/{slug}/events", list_events),
    Route("/api/s/{slug}/posts/{post_id}/support", support, methods=["POST"]),
    Route("/api/s/{slug}/join", join, methods=["POST"]),
    Route("/api/pow/challenge", pow_challenge),
]
