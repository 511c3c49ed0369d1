"""Ideas per question in the reader's order, the first N with "show more"."""

from __future__ import annotations

import pytest

from deliberation.listing import PAGE_SIZE, check_shown, check_sort, listing, sort_threads
from deliberation.posts import Thread


def _thread(post_id: int, supports: int = 0, replies: int = 0) -> Thread:
    return Thread({"id": post_id, "support_count": supports},
                  [{"id": 1000 + i} for i in range(replies)])


THREADS = [_thread(1, supports=5), _thread(2, replies=3), _thread(3, supports=5, replies=1),
           _thread(4)]


@pytest.mark.parametrize(("sort", "order"), [
    ("newest", [4, 3, 2, 1]),
    ("supported", [3, 1, 4, 2]),
    ("replied", [2, 3, 4, 1]),
    ("nonsense", [4, 3, 2, 1]),
])
def test_orders(sort: str, order: list[int]) -> None:
    assert [t.post["id"] for t in sort_threads(THREADS, sort)] == order


@pytest.mark.parametrize(("raw", "shown"), [
    (None, PAGE_SIZE), ("20", 20), ("2", PAGE_SIZE), ("-5", PAGE_SIZE), ("9" * 9, PAGE_SIZE),
    ("5000", 1000), ("abc", PAGE_SIZE),
])
def test_show_more_values_from_links(raw: object, shown: int) -> None:
    assert check_shown(raw) == shown


def test_first_page_and_how_many_more() -> None:
    many = [_thread(i) for i in range(1, 26)]
    first = listing(many, sort="newest")
    assert [t.post["id"] for t in first.threads][:2] == [25, 24]
    assert (len(first.threads), first.more, first.next_shown) == (
        PAGE_SIZE, 25 - PAGE_SIZE, 2 * PAGE_SIZE)
    second = listing(many, sort="newest", shown=str(first.next_shown))
    assert (len(second.threads), second.more) == (2 * PAGE_SIZE, 25 - 2 * PAGE_SIZE)


def test_sort_names_are_checked() -> None:
    assert check_sort("supported") == "supported"
    assert check_sort(["supported"]) == "newest"
