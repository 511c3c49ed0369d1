"""Health and metrics: /healthz (alive), /readyz (database and Redis reachable),
/metrics (Prometheus)."""

from __future__ import annotations

import asyncio

from sqlalchemy import text
from sqlmodel import Session
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from server.web import state


async def healthz(request: Request) -> Response:
    return JSONResponse({"status": "ok"})


def _ping_db(db: Session) -> bool:
    db.execute(text("SELECT 1"))
    return True


async def readyz(request: Request) -> Response:
    st = state(request)
    checks: dict[str, str] = {}
    try:
        await asyncio.wait_for(st.read(_ping_db), 3)
        checks["database"] = "ok"
    except Exception:
        checks["database"] = "unavailable"
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
