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
behind: reconnect with your last sequence number"; 4409 means "your number is
ahead of this session's (a stale page, another database): reload the page";
1008 means the address was malformed (``?after=`` must be ASCII digits).

A reconnect does the least work (a reconnect storm after a deploy is every open
page at once): no write, one read for the session and the participant, and the
backlog read only when the client missed something this process's listener
already handed out.
"""

from __future__ import annotations

import functools
import json
import logging
from typing import Any

from sqlmodel import Session
from starlette.routing import WebSocketRoute
from starlette.websockets import WebSocket

from deliberation.errors import DomainError
from deliberation.events import PUBLIC, EventOut, events_after, last_seq, participant_audience
from deliberation.models import Participant
from server import errors, participation
from server.access import staff_role
from server.http import client_address, language, participant_token
from server.i18n import current_language
from server.live.endpoint import LiveSocket, is_database_error, same_origin
from server.live.hub import Client
from server.middleware import SEND_NOW_EXTENSION
from server.parsing import ParseError, parse_json_object, parse_seq

log = logging.getLogger("raati.live")
BACKLOG_PAGE = 2000
# The client's ?after= is beyond the last event: it must reload, not wait forever.
AHEAD = 4409
MALFORMED = 1008


class ResidentSocket(LiveSocket):
    """A session page's socket: its public events (and its own participant's)."""

    def __init__(self, ws: WebSocket) -> None:
        super().__init__(ws)
        self.slug: str = ws.path_params["slug"]
        try:
            self.after: int | None = parse_seq(ws.query_params.get("after"))
        except ParseError:
            self.after = None
        self.me: Participant | None = None
        self.session_id = 0
        self.live_client: Client | None = None

    async def refusal(self) -> int | None:
        if self.after is None:
            return MALFORMED
        try:
            # Staff previewing a draft may follow it; only from our own pages.
            role = staff_role(self.ws) if same_origin(self.ws) else None
            self.session_id, me = await participation.live_seat(
                self.st, self.slug, participant_token(self.ws, create=False), role=role)
        except DomainError as exc:
            return errors.close_code_of(exc.code)
        # A cross-site page may read, never act as the visitor.
        self.me = me if same_origin(self.ws) else None
        return None

    async def start(self) -> None:
        current_language.set(language(self.ws))
        audiences = {PUBLIC}
        if self.me is not None and self.me.id is not None:
            audiences.add(participant_audience(self.me.id))
        send = self.send_raw()
        client = self.client(send, frozenset(audiences))
        self.live_client = client
        await self.join(self.session_id, client)
        await send(json.dumps({"type": "hello", "pseudonym": self.me.pseudonym if self.me else None}))
        after = self.after or 0
        known = self.st.hub.last_known(self.session_id)
        if known is None or after > known:
            # Rare: the listener is new, or the client saw more than it has handed
            # out (another process's listener may be ahead); ask the database.
            known = await self.st.read(last_seq, deliberation_id=self.session_id)
        if after > known:
            await self.close(AHEAD)
            return
        if after < known:
            await self._send_backlog(client, after, known)
        else:
            client.sent_seq = after
        await send(json.dumps({"type": "ready", "seq": client.sent_seq}))
        client.go_live(self.ws.scope.get("extensions", {}).get(SEND_NOW_EXTENSION, {}).get("send"))
        self.run_writer(client)

    async def _send_backlog(self, client: Client, after: int, known: int) -> None:
        cursor = max(after, 0)
        client.sent_seq = cursor
        while True:
            page = await self.st.backlog.page(
                self.session_id, cursor, known, BACKLOG_PAGE,
                functools.partial(self.st.read, _events_page,
                                  deliberation_id=self.session_id, after=cursor))
            for ev in page.events:
                cursor = ev.seq
                if ev.audience in client.audiences:
                    await client.send_now(ev.seq, ev.text)
                else:
                    client.sent_seq = ev.seq
            if not page.full:
                return

    async def handle(self, text: str | None) -> str | None:
        return json.dumps(await self._reply(text), ensure_ascii=False)

    async def _reply(self, raw: str | None) -> dict[str, Any]:
        try:
            msg = parse_json_object(raw) if raw is not None else None
        except ParseError:
            msg = None
        if msg is None:
            return self._error(None, "bad_request", {})
        kind, request_id = msg.get("type"), msg.get("request_id")
        if kind == "ping":
            return {"type": "pong"}
        try:
            if kind == "post":
                return await self._post(msg, request_id)
            if kind == "support":
                result = await participation.toggle_support(
                    self.st, slug=self.slug, token=self._token(), post_id=msg.get("post_id"),
                    proof=msg.get("altcha"), client=client_address(self.ws))
                self._hear_as(result.participant_id)
                return {"type": "ack", "request_id": request_id, "supported": result.supported,
                        "support_count": result.support_count}
        except DomainError as exc:
            return self._error(request_id, exc.code, exc.params)
        except Exception as exc:  # database away and the like: the client may retry
            code, params = errors.code_of(exc)
            if is_database_error(exc):
                code = "database_unavailable"
            else:
                log.exception("websocket action failed")
            return self._error(request_id, code, params)
        return self._error(request_id, "bad_request", {})

    async def _post(self, msg: dict[str, Any], request_id: object) -> dict[str, Any]:
        outcome = await participation.create_post(
            self.st, slug=self.slug, token=self._token(), question_id=msg.get("question_id"),
            parent_id=msg.get("parent_id"), body=msg.get("body"), proof=msg.get("altcha"),
            client=client_address(self.ws))
        self._hear_as(outcome.post.participant_id)
        reply: dict[str, Any] = {"type": "ack", "request_id": request_id,
                                 "status": outcome.status, "post": outcome.view,
                                 "reasons": outcome.reasons}
        if outcome.status == "held":
            reply["message"] = errors.message("post_held", {}, self.st.translator.gettext)
        return reply

    def _hear_as(self, participant_id: int | None) -> None:
        """A first action made this browser a participant: from now on this socket
        also hears what only that participant may (its held post's fate)."""
        if self.me is None and participant_id is not None and self.live_client is not None:
            self.live_client.audiences = self.live_client.audiences | {
                participant_audience(participant_id)}

    def _token(self) -> str | None:
        return participant_token(self.ws, create=False) if same_origin(self.ws) else None

    def _error(self, request_id: object, code: str, params: dict[str, Any]) -> dict[str, Any]:
        return errors.error_frame(code, params, self.st.translator.gettext, request_id)


def _events_page(db: Session, *, deliberation_id: int, after: int) -> list[EventOut]:
    return events_after(db, deliberation_id=deliberation_id, after=after, limit=BACKLOG_PAGE)


async def live(ws: WebSocket) -> None:
    await ResidentSocket(ws).serve()


routes = [WebSocketRoute("/s/{slug}/live", live)]
