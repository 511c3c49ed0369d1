"""Geometry of the theme report's SVG charts (the template draws them; every
chart also has a data table as its text alternative)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

BAR_HEIGHT = 26
BAR_GAP = 10
LABEL_WIDTH = 260
CHART_WIDTH = 640


@dataclass(frozen=True)
class Bar:
    label: str
    value: int
    x: float
    y: float
    width: float


def size_bars(themes: list[dict[str, Any]]) -> tuple[list[Bar], int]:
    """Horizontal bars, one per theme, longest = the largest theme."""
    biggest = max((t["size"] for t in themes), default=0) or 1
    room = CHART_WIDTH - LABEL_WIDTH - 60
    bars = [
        Bar(t["label"], t["size"], LABEL_WIDTH, i * (BAR_HEIGHT + BAR_GAP),
            max(2.0, room * t["size"] / biggest))
        for i, t in enumerate(themes)
    ]
    return bars, len(themes) * (BAR_HEIGHT + BAR_GAP)


def timeline_columns(report: dict[str, Any], height: int = 160) -> tuple[list[Bar], int]:
    """Posts per time bucket over all themes, as columns."""
    buckets: list[str] = report.get("buckets", [])
    totals = {b: 0 for b in buckets}
    for theme in [*report["themes"], report["other"]]:
        for point in theme["growth"]:
            totals[point["bucket"]] = totals.get(point["bucket"], 0) + point["count"]
    biggest = max(totals.values(), default=0) or 1
    step = CHART_WIDTH / max(1, len(buckets))
    columns = [
        Bar(b, totals[b], i * step + step * 0.15, height - height * totals[b] / biggest,
            step * 0.7)
        for i, b in enumerate(buckets)
    ]
    return columns, height
