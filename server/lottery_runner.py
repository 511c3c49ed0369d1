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

import asyncio
import contextlib
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


_COMMAND = (sys.executable, "-m", "server.lottery_runner")


def _child_env() -> dict[str, str]:
    return {**os.environ, "PYTHONHASHSEED": "0"}


def _answer(returncode: int | None, stdout: str, stderr: str) -> dict[str, Any]:
    if returncode != 0:
        raise LotteryFailed(f"panel draw failed: {stderr[-2000:]}")
    result: dict[str, Any] = json.loads(stdout.strip().splitlines()[-1])
    return result


def solve_in_child(payload: dict[str, Any]) -> dict[str, Any]:
    """:func:`deliberation.digiraati.lottery.solve` in a fresh interpreter with
    ``PYTHONHASHSEED=0``. Blocks: call it from a worker thread."""
    try:
        done = subprocess.run(
            _COMMAND, input=json.dumps(payload), capture_output=True, text=True,
            env=_child_env(), cwd=_ROOT, timeout=CHILD_TIMEOUT_SECONDS, check=False)
    except subprocess.TimeoutExpired as exc:
        raise LotteryFailed(f"panel draw took over {CHILD_TIMEOUT_SECONDS} s") from exc
    return _answer(done.returncode, done.stdout, done.stderr)


async def solve_in_child_async(payload: dict[str, Any]) -> dict[str, Any]:
    """:func:`solve_in_child` awaited on the event loop (the child does the work,
    no thread waits for it). Cancelling kills the child."""
    proc = await asyncio.create_subprocess_exec(
        *_COMMAND, stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE, env=_child_env(), cwd=_ROOT)
    try:
        out, err = await asyncio.wait_for(proc.communicate(json.dumps(payload).encode()),
                                          CHILD_TIMEOUT_SECONDS)
    except TimeoutError as exc:
        raise LotteryFailed(f"panel draw took over {CHILD_TIMEOUT_SECONDS} s") from exc
    finally:
        if proc.returncode is None:  # cancelled or out of time
            with contextlib.suppress(ProcessLookupError):
                proc.kill()
            await asyncio.shield(proc.wait())
    return _answer(proc.returncode, out.decode(), err.decode())


def main() -> None:
    print(json.dumps(solve(json.loads(sys.stdin.read()))))


if __name__ == "__main__":
    main()
