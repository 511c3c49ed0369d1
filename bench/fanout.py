"""Fan-out benchmark: how fast one post reaches N live clients of one session,
against the ceiling of a bare ``websockets`` broadcast server.

    python -m bench.fanout --clients 1000 --rate 10 --duration 20
    python -m bench.fanout --clients 1000 --rate 10 --duration 20 \\
        --workers 2 --redis redis://127.0.0.1:6379/0

Each run starts the real server (``python -m server.cli serve``) on a free port
with a fresh database seeded with the demo session, spreads N websocket clients
over client subprocesses (``bench/fanout_clients.py``), posts R posts a second
for D seconds as residents over their own websockets (``bench/fanout_poster.py``)
and measures, for every (post, client) pair, the time from the poster's send to
the client's receipt of the matching ``post_published`` event. The ceiling run
does the same against ``bench/fanout_ceiling.py``. ``--workers 2`` adds a
cross-process run: two servers on two ports sharing one PostgreSQL database and
Redis, the clients split over both, the posters on the first.

Progress goes to stderr; the last stdout line is one JSON object.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import multiprocessing
import os
import secrets
import signal
import string
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from bench.fanout_clients import raise_nofile, worker_main
from bench.fanout_poster import post_for
from bench.fanout_procs import DEMO_SLUG, Stack, cpu_seconds, free_port, log, raati_env


@dataclass
class Target:
    """Where one run points its clients and posters."""

    name: str
    http_bases: list[str]
    raati: bool
    pids: list[int]

    @property
    def live_urls(self) -> list[str]:
        path = f"/s/{DEMO_SLUG}/live" if self.raati else "/live"
        return [b.replace("http://", "ws://") + path for b in self.http_bases]


def percentile(sorted_values: list[float], p: float) -> float | None:
    if not sorted_values:
        return None
    rank = max(1, math.ceil(p / 100.0 * len(sorted_values)))
    return round(sorted_values[rank - 1], 1)


def _spawn_workers(args: argparse.Namespace, target: Target) -> list[tuple[Any, Any]]:
    ctx = multiprocessing.get_context("spawn")
    n_urls = len(target.live_urls)
    procs = max(1, min(args.client_procs, args.clients))
    life = args.connect_timeout + args.duration + args.drain + 120
    workers = []
    for w in range(procs):
        assignment = [j % n_urls for j in range(w, args.clients, procs)]
        parent, child = ctx.Pipe()
        proc = ctx.Process(target=worker_main, daemon=True, name=f"fanout-clients-{w}",
                           args=(child, target.live_urls, assignment, _compression(args),
                                 args.connect_timeout, life))
        proc.start()
        child.close()
        workers.append((proc, parent))
    return workers


def _compression(args: argparse.Namespace) -> str | None:
    return None if args.compression == "none" else args.compression


def _expect(workers: list[tuple[Any, Any]], kind: str, timeout: float) -> list[dict[str, Any]]:
    replies = []
    deadline = time.monotonic() + timeout
    for proc, conn in workers:
        while not conn.poll(0.2):
            if not proc.is_alive() or time.monotonic() > deadline:
                raise RuntimeError(f"client process {proc.name} gave no {kind!r} in time")
        msg = conn.recv()
        if msg[0] != kind:
            raise RuntimeError(f"client process {proc.name} said {msg[0]!r}, expected {kind!r}")
        replies.append(msg[1])
    return replies


def _stop_workers(workers: list[tuple[Any, Any]]) -> None:
    for proc, conn in workers:
        proc.join(10)
        if proc.is_alive():
            proc.terminate()
            proc.join(5)
        conn.close()


def measure(args: argparse.Namespace, target: Target,
            profile_out: Path | None = None) -> dict[str, Any]:
    """One run against a started target: connect, post, drain, collect."""
    workers = _spawn_workers(args, target)
    spy = None
    try:
        t0 = time.monotonic()
        ready = _expect(workers, "ready", args.connect_timeout + 60)
        n_ready = sum(r["ready"] for r in ready)
        connect_s = time.monotonic() - t0
        failed = sum(r["failed"] for r in ready)
        log(f"{target.name}: {n_ready}/{args.clients} clients ready in "
            f"{time.monotonic() - t0:.1f}s" + (f"; first failure: {ready[0]['error'] or ''}"
                                               if failed else ""))
        if n_ready == 0:
            raise RuntimeError(f"{target.name}: no client could connect")
        if profile_out is not None:
            spy = _profile(target.pids[0], profile_out, args.duration)
        cpu0 = {pid: cpu_seconds(pid) for pid in target.pids + [p.pid for p, _ in workers]}
        wall0 = time.monotonic()
        load = os.getloadavg()[0]
        run_id = "".join(secrets.choice(string.ascii_lowercase) for _ in range(2))
        outcome = asyncio.run(post_for(
            target.http_bases[0], target.live_urls[0], raati=target.raati,
            compression=_compression(args), rate=args.rate, duration=args.duration,
            run_id=run_id, ack_wait=args.drain))
        published = outcome.published
        not_published: dict[str, int] = {}
        for status in outcome.status.values():
            if status != "published":
                not_published[status] = not_published.get(status, 0) + 1
        log(f"{target.name}: {len(published)}/{len(outcome.sends)} posts published"
            + (f", others: {not_published}" if not_published else "") + "; draining")
        for _, conn in workers:
            conn.send(("finish", {"sends": published, "drain": args.drain}))
        results = _expect(workers, "results", args.drain + 120)
        # CPU seconds over posting and draining: what each process needed for the
        # deliveries, which stays meaningful when others' work slows the clock.
        cpu = {pid: cpu_seconds(pid) - c for pid, c in cpu0.items()}
        cpu_wall = time.monotonic() - wall0
    finally:
        _stop_workers(workers)
        if spy is not None:
            try:
                spy.wait(30)  # it stops by itself after the posting time
            except subprocess.TimeoutExpired:
                spy.kill()
                spy.wait()
    summary = _summarise(args, target, published, outcome, results, not_published)
    server_cpu = sum(cpu[p] for p in target.pids)
    summary["server_cpu_pct"] = [round(100 * cpu[p] / cpu_wall) for p in target.pids]
    summary["client_cpu_pct"] = [round(100 * v / cpu_wall) for p, v in cpu.items()
                                 if p not in target.pids]
    summary["server_cpu_us_per_delivery"] = (round(1e6 * server_cpu / summary["deliveries"], 1)
                                             if summary["deliveries"] else None)
    client_cpu = sum(v for p, v in cpu.items() if p not in target.pids)
    summary["client_cpu_us_per_delivery"] = (round(1e6 * client_cpu / summary["deliveries"], 1)
                                             if summary["deliveries"] else None)
    summary["connect_s"] = round(connect_s, 1)  # all clients connected and past the backlog
    summary["loadavg_1m"] = round(load, 2)  # others' work on the machine skews the figures
    log(f"{target.name}: {json.dumps(summary)}")
    return summary


def _summarise(args: argparse.Namespace, target: Target, published: dict[str, float],
               outcome: Any, results: list[dict[str, Any]],
               not_published: dict[str, int]) -> dict[str, Any]:
    n_urls = len(target.live_urls)
    by_url: list[list[float]] = [[] for _ in range(n_urls)]
    lost = 0
    closes: dict[str, int] = {}
    for r in results:
        for i in range(n_urls):
            by_url[i].extend(r["delays"][i])
        lost += sum(r["lost"])
        for code, n in r["closes"].items():
            closes[code] = closes.get(code, 0) + n
    every = sorted(d for delays in by_url for d in delays)
    acks = sorted(outcome.ack_ms)
    summary = {
        "posts": len(published), "deliveries": len(every), "lost": lost,
        "p50_ms": percentile(every, 50), "p99_ms": percentile(every, 99),
        "max_ms": round(every[-1], 1) if every else None,
        "duplicates": sum(r["duplicates"] for r in results),
        "connect_failures": sum(r["failed"] for r in results),
        "closes": closes, "not_published": not_published,
        "ack_p50_ms": percentile(acks, 50), "ack_p99_ms": percentile(acks, 99),
    }
    if n_urls > 1:
        for i, delays in enumerate(by_url):
            summary[f"p99_ms_via_{i}"] = percentile(sorted(delays), 99)
    return summary


def run_raati(args: argparse.Namespace, stack: Stack, db_kind: str, servers: int) -> dict[str, Any]:
    name = "raati" if servers == 1 else f"raati-x{servers}"
    url = args.database_url or stack.fresh_database(db_kind, name.replace("-", "_"))
    redis_url = args.redis if servers > 1 else None
    env = raati_env(stack.tmp, url, redis_url, detect_names=args.names == "on")
    log(f"{name}: database {url.split('://')[0]}, redis {'yes' if redis_url else 'no'}; seeding")
    stack.seed(url, env)
    procs = []
    bases = []
    for i in range(servers):
        port = free_port()
        procs.append(stack.start_raati(port, env, f"{name}-{i}"))
        bases.append(f"http://127.0.0.1:{port}")
    log(f"{name}: server pids {[p.pid for p in procs]} on {bases}")
    try:
        profile_out = Path(args.profile) / f"{name}.txt" if args.profile else None
        return measure(args, Target(name, bases, True, [p.pid for p in procs]), profile_out)
    finally:
        for p in procs:
            stack.stop(p)


def run_ceiling(args: argparse.Namespace, stack: Stack) -> dict[str, Any]:
    port = free_port()
    proc = stack.start_ceiling(port, args.compression)
    log(f"ceiling: bare websockets broadcast server pid {proc.pid} on port {port}")
    try:
        return measure(args, Target("ceiling", [f"http://127.0.0.1:{port}"], False, [proc.pid]))
    finally:
        stack.stop(proc)


def _profile(pid: int, out: Path, duration: float) -> subprocess.Popen[bytes]:
    """py-spy records the server while the run posts (starts now, stops by itself)."""
    import shutil

    py_spy = shutil.which("py-spy") or str(Path(sys.executable).parent / "py-spy")
    out.parent.mkdir(parents=True, exist_ok=True)
    seconds = max(1, int(duration))
    proc = subprocess.Popen([py_spy, "record", "--pid", str(pid), "--duration", str(seconds),
                      "--rate", "100", "--format", "raw", "--nonblocking", "-o", str(out)],
                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    log(f"py-spy recording pid {pid} for {seconds}s into {out}")
    return proc


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m bench.fanout", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--clients", type=int, default=100, help="websocket clients (default 100)")
    p.add_argument("--rate", type=float, default=5.0, help="posts per second (default 5)")
    p.add_argument("--duration", type=float, default=10.0, help="seconds of posting (default 10)")
    p.add_argument("--drain", type=float, default=15.0,
                   help="seconds to wait for late deliveries after posting stops (default 15)")
    p.add_argument("--workers", type=int, default=1, choices=[1, 2],
                   help="2 adds a cross-process run (two servers, Redis)")
    p.add_argument("--redis", default="redis://127.0.0.1:6379/0", help="Redis URL for --workers 2")
    p.add_argument("--database-url", help="use this database instead of a fresh one per run "
                   "(default: fresh SQLite; fresh PostgreSQL with --workers 2)")
    p.add_argument("--client-procs", type=int, default=2, help="client subprocesses (default 2)")
    p.add_argument("--compression", choices=["deflate", "none"], default="deflate",
                   help="what clients offer, as browsers do (default deflate)")
    p.add_argument("--names", choices=["on", "off"], default="on",
                   help="person-name detection in screening, RAATI_DETECT_NAMES "
                   "(default on, as in the product; off for comparison)")
    p.add_argument("--connect-timeout", type=float, default=120.0)
    p.add_argument("--no-ceiling", action="store_true", help="skip the ceiling run")
    p.add_argument("--profile", metavar="DIR", help="py-spy record the (first) server of each "
                   "Raati run while it posts into DIR/<run>.txt (collapsed stacks; "
                   "needs `pip install py-spy`)")
    args = p.parse_args(argv)
    if min(args.clients, args.rate, args.duration) <= 0:
        p.error("--clients, --rate and --duration must be positive")
    for url in (args.redis, args.database_url):
        if url and not url.startswith("sqlite") and urlsplit(url).hostname != "127.0.0.1":
            p.error(f"{url}: the benchmark only talks to 127.0.0.1")
    return args


def _ratio(a: float | None, b: float | None) -> float | None:
    return round(a / b, 2) if a is not None and b else None


def _interrupt(_signum: int, _frame: object) -> None:
    raise KeyboardInterrupt


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    raise_nofile(args.clients + 512)
    signal.signal(signal.SIGTERM, _interrupt)
    db_kind = "postgresql" if args.workers > 1 else "sqlite"
    with tempfile.TemporaryDirectory(prefix="raati-fanout-") as tmp:
        stack = Stack(Path(tmp))
        try:
            single = run_raati(args, stack, db_kind, servers=1)
            ceiling = None if args.no_ceiling else run_ceiling(args, stack)
            cross = run_raati(args, stack, db_kind, servers=2) if args.workers > 1 else None
        except KeyboardInterrupt:
            log("interrupted; cleaning up")
            return 130
        finally:
            stack.close()
    c: dict[str, Any] = ceiling or {}
    out: dict[str, Any] = {
        "clients": args.clients, "rate": args.rate, "duration": args.duration,
        "posts": single["posts"], "deliveries": single["deliveries"], "lost": single["lost"],
        "p50_ms": single["p50_ms"], "p99_ms": single["p99_ms"], "max_ms": single["max_ms"],
        "ceiling_p50_ms": c.get("p50_ms"),
        "ceiling_p99_ms": c.get("p99_ms"),
        "ratio_p99": _ratio(single["p99_ms"], c.get("p99_ms")),
        "ceiling_lost": c.get("lost"),
        "database": (args.database_url or db_kind).split(":")[0],
        "detect_names": args.names == "on", "compression": args.compression,
        "server_cpu_pct": single["server_cpu_pct"],
        "ceiling_cpu_pct": c.get("server_cpu_pct"),
        "server_cpu_us_per_delivery": single["server_cpu_us_per_delivery"],
        "ceiling_cpu_us_per_delivery": c.get("server_cpu_us_per_delivery"),
        "closes": single["closes"], "not_published": single["not_published"],
        "connect_s": single["connect_s"], "ceiling_connect_s": c.get("connect_s"),
        "loadavg_1m": single["loadavg_1m"], "ceiling_loadavg_1m": c.get("loadavg_1m"),
    }
    if cross is not None:
        out.update({
            "cross_p50_ms": cross["p50_ms"], "cross_p99_ms": cross["p99_ms"],
            "cross_overhead_p99_ms": (round(cross["p99_ms"] - single["p99_ms"], 1)
                                      if cross["p99_ms"] is not None and single["p99_ms"]
                                      is not None else None),
            "cross_lost": cross["lost"], "cross_deliveries": cross["deliveries"],
            "cross_p99_ms_local": cross.get("p99_ms_via_0"),
            "cross_p99_ms_remote": cross.get("p99_ms_via_1"),
            "cross_server_cpu_pct": cross["server_cpu_pct"],
            "cross_server_cpu_us_per_delivery": cross["server_cpu_us_per_delivery"],
        })
    print(json.dumps(out), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
