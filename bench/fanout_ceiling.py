"""The ceiling of the fan-out benchmark: a bare ``websockets`` server that only
fans out, no storage, no screening.

Run as ``python -m bench.fanout_ceiling --port P`` (its own process, so it does
not share the load generator's event loop). Every connection is a client; it
is greeted with ``{"type":"ready","seq":0}`` as Raati's live endpoint does
after the backlog. A ``{"type":"post",...}`` message from any connection is
turned into an event shaped like Raati's ``post_published`` (encoded once) and
handed to ``websockets.broadcast`` for every connection, then acknowledged to
the sender, so the bytes on the wire and the client's work match Raati's.
"""

from __future__ import annotations

import argparse
import contextlib
import html
import json
import sys
import time
from datetime import UTC, datetime
from typing import Any

CLIENTS: set[Any] = set()
_seq = 0


def _event(body: str, question_id: object) -> str:
    global _seq
    _seq += 1
    now = time.time()
    post = {"id": _seq, "question_id": question_id, "parent_id": None, "author": "Rohkea kettu",
            "body_html": f"<p>{html.escape(body)}</p>", "support_count": 0,
            "status": "published",
            "created_at": datetime.fromtimestamp(now, UTC).isoformat(timespec="seconds")}
    return json.dumps({"type": "event", "seq": _seq, "kind": "post_published",
                       "audience": "public", "ts": round(now, 4), "data": {"post": post}},
                      ensure_ascii=False, separators=(",", ":"))


async def handler(ws: Any) -> None:
    from websockets.asyncio.server import broadcast

    CLIENTS.add(ws)
    try:
        await ws.send(json.dumps({"type": "ready", "seq": _seq}))
        async for raw in ws:
            try:
                msg = json.loads(raw)
            except (TypeError, ValueError):
                continue
            if not isinstance(msg, dict) or msg.get("type") != "post":
                continue
            broadcast(CLIENTS, _event(str(msg.get("body", "")), msg.get("question_id")))
            await ws.send(json.dumps({"type": "ack", "request_id": msg.get("request_id"),
                                      "status": "published"}))
    finally:
        CLIENTS.discard(ws)


async def serve(port: int, compression: str | None) -> None:
    import asyncio

    from websockets.asyncio.server import serve as ws_serve

    async with ws_serve(handler, "127.0.0.1", port, compression=compression,
                        ping_interval=None, max_size=64 * 1024, backlog=2048):
        print("listening", flush=True)
        await asyncio.get_running_loop().create_future()


def main(argv: list[str] | None = None) -> int:
    import signal

    import uvloop

    from bench.fanout_clients import raise_nofile

    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--compression", choices=["deflate", "none"], default="deflate")
    args = p.parse_args(argv)
    raise_nofile(20000)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    with contextlib.suppress(KeyboardInterrupt):
        uvloop.run(serve(args.port, None if args.compression == "none" else args.compression))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
