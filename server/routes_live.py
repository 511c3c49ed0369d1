"""The live websocket of a session page.

Protocol (JSON text frames):
  server -> client  {"type":"hello","pseudonym":..}             once, on connect
                    {"type":"event","seq":N,"kind":..,"data":..} every event, in order
                    {"type":"ready","seq":N}                      backlog sent, live from here
                    {"type":"ack","request_id":..,...} / {"type":"error","request_id":..,"code":..,"message":..}
  client -> server  {"type":"post","request_id":..,"question_id":..,"parent_id":..,"body":..}
                    {"type":"support","request_id":..,"post_id":..}
                    {"type":"ping"}
Connect with ``?after=N`` (the last sequence number seen) to resume: exactly
the missed events follow, then the live stream. Close code 4001 means "you fell
behind: reconnect with your last sequence number".
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import urlsplit

from starlette.routing import WebSocketRoute
from starlette.websockets import WebSocket, WebSocketDisconnect

from deliberation.errors import DomainError
from deliberation.events import PUBLIC, participant_audience
from server import errors, participation
from server.app_middleware import RAW_SEND_KEY, SEND_NOW_EXTENSION
from server.hub import GOING_AWAY, RESUME, TRY_AGAIN_LATER, Client, HubUnavailable
from server.i18n import current_language
from server.web import language, participant_token, state

log = logging.getLogger("raati.live")
BACKLOG_PAGE = 2000


def _same_origin(ws: WebSocket) -> bool:
    origin = ws.headers.get("origin")
    if origin is None:
        return True  # not a browser: no cross-site cookie riding possible
    return urlsplit(origin).netloc == ws.headers.get("host")


async def live(ws: WebSocket) -> None:
    st = state(ws)
    slug = ws.path_params["slug"]
    after = participation.as_int(ws.query_params.get("after", "0"))
    if after is None:
        await ws.close(code=1008)
        return
    try:
        seat = await participation.seat(st, slug, participant_token(ws, create=False), join=False)
    except DomainError:
        await ws.close(code=4404)
        return
    if st.shutting_down:
        await ws.close(code=GOING_AWAY)
        return
    await ws.accept()
    lang = language(ws)
    current_language.set(lang)
    me = seat.participant if _same_origin(ws) else None
    d_id = seat.deliberation.id
    assert d_id is not None
    audiences = {PUBLIC}
    if me is not None and me.id is not None:
        audiences.add(participant_audience(me.id))
    send = _fast_send(ws)

    async def close(code: int) -> None:
        await _close(ws, code)

    client = Client(send, close, frozenset(audiences), st.settings.client_queue_size)
    try:
        await st.hub.join(d_id, client)
    except HubUnavailable:  # the database is away: the client retries later
        await _close(ws, TRY_AGAIN_LATER)
        return
    tasks: list[asyncio.Task[Any]] = []
    try:
        await send(json.dumps({"type": "hello", "pseudonym": me.pseudonym if me else None}))
        await _send_backlog(st, client, d_id, after)
        await send(json.dumps({"type": "ready", "seq": client.sent_seq}))
        client.go_live(ws.scope.get("extensions", {}).get(SEND_NOW_EXTENSION, {}).get("send"))
        tasks = [
            asyncio.create_task(client.write_forever()),
            asyncio.create_task(client.overflowed.wait()),
            asyncio.create_task(_read_loop(ws, st, slug, send)),
        ]
        done, _ = await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
        if tasks[1] in done:
            st.metrics.slow_clients.inc()
            await _close(ws, RESUME)
    except (WebSocketDisconnect, RuntimeError, OSError):
        pass
    except Exception as exc:
        if not _is_db_error(exc):
            raise
        await _close(ws, TRY_AGAIN_LATER)  # the database went away during the backlog
    finally:
        for t in tasks:
            t.cancel()
        st.hub.leave(d_id, client)


def _fast_send(ws: WebSocket) -> Callable[[str], Awaitable[None]]:
    """Send a text frame straight to the server's ASGI ``send`` (captured by
    server.app.RawSend), skipping the middleware layers that only matter for
    HTTP: this is the per-client, per-event hot path of the fan-out. Frames
    never interleave: uvicorn writes each one whole, without yielding."""
    raw = ws.scope.get(RAW_SEND_KEY)
    if raw is None:
        return ws.send_text

    async def send(text: str) -> None:
        await raw({"type": "websocket.send", "text": text})

    return send


async def _send_backlog(st: Any, client: Client, d_id: int, after: int) -> None:
    cursor = max(after, 0)
    client.sent_seq = cursor
    while True:
        page = await st.read(_events_page, deliberation_id=d_id, after=cursor)
        for ev in page:
            cursor = ev.seq
            if ev.audience in client.audiences:
                await client.send_now(ev.seq, ev.encode())
            else:
                client.sent_seq = ev.seq
        if len(page) < BACKLOG_PAGE:
            return


def _events_page(db: Any, *, deliberation_id: int, after: int) -> list[Any]:
    from deliberation.events import events_after

    return events_after(db, deliberation_id=deliberation_id, after=after, limit=BACKLOG_PAGE)


async def _close(ws: WebSocket, code: int) -> None:
    with contextlib.suppress(Exception):
        await asyncio.wait_for(ws.close(code=code), 2)


async def _read_loop(ws: WebSocket, st: Any, slug: str, send: Any) -> None:
    while True:
        try:
            raw = await ws.receive_text()
        except WebSocketDisconnect:
            return
        except KeyError:  # a binary frame
            raw = ""
        reply = await _handle(ws, st, slug, raw)
        if reply is not None:
            await send(json.dumps(reply, ensure_ascii=False))


async def _handle(ws: WebSocket, st: Any, slug: str, raw: str) -> dict[str, Any] | None:
    try:
        msg = json.loads(raw)
    except (json.JSONDecodeError, TypeError):
        msg = None
    if not isinstance(msg, dict):
        return _error(st, None, "bad_request", {})
    kind, request_id = msg.get("type"), msg.get("request_id")
    if kind == "ping":
        return {"type": "pong"}
    token = participant_token(ws, create=False) if _same_origin(ws) else None
    try:
        if kind == "post":
            outcome = await participation.create_post(
                st, slug=slug, token=token, question_id=msg.get("question_id"),
                parent_id=msg.get("parent_id"), body=msg.get("body"))
            reply: dict[str, Any] = {"type": "ack", "request_id": request_id,
                                     "status": outcome.status, "post": outcome.view,
                                     "reasons": outcome.reasons}
            if outcome.status == "held":
                reply["message"] = errors.message("post_held", {}, st.translator.gettext)
            return reply
        if kind == "support":
            result = await participation.toggle_support(st, slug=slug, token=token,
                                                        post_id=msg.get("post_id"))
            return {"type": "ack", "request_id": request_id, "supported": result.supported,
                    "support_count": result.support_count}
    except DomainError as exc:
        return _error(st, request_id, exc.code, exc.params)
    except Exception as exc:  # database away and the like: the client may retry
        code, params = errors.code_of(exc)
        if _is_db_error(exc):
            code = "database_unavailable"
        else:
            log.exception("websocket action failed")
        return _error(st, request_id, code, params)
    return _error(st, request_id, "bad_request", {})


def _is_db_error(exc: Exception) -> bool:
    from sqlalchemy.exc import DBAPIError
    from sqlalchemy.exc import TimeoutError as PoolTimeout

    return isinstance(exc, (DBAPIError, PoolTimeout))


def _error(st: Any, request_id: object, code: str, params: dict[str, Any]) -> dict[str, Any]:
    return {"type": "error", "request_id": request_id, "code": code,
            "message": errors.message(code, params, st.translator.gettext)}


routes = [WebSocketRoute("/s/{slug}/live", live)]

