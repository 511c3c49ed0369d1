"""Pure ASGI middleware of the app: security headers on HTTP responses, and the
raw websocket ``send`` kept in the scope for the live fan-out."""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

RAW_SEND_KEY = "raati.raw_send"
# ASGI extension offered by server.serve's websocket protocol: {"send": fn(bytes) -> bool}.
SEND_NOW_EXTENSION = "raati.send_text_now"

SECURITY_HEADERS = [
    (b"content-security-policy",
     (b"default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
      b"connect-src 'self' ws: wss:; frame-ancestors 'none'; base-uri 'none'; "
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
