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
import logging
import multiprocessing
import os
import signal
import socket
import sys
from collections.abc import Generator
from dataclasses import replace
from typing import Any

import uvicorn
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


class RaatiServer(uvicorn.Server):
    def __init__(self, config: uvicorn.Config, state: AppState) -> None:
        super().__init__(config)
        self.raati = state

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
    config = uvicorn.Config(
        app, host=settings.host, port=settings.port, ws=BoundedWebSocketProtocol,
        ws_max_size=MAX_WS_MESSAGE,
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
