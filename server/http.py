"""Request helpers shared by the routes: app state, language, rendering,
the anonymous token, CSRF and flash messages. (Errors become pages and JSON in
server/errors.py; who may call a route is said with server/access.py.)"""

from __future__ import annotations

import json
import secrets
from typing import Any

from starlette.requests import HTTPConnection, Request
from starlette.responses import HTMLResponse

from deliberation.errors import DomainError
from server.i18n import LANGUAGE_NAMES, LANGUAGES, current_language, pick_language
from server.state import AppState

LANG_COOKIE = "raati_lang"


def state(conn: HTTPConnection) -> AppState:
    return conn.app.state.raati  # type: ignore[no-any-return]


def language(conn: HTTPConnection) -> str:
    return pick_language(conn.query_params.get("lang"), conn.cookies.get(LANG_COOKIE))


def use_language(conn: HTTPConnection) -> str:
    lang = language(conn)
    current_language.set(lang)
    return lang


def participant_token(conn: HTTPConnection, *, create: bool) -> str | None:
    """The random token that ties this browser to its pseudonyms (in the signed
    session cookie; nothing else about the browser is kept)."""
    token = conn.session.get("pt")
    if token is None and create:
        token = conn.session["pt"] = secrets.token_urlsafe(24)
    return token


def csrf_token(conn: HTTPConnection) -> str:
    token = conn.session.get("csrf")
    if token is None:
        token = conn.session["csrf"] = secrets.token_urlsafe(24)
    return str(token)


def csrf_ok(conn: HTTPConnection, submitted: object) -> bool:
    expected = conn.session.get("csrf")
    if not expected or not isinstance(submitted, str):
        return False
    # Bytes, so that a token with non-ASCII characters is simply wrong, not an error.
    return secrets.compare_digest(str(expected).encode(), submitted.encode())


def flash(request: Request, kind: str, text: str, *, post_id: int | None = None,
          posted: bool = False) -> None:
    """A message for the next page. With ``post_id`` it is shown next to that post
    (where the person is looking after a form without JavaScript), not at the top;
    ``posted`` says the post was just sent, so the page can drop its local draft."""
    item: dict[str, object] = {"kind": kind, "text": text}
    if post_id is not None:
        item.update(post_id=post_id, posted=posted)
    request.session.setdefault("flash", []).append(item)


def take_flashes(request: Request) -> list[dict[str, Any]]:
    return list(request.session.pop("flash", []))


def render(request: Request, template: str, context: dict[str, Any] | None = None,
           status_code: int = 200) -> HTMLResponse:
    st = state(request)
    lang = use_language(request)
    flashes = take_flashes(request)
    ctx: dict[str, Any] = {
        "lang": lang,
        "languages": [(code, LANGUAGE_NAMES[code]) for code in LANGUAGES],
        "csrf_token": csrf_token(request),
        # Messages about a post go next to it; the rest at the top of the page.
        "flashes": [f for f in flashes if "post_id" not in f],
        "confirmations": {f["post_id"]: f for f in flashes if "post_id" in f},
        "org": st.organisation.view,
        "staff": request.session.get("staff"),
        "path": request.url.path,
    }
    ctx.update(context or {})
    response = st.templates.TemplateResponse(request, template, ctx, status_code=status_code)
    if request.query_params.get("lang") in LANGUAGES:
        response.set_cookie(LANG_COOKIE, lang, max_age=365 * 24 * 3600, httponly=True,
                            samesite="lax", secure=st.settings.https_only)
    return response


async def json_body(request: Request) -> dict[str, Any]:
    """The request's JSON object; ``bad_request`` for anything else."""
    try:
        body = json.loads(await request.body() or b"{}")
    except (json.JSONDecodeError, UnicodeDecodeError):
        raise DomainError("bad_request") from None
    if not isinstance(body, dict):
        raise DomainError("bad_request")
    return body
