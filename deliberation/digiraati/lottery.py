"""The one place that calls the Sortition Foundation's ``sortition-algorithms``:
the distribution over panels (maximin; LEXIMIN where Gurobi is installed) and
the lottery that picks one panel from it, seeded.

:func:`solve` is a pure computation from JSON-like data to JSON-like data. Its
answer depends on the interpreter's hash order (the library keeps panels and
people in sets, and its linear programs have many optimal answers), so the
server runs it in a child interpreter with a fixed hash seed
(``server/lottery_runner.py``): that is what makes a published seed draw the
same panel after a restart. The domain never starts that process itself; it
takes the runner as a :data:`Solver`.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Callable
from typing import Any

# LEXIMIN needs the commercial Gurobi solver; without it the library uses maximin.
LEXIMIN_AVAILABLE = importlib.util.find_spec("gurobipy") is not None

# The library's input (see :func:`solve`) -> its answer. The server's runner solves
# in a child interpreter; domain tests may pass :func:`solve` itself.
Solver = Callable[[dict[str, Any]], dict[str, Any]]


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
