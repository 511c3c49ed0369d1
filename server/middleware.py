"""Pure ASGI middleware of the app: security headers on HTTP responses, the
raw websocket ``send`` kept in the scope for the live fan-out, refusals that
never touch cookies, and staff sessions read from the database."""

from __future__ import annotations

from typing import Any

from sqlalchemy.exc import DBAPIError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from deliberation.staff import access_staff_session

RAW_SEND_KEY = "raati.raw_send"
# ASGI extension offered by server.serve's websocket protocol: {"send": fn(bytes) -> bool}.
SEND_NOW_EXTENSION = "raati.send_text_now"

# Images may also come from https sites: the organisation's logo can be an address
# (residents' text never becomes markup, so no one else can add an image).
SECURITY_HEADERS = [
    (b"content-security-policy",
     (b"default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: https:; "
      # 'self' covers the page's own ws:/wss: origin in current browsers (CSP 3);
      # "ws: wss:" allowed any host.
      b"connect-src 'self'; worker-src 'self'; frame-ancestors 'none'; base-uri 'none'; "
      b"form-action 'self'")),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),  # never sent to other sites
    (b"x-frame-options", b"DENY"),
]


class RawSend:
    """Outermost layer: remembers the server's own websocket ``send``."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "websocket":
            scope[RAW_SEND_KEY] = send
        await self.app(scope, receive, send)


class SecurityHeaders:
    """Adds the headers above to every HTTP response."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = list(message.get("headers", [])) + SECURITY_HEADERS
            await send(message)

        await self.app(scope, receive, send_with_headers)


REFUSED_SCOPE_KEY = "raati.refused"
STAFF_UNKNOWN_KEY = "raati.staff_unknown"
SESSION_COOKIE = "raati"


class RefusalsKeepCookies:
    """A refused request (any 4xx/5xx, or one a route marked refused with
    :func:`mark_refused`) never sets or changes a cookie. A hostile page's
    cross-site form post arrives without the visitor's cookie (SameSite=Lax);
    answering it with a fresh session cookie would log a moderator out or give
    a resident a new pseudonym. Staff pages and exports are never cached."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        staff_path = scope.get("path", "").startswith(("/staff", "/api/staff"))

        had_cookie = any(k == b"cookie" and SESSION_COOKIE.encode() + b"=" in v
                         for k, v in scope.get("headers", []))

        async def guarded_send(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                # A refusal told by a redirect keeps its flash message in the
                # cookie only when the browser sent that cookie (a same-site form).
                refused = scope.get(REFUSED_SCOPE_KEY) and not had_cookie
                if message["status"] >= 400 or refused:
                    del headers["set-cookie"]
                if staff_path:
                    headers["cache-control"] = "no-store"
            await send(message)

        await self.app(scope, receive, guarded_send)


def mark_refused(scope: Scope) -> None:
    scope[REFUSED_SCOPE_KEY] = True


class StaffSessions:
    """Inside the cookie session: turns the cookie's staff session id into the
    staff member the database has now (role included), or forgets it when the
    session was ended, expired or the account deleted."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        # Static files need no staff member (and no database round trip).
        if scope["type"] in ("http", "websocket") and not scope["path"].startswith("/static/"):
            await self._resolve(scope)
        await self.app(scope, receive, send)

    async def _resolve(self, scope: Scope) -> None:
        from server.access import STAFF_SCOPE_KEY, STAFF_SESSION_KEY, Staff

        session: dict[str, Any] = scope.get("session") or {}
        sid = session.get(STAFF_SESSION_KEY)
        if sid is None:
            return
        st = scope["app"].state.raati
        try:
            user = await st.run(access_staff_session, session_id=sid)
        except (DBAPIError, PoolTimeout):
            scope[STAFF_UNKNOWN_KEY] = True  # the guard answers 503, not "log in"
            return
        if user is None or user.id is None:
            session.pop(STAFF_SESSION_KEY, None)
            return
        scope[STAFF_SCOPE_KEY] = Staff(user.id, user.username, user.role)
