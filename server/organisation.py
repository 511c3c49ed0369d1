"""The organisation's settings on every page: read from the database at most
every few seconds per process and kept on the app state, so rendering (which is
synchronous) always has them and a busy page does not query them each time.
An admin's save replaces them at once in the process that saved; other
processes see the change within ``TTL_SECONDS``."""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING

from starlette.requests import HTTPConnection
from starlette.types import ASGIApp, Receive, Scope, Send

from deliberation.organisation import OrganisationView, organisation

if TYPE_CHECKING:  # the app state holds the cache, so it imports this module
    from server.state import AppState

log = logging.getLogger("raati.organisation")
TTL_SECONDS = 5.0


@dataclass
class Cached:
    """The settings last read by this process (``AppState.organisation``)."""

    view: OrganisationView | None = None
    loaded_at: float = float("-inf")


def _cached(st: AppState) -> Cached:
    return st.organisation


def current(conn: HTTPConnection) -> OrganisationView | None:
    """The settings for this request's page (None before they were first read)."""
    st: AppState = conn.app.state.raati
    return _cached(st).view


def replace(st: AppState, view: OrganisationView) -> None:
    cached = _cached(st)
    cached.view, cached.loaded_at = view, time.monotonic()


async def refresh_if_stale(st: AppState) -> None:
    cached = _cached(st)
    if time.monotonic() - cached.loaded_at < TTL_SECONDS:
        return
    cached.loaded_at = time.monotonic()  # one reader at a time; others use the old view
    try:
        cached.view = await st.read(organisation)
    except Exception:  # the page itself reports a database problem; keep the old view
        cached.loaded_at = float("-inf")
        log.warning("could not read the organisation settings", exc_info=True)


class OrganisationSettings:
    """ASGI middleware: fresh enough settings before every HTTP request."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and not scope["path"].startswith("/static/"):
            await refresh_if_stale(scope["app"].state.raati)
        await self.app(scope, receive, send)
