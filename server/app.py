"""The Starlette app factory."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import jinja2
from sqlalchemy.exc import DataError, DBAPIError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.sessions import SessionMiddleware
from starlette.requests import ClientDisconnect, Request
from starlette.responses import Response
from starlette.routing import Mount
from starlette.staticfiles import StaticFiles
from starlette.templating import Jinja2Templates

from deliberation.errors import DomainError
from server import db as dbmod
from server.digiraati_schedule import ScheduleTicker
from server.errors import error_response, wants_json
from server.i18n import Translator
from server.live import residents as live_residents
from server.live import staff as live_staff
from server.live.broker import channel_namespace, make_broker
from server.live.hub import GOING_AWAY
from server.metrics import Metrics
from server.middleware import (
    SESSION_COOKIE,
    RawSend,
    RefusalsKeepCookies,
    SecurityHeaders,
    StaffSessions,
)
from server.organisation import OrganisationSettings
from server.routes import (
    accounts,
    api,
    digiraati,
    digiraati_staff,
    digiraati_statement,
    flags,
    health,
    metrics,
    moderation,
    organisation,
    outcomes,
    own_posts,
    pages,
    staff,
    stats,
    themes,
)
from server.settings import Settings
from server.state import AppState
from server.templating import install_filters

log = logging.getLogger("raati")
WEB = Path(__file__).resolve().parent.parent / "web"

async def _domain_error(request: Request, exc: Exception) -> Response:
    # Routes wrapped by server.access.guard map their own errors; this catches the rest.
    assert isinstance(exc, DomainError)
    return error_response(request, exc.code, exc.params)


async def _database_error(request: Request, exc: Exception) -> Response:
    log.warning("database unavailable: %s", exc)
    return error_response(request, "database_unavailable")


async def _bad_value(request: Request, exc: Exception) -> Response:
    # A number too large for a column (an id in the address, say) names nothing.
    return error_response(request, "not_found")


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    code = {404: "not_found", 405: "bad_request"}.get(exc.status_code, "bad_request")
    # The API keeps the exact status; a page shows the error's own.
    return error_response(request, code, status=exc.status_code if wants_json(request) else None)


async def _client_gone(request: Request, exc: Exception) -> Response:
    # The client stopped sending its body (or the server cut it off): nobody is
    # left to read an answer, and it is not our error.
    return Response(status_code=400)


async def _server_error(request: Request, exc: Exception) -> Response:
    log.exception("unhandled error", exc_info=exc)
    return error_response(request, "server_error")


def make_templates(translator: Translator) -> Jinja2Templates:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(WEB / "templates")),
        autoescape=True,
        extensions=["jinja2.ext.i18n"],
    )
    env.install_gettext_callables(  # type: ignore[attr-defined]
        translator.gettext, translator.ngettext, newstyle=True)
    # Unformatted strings for the page script, which fills in the placeholders itself.
    env.globals["raw_gettext"] = translator.gettext
    env.globals["raw_ngettext"] = translator.ngettext
    install_filters(env)
    return Jinja2Templates(env=env)


def create_app(settings: Settings, *, engine: Any = None) -> Starlette:
    translator = Translator()
    st = AppState(
        settings=settings,
        engine=engine or dbmod.make_engine(settings.database_url, pool_timeout=settings.db_pool_timeout),
        broker=make_broker(settings.redis_url,
                           channel_namespace(settings.secret_key, settings.database_url)),
        metrics=Metrics(),
        translator=translator,
        templates=make_templates(translator),
    )
    moderation.install(st)

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        await st.broker.connect()
        st.themes.start(st)
        schedule = ScheduleTicker(interval=settings.digiraati_tick_seconds)
        if schedule.interval > 0:
            schedule.start(st)
        try:
            yield
        finally:
            await schedule.stop()
            await st.themes.stop()
            await st.draws.stop()
            await shutdown(st)

    app = Starlette(
        routes=[
            *pages.routes, *api.routes, *staff.routes, *health.routes, *themes.routes,
            *moderation.routes, *flags.routes, *own_posts.routes, *stats.routes, *accounts.routes,
            *live_residents.routes, *live_staff.routes,
            *organisation.routes, *outcomes.routes, *metrics.routes,
            *digiraati.routes, *digiraati_staff.routes, *digiraati_statement.routes,
            Mount("/static", StaticFiles(directory=str(WEB / "static")), name="static"),
        ],
        middleware=[
            Middleware(RawSend),
            Middleware(SecurityHeaders),
            Middleware(RefusalsKeepCookies),
            Middleware(SessionMiddleware, secret_key=settings.secret_key,
                       session_cookie=SESSION_COOKIE, max_age=90 * 24 * 3600, same_site="lax",
                       https_only=settings.https_only),
            Middleware(StaffSessions),
            Middleware(OrganisationSettings),
        ],
        exception_handlers={
            DomainError: _domain_error,
            DataError: _bad_value,
            OverflowError: _bad_value,
            DBAPIError: _database_error,
            PoolTimeout: _database_error,
            HTTPException: _http_error,
            ClientDisconnect: _client_gone,
            Exception: _server_error,
        },
        lifespan=lifespan,
    )
    app.state.raati = st
    return app


async def shutdown(st: AppState) -> None:
    """Stop taking new live clients, tell connected ones to go elsewhere, let go."""
    st.shutting_down = True
    await st.hub.close_all(GOING_AWAY)
    await st.hub.stop()
    await st.broker.disconnect()
    await st.admission.close()
    # Connections checked out by worker threads at dispose() would never be closed.
    await st.drain_database_work(timeout=st.settings.db_pool_timeout + 5)
    st.engine.dispose()

