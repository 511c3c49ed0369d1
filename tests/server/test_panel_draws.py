"""The panel draw in the background, as the facilitator sees it: the form comes
back at once with "drawing…", a second draw meanwhile is refused, and the panel
(or the reason there is none) appears on the same page when the draw is done."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from sqlmodel import select
from starlette.testclient import TestClient

from deliberation.digiraati.models import Digiraati
from deliberation.digiraati.panels import DRAW_STALE_AFTER, do_load_volunteers
from deliberation.models import Deliberation, utcnow
from server import db
from server.lottery_runner import solve_in_child_async
from server.settings import Settings
from tests.deliberation.digiraati.factories import QUOTAS, VOLUNTEERS_CSV, make_digiraati
from tests.server.conftest import csrf_of, login

RUNNING = "Arvonta käynnissä"


def _pool(settings: Settings, quotas: str = QUOTAS) -> Deliberation:
    engine = db.make_engine(settings.database_url)
    with db.session(engine) as s:
        d = make_digiraati(s)
        do_load_volunteers(s, d=d, csv_text=VOLUNTEERS_CSV, quotas_text=quotas)
        s.commit()
    engine.dispose()
    return d


def _draw(client: TestClient, d: Deliberation, seed: str) -> Any:
    page = client.get(f"/staff/digiraati/{d.id}/panel")
    return client.post(f"/staff/digiraati/{d.id}/panel/draw",
                       data={"csrf": csrf_of(page.text), "seed": seed}, follow_redirects=False)


def _running(client: TestClient, d: Deliberation) -> bool:
    r = client.get(f"/staff/digiraati/{d.id}/panel/draw/status")
    assert r.status_code == 200
    return bool(r.json()["running"])


def _wait_until_done(client: TestClient, d: Deliberation) -> str:
    """What the page's script does: ask until the draw is no longer running."""
    while _running(client, d):
        time.sleep(0.1)
    return client.get(f"/staff/digiraati/{d.id}/panel").text


def test_the_draw_answers_at_once_and_the_panel_appears_when_done(
        app_client: TestClient, settings: Settings, make_staff: Callable[..., str]) -> None:
    d = _pool(settings)
    login(app_client, make_staff("facilitator"))
    # The lottery waits until the test lets it go: the form's answer cannot
    # have waited for the draw.
    gate = threading.Event()

    async def held(payload: dict[str, Any]) -> dict[str, Any]:
        await asyncio.to_thread(gate.wait)
        return await solve_in_child_async(payload)

    app_client.app.state.raati.draws.solve = held  # type: ignore[attr-defined]
    try:
        r = _draw(app_client, d, "4242")
        assert r.status_code == 303
        assert r.headers["location"] == f"/staff/digiraati/{d.id}/panel#draw-status"
        page = app_client.get(f"/staff/digiraati/{d.id}/panel").text
        assert 'role="status"' in page and RUNNING in page and "4242" in page
        assert "/static/js/panel_draw.js" in page and "Päivitä sivu" in page
        assert f'action="/staff/digiraati/{d.id}/panel/draw"' not in page
        assert _running(app_client, d)

        # A second draw while the first runs is refused, saying why.
        r = _draw(app_client, d, "5")
        page = app_client.get(r.headers["location"]).text
        assert "Paneelia arvotaan parhaillaan" in page and RUNNING in page
    finally:
        gate.set()
    page = _wait_until_done(app_client, d)
    assert RUNNING not in page and "/static/js/panel_draw.js" not in page
    assert "4242" in page and "maximin" in page and 'id="composition"' in page


def test_a_failed_draw_names_the_category_on_the_panel_page(
        app_client: TestClient, settings: Settings, make_staff: Callable[..., str]) -> None:
    # An all-women panel with four from Keskus: only three women live there.
    d = _pool(settings, "sukupuoli,nainen,6,6\nsukupuoli,mies,0,0\n"
                        "kunta,Keskus,4,6\nkunta,Reuna,0,2")
    login(app_client, make_staff("facilitator"))
    assert _draw(app_client, d, "3").status_code == 303
    page = _wait_until_done(app_client, d)
    assert "Viimeisin arvonta ei onnistunut" in page and 'role="alert"' in page
    assert "Aloita väljentämällä luokkaa ”sukupuoli”" in page
    assert "sukupuoli ”mies”: enintään 0 → 1" in page
    # The form is there to try again.
    assert f'action="/staff/digiraati/{d.id}/panel/draw"' in page


def test_a_draw_lost_in_a_restart_is_shown_interrupted_and_can_start_again(
        app_client: TestClient, settings: Settings, make_staff: Callable[..., str]) -> None:
    d = _pool(settings)
    engine = db.make_engine(settings.database_url)
    with db.session(engine) as s:  # a draw whose server stopped long ago
        raati = s.exec(select(Digiraati).where(Digiraati.deliberation_id == d.id)).one()
        raati.draw_seed = 77
        raati.draw_alive_at = utcnow() - DRAW_STALE_AFTER - timedelta(seconds=1)
        s.add(raati)
        s.commit()
    engine.dispose()
    login(app_client, make_staff("facilitator"))
    page = app_client.get(f"/staff/digiraati/{d.id}/panel").text
    assert RUNNING not in page and "palvelin käynnistettiin uudelleen" in page
    assert not _running(app_client, d)
    assert _draw(app_client, d, "77").status_code == 303
    page = _wait_until_done(app_client, d)
    assert "77" in page and 'id="composition"' in page and "keskeytyi" not in page
