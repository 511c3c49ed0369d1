"""One person is not a crowd, over HTTP: reading writes nothing, minting a
resident costs a proof-of-work, and new identities per client are limited."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

import httpx
import pytest
from sqlalchemy import func
from sqlmodel import select
from starlette.testclient import TestClient

from deliberation.models import Participant
from server import db
from server.app import create_app
from server.pow import solve
from server.settings import Settings
from tests.conftest import REDIS_URL, free_port


def _participants(settings: Settings, deliberation_id: int | None) -> int:
    engine = db.make_engine(settings.database_url)
    try:
        with db.session(engine) as s:
            return int(s.exec(select(func.count()).select_from(Participant)
                              .where(Participant.deliberation_id == deliberation_id)).one())
    finally:
        engine.dispose()


def test_reading_writes_no_participant(app_client: TestClient, settings: Settings,
                                       make_deliberation) -> None:  # type: ignore[no-untyped-def]
    d = make_deliberation()
    for path in (f"/s/{d.slug}", f"/api/s/{d.slug}", f"/api/s/{d.slug}/posts",
                 f"/api/s/{d.slug}/events?after=0"):
        assert app_client.get(path).status_code == 200
        assert app_client.head(f"/s/{d.slug}").status_code in (200, 405)
    assert _participants(settings, d.id) == 0


@pytest.fixture
def guarded(settings: Settings) -> Iterator[tuple[TestClient, Settings]]:
    strict = replace(settings, pow_cost=1, joins_per_client=2)
    with TestClient(create_app(strict), client=("198.51.100.7", 40000)) as client:
        yield client, strict


def _first_post(client: TestClient, slug: str, **extra: object) -> object:
    client.cookies.clear()
    info = client.get(f"/api/s/{slug}").json()
    return client.post(f"/api/s/{slug}/posts", headers={"X-CSRF-Token": info["csrf_token"]},
                       json={"question_id": info["session"]["questions"][0]["id"],
                             "body": "Kotihoitoon lisää aikaa.", **extra})


def test_first_action_needs_the_proof_of_work(guarded: tuple[TestClient, Settings],
                                              make_deliberation) -> None:  # type: ignore[no-untyped-def]
    client, settings = guarded
    d = make_deliberation()
    r = _first_post(client, d.slug)
    assert r.status_code == 403 and r.json()["error"]["code"] == "pow_required"  # type: ignore[attr-defined]
    assert "JavaScript" in r.json()["error"]["message"]  # type: ignore[attr-defined]
    payload = solve(client.get("/api/pow/challenge").json())
    r = _first_post(client, d.slug, altcha=payload)
    assert r.status_code == 201, r.text  # type: ignore[attr-defined]
    # The same solution cannot mint a second identity.
    r = _first_post(client, d.slug, altcha=payload)
    assert r.json()["error"]["code"] == "pow_required"  # type: ignore[attr-defined]
    assert _participants(settings, d.id) == 1


def test_new_identities_per_client_are_limited(guarded: tuple[TestClient, Settings],
                                               make_deliberation) -> None:  # type: ignore[no-untyped-def]
    client, _ = guarded
    d = make_deliberation()
    codes = []
    for _ in range(3):
        payload = solve(client.get("/api/pow/challenge").json())
        r = _first_post(client, d.slug, altcha=payload)
        codes.append(r.status_code)  # type: ignore[attr-defined]
    assert codes == [201, 201, 429]
    assert "minuutin" in r.json()["error"]["message"]  # type: ignore[attr-defined]
    # Another client is not affected.
    other = TestClient(client.app, client=("203.0.113.9", 40000))
    payload = solve(other.get("/api/pow/challenge").json())
    assert _first_post(other, d.slug, altcha=payload).status_code == 201  # type: ignore[attr-defined]


def test_challenge_sets_no_cookie_and_is_not_cached(guarded: tuple[TestClient, Settings]) -> None:
    client, _ = guarded
    client.cookies.clear()
    r = client.get("/api/pow/challenge")
    assert r.status_code == 200 and "set-cookie" not in r.headers
    assert r.headers["cache-control"] == "no-store"
    assert r.json()["parameters"]["algorithm"] == "PBKDF2/SHA-256"


def test_a_solution_spent_in_one_process_is_refused_by_another(
        settings: Settings, make_deliberation) -> None:  # type: ignore[no-untyped-def]
    # Two apps sharing the database and Redis, as two server processes do.
    shared = replace(settings, pow_cost=1, redis_url=REDIS_URL)
    d = make_deliberation()
    with TestClient(create_app(shared), client=("198.51.100.8", 40000)) as here, \
            TestClient(create_app(shared), client=("198.51.100.9", 40000)) as there:
        payload = solve(here.get("/api/pow/challenge").json())
        assert _first_post(here, d.slug, altcha=payload).status_code == 201  # type: ignore[attr-defined]
        r = _first_post(there, d.slug, altcha=payload)
        assert r.status_code == 403  # type: ignore[attr-defined]
        assert r.json()["error"]["code"] == "pow_required"  # type: ignore[attr-defined]
        # A fresh solution still works in the other process.
        fresh = solve(there.get("/api/pow/challenge").json())
        assert _first_post(there, d.slug, altcha=fresh).status_code == 201  # type: ignore[attr-defined]
    assert _participants(settings, d.id) == 2


def test_without_redis_a_solution_is_spent_once_in_memory(
        guarded: tuple[TestClient, Settings], make_deliberation) -> None:  # type: ignore[no-untyped-def]
    client, settings = guarded
    assert settings.redis_url is None
    d = make_deliberation()
    payload = solve(client.get("/api/pow/challenge").json())
    assert _first_post(client, d.slug, altcha=payload).status_code == 201  # type: ignore[attr-defined]
    r = _first_post(client, d.slug, altcha=payload)
    assert r.json()["error"]["code"] == "pow_required"  # type: ignore[attr-defined]


def test_redis_away_refuses_the_solution_with_a_clear_error(
        settings: Settings, make_deliberation) -> None:  # type: ignore[no-untyped-def]
    away = replace(settings, pow_cost=1, redis_url=f"redis://127.0.0.1:{free_port()}/0")
    d = make_deliberation()
    with TestClient(create_app(away)) as client:
        payload = solve(client.get("/api/pow/challenge").json())
        r = _first_post(client, d.slug, altcha=payload)
        assert r.status_code == 503  # type: ignore[attr-defined]
        error = r.json()["error"]  # type: ignore[attr-defined]
        assert error["code"] == "pow_unavailable"
        assert "hetken" in error["message"]  # Finnish: "try again in a moment"
    assert _participants(settings, d.id) == 0


@pytest.mark.postgres
def test_two_server_processes_refuse_a_solution_spent_in_the_other(
        server_factory, postgres_url: str) -> None:  # type: ignore[no-untyped-def]
    from tests.factories import make_session

    engine = db.make_engine(postgres_url)
    with db.session(engine) as s:
        d = make_session(s)
    engine.dispose()
    env = {"RAATI_POW_COST": "1"}
    a = server_factory(postgres_url, redis_url=REDIS_URL, env=env)
    b = server_factory(postgres_url, redis_url=REDIS_URL, env=env)

    def first_post(base: str, payload: str) -> httpx.Response:
        with httpx.Client(base_url=base) as client:
            info = client.get(f"/api/s/{d.slug}").json()
            return client.post(f"/api/s/{d.slug}/posts", headers={"X-CSRF-Token": info["csrf_token"]},
                               json={"question_id": info["session"]["questions"][0]["id"],
                                     "body": "Kotihoitoon lisää aikaa.", "altcha": payload})

    payload = solve(httpx.get(f"{a.url}/api/pow/challenge").json())
    assert first_post(a.url, payload).status_code == 201
    r = first_post(b.url, payload)
    assert r.status_code == 403 and r.json()["error"]["code"] == "pow_required"
    assert first_post(a.url, payload).json()["error"]["code"] == "pow_required"
