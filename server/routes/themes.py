"""Theme reports for service developers: a page per session, exports (JSON,
CSV, Markdown) and a JSON API endpoint. Staff only."""

from __future__ import annotations

import json

from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, RedirectResponse, Response
from starlette.routing import Route

from deliberation.errors import DomainError
from deliberation.models import Deliberation
from deliberation.permissions import can_view_themes
from deliberation.sessions import access_deliberation_by_id
from server.access import guard
from server.errors import error_message
from server.http import flash, render, state
from server.themes.charts import size_bars, timeline_columns


async def _session(request: Request) -> Deliberation:
    return await state(request).read(access_deliberation_by_id,
                                     deliberation_id=request.path_params["id"])


@guard(can_view_themes)
async def report_page(request: Request) -> Response:
    st = state(request)
    d = await _session(request)
    report = await st.themes.report(st, request.path_params["id"])
    bars, bars_height = size_bars(report["themes"])
    columns, columns_height = timeline_columns(report)
    return render(request, "staff/themes.html", {
        "d": d, "report": report, "bars": bars, "bars_height": bars_height,
        "columns": columns, "columns_height": columns_height,
    })


@guard(can_view_themes)
async def export(request: Request) -> Response:
    st = state(request)
    d = await _session(request)
    service = st.themes
    d_id = request.path_params["id"]
    fmt = request.path_params["fmt"]
    snap = service.snapshots.get(d_id) or await service.recompute(st, d_id)
    name = f"raati-teemat-{d.slug}"
    if fmt == "json":
        body = json.dumps(await service.report(st, d_id), ensure_ascii=False, indent=2)
        media = "application/json"
    elif fmt == "csv":
        body, media = snap.computed.csv, "text/csv; charset=utf-8"
    elif fmt == "md":
        body, media = snap.computed.markdown, "text/markdown; charset=utf-8"
    else:
        raise DomainError("not_found")
    return PlainTextResponse(body, media_type=media, headers={
        "Content-Disposition": f'attachment; filename="{name}.{fmt}"'})


def _back_to_report(request: Request, exc: DomainError) -> Response | None:
    if exc.code != "csrf_failed":
        return None  # the error page
    flash(request, "error", error_message(request, exc.code, exc.params))
    return RedirectResponse(f"/staff/sessions/{request.path_params['id']}/themes",
                            status_code=303)


@guard(can_view_themes, csrf=True, on_error=_back_to_report)
async def refresh(request: Request) -> Response:
    st = state(request)
    await _session(request)
    await st.themes.recompute(st, request.path_params["id"])
    flash(request, "success", error_message(request, "themes_recomputed"))
    return RedirectResponse(f"/staff/sessions/{request.path_params['id']}/themes",
                            status_code=303)


@guard(can_view_themes)
async def api_report(request: Request) -> Response:
    st = state(request)
    await _session(request)
    return JSONResponse(await st.themes.report(st, request.path_params["id"]))


routes = [
    Route("/staff/sessions/{id:int}/themes", report_page),
    Route("/staff/sessions/{id:int}/themes.{fmt}", export),
    Route("/staff/sessions/{id:int}/themes/refresh", refresh, methods=["POST"]),
    Route("/api/staff/sessions/{id:int}/themes", api_report),
]
