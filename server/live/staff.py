"""The moderators' live websocket, /staff/moderation/live.

A moderator's page listens to every session at once: one hub client per
session with the audiences "public" and "staff", so held posts, flags, other
moderators' decisions and residents' new posts all arrive. Each event is sent
wrapped as ``{"type":"event","session":<id>,"event":<the event as encoded>}``.

The page treats events as a doorbell: it re-reads the server-rendered queue
(oldest first, findings marked) rather than patching its HTML from event data,
so there is one rendering of user text, escaped on the server, and a missed
event costs nothing (on reconnect the page re-reads the queue as well). The
socket also joins sessions created after it opened: the unit of work announces
each new session on the hub's staff-wide channel after its commit, and the
socket says so with ``{"type":"joined","session":<id>}``. When the broker may
have lost an announcement (it says ``None``), the socket reads the session
list again.

Auth: the staff session cookie (a moderating role) and a same-origin check.
Close codes: 4401 not logged in / not allowed, 4001 fell behind (reconnect),
1013 the database is away (reconnect in a moment).
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Awaitable, Callable

from starlette.routing import WebSocketRoute
from starlette.websockets import WebSocket

from deliberation.events import PUBLIC, STAFF
from deliberation.permissions import can_moderate
from deliberation.sessions import list_deliberations
from server.access import staff_role
from server.live.broker import Subscription
from server.live.endpoint import LiveSocket, is_database_error, same_origin
from server.live.hub import TRY_AGAIN_LATER, HubUnavailable

log = logging.getLogger("raati.live")
NOT_ALLOWED = 4401
_AUDIENCES = frozenset({PUBLIC, STAFF})


class StaffSocket(LiveSocket):
    """A moderator's socket: every session's public and staff events."""

    def __init__(self, ws: WebSocket) -> None:
        super().__init__(ws)
        self._lock = asyncio.Lock()
        self._sessions: set[int] = set()
        self._created: Subscription | None = None

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

    async def serve(self) -> None:
        # Subscribed before start() reads the session list, so a session created
        # in between is heard (and joined once); left when the socket ends.
        async with self.st.hub.created_sessions() as created:
            self._created = created
            await super().serve()

    async def start(self) -> None:
        new = await self._join_listed_sessions()
        await self.send_raw()(json.dumps({"type": "ready", "sessions": new}))
        self.spawn(self._follow_new_sessions())

    async def handle(self, text: str | None) -> str | None:
        return '{"type":"pong"}' if text == '{"type":"ping"}' else None

    async def _join_listed_sessions(self) -> list[int]:
        sessions = await self.st.read(list_deliberations)
        return await self._join([d.id for d in sessions if d.id is not None])

    async def _join(self, session_ids: list[int]) -> list[int]:
        new = [i for i in session_ids if i not in self._sessions]
        for session_id in new:
            self._sessions.add(session_id)
            client = self.client(self._wrapped(session_id), _AUDIENCES)
            await self.join(session_id, client)
            self.run_writer(client)
        return new

    async def _follow_new_sessions(self) -> None:
        assert self._created is not None
        send = self.send_raw()
        async for message in self._created:
            try:
                if message is None:  # some may have been lost: read the list
                    new = await self._join_listed_sessions()
                else:
                    new = await self._join(_session_ids(message))
            except Exception as exc:
                if not (isinstance(exc, HubUnavailable) or is_database_error(exc)):
                    raise
                # The page reconnects, reads the list and re-reads its queue.
                await self.close(TRY_AGAIN_LATER)
                return
            for session_id in new:
                await send(json.dumps({"type": "joined", "session": session_id}))

    def _wrapped(self, session_id: int) -> Callable[[str], Awaitable[None]]:
        prefix = f'{{"type":"event","session":{session_id},"event":'
        send = self.send_raw()

        async def send_event(text: str) -> None:
            await send(prefix + text + "}")

        return send_event


def _session_ids(message: str) -> list[int]:
    try:
        return [int(message)]
    except ValueError:
        log.warning("ignoring a malformed session announcement")
        return []


async def staff_live(ws: WebSocket) -> None:
    await StaffSocket(ws).serve()


routes = [WebSocketRoute("/staff/moderation/live", staff_live)]
