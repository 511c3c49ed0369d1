"""In-process app fixtures (Starlette's TestClient) on the real databases."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from deliberation.models import Deliberation
from deliberation.staff import do_create_staff
from server import db
from server.app import create_app
from server.auth import hash_password
from server.settings import Settings
from tests.factories import make_session

STAFF_PASSWORD = "oikein-pitkä-salasana"
METRICS_TOKEN = "test-metrics-token"
SCRAPER = {"authorization": f"Bearer {METRICS_TOKEN}"}


@pytest.fixture
def settings(db_url: str, tmp_path: Path) -> Settings:
    # No proof-of-work and a generous identity limit: tests act as many residents
    # from one client. tests/server/test_admission.py turns both on. No digiraati
    # schedule ticker: it would walk every digiraati of the shared test database in
    # the background; tests/server/test_digiraati_schedule.py runs its tick itself.
    return Settings.from_env({}, database_url=db_url, secret_key="test-secret",
                             var_dir=tmp_path / "var", detect_names=False, pow_cost=0,
                             joins_per_client=100_000, metrics_token=METRICS_TOKEN,
                             digiraati_tick_seconds=0)


@pytest.fixture
def app_client(settings: Settings) -> Iterator[TestClient]:
    app = create_app(settings)
    with TestClient(app) as client:
        yield client


@pytest.fixture
def make_deliberation(settings: Settings):  # type: ignore[no-untyped-def]
    engine = db.make_engine(settings.database_url)

    def make(**kw: object) -> Deliberation:
        with db.session(engine) as s:
            return make_session(s, **kw)  # type: ignore[arg-type]

    yield make
    engine.dispose()


@pytest.fixture
def make_staff(settings: Settings):  # type: ignore[no-untyped-def]
    engine = db.make_engine(settings.database_url)
    counter = iter(range(10_000))

    def make(role: str = "admin") -> str:
        import secrets

        name = f"{role}-{next(counter)}-{secrets.token_hex(3)}"
        with db.session(engine) as s:
            do_create_staff(s, username=name, password_hash=hash_password(STAFF_PASSWORD), role=role)
            s.commit()
        return name

    yield make
    engine.dispose()


def csrf_of(html: str) -> str:
    match = re.search(r'name="csrf" value="([^"]+)"', html)
    assert match, "no CSRF token in the page"
    return match.group(1)


def login(client: TestClient, username: str, password: str = STAFF_PASSWORD) -> None:
    page = client.get("/staff/login")
    r = client.post("/staff/login", data={"username": username, "password": password,
                                          "csrf": csrf_of(page.text), "next": "/staff"})
    assert r.status_code == 200 and "/staff/login" not in str(r.url), r.text[:500]
