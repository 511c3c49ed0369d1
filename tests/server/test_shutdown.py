"""Shutdown lets go of every database connection: work still running in a
worker thread for a task that was cancelled (a live listener leaving, the
/readyz probe given up on) finishes before the engine is disposed, so its
connection is closed rather than left to the garbage collector."""

from __future__ import annotations

import asyncio
import threading
from typing import Any

import pytest
from sqlalchemy import event
from sqlmodel import Session

from server.app import create_app, shutdown
from server.settings import Settings

pytestmark = pytest.mark.anyio


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


async def test_connection_of_cancelled_database_work_is_closed_at_shutdown(
        settings: Settings) -> None:
    st = create_app(settings).state.raati
    closed: list[Any] = []
    event.listen(st.engine, "close", lambda dbapi_conn, _rec: closed.append(dbapi_conn))
    holding, release = threading.Event(), threading.Event()
    held: list[Any] = []

    def slow(db: Session) -> None:
        held.append(db.connection().connection.dbapi_connection)
        holding.set()
        release.wait(10)

    reader = asyncio.create_task(st.read(slow))
    assert await asyncio.to_thread(holding.wait, 10)
    reader.cancel()
    closing = asyncio.create_task(shutdown(st))
    await asyncio.sleep(0.1)  # let shutdown get as far as it goes without the thread
    release.set()
    await closing
    assert held and held[0] in closed
