"""Running domain work in simultaneous transactions, for tests of races."""

from __future__ import annotations

import threading
from collections.abc import Callable

from sqlalchemy.engine import Engine
from sqlmodel import Session

from deliberation.errors import DomainError
from tests.factories import session


def at_once(engine: Engine, n: int, work: Callable[[Session, int], object]) -> list[object]:
    """``work(db, i)`` in ``n`` threads released together, each in its own
    transaction; returns each result, or the code of the DomainError it raised."""
    barrier = threading.Barrier(n)
    results: list[object] = [None] * n

    def run(i: int) -> None:
        barrier.wait()
        for _ in range(100):
            try:
                with session(engine) as db:
                    results[i] = work(db, i)
                    db.commit()
                    return
            except DomainError as exc:
                results[i] = exc.code
                return
            except Exception as exc:
                # Retried like the unit of work does (a lost SQLite write race), or
                # a PostgreSQL shared with other test runs that is briefly full.
                if "locked" not in str(exc) and "too many clients" not in str(exc):
                    results[i] = exc
                    return
        results[i] = "gave up"

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results
