"""The public moderation statistics of a session, for transparency."""

from __future__ import annotations

from sqlmodel import Session
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from deliberation.models import Deliberation
from deliberation.sessions import access_deliberation
from moderation.stats import SessionStats, session_stats
from server.http import render, state


def _stats(db: Session, *, slug: str) -> tuple[Deliberation, SessionStats]:
    d = access_deliberation(db, slug=slug)
    assert d.id is not None
    return d, session_stats(db, deliberation_id=d.id)


async def public_stats(request: Request) -> Response:
    d, stats = await state(request).read(_stats, slug=request.path_params["slug"])
    return render(request, "moderation/stats.html", {"d": d, "stats": stats})


routes = [Route("/s/{slug}/moderation", public_stats)]
