"""The processes and databases the fan-out benchmark starts, and their clean-up.

Everything started goes through :class:`Stack`, which stops it (SIGTERM, then
SIGKILL after a bounded wait) and drops the PostgreSQL databases it created,
also on Ctrl-C or an error. Only 127.0.0.1 is ever contacted.
"""

from __future__ import annotations

import os
import secrets
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parent.parent
DEMO_SLUG = "tulevaisuuden-kotihoito"
PG_ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/test"
# Fresh databases all number their first session 1, and Redis pub/sub channels are
# global (not per database number): a test run sharing this Redis would publish on
# raati:session:1 too. Starting our ids high keeps the benchmark's channel its own.
_PG_FIRST_SESSION_ID = 900_000_000


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far (0.0 once it is gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def log(msg: str) -> None:
    print(f"[fanout] {msg}", file=sys.stderr, flush=True)


@dataclass
class Stack:
    tmp: Path
    procs: list[subprocess.Popen[bytes]] = field(default_factory=list)
    pg_dbs: list[str] = field(default_factory=list)

    # -- databases -------------------------------------------------------------

    def fresh_database(self, kind: str, name: str) -> str:
        if kind == "sqlite":
            return f"sqlite:///{self.tmp / (name + '.sqlite3')}"
        import psycopg

        db = f"raati_bench_{os.getpid()}_{secrets.token_hex(3)}_{name}"
        with psycopg.connect(PG_ADMIN_URL, autocommit=True, connect_timeout=5) as conn:
            conn.execute(f'CREATE DATABASE "{db}"')
        self.pg_dbs.append(db)
        return f"{PG_ADMIN_URL.rsplit('/', 1)[0]}/{db}"

    def seed(self, database_url: str, env: dict[str, str]) -> None:
        """Migrate and seed the demo session (through the real ``raati`` command)."""
        self._cli(["migrate"], database_url, env)
        if database_url.startswith("postgresql") and any(
                database_url.endswith(db) for db in self.pg_dbs):
            import psycopg

            with psycopg.connect(database_url, autocommit=True, connect_timeout=5) as conn:
                conn.execute(f"ALTER SEQUENCE deliberation_id_seq RESTART WITH "
                             f"{_PG_FIRST_SESSION_ID + secrets.randbelow(10_000_000)}")
        self._cli(["seed-demo", "--empty"], database_url, env)

    def _cli(self, cmd: list[str], database_url: str, env: dict[str, str]) -> None:
        out = subprocess.run(
            [sys.executable, "-m", "server.cli", "--database-url", database_url, *cmd],
            cwd=ROOT, env=env, capture_output=True, timeout=180, check=False)
        if out.returncode != 0:
            raise RuntimeError(f"raati {cmd[0]} failed: {out.stderr.decode()[-2000:]}")

    # -- servers ---------------------------------------------------------------

    def start_raati(self, port: int, env: dict[str, str], name: str) -> subprocess.Popen[bytes]:
        log_path = self.tmp / f"{name}.log"
        with log_path.open("ab") as out:
            proc = subprocess.Popen(
                [sys.executable, "-m", "server.cli", "serve", "--port", str(port)],
                cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
        self.procs.append(proc)
        self._wait_http(proc, f"http://127.0.0.1:{port}/healthz", log_path)
        return proc

    def start_ceiling(self, port: int, compression: str) -> subprocess.Popen[bytes]:
        log_path = self.tmp / "ceiling.log"
        with log_path.open("ab") as out:
            proc = subprocess.Popen(
                [sys.executable, "-m", "bench.fanout_ceiling", "--port", str(port),
                 "--compression", compression],
                cwd=ROOT, env=bench_env(), stdout=out, stderr=subprocess.STDOUT)
        self.procs.append(proc)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                raise RuntimeError(f"ceiling server exited: {log_path.read_text()[-2000:]}")
            with socket.socket() as s:
                if s.connect_ex(("127.0.0.1", port)) == 0:
                    return proc
            time.sleep(0.1)
        raise RuntimeError("ceiling server did not start")

    def _wait_http(self, proc: subprocess.Popen[bytes], url: str, log_path: Path) -> None:
        deadline = time.monotonic() + 90
        with httpx.Client(trust_env=False, timeout=1) as http:
            while time.monotonic() < deadline:
                if proc.poll() is not None:
                    raise RuntimeError(f"server exited: {log_path.read_text()[-3000:]}")
                try:
                    if http.get(url).status_code == 200:
                        return
                except httpx.HTTPError:
                    pass
                time.sleep(0.1)
        raise RuntimeError(f"server did not start: {log_path.read_text()[-3000:]}")

    def stop(self, proc: subprocess.Popen[bytes]) -> None:
        if proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(15)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(5)
        if proc in self.procs:
            self.procs.remove(proc)

    def close(self) -> None:
        for proc in list(self.procs):
            try:
                self.stop(proc)
            except Exception as exc:
                log(f"could not stop pid {proc.pid}: {exc}")
        if self.pg_dbs:
            import psycopg

            try:
                with psycopg.connect(PG_ADMIN_URL, autocommit=True, connect_timeout=5) as conn:
                    for db in self.pg_dbs:
                        conn.execute(f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE)')
            except Exception as exc:
                log(f"could not drop databases {self.pg_dbs}: {exc}")
            self.pg_dbs.clear()


def bench_env(extra: dict[str, Any] | None = None) -> dict[str, str]:
    """The environment for subprocesses: no proxies, nothing of ours leaking in."""
    env = {k: v for k, v in os.environ.items()
           if k.lower() not in ("http_proxy", "https_proxy", "all_proxy")
           and k not in ("DATABASE_URL", "REDIS_URL")}
    env["PYTHONUNBUFFERED"] = "1"
    env["NO_PROXY"] = "127.0.0.1"
    env.update({k: str(v) for k, v in (extra or {}).items()})
    return env


def raati_env(tmp: Path, database_url: str, redis_url: str | None,
              detect_names: bool) -> dict[str, str]:
    extra: dict[str, Any] = {
        "DATABASE_URL": database_url,
        "RAATI_VAR_DIR": str(tmp / "var"),
        "SECRET_KEY": "fanout-benchmark-secret-key",
        "RAATI_DETECT_NAMES": "1" if detect_names else "0",
        # The benchmark's few posters would otherwise hit the per-resident limit.
        "RAATI_POSTS_PER_MINUTE": "1000000",
        "RAATI_SESSION_POSTS_PER_MINUTE": "1000000",
        # It measures fan-out, not admission: posters join without proof-of-work,
        # and one process takes every client (its default cap is 2000).
        "RAATI_POW_COST": "0",
        "RAATI_MAX_CONNECTIONS": "20000",
    }
    if redis_url:
        extra["REDIS_URL"] = redis_url
    return bench_env(extra)
