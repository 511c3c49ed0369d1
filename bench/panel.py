"""Panel selection benchmark: draw 40 panellists from 5,000 synthetic
volunteers in 4 categories with sortition-algorithms, as a facilitator would.

    python -m bench.panel
    python -m bench.panel --volunteers 5000 --seats 40 --seed 2026

The volunteers follow a county-like mix (age group, gender, municipality,
mother tongue); the quotas are each value's share of the pool, give or take
one seat. The last stdout line is one JSON object: ``seconds`` (the draw),
``max_quota_deviation`` (seats outside a quota's bounds, worst value: 0 means
every quota met) and ``max_target_deviation`` (seats from each value's
proportional target, worst value), plus the chances the algorithm gave.
"""

from __future__ import annotations

import argparse
import json
import random
import time

from deliberation.digiraati.selection import (
    Quota,
    Quotas,
    VolunteerRow,
    composition,
    draw,
    largest_deviation,
)
from server.lottery_runner import solve_in_child

CATEGORIES: dict[str, dict[str, float]] = {
    "ikäryhmä": {"18-34": 0.22, "35-54": 0.30, "55-74": 0.32, "75+": 0.16},
    "sukupuoli": {"nainen": 0.52, "mies": 0.46, "muu": 0.02},
    "kunta": {"Keskuskaupunki": 0.45, "Pohjoinen": 0.2, "Etelä": 0.15, "Itä": 0.1,
              "Länsi": 0.1},
    "äidinkieli": {"suomi": 0.86, "ruotsi": 0.05, "muu": 0.09},
}


def volunteers(n: int, rng: random.Random) -> list[VolunteerRow]:
    return [VolunteerRow(i + 1, {c: rng.choices(list(v), list(v.values()))[0]
                                 for c, v in CATEGORIES.items()}, {})
            for i in range(n)]


def quotas_for(rows: list[VolunteerRow], seats: int) -> tuple[Quotas, dict[tuple[str, str], float]]:
    """Each value's pool share of the seats, one seat either way."""
    quotas: Quotas = {}
    targets: dict[tuple[str, str], float] = {}
    for category, values in CATEGORIES.items():
        quotas[category] = {}
        for value in values:
            share = sum(1 for r in rows if r.categories[category] == value) / len(rows)
            target = share * seats
            targets[(category, value)] = target
            quotas[category][value] = Quota(max(0, int(target) - 1), int(target) + 2)
    return quotas, targets


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--volunteers", type=int, default=5000)
    parser.add_argument("--seats", type=int, default=40)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    rows = volunteers(args.volunteers, random.Random(args.seed))
    quotas, targets = quotas_for(rows, args.seats)
    started = time.perf_counter()
    result = draw(rows, quotas, args.seats, seed=args.seed, solve=solve_in_child)
    seconds = time.perf_counter() - started
    chosen = set(result.selected)
    table = composition([r.categories for r in rows if r.row_number in chosen], quotas)
    chances = list(result.probabilities.values())
    print(json.dumps({
        "volunteers": len(rows), "seats": len(chosen), "categories": len(quotas),
        "algorithm": result.algorithm, "seed": result.seed, "seconds": round(seconds, 2),
        "max_quota_deviation": largest_deviation(table),
        "max_target_deviation": round(max(abs(r.count - targets[(r.category, r.value)])
                                          for r in table), 2),
        "min_probability": round(min(chances), 5), "max_probability": round(max(chances), 5),
    }))


if __name__ == "__main__":
    main()
