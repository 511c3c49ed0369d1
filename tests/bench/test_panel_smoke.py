"""Smoke test of the panel benchmark: a small draw prints its JSON line with
every quota met. No timing assertions."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_small_panel_draw_meets_every_quota() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "bench.panel", "--volunteers", "300", "--seats", "12"],
        cwd=ROOT, capture_output=True, text=True, timeout=240, check=False)
    assert out.returncode == 0, out.stderr[-3000:]
    summary = json.loads(out.stdout.strip().splitlines()[-1])
    assert summary["seats"] == 12 and summary["volunteers"] == 300
    assert summary["max_quota_deviation"] == 0
    assert "seconds" in summary
