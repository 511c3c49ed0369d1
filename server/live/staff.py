"""The moderators' live websocket, /staff/moderation/live.

A moderator's page listens to every session at once: one hub client per
session with the audiences "public" and "staff", so held posts, flags, other
moderators' decisions and residents' new posts all arrive. Each event is sent
wrapped as ``{"type":"event","session":<id>,"event":<the event as encoded>}``.

The page treats events as a doorbell: it re-reads the server-rendered queue
(oldest first, findings marked) rather than patching its HTML from event data,
so there is one rendering of user text, escaped on the server, and a missed
event costs nothing (on reconnect the page re-reads the queue as well). The
socket also joins sessions created after it opened (it looks for new ones every
few seconds) and says so with ``{"type":"joined","session":<id>}``.

Auth: the staff session cookie (a moderating role) and a same-origin check.
Close codes: 4401 not logged in / not allowed, 4001 fell behind (reconnect).
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable

from starlette.routing import WebSocketRoute
from starlette.websockets import WebSocket

from deliberation.events import PUBLIC, STAFF
from deliberation.permissions import can_moderate
from deliberation.sessions import list_deliberations
from server.access import staff_role
from server.live.endpoint import LiveSocket, is_database_error, same_origin

NOT_ALLOWED = 4401
# How often a moderator's socket looks for sessions created since it opened. A
# new session has nothing to moderate until someone posts in it, so a few
# seconds' delay is not noticed, and the query is one small read per socket.
NEW_SESSION_INTERVAL = 2.0
_AUDIENCES = frozenset({PUBLIC, STAFF})


class StaffSocket(LiveSocket):
    """A moderator's socket: every session's public and staff events."""

    def __init__(self, ws: WebSocket) -> None:
        super().__init__(ws)
        self._lock = asyncio.Lock()
        self._sessions: set[int] = set()

    async def refusal(self) -> int | None:
        if not can_moderate(staff_role(self.ws)) or not same_origin(self.ws):
            return NOT_ALLOWED
        return None

    def send_raw(self) -> Callable[[str], Awaitable[None]]:
        # One socket, many writers (one per session): frames are sent one at a time.
        async def send(text: str) -> None:
            async with self._lock:
                await self.ws.send_text(text)

        return send

    async def start(self) -> None:
        new = await self._join_new_sessions()
        await self.send_raw()(json.dumps({"type": "ready", "sessions": new}))
        self.spawn(self._follow_new_sessions())

    async def handle(self, text: str | None) -> str | None:
        return '{"type":"pong"}' if text == '{"type":"ping"}' else None

    async def _join_new_sessions(self) -> list[int]:
        sessions = await self.st.read(list_deliberations)
        new = [d.id for d in sessions if d.id is not None and d.id not in self._sessions]
        for session_id in new:
            self._sessions.add(session_id)
            client = self.client(self._wrapped(session_id), _AUDIENCES)
            await self.join(session_id, client)
            self.run_writer(client)
        return new

    async def _follow_new_sessions(self) -> None:
        send = self.send_raw()
        while True:
            await asyncio.sleep(NEW_SESSION_INTERVAL)
            try:
                new = await self._join_new_sessions()
            except Exception as exc:
                if not is_database_error(exc):
                    raise
                continue  # the database is away: look again next time
            for session_id in new:
                await send(json.dumps({"type": "joined", "session": session_id}))

    def _wrapped(self, session_id: int) -> Callable[[str], Awaitable[None]]:
        prefix = f'{{"type":"event","session":{session_id},"event":'
        send = self.send_raw()

        async def send_event(text: str) -> None:
            await send(prefix + text + "}")

        return send_event


async def staff_live(ws: WebSocket) -> None:
    await StaffSocket(ws).serve()


routes = [WebSocketRoute("/staff/moderation/live", staff_live)]
