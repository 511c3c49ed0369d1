"""Running the server: one process, or N worker processes sharing the port.

Workers each bind the port with SO_REUSEPORT, so the kernel spreads new
connections over them; live events cross processes through Redis.
On SIGTERM a worker stops accepting, closes its websockets with 1001 "going
away" (clients reconnect, to another process), finishes in-flight requests and
exits 0.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import signal
import socket
import sys
from dataclasses import replace
from typing import Any

import uvicorn

from server import db
from server.hub import GOING_AWAY
from server.settings import Settings
from server.state import AppState

log = logging.getLogger("raati.serve")
MAX_WS_MESSAGE = 64 * 1024


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


def _bind(host: str, port: int, reuse_port: bool) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    if reuse_port:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    sock.bind((host, port))
    sock.set_inheritable(True)
    return sock


def run_one(settings: Settings, reuse_port: bool = False) -> int:
    from server.app import create_app

    app = create_app(settings)
    config = uvicorn.Config(
        app, host=settings.host, port=settings.port, ws="websockets-sansio",
        ws_max_size=MAX_WS_MESSAGE, proxy_headers=True, forwarded_allow_ips="127.0.0.1",
        timeout_graceful_shutdown=10, log_level="info", access_log=False, lifespan="on",
    )
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
