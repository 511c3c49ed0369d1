"""The one route wrapper (server.access.guard): who may call, CSRF, and how a
DomainError reaches the user (page, the route's own refusal, or JSON)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route
from starlette.testclient import TestClient

from deliberation.errors import DomainError
from deliberation.permissions import is_admin
from server.access import guard
from server.app import create_app
from server.settings import Settings
from tests.server.conftest import csrf_of, login


def _own_refusal(request: Request, exc: DomainError) -> Response | None:
    if exc.code == "slug_taken":
        return None  # not this form's to show: the error page
    return PlainTextResponse(f"refused: {exc.code}", status_code=299)


@guard(is_admin, csrf=True, on_error=_own_refusal)
async def admin_action(request: Request) -> Response:
    code = (await request.form()).get("fail")
    if code:
        raise DomainError(str(code))
    return PlainTextResponse("done")


@pytest.fixture
def client(settings: Settings) -> Iterator[TestClient]:
    app = create_app(settings)
    app.router.routes.append(Route("/staff/test-action", admin_action, methods=["GET", "POST"]))
    with TestClient(app) as c:
        yield c


def test_every_staff_route_is_wrapped_by_guard(settings: Settings) -> None:
    # A new staff route without @guard would check (or forget) roles and CSRF
    # its own way; every guarded handler runs guard's one inner function.
    guarded = admin_action.__code__
    staff = [r for r in create_app(settings).routes
             if isinstance(r, Route) and r.path.startswith(("/staff", "/api/staff"))]
    assert len(staff) > 10
    assert [r.path for r in staff if r.endpoint.__code__ is not guarded] == []


def test_without_login_a_page_goes_to_login_and_json_gets_401(client: TestClient) -> None:
    r = client.get("/staff/test-action", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/staff/login?next=/staff/test-action"
    r = client.get("/staff/test-action", headers={"accept": "application/json"})
    assert r.status_code == 401 and r.json()["error"]["code"] == "login_required"


def test_a_role_the_rule_refuses_gets_403(client: TestClient, make_staff) -> None:  # type: ignore[no-untyped-def]
    login(client, make_staff("moderator"))
    assert client.get("/staff/test-action").status_code == 403
    r = client.get("/staff/test-action", headers={"accept": "application/json"})
    assert r.status_code == 403 and r.json()["error"]["code"] == "forbidden"


def test_csrf_and_domain_errors_reach_the_route_refusal_or_json(
        client: TestClient, make_staff) -> None:  # type: ignore[no-untyped-def]
    login(client, make_staff("admin"))
    token = csrf_of(client.get("/staff/login").text)
    assert client.post("/staff/test-action", data={}).text == "refused: csrf_failed"
    assert client.post("/staff/test-action", data={"csrf": token}).text == "done"
    assert client.post("/staff/test-action",
                       data={"csrf": token, "fail": "bad_request"}).text == "refused: bad_request"
    r = client.post("/staff/test-action", data={"csrf": token, "fail": "bad_request"},
                    headers={"accept": "application/json"})
    assert r.status_code == 400 and r.json()["error"]["code"] == "bad_request"
    # No such session: no page to show the refusal on, so the translated error page.
    r = client.post("/staff/test-action", data={"csrf": token, "fail": "session_not_found"})
    assert r.status_code == 404 and "Keskustelua ei löytynyt." in r.text
    # The route's own refusal may leave a code to the error page.
    r = client.post("/staff/test-action", data={"csrf": token, "fail": "slug_taken"})
    assert r.status_code == 409 and "<html" in r.text and "refused" not in r.text
