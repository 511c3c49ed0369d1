"""Participation metrics for staff: a page per year and its CSV and JSON export
for the county's annual report (numbers and session titles only)."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from deliberation.errors import DomainError
from deliberation.metrics import report_csv, report_json, years_with_sessions
from deliberation.models import utcnow
from deliberation.permissions import can_manage_sessions
from moderation.metrics import year_report
from server.access import guard
from server.http import render, state


def _year(request: Request) -> int:
    raw = request.query_params.get("year", "")
    # A year from a link; anything else is this year (a link is not an error).
    if raw.isdigit() and len(raw) == 4 and 2000 <= int(raw) <= 2100:
        return int(raw)
    return utcnow().year


@guard(can_manage_sessions)
async def metrics_page(request: Request) -> Response:
    st, year = state(request), _year(request)
    report = await st.read(year_report, year=year)
    years = await st.read(years_with_sessions)
    return render(request, "staff/metrics.html", {
        "report": report, "years": sorted({*years, year}, reverse=True)})


@guard(can_manage_sessions)
async def metrics_export(request: Request) -> Response:
    st, year = state(request), _year(request)
    report = await st.read(year_report, year=year)
    fmt = request.path_params["fmt"]
    if fmt not in ("csv", "json"):
        raise DomainError("not_found")
    if fmt == "csv":
        body, media = report_csv(report), "text/csv; charset=utf-8"
    else:
        body, media = report_json(report), "application/json"
    return Response(body, media_type=media, headers={
        "content-disposition": f'attachment; filename="raati-osallistuminen-{year}.{fmt}"'})


routes = [
    Route("/staff/metrics", metrics_page),
    Route("/staff/metrics.{fmt:str}", metrics_export),
]
