"""The moderators' live websocket, /staff/moderation/live.

A moderator's page listens to every session at once: one hub client per
session with the audiences "public" and "staff", so held posts, flags, other
moderators' decisions and residents' new posts all arrive. Each event is sent
wrapped as ``{"type":"event","session":<id>,"event":<the event as encoded>}``.

The page treats events as a doorbell: it re-reads the server-rendered queue
(oldest first, findings marked) rather than patching its HTML from event data,
so there is one rendering of user text, escaped on the server, and a missed
event costs nothing (on reconnect the page re-reads the queue as well). The
sessions are those existing when the socket opens; a reconnect picks up new ones.

Auth: the staff session cookie (a moderating role) and a same-origin check.
Close codes: 4401 not logged in / not allowed, 4001 fell behind (reconnect).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from typing import Any
from urllib.parse import urlsplit

from starlette.routing import WebSocketRoute
from starlette.websockets import WebSocket, WebSocketDisconnect

from deliberation.events import PUBLIC, STAFF
from deliberation.permissions import can_moderate
from deliberation.sessions import list_deliberations
from server.hub import GOING_AWAY, RESUME, Client
from server.web import state

NOT_ALLOWED = 4401


def _same_origin(ws: WebSocket) -> bool:
    origin = ws.headers.get("origin")
    return origin is None or urlsplit(origin).netloc == ws.headers.get("host")


def _role(ws: WebSocket) -> str | None:
    staff = ws.session.get("staff")
    return staff.get("role") if isinstance(staff, dict) else None


async def staff_live(ws: WebSocket) -> None:
    st = state(ws)
    if not can_moderate(_role(ws)) or not _same_origin(ws):
        await ws.close(code=NOT_ALLOWED)
        return
    if st.shutting_down:
        await ws.close(code=GOING_AWAY)
        return
    await ws.accept()
    lock = asyncio.Lock()

    async def send(text: str) -> None:
        async with lock:
            await ws.send_text(text)

    async def close(code: int) -> None:
        with contextlib.suppress(Exception):
            await asyncio.wait_for(ws.close(code=code), 2)

    def wrapped(session_id: int) -> Any:
        prefix = f'{{"type":"event","session":{session_id},"event":'

        async def send_event(text: str) -> None:
            await send(prefix + text + "}")
        return send_event

    sessions = await st.read(list_deliberations)
    joined: list[tuple[int, Client]] = []
    tasks: list[asyncio.Task[Any]] = []
    try:
        for d in sessions:
            assert d.id is not None
            client = Client(wrapped(d.id), close, frozenset({PUBLIC, STAFF}),
                            st.settings.client_queue_size)
            await st.hub.join(d.id, client)
            joined.append((d.id, client))
        await send(json.dumps({"type": "ready", "sessions": [d.id for d in sessions]}))
        tasks = [asyncio.create_task(c.write_forever()) for _, c in joined]
        overflow = [asyncio.create_task(c.overflowed.wait()) for _, c in joined]
        reader = asyncio.create_task(_read_loop(ws, send))
        tasks += [*overflow, reader]
        done, _ = await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
        if any(t in done for t in overflow):
            st.metrics.slow_clients.inc()
            await close(RESUME)
    except (WebSocketDisconnect, RuntimeError, OSError):
        pass
    except Exception:
        await close(1013)
    finally:
        for t in tasks:
            t.cancel()
        for session_id, client in joined:
            st.hub.leave(session_id, client)


async def _read_loop(ws: WebSocket, send: Any) -> None:
    while True:
        try:
            raw = await ws.receive_text()
        except WebSocketDisconnect:
            return
        except KeyError:
            continue
        if raw == '{"type":"ping"}':
            await send('{"type":"pong"}')


routes = [WebSocketRoute("/staff/moderation/live", staff_live)]
