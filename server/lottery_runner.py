"""Runs the panel lottery (``deliberation.digiraati.lottery.solve``) in a child
interpreter whose hash seed is fixed.

The library's answer depends on Python's per-process hash order, so the same
published seed draws the same panel only when every draw runs with the same
``PYTHONHASHSEED``. Input and output are JSON on stdin and stdout
(``python -m server.lottery_runner``). Starting a process is I/O, which is why
this lives in the server and the domain receives :func:`solve_in_child` as its
``Solver``.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from deliberation.digiraati.lottery import solve

_ROOT = Path(__file__).resolve().parents[1]
# Minutes for a very large pool on a slow machine; a hung solver must still end.
CHILD_TIMEOUT_SECONDS = 900


class LotteryFailed(RuntimeError):
    """The child interpreter crashed, was killed or ran out of time."""


def solve_in_child(payload: dict[str, Any]) -> dict[str, Any]:
    """:func:`deliberation.digiraati.lottery.solve` in a fresh interpreter with
    ``PYTHONHASHSEED=0``. Blocks: call it from a worker thread."""
    env = {**os.environ, "PYTHONHASHSEED": "0"}
    try:
        done = subprocess.run(
            [sys.executable, "-m", "server.lottery_runner"], input=json.dumps(payload),
            capture_output=True, text=True, env=env, cwd=_ROOT, timeout=CHILD_TIMEOUT_SECONDS,
            check=False)
    except subprocess.TimeoutExpired as exc:
        raise LotteryFailed(f"panel draw took over {CHILD_TIMEOUT_SECONDS} s") from exc
    if done.returncode != 0:
        raise LotteryFailed(f"panel draw failed: {done.stderr[-2000:]}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def main() -> None:
    print(json.dumps(solve(json.loads(sys.stdin.read()))))


if __name__ == "__main__":
    main()
