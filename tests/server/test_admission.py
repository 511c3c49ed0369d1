"""One person is not a crowd, over HTTP: reading writes nothing, minting a
resident costs a proof-of-work, and new identities per client are limited."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

import pytest
from sqlalchemy import func
from sqlmodel import select
from starlette.testclient import TestClient

from deliberation.models import Participant
from server import db
from server.app import create_app
from server.pow import solve
from server.settings import Settings


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
