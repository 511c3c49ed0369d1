"""/healthz, /readyz and /metrics, in-process on the real databases and Redis."""

from __future__ import annotations

from dataclasses import replace

from starlette.testclient import TestClient

from server.app import create_app
from server.settings import Settings
from tests.conftest import REDIS_URL, free_port
from tests.server.conftest import SCRAPER


def test_healthz_and_readyz_answer_ok(app_client: TestClient) -> None:
    assert app_client.get("/healthz").json() == {"status": "ok"}
    ready = app_client.get("/readyz")
    assert ready.status_code == 200
    assert ready.json() == {"status": "ok", "checks": {"database": "ok"}}


def test_readyz_checks_redis_when_configured(settings: Settings) -> None:
    with TestClient(create_app(replace(settings, redis_url=REDIS_URL))) as client:
        assert client.get("/readyz").json()["checks"] == {"database": "ok", "redis": "ok"}


def test_readyz_is_503_with_reasons_when_redis_is_away(settings: Settings) -> None:
    away = f"redis://127.0.0.1:{free_port()}/0"
    with TestClient(create_app(replace(settings, redis_url=away))) as client:
        ready = client.get("/readyz")
        assert ready.status_code == 503
        assert ready.json() == {"status": "unavailable",
                                "checks": {"database": "ok", "redis": "unavailable"}}
        assert client.get("/healthz").status_code == 200  # alive all the same


def test_metrics_lists_what_operators_watch(settings: Settings) -> None:
    app = create_app(settings)
    app.state.raati.metrics.set_queue_length_source(lambda: 7)
    with TestClient(app) as client:
        text = client.get("/metrics", headers=SCRAPER).text
    for name in ("raati_connected_clients", "raati_events_published_total",
                 "raati_events_delivered_total", "raati_fanout_delay_seconds_bucket",
                 "raati_slow_clients_closed_total", "raati_events_filled_from_database_total"):
        assert name in text
    assert "raati_moderation_queue_length 7.0" in text


def test_metrics_count_published_and_delivered_events(app_client: TestClient,
                                                      make_deliberation) -> None:  # type: ignore[no-untyped-def]
    d = make_deliberation()
    info = app_client.get(f"/api/s/{d.slug}").json()
    with app_client.websocket_connect(f"/s/{d.slug}/live") as ws:
        assert ws.receive_json()["type"] == "hello"
        assert ws.receive_json()["type"] == "ready"
        r = app_client.post(f"/api/s/{d.slug}/posts",
                            json={"question_id": info["session"]["questions"][0]["id"],
                                  "body": "Kotihoitoon lisää aikaa."},
                            headers={"X-CSRF-Token": info["csrf_token"]})
        assert r.status_code == 201
        assert ws.receive_json()["type"] == "event"
        text = app_client.get("/metrics", headers=SCRAPER).text
    assert "raati_connected_clients 1.0" in text
    assert "raati_events_published_total 1.0" in text
    assert "raati_events_delivered_total 1.0" in text
