"""What every live websocket does the same way: :class:`LiveSocket`.

A subclass says who may connect (:meth:`LiveSocket.refusal`), what happens once
it is accepted (:meth:`LiveSocket.start`: join sessions, send a greeting or a
backlog) and how to answer a text frame (:meth:`LiveSocket.handle`). The base
does the rest, once for both endpoints (residents' and moderators'):

- the same-origin check (a cross-site page never acts with the visitor's cookie);
- the read loop, on the raw ASGI messages: a binary frame is ``None`` to
  ``handle``, a disconnect ends the loop (no Starlette internals caught);
- one writer task per hub client, and a shared "overflowed" flag: a client that
  falls behind is closed with RESUME and never slows the others;
- close codes: GOING_AWAY while the process stops, TRY_AGAIN_LATER when the
  database is away, RESUME on overflow; subclasses add their own refusals.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from abc import ABC, abstractmethod
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy.exc import DBAPIError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from starlette.websockets import WebSocket, WebSocketDisconnect

from server.http import state
from server.live.hub import GOING_AWAY, RESUME, TRY_AGAIN_LATER, Client, HubUnavailable
from server.middleware import RAW_SEND_KEY

log = logging.getLogger("raati.live")
# Closing a socket whose peer does not answer must not hang the handler.
CLOSE_TIMEOUT = 2.0


def same_origin(ws: WebSocket) -> bool:
    origin = ws.headers.get("origin")
    if origin is None:
        return True  # not a browser: no cross-site cookie riding possible
    return urlsplit(origin).netloc == ws.headers.get("host")


def is_database_error(exc: BaseException) -> bool:
    return isinstance(exc, (DBAPIError, PoolTimeout))


class LiveSocket(ABC):
    """One live websocket connection; ``await Subclass(ws).serve()``."""

    def __init__(self, ws: WebSocket) -> None:
        self.ws = ws
        self.st = state(ws)
        self.overflowed = asyncio.Event()
        self._joined: list[tuple[int, Client]] = []
        self._tasks: set[asyncio.Task[Any]] = set()
        self._finished = asyncio.Event()  # the reader, a writer or a helper task ended

    # --- what a subclass says ------------------------------------------------------

    async def refusal(self) -> int | None:
        """A close code to refuse the connection with before accepting it."""
        return None

    @abstractmethod
    async def start(self) -> None:
        """After accepting: join sessions, send what comes before the live stream."""

    async def handle(self, text: str | None) -> str | None:
        """The reply (a text frame) to a client's text frame (``None``: binary)."""
        return None

    def send_raw(self) -> Callable[[str], Awaitable[None]]:
        """How to send one text frame: straight to the server's ASGI ``send``
        (captured by server.middleware.RawSend), skipping the middleware layers
        that only matter for HTTP. This is the per-client, per-event hot path of
        the fan-out; uvicorn writes each frame whole, so frames never interleave."""
        raw = self.ws.scope.get(RAW_SEND_KEY)
        if raw is None:
            return self.ws.send_text

        async def send(text: str) -> None:
            await raw({"type": "websocket.send", "text": text})

        return send

    # --- what subclasses use ---------------------------------------------------------

    async def close(self, code: int) -> None:
        with contextlib.suppress(Exception):
            await asyncio.wait_for(self.ws.close(code=code), CLOSE_TIMEOUT)

    def client(self, send: Callable[[str], Awaitable[None]], audiences: frozenset[str]) -> Client:
        return Client(send, self.close, audiences, self.st.settings.client_queue_size,
                      overflowed=self.overflowed)

    async def join(self, session_id: int, client: Client) -> None:
        """Start hearing a session's live events (raises HubUnavailable)."""
        await self.st.hub.join(session_id, client)
        self._joined.append((session_id, client))

    def run_writer(self, client: Client) -> None:
        """Send the client's queued events from now on (after any backlog)."""
        self.spawn(client.write_forever())

    def spawn(self, work: Coroutine[Any, Any, Any]) -> None:
        """Run ``work`` beside the read loop; when it ends, the connection ends."""
        task = asyncio.create_task(work)
        self._tasks.add(task)
        task.add_done_callback(lambda _: self._finished.set())

    # --- the connection's life ---------------------------------------------------------

    async def serve(self) -> None:
        refused = await self.refusal()
        if refused is None and self.st.shutting_down:
            refused = GOING_AWAY
        if refused is not None:
            await self.ws.close(code=refused)
            return
        await self.ws.accept()
        try:
            await self.start()
            self.spawn(self._read_loop())
            self.spawn(self._watch_overflow())
            await self._finished.wait()
            if self.overflowed.is_set():
                self.st.metrics.slow_clients.inc()
                await self.close(RESUME)
        except (WebSocketDisconnect, RuntimeError, OSError):
            pass  # the peer went away
        except HubUnavailable:
            await self.close(TRY_AGAIN_LATER)
        except Exception as exc:
            if not is_database_error(exc):
                raise
            await self.close(TRY_AGAIN_LATER)  # the database went away meanwhile
        finally:
            for task in self._tasks:
                task.cancel()
            for session_id, client in self._joined:
                self.st.hub.leave(session_id, client)

    async def _watch_overflow(self) -> None:
        await self.overflowed.wait()

    async def _read_loop(self) -> None:
        send = self.send_raw()
        while True:
            message = await self.ws.receive()
            if message["type"] == "websocket.disconnect":
                return
            reply = await self.handle(message.get("text"))
            if reply is not None:
                await send(reply)
