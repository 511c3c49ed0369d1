"""The lottery's child interpreter: the published seed draws the same panel
whatever the hash order of the process that asks for it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_same_seed_draws_same_panel_in_any_process() -> None:
    """Python randomises set order per process; the draw must not depend on it."""
    script = ("import json; from deliberation.digiraati.selection import *; "
              "from server.lottery_runner import solve_in_child; "
              "from tests.deliberation.digiraati.factories import QUOTAS, VOLUNTEERS_CSV; "
              "q = parse_quotas(QUOTAS, panel_size=6); "
              "d = draw(parse_volunteers(VOLUNTEERS_CSV, q), q, 6, seed=31337, "
              "solve=solve_in_child); "
              "print(json.dumps([d.selected, sorted(d.probabilities.items())]))")
    outputs = {
        subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True,
                       check=True, env={**os.environ, "PYTHONHASHSEED": str(h)},
                       ).stdout.strip().splitlines()[-1]
        for h in (1, 2, 3)}
    assert len(outputs) == 1
    assert len(json.loads(outputs.pop())[0]) == 6
