"""Growth of themes over time: posts counted per time bucket.

The bucket width follows the span of the data: days for up to a month, ISO
weeks for up to half a year, months beyond. Every theme gets the same,
gap-free list of buckets, so the series line up in a chart.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from datetime import date, datetime, timedelta

__all__ = ["bucket_labels", "growth"]

_DAY_SPAN = timedelta(days=31)
_WEEK_SPAN = timedelta(days=183)


def _bucket(moment: date, width: str) -> str:
    if width == "day":
        return moment.isoformat()
    if width == "week":
        year, week, _ = moment.isocalendar()
        return f"{year}-W{week:02d}"
    return f"{moment.year}-{moment.month:02d}"


def _width(first: date, last: date) -> str:
    span = last - first
    return "day" if span <= _DAY_SPAN else "week" if span <= _WEEK_SPAN else "month"


def bucket_labels(times: Sequence[datetime | None]) -> tuple[list[str | None], list[str]]:
    """Each post's bucket (None without a time) and all buckets in order."""
    days = [t.date() for t in times if t is not None]
    if not days:
        return [None] * len(times), []
    first, last = min(days), max(days)
    width = _width(first, last)
    ordered: list[str] = []
    day = first
    while day <= last:
        label = _bucket(day, width)
        if not ordered or ordered[-1] != label:
            ordered.append(label)
        day += timedelta(days=1)
    return [_bucket(t.date(), width) if t is not None else None for t in times], ordered


def growth(
    rows: Sequence[int], buckets: Sequence[str | None], ordered: Sequence[str]
) -> list[tuple[str, int]]:
    """Counts of ``rows`` per bucket, over all of ``ordered``."""
    counts = Counter(buckets[r] for r in rows if buckets[r] is not None)
    return [(label, counts.get(label, 0)) for label in ordered]
