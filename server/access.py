"""Who may call a route, said once per route: :func:`guard`.

Every staff route (and every form that changes something) is wrapped; nothing
checks a role or a CSRF token by hand, and no route catches ``DomainError`` to
build an error response.
"""

from __future__ import annotations

import functools
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from urllib.parse import quote

from starlette.requests import HTTPConnection, Request
from starlette.responses import RedirectResponse, Response

from deliberation.errors import DomainError
from deliberation.permissions import Rule
from server.errors import WHOLE_PAGE_GONE, error_response, wants_json
from server.http import csrf_ok

Handler = Callable[[Request], Awaitable[Response]]
# How a route shows a refusal as a page itself (e.g. its form again with what was
# typed, or a flash message and a redirect); ``None``: the translated error page
# after all. JSON requests always get the JSON error.
OnError = Callable[[Request, DomainError], Awaitable[Response | None] | Response | None]

_SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


@dataclass(frozen=True)
class Staff:
    """The logged-in staff member of a request."""

    id: int
    username: str
    role: str


def staff_of(conn: HTTPConnection) -> Staff | None:
    staff = conn.session.get("staff")
    if not isinstance(staff, dict):
        return None
    return Staff(int(staff["id"]), str(staff["username"]), str(staff["role"]))


def staff_role(conn: HTTPConnection) -> str | None:
    staff = staff_of(conn)
    return staff.role if staff else None


async def _csrf_passes(request: Request) -> bool:
    if request.method in _SAFE_METHODS:
        return True
    submitted: object = request.headers.get("x-csrf-token")
    if submitted is None and request.headers.get("content-type", "").startswith(
            ("application/x-www-form-urlencoded", "multipart/form-data")):
        submitted = (await request.form()).get("csrf")  # Starlette keeps the parsed form
    return csrf_ok(request, submitted)


def _login_redirect(request: Request) -> Response:
    return RedirectResponse(f"/staff/login?next={quote(request.url.path)}", status_code=303)


def guard(rule: Rule | None = None, *, csrf: bool = False,
          on_error: OnError | None = None) -> Callable[[Handler], Handler]:
    """Wrap a route: who may call it, whether it needs the CSRF token, and how a
    ``DomainError`` it raises reaches the user.

    - ``rule``: a named rule of ``deliberation.permissions`` (``can_moderate``,
      ``can_manage_sessions``, ``is_admin``, ...) or ``None`` for anyone. Without
      a staff login a page request is sent to the login page (and back after),
      a JSON request gets 401 ``login_required``; a role the rule refuses gets
      403 ``forbidden``.
    - ``csrf``: state-changing requests (not GET/HEAD) must carry the session's
      token, as the form field ``csrf`` or the ``X-CSRF-Token`` header;
      otherwise ``DomainError("csrf_failed")``, shown like any other.
    - ``DomainError`` raised by the route (or by the domain it calls): JSON
      requests (``/api/...``, ``Accept: application/json``) get the JSON error;
      pages get ``on_error(request, exc)`` when given (unless it returns
      ``None``), else the translated error page (server/errors.py). Codes need an entry in ``errors.ERRORS``.
      A code in ``errors.WHOLE_PAGE_GONE`` (no such session) is always the error
      page: there is no page to show the refusal on.

    Example (a staff form that changes something; ``back_to_queue`` flashes the
    error's words and redirects, see server/routes/moderation.py)::

        @guard(can_moderate, csrf=True, on_error=back_to_queue)
        async def approve(request: Request) -> Response:
            staff = staff_of(request)
            assert staff is not None  # the guard let only staff in
            await state(request).run(do_approve, post_id=request.path_params["post_id"],
                                     actor=Actor(staff.id, staff.username))
            return RedirectResponse("/staff/moderation", status_code=303)

        routes = [Route("/staff/moderation/posts/{post_id:int}/approve", approve,
                        methods=["POST"])]

    A JSON endpoint needs no ``on_error``: ``@guard(can_view_themes)`` on an
    ``/api/...`` route answers 401/403/4xx as JSON bodies.

    The domain function records its events; ``state(request).run`` publishes
    them after the commit. The route never publishes and never checks roles.
    """

    def wrap(handler: Handler) -> Handler:
        @functools.wraps(handler)
        async def guarded(request: Request) -> Response:
            if rule is not None:
                role = staff_role(request)
                if role is None:
                    if wants_json(request):
                        return error_response(request, "login_required")
                    return _login_redirect(request)
                if not rule(role):
                    return error_response(request, "forbidden")
            try:
                if csrf and not await _csrf_passes(request):
                    raise DomainError("csrf_failed")
                return await handler(request)
            except DomainError as exc:
                if on_error is None or wants_json(request) or exc.code in WHOLE_PAGE_GONE:
                    return error_response(request, exc.code, exc.params)
                shown = on_error(request, exc)
                response = shown if shown is None or isinstance(shown, Response) else await shown
                if response is None:
                    return error_response(request, exc.code, exc.params)
                return response

        return guarded

    return wrap
