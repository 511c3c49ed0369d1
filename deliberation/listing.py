"""How a long session's ideas are listed: per question, in the order a reader
chose (newest, most supported, most replied-to), the first N with "show more".

Pure functions over the threads of deliberation.posts, so the page, the live
script and tests agree on one order. Ties fall back to newest first, which is
also where a new idea lands in every order: it has no supports or replies yet,
so among its equals it is the newest.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from deliberation.posts import Thread

SORTS = ("newest", "supported", "replied")
DEFAULT_SORT = "newest"
PAGE_SIZE = 5  # a phone screen or two per question; "show more" for the rest
MAX_SHOWN = 1000


def _newest(t: Thread) -> tuple[int, ...]:
    return (-int(t.post["id"]),)


_KEYS: dict[str, Callable[[Thread], tuple[int, ...]]] = {
    "newest": _newest,
    "supported": lambda t: (-int(t.post["support_count"]), *_newest(t)),
    "replied": lambda t: (-len(t.replies), *_newest(t)),
}


def check_sort(value: object) -> str:
    """A sort from a link; anything unknown is the default (a link is not an error)."""
    return value if isinstance(value, str) and value in SORTS else DEFAULT_SORT


def check_shown(value: object) -> int:
    """How many ideas to show, from a "show more" link (bad values: one page)."""
    if isinstance(value, str) and value.isdigit() and len(value) <= 5:
        return max(PAGE_SIZE, min(int(value), MAX_SHOWN))
    return PAGE_SIZE


def sort_threads(threads: Sequence[Thread], sort: str) -> list[Thread]:
    return sorted(threads, key=_KEYS[check_sort(sort)])


@dataclass(frozen=True)
class Listing:
    """The ideas of one question as shown: ``threads`` are the first ``shown``
    of ``total`` in ``sort`` order."""

    sort: str
    threads: list[Thread]
    total: int
    shown: int

    @property
    def more(self) -> int:
        """How many are not shown yet."""
        return max(self.total - len(self.threads), 0)

    @property
    def next_shown(self) -> int:
        return min(self.shown + PAGE_SIZE, MAX_SHOWN)


def listing(threads: Sequence[Thread], *, sort: object = DEFAULT_SORT,
            shown: object = None) -> Listing:
    checked, count = check_sort(sort), check_shown(shown)
    ordered = sort_threads(threads, checked)
    return Listing(checked, ordered[:count], len(ordered), count)
