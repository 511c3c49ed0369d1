"""The one place that calls the Sortition Foundation's ``sortition-algorithms``:
the distribution over panels (maximin; LEXIMIN where Gurobi is installed) and
the lottery that picks one panel from it, seeded.

It runs in a child interpreter with a fixed hash seed (:func:`solve_in_child`):
the library keeps panels and people in sets, whose order Python randomises per
process, and its linear programs have many optimal answers, so the same seed
would otherwise draw different panels after a restart. Input and output are
JSON on stdin and stdout (``python -m deliberation.digiraati.lottery``).
"""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

# LEXIMIN needs the commercial Gurobi solver; without it the library uses maximin.
LEXIMIN_AVAILABLE = importlib.util.find_spec("gurobipy") is not None
_ROOT = Path(__file__).resolve().parents[2]
CHILD_TIMEOUT_SECONDS = 900


def algorithm_available() -> str:
    return "leximin" if LEXIMIN_AVAILABLE else "maximin"


def solve(payload: dict[str, Any]) -> dict[str, Any]:
    """``payload``: quotas {category: {value: [min, max]}}, people [[id, {category:
    value}]], size, seed, algorithm. Returns committees (lists of ids) with their
    probabilities and the chosen committee, or an error with the library's
    suggested quota changes."""
    from sortition_algorithms.committee_generation import (
        find_distribution_leximin,
        find_distribution_maximin,
        standardize_distribution,
    )
    from sortition_algorithms.core import lottery_rounding
    from sortition_algorithms.errors import InfeasibleQuotasError, SortitionBaseError
    from sortition_algorithms.features import FeatureValueMinMax
    from sortition_algorithms.people import People
    from sortition_algorithms.utils import set_log_level, set_random_provider

    set_log_level(40)  # errors only: progress goes nowhere
    fc: Any = {c: {v: FeatureValueMinMax(min=lo, max=hi, max_flex=max(hi, 1) * 2)
                   for v, (lo, hi) in vals.items()} for c, vals in payload["quotas"].items()}
    people = People(columns_to_keep=[])
    for number, (key, categories) in enumerate(payload["people"], start=1):
        people.add(str(key), dict(categories), fc, number)
    find = (find_distribution_leximin if payload["algorithm"] == "leximin"
            else find_distribution_maximin)
    set_random_provider(payload["seed"])
    try:
        committees, probs, _report = find(fc, people, payload["size"], [])
        committees, probs = standardize_distribution(committees, probs)
        chosen = lottery_rounding(committees, probs, 1)[0]
    except InfeasibleQuotasError as exc:
        return {"error": {"detail": str(exc), "changes": _relaxations(payload["quotas"],
                                                                      exc.features)}}
    except SortitionBaseError as exc:
        return {"error": {"detail": str(exc), "changes": []}}
    return {"committees": [sorted(int(k) for k in c) for c in committees],
            "probabilities": list(probs), "chosen": sorted(int(k) for k in chosen)}


def _relaxations(quotas: dict[str, dict[str, list[int]]], relaxed: Any) -> list[dict[str, Any]]:
    """The library's suggested changes as data: which category's value, which
    bound, from what to what (the first names the category to fix)."""
    changes: list[dict[str, Any]] = []
    for category, values in quotas.items():
        for value, (lo, hi) in values.items():
            new = relaxed.get(category, {}).get(value)
            if new is None:
                continue
            for bound, old, now in (("min", lo, new.min), ("max", hi, new.max)):
                if old != now:
                    changes.append({"category": category, "value": value, "bound": bound,
                                    "from": old, "to": now})
    return changes


def solve_in_child(payload: dict[str, Any]) -> dict[str, Any]:
    """:func:`solve` in a fresh interpreter whose hash seed is fixed."""
    env = {**os.environ, "PYTHONHASHSEED": "0"}
    done = subprocess.run(
        [sys.executable, "-m", "deliberation.digiraati.lottery"], input=json.dumps(payload),
        capture_output=True, text=True, env=env, cwd=_ROOT, timeout=CHILD_TIMEOUT_SECONDS,
        check=False)
    if done.returncode != 0:
        raise RuntimeError(f"panel draw failed: {done.stderr[-2000:]}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def main() -> None:
    print(json.dumps(solve(json.loads(sys.stdin.read()))))


if __name__ == "__main__":
    main()
