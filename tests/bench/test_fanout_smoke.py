"""Smoke test of the fan-out benchmark: a tiny run end to end (real server,
real ceiling server, client subprocesses) prints its JSON summary and loses
nothing. No timing assertions: the figures are for people, not for pytest."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
REQUIRED = {"clients", "posts", "deliveries", "lost", "p50_ms", "p99_ms",
            "ceiling_p50_ms", "ceiling_p99_ms", "ratio_p99"}


def test_small_fanout_run_delivers_every_post_to_every_client() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "bench.fanout", "--clients", "5", "--rate", "2", "--duration", "2"],
        cwd=ROOT, capture_output=True, text=True, timeout=240, check=False)
    assert out.returncode == 0, out.stderr[-3000:]
    summary = json.loads(out.stdout.strip().splitlines()[-1])
    assert summary.keys() >= REQUIRED
    assert summary["clients"] == 5
    assert summary["posts"] == 4
    assert summary["lost"] == 0
    assert summary["deliveries"] == 5 * 4
