"""Running the server: one process, or N worker processes sharing the port.

Workers each bind the port with SO_REUSEPORT, so the kernel spreads new
connections over them; live events cross processes through Redis.
On SIGTERM a worker stops accepting, closes its websockets with 1001 "going
away" (clients reconnect, to another process), finishes in-flight requests and
exits 0.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
import multiprocessing
import os
import resource
import signal
import socket
import sys
from collections.abc import Generator
from dataclasses import replace
from typing import Any

import uvicorn
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol
from uvicorn.protocols.websockets.websockets_sansio_impl import WebSocketsSansIOProtocol

from server import db
from server.live.hub import GOING_AWAY
from server.middleware import SEND_NOW_EXTENSION
from server.settings import Settings
from server.state import AppState

log = logging.getLogger("raati.serve")
MAX_WS_MESSAGE = 64 * 1024


# Bytes a websocket may have waiting to go out, in the kernel and again in the
# transport, before a send blocks. Left to itself Linux grows a socket's send
# buffer up to net.ipv4.tcp_wmem's maximum (4 MB by default) for a peer that
# never reads, so a stalled client would be noticed only megabytes later.
# 64 KiB is plenty for a stream of small JSON events even at 100 ms round trips.
SEND_BUFFER = 64 * 1024


class BoundedWebSocketProtocol(WebSocketsSansIOProtocol):
    """uvicorn's sans-I/O websocket protocol with a bounded send side, so that a
    client that stops reading blocks its sends soon (its bounded queue in the
    hub then overflows and it is told to resume), and is dropped for good."""

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        super().connection_made(transport)
        sock = transport.get_extra_info("socket")
        if sock is not None:
            with contextlib.suppress(OSError):
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, SEND_BUFFER // 2)
        if isinstance(transport, asyncio.WriteTransport):
            transport.set_write_buffer_limits(high=SEND_BUFFER)

    def send_text_now(self, data: bytes) -> bool:
        """Write one text frame at once if the socket takes it without waiting;
        False (nothing written) otherwise. Offered to the app as the ASGI
        extension SEND_NOW_EXTENSION: the hub writes each event to every ready
        client in one pass, as websockets.broadcast does, instead of waking one
        task per client."""
        if (not self.handshake_complete or self.close_sent or self.disconnected
                or not self.writable.is_set() or self.transport.is_closing()):
            return False
        self.conn.send_text(data)
        self.transport.write(b"".join(self.conn.data_to_send()))
        return True

    async def run_asgi(self) -> None:
        self.scope["extensions"][SEND_NOW_EXTENSION] = {"send": self.send_text_now}
        await super().run_asgi()
        # The app is done with a peer that still is not reading: closing would
        # wait for the buffer to drain, which may be never. Drop it instead.
        if not self.writable.is_set() and self.transport.get_write_buffer_size():
            self.transport.abort()


def _plain_response(status: str, text: str, extra: str = "") -> bytes:
    body = text.encode()
    return (f"HTTP/1.1 {status}\r\ncontent-type: text/plain; charset=utf-8\r\n{extra}"
            f"content-length: {len(body)}\r\nconnection: close\r\n\r\n").encode() + body


# Both in Finnish, Swedish and English: no language is known before the headers.
BUSY_RESPONSE = _plain_response(
    "503 Service Unavailable",
    "Palvelu on juuri nyt ruuhkainen. Yritä hetken päästä uudelleen.\n"
    "Tjänsten är överbelastad just nu. Försök igen om en stund.\n"
    "The service is busy right now. Please try again in a moment.\n",
    "retry-after: 5\r\n")
TIMEOUT_RESPONSE = _plain_response("408 Request Timeout", "Request timeout.\n")


class GuardedHttpProtocol(HttpToolsProtocol):
    """uvicorn's HTTP protocol with the limits it lacks (class attributes, set by
    :func:`guarded_http`):

    - ``max_connections``: open connections (HTTP and websocket) per process.
      One more is answered at once with a 503 and closed, before it costs
      more than its socket; without a cap, 1,100 half-open sockets from one
      client used up the process's files and every request failed.
    - ``header_timeout``: a connection must deliver a request's headers within
      this many seconds of opening (or of its first byte, for the next request
      on a kept-alive connection); slow-header clients were held for ever.
    - ``body_timeout``: a request body may pause at most this long between reads.
    Idle kept-alive connections are closed by uvicorn's own ``timeout_keep_alive``.
    """

    max_connections = 2000
    header_timeout = 10.0
    body_timeout = 30.0
    _timer: asyncio.TimerHandle | None = None

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        if len(self.connections) >= self.max_connections:
            transport.write(BUSY_RESPONSE)
            transport.close()
            self.transport = None  # type: ignore[assignment]
            return
        super().connection_made(transport)
        self._arm(self.header_timeout)

    def data_received(self, data: bytes) -> None:
        if self.transport is None:  # refused in connection_made
            return
        super().data_received(data)

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        if self.transport is None:
            return
        super().connection_lost(exc)

    def _arm(self, seconds: float) -> None:
        self._disarm()
        self._timer = self.loop.call_later(seconds, self._expired)

    def _disarm(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None

    def _expired(self) -> None:
        self._timer = None
        if self.transport is None or self.transport.is_closing():
            return
        if self.flow is not None and self.flow.read_paused:
            self._arm(self.body_timeout)  # the app is not reading: not the client's fault
            return
        if self.cycle is None or not self.cycle.response_started:
            self.transport.write(TIMEOUT_RESPONSE)
        self.transport.close()

    def on_message_begin(self) -> None:
        super().on_message_begin()
        self._arm(self.header_timeout)

    def on_headers_complete(self) -> None:
        self._disarm()
        super().on_headers_complete()
        if self.transport is not None and not self.transport.is_closing() \
                and not self.parser.should_upgrade():
            self._arm(self.body_timeout)  # cancelled when the message is complete

    def on_body(self, body: bytes) -> None:
        super().on_body(body)
        self._arm(self.body_timeout)

    def on_message_complete(self) -> None:
        self._disarm()
        super().on_message_complete()


def guarded_http(*, max_connections: int, header_timeout: float,
                 body_timeout: float) -> type[GuardedHttpProtocol]:
    return type("RaatiHttpProtocol", (GuardedHttpProtocol,), {
        "max_connections": max_connections, "header_timeout": header_timeout,
        "body_timeout": body_timeout})


# File descriptors a process needs besides client connections: database and
# Redis pools, log files, the listening socket, a margin.
SPARE_FILES = 256


def ensure_file_limit(max_connections: int) -> int:
    """Raise the soft open-files limit to fit ``max_connections``; returns the
    connection cap that fits (lower than asked if the hard limit is too low)."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    needed = max_connections + SPARE_FILES
    if soft != resource.RLIM_INFINITY and soft < needed:
        target = needed if hard == resource.RLIM_INFINITY else min(needed, hard)
        with contextlib.suppress(ValueError, OSError):
            resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
        soft = resource.getrlimit(resource.RLIMIT_NOFILE)[0]
    if soft != resource.RLIM_INFINITY and soft < needed:
        fitted = max(16, soft - SPARE_FILES)
        log.warning("open-files limit %s: connection cap lowered to %s", soft, fitted)
        return fitted
    return max_connections


class RaatiServer(uvicorn.Server):
    def __init__(self, config: uvicorn.Config, state: AppState) -> None:
        super().__init__(config)
        self.raati = state

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        await super().startup(sockets)
        # What startup loaded (language models, catalogs, templates, the app)
        # lives as long as the process: keep it out of the collector's full
        # passes, which otherwise stall the event loop during a connect storm.
        gc.collect()
        gc.freeze()

    async def shutdown(self, sockets: list[socket.socket] | None = None) -> None:
        for server in self.servers:
            server.close()
        self.raati.shutting_down = True
        # Before uvicorn drops them with 1012, tell live clients to go elsewhere.
        await self.raati.hub.close_all(GOING_AWAY)
        await super().shutdown(sockets)

    @contextlib.contextmanager
    def capture_signals(self) -> Generator[None, None, None]:
        with super().capture_signals():
            try:
                yield
            finally:
                # uvicorn re-raises the captured signal after its graceful shutdown,
                # so the process would die "killed by SIGTERM". A SIGTERM that we
                # handled completely is a clean stop: exit 0.
                self._captured_signals = [
                    s for s in self._captured_signals if s != signal.SIGTERM]


def _bind(host: str, port: int, reuse_port: bool) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    if reuse_port:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    sock.bind((host, port))
    sock.set_inheritable(True)
    return sock


class _NoClientAddresses(logging.Filter):
    """Drops uvicorn's per-connection lines ('1.2.3.4:5678 - "WebSocket /s/…"
    [accepted]'): Raati keeps no resident's IP address, in logs neither."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not (isinstance(record.msg, str) and record.msg.startswith('%s - "WebSocket'))


def run_one(settings: Settings, reuse_port: bool = False) -> int:
    from server.app import create_app

    app = create_app(settings)
    http = guarded_http(max_connections=ensure_file_limit(settings.max_connections),
                        header_timeout=settings.header_timeout,
                        body_timeout=settings.body_timeout)
    config = uvicorn.Config(
        app, host=settings.host, port=settings.port, ws=BoundedWebSocketProtocol,
        ws_max_size=MAX_WS_MESSAGE, http=http, timeout_keep_alive=settings.idle_timeout,
        # Events are small JSON (~0.5 KB): compressing each one once per client cost
        # more CPU than anything else in the fan-out (bench.fanout), for little gain.
        ws_per_message_deflate=False, proxy_headers=True, forwarded_allow_ips="127.0.0.1",
        timeout_graceful_shutdown=10, log_level="info", access_log=False, lifespan="on",
    )
    logging.getLogger("uvicorn.error").addFilter(_NoClientAddresses())
    server = RaatiServer(config, app.state.raati)
    sock = _bind(settings.host, settings.port, reuse_port)
    server.run(sockets=[sock])
    return 0 if server.started else 1


def _worker(settings: Settings) -> None:
    logging.basicConfig(level=logging.INFO, format=f"%(levelname)s [{os.getpid()}] %(name)s: %(message)s")
    sys.exit(run_one(settings, reuse_port=True))


def serve(settings: Settings) -> int:
    db.migrate(settings.database_url)
    print(f"Raati: http://{settings.host}:{settings.port}/", flush=True)
    if settings.workers <= 1:
        return run_one(settings)
    if not settings.redis_url:
        print("raati: --workers > 1 needs REDIS_URL (events must cross processes)", file=sys.stderr)
        return 2
    ctx = multiprocessing.get_context("spawn")
    procs = [ctx.Process(target=_worker, args=(replace(settings, workers=1),))
             for _ in range(settings.workers)]
    for p in procs:
        p.start()

    def forward(signum: int, _frame: Any) -> None:
        for p in procs:
            if p.pid and p.is_alive():
                os.kill(p.pid, signum)

    signal.signal(signal.SIGTERM, forward)
    signal.signal(signal.SIGINT, forward)
    for p in procs:
        p.join()
    return max((p.exitcode or 0) for p in procs)
