"""Theme reports for service developers: a page per session, exports (JSON,
CSV, Markdown) and a JSON API endpoint. Staff only."""

from __future__ import annotations

import json

from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, RedirectResponse, Response
from starlette.routing import Route

from deliberation.errors import DomainError
from deliberation.permissions import can_view_themes
from deliberation.sessions import access_deliberation_by_id
from server.charts import size_bars, timeline_columns
from server.routes_staff import require, staff_role
from server.web import csrf_ok, error_message, flash, json_error, render, state


async def _session(request: Request) -> object:
    return await state(request).read(access_deliberation_by_id,
                                     deliberation_id=request.path_params["id"])


async def report_page(request: Request) -> Response:
    if (denied := require(request, can_view_themes)) is not None:
        return denied
    st = state(request)
    d = await _session(request)
    report = await st.extra["themes"].report(st, request.path_params["id"])
    bars, bars_height = size_bars(report["themes"])
    columns, columns_height = timeline_columns(report)
    return render(request, "staff/themes.html", {
        "d": d, "report": report, "bars": bars, "bars_height": bars_height,
        "columns": columns, "columns_height": columns_height,
    })


async def export(request: Request) -> Response:
    if (denied := require(request, can_view_themes)) is not None:
        return denied
    st = state(request)
    d = await _session(request)
    service = st.extra["themes"]
    d_id = request.path_params["id"]
    fmt = request.path_params["fmt"]
    snap = service.snapshots.get(d_id) or await service.recompute(st, d_id)
    name = f"raati-teemat-{d.slug}"  # type: ignore[attr-defined]
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


async def refresh(request: Request) -> Response:
    if (denied := require(request, can_view_themes)) is not None:
        return denied
    form = await request.form()
    d_id = request.path_params["id"]
    if not csrf_ok(request, form.get("csrf")):
        flash(request, "error", error_message(request, "csrf_failed"))
    else:
        st = state(request)
        await _session(request)
        await st.extra["themes"].recompute(st, d_id)
        flash(request, "success", error_message(request, "themes_recomputed"))
    return RedirectResponse(f"/staff/sessions/{d_id}/themes", status_code=303)


async def api_report(request: Request) -> Response:
    role = staff_role(request)
    if role is None:
        return json_error(request, "login_required")
    if not can_view_themes(role):
        return json_error(request, "forbidden")
    st = state(request)
    await _session(request)
    return JSONResponse(await st.extra["themes"].report(st, request.path_params["id"]))


routes = [
    Route("/staff/sessions/{id:int}/themes", report_page),
    Route("/staff/sessions/{id:int}/themes.{fmt}", export),
    Route("/staff/sessions/{id:int}/themes/refresh", refresh, methods=["POST"]),
    Route("/api/staff/sessions/{id:int}/themes", api_report),
]
