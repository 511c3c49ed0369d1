"""Drawing a panel: the recruitment CSV and the quotas in, the Sortition
Foundation's ``sortition-algorithms`` does the lottery (deliberation/digiraati/
lottery.py, run by the caller's ``Solver``: the server's runs it in a child
interpreter). No database, no processes.

The library's maximin algorithm is the default; LEXIMIN runs only where its
solver (Gurobi) is installed. The same seed, pool and quotas give the same
panel, in any process, on any day: the published seed lets anyone check it.
"""

from __future__ import annotations

import csv
import io
import math
import random
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from deliberation.digiraati.lottery import Solver, algorithm_available
from deliberation.errors import DomainError

MAX_VOLUNTEERS = 20_000
MAX_CATEGORIES = 10
MAX_CSV_CHARS = 5_000_000


@dataclass(frozen=True)
class Quota:
    min: int
    max: int


# {"category": {"value": Quota}}
Quotas = dict[str, dict[str, Quota]]


@dataclass(frozen=True)
class VolunteerRow:
    row_number: int  # 1 is the first data row (the header is row 0)
    categories: dict[str, str]
    contact: dict[str, str]


@dataclass(frozen=True)
class Draw:
    selected: tuple[int, ...]  # row numbers
    probabilities: dict[int, float]  # row number -> chance under the distribution
    algorithm: str
    seed: int


_QUOTA_LINE = re.compile(
    r"^\s*(?P<cat>[^,;]+?)\s*[,;]\s*(?P<val>[^,;]+?)\s*[,;]\s*"
    r"(?:(?P<share>\d{1,3}(?:[.,]\d+)?)\s*%|(?P<min>\d+)\s*[,;]\s*(?P<max>\d+))\s*$"
)


def parse_quotas(text: str, *, panel_size: int) -> Quotas:
    """Quota lines ``category, value, min, max`` or ``category, value, share %``.
    A share becomes the seats around it (rounded down and up)."""
    quotas: Quotas = {}
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        m = _QUOTA_LINE.match(line)
        if m is None:
            raise DomainError("quota_line_invalid", line=number)
        if m["share"] is not None:
            share = float(m["share"].replace(",", ".")) / 100 * panel_size
            low, high = math.floor(share), math.ceil(share)
        else:
            low, high = int(m["min"]), int(m["max"])
        if low > high:
            raise DomainError("quota_min_above_max", line=number)
        values = quotas.setdefault(m["cat"], {})
        if m["val"] in values:
            raise DomainError("quota_duplicate", line=number)
        values[m["val"]] = Quota(low, high)
    if not quotas:
        raise DomainError("quotas_required")
    if len(quotas) > MAX_CATEGORIES:
        raise DomainError("too_many_categories", limit=MAX_CATEGORIES)
    return quotas


def quotas_to_json(quotas: Quotas) -> dict[str, dict[str, dict[str, int]]]:
    return {c: {v: {"min": q.min, "max": q.max} for v, q in vals.items()}
            for c, vals in quotas.items()}


def quotas_from_json(data: Mapping[str, Mapping[str, Mapping[str, int]]]) -> Quotas:
    return {c: {v: Quota(int(q["min"]), int(q["max"])) for v, q in vals.items()}
            for c, vals in data.items()}


def parse_volunteers(text: str, quotas: Quotas) -> list[VolunteerRow]:
    """The CSV's rows: the quota categories, and every other column as contact.
    Refuses a missing category column and a value no quota names."""
    if len(text) > MAX_CSV_CHARS:
        raise DomainError("panel_csv_too_large")
    text = text.lstrip("\ufeff")
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.DictReader(io.StringIO(text), dialect=dialect)
    header = [h.strip() for h in (reader.fieldnames or [])]
    if not header:
        raise DomainError("panel_csv_empty")
    reader.fieldnames = header
    for category in quotas:
        if category not in header:
            raise DomainError("panel_csv_missing_column", category=category)
    rows: list[VolunteerRow] = []
    for number, raw in enumerate(reader, start=1):
        if number > MAX_VOLUNTEERS:
            raise DomainError("panel_csv_too_many", limit=MAX_VOLUNTEERS)
        cats = {c: (raw.get(c) or "").strip() for c in quotas}
        for category, value in cats.items():
            if value not in quotas[category]:
                raise DomainError("panel_csv_unknown_value", category=category,
                                  value=value[:80], row=number)
        contact = {k: (v or "").strip() for k, v in raw.items()
                   if k is not None and k not in quotas}
        rows.append(VolunteerRow(number, cats, contact))
    if not rows:
        raise DomainError("panel_csv_empty")
    return rows


def check_feasible(rows: Sequence[VolunteerRow], quotas: Quotas, size: int) -> None:
    """The plain reasons a draw cannot succeed, each naming its category."""
    if size < 1:
        raise DomainError("panel_size_invalid")
    if size > len(rows):
        raise DomainError("panel_too_few_volunteers", seats=size, volunteers=len(rows))
    for category, values in quotas.items():
        low = sum(q.min for q in values.values())
        high = sum(q.max for q in values.values())
        if not low <= size <= high:
            raise DomainError("panel_quota_sum", category=category, low=low, high=high, seats=size)
        for value, quota in values.items():
            available = sum(1 for r in rows if r.categories[category] == value)
            if available < quota.min:
                raise DomainError("panel_quota_too_few", category=category, value=value,
                                  min=quota.min, available=available)


def _types(rows: Sequence[VolunteerRow], quotas: Quotas) -> dict[tuple[str, ...], list[int]]:
    """Volunteers with the same value in every category are interchangeable for
    the quotas: their "type" -> their row numbers, in CSV order."""
    types: dict[tuple[str, ...], list[int]] = {}
    for r in rows:
        types.setdefault(tuple(r.categories[c] for c in quotas), []).append(r.row_number)
    return types


# Representatives a type gets beyond its share of the seats (see ``draw``).
SLACK_SEATS = 2


def _cap(kind: tuple[str, ...], quotas: Quotas, size: int, share: float) -> int:
    """How many of one type the library sees: no more than a panel can hold of
    it, nor more than its share of the seats plus a slack; at least one (the
    library's advice on impossible quotas needs to see every type)."""
    most = min([size, *(quotas[c][v].max for c, v in zip(quotas, kind, strict=True))])
    return max(1, min(most, math.ceil(share * size) + SLACK_SEATS))


@dataclass(frozen=True)
class DrawPlan:
    """What the library is asked (``payload``, plain JSON data) and what is needed
    to read its answer back; made by :func:`plan_draw`, read by :func:`draw_from`."""

    payload: dict[str, Any]
    types: dict[tuple[str, ...], list[int]]
    type_of: dict[int, tuple[str, ...]]
    seed: int
    algorithm: str


def plan_draw(rows: Sequence[VolunteerRow], quotas: Quotas, size: int, *, seed: int,
              algorithm: str | None = None) -> DrawPlan:
    """Check the plain reasons a draw cannot succeed, then build the library's
    input over *representatives* (see :func:`draw`)."""
    check_feasible(rows, quotas, size)
    algorithm = algorithm or algorithm_available()
    types = _types(rows, quotas)
    reps: list[tuple[int, dict[str, str]]] = []
    type_of: dict[int, tuple[str, ...]] = {}
    for kind, members in types.items():
        for number in members[:_cap(kind, quotas, size, len(members) / len(rows))]:
            reps.append((number, dict(zip(quotas, kind, strict=True))))
            type_of[number] = kind
    payload = {
        "quotas": {c: {v: [q.min, q.max] for v, q in vals.items()} for c, vals in quotas.items()},
        "people": reps, "size": size, "seed": seed, "algorithm": algorithm}
    return DrawPlan(payload, types, type_of, seed, algorithm)


def draw_from(plan: DrawPlan, result: Mapping[str, Any]) -> Draw:
    """The library's answer to ``plan`` as a panel; its refusal as an error that
    names the category to loosen first."""
    if "error" in result:
        changes = result["error"]["changes"]
        raise DomainError("panel_quotas_infeasible", category=changes[0]["category"]
                          if changes else "", changes=changes, detail=result["error"]["detail"])
    committees, probs, chosen = result["committees"], result["probabilities"], result["chosen"]
    types, type_of = plan.types, plan.type_of
    expected: dict[tuple[str, ...], float] = dict.fromkeys(types, 0.0)
    for committee, p in zip(committees, probs, strict=True):
        for key in committee:
            expected[type_of[key]] += p
    seats = Counter(type_of[k] for k in chosen)
    # The type's seats go to that many of its volunteers, uniformly (seeded).
    pick = random.Random(plan.seed)
    selected = sorted(n for kind, k in seats.items() for n in pick.sample(types[kind], k))
    chance = {n: min(1.0, round(expected[kind] / len(members), 6))
              for kind, members in types.items() for n in members}
    return Draw(tuple(selected), chance, plan.algorithm, plan.seed)


def draw(rows: Sequence[VolunteerRow], quotas: Quotas, size: int, *, seed: int,
         solve: Solver, algorithm: str | None = None) -> Draw:
    """A panel of ``size`` meeting the quotas, drawn from the algorithm's
    distribution over panels; reproducible from ``seed`` (a positive int) when
    ``solve`` runs with a fixed hash seed (the server's runner does).

    The library's running time grows with the pool (one integer program per
    volunteer before it starts: minutes for 5,000), so it runs over
    *representatives*. Volunteers alike in every category form a type; the
    library sees of each type as many as its share of the seats plus
    ``SLACK_SEATS`` (never more than the quotas let a panel hold). Where no
    type has more volunteers than that (small pools, such as a county's 40-200
    volunteers spread over many types) this is exactly the library's draw over
    everyone. Otherwise the library decides how many of each type sit on the
    panel, that many of the type's volunteers are drawn uniformly (seeded), and
    each volunteer's chance is their type's expected seats over its size.
    """
    plan = plan_draw(rows, quotas, size, seed=seed, algorithm=algorithm)
    return draw_from(plan, solve(plan.payload))


def replacement_quotas(quotas: Quotas, kept: Sequence[VolunteerRow], seats: int) -> Quotas:
    """What the replacements must bring, given the panellists who stay."""
    out: Quotas = {}
    for category, values in quotas.items():
        out[category] = {}
        for value, q in values.items():
            have = sum(1 for r in kept if r.categories[category] == value)
            out[category][value] = Quota(max(0, q.min - have), max(0, min(q.max - have, seats)))
    return out


@dataclass(frozen=True)
class CompositionRow:
    category: str
    value: str
    count: int
    min: int
    max: int

    @property
    def within(self) -> bool:
        return self.min <= self.count <= self.max


def composition(panel: Sequence[Mapping[str, str]], quotas: Quotas) -> list[CompositionRow]:
    """The panel against its targets, per category and value (categories only)."""
    return [
        CompositionRow(category, value, sum(1 for p in panel if p.get(category) == value),
                       q.min, q.max)
        for category, values in quotas.items() for value, q in values.items()
    ]


def largest_deviation(rows: Sequence[CompositionRow]) -> int:
    """Seats outside a quota's bounds, the worst over all values (0: all met)."""
    return max((max(r.min - r.count, r.count - r.max, 0) for r in rows), default=0)
