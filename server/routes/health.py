"""Health and metrics: /healthz (the process is alive), /readyz (it can serve:
database and, when configured, Redis reachable; 503 while shutting down),
/metrics (Prometheus text format)."""

from __future__ import annotations

import asyncio

from sqlalchemy import text
from sqlmodel import Session
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from server.http import state
from server.state import AppState


async def healthz(request: Request) -> Response:
    return JSONResponse({"status": "ok"})


# A load balancer polls /readyz every few seconds and wants an answer at once.
PROBE_TIMEOUT = 1.0


def _ping_db(db: Session) -> bool:
    db.execute(text("SELECT 1"))
    return True


async def _database_ok(st: AppState) -> bool:
    """At most one database probe runs at a time: while the database hangs,
    polls share the probe in flight instead of piling up worker threads."""
    probe = st.db_probe
    if probe is None or probe.done():
        probe = asyncio.ensure_future(st.read(_ping_db))
        probe.add_done_callback(lambda f: f.cancelled() or f.exception())
        st.db_probe = probe
    try:
        return await asyncio.wait_for(asyncio.shield(probe), PROBE_TIMEOUT)
    except Exception:
        return False


async def readyz(request: Request) -> Response:
    st = state(request)
    checks: dict[str, str] = {}
    checks["database"] = "ok" if await _database_ok(st) else "unavailable"
    ping = getattr(st.broker, "ping", None)
    if ping is not None:
        checks["redis"] = "ok" if await ping() else "unavailable"
    if st.shutting_down:
        checks["process"] = "shutting_down"
    ok = all(v == "ok" for v in checks.values())
    return JSONResponse({"status": "ok" if ok else "unavailable", "checks": checks},
                        status_code=200 if ok else 503)


async def metrics(request: Request) -> Response:
    st = state(request)
    return Response(st.metrics.render(), media_type="text/plain; version=0.0.4; charset=utf-8")


routes = [Route("/healthz", healthz), Route("/readyz", readyz), Route("/metrics", metrics)]
