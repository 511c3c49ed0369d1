"""The schedule ticker: a phase whose time has come opens with one event, a
closed digiraati loses its contacts, whichever process ticks."""

from __future__ import annotations

from datetime import timedelta

from starlette.testclient import TestClient

from deliberation.digiraati.panels import do_load_volunteers, volunteers_of
from deliberation.digiraati.phases import DigiraatiForm, do_create_digiraati
from deliberation.events import events_after
from deliberation.models import Deliberation, utcnow
from server import db
from server.digiraati_schedule import tick
from server.settings import Settings
from tests.deliberation.digiraati.factories import QUOTAS, VOLUNTEERS_CSV


def test_tick_opens_scheduled_phases_once_and_forgets_contacts_after_closing(
        app_client: TestClient, settings: Settings) -> None:
    engine = db.make_engine(settings.database_url)
    now = utcnow()
    with db.session(engine) as s:
        d = do_create_digiraati(s, form=DigiraatiForm(
            title="Aikataulun raati", slug="", introduction="", background="",
            questions=("Mitä?",), panel_size=6, opens_at=now - timedelta(days=2),
            closes_at=now - timedelta(minutes=1),
            schedule={"orientation": (now - timedelta(hours=1), None)}))
        do_load_volunteers(s, d=d, csv_text=VOLUNTEERS_CSV, quotas_text=QUOTAS)
        s.commit()
    st = app_client.app.state.raati  # type: ignore[attr-defined]
    app_client.portal.call(tick, st)
    app_client.portal.call(tick, st)
    with db.session(engine) as s:
        assert d.id is not None
        kinds = [e.kind for e in events_after(s, deliberation_id=d.id, after=0)]
        assert kinds.count("phase_open") == 1 and "panel_contacts_deleted" in kinds
        fresh = s.get(Deliberation, d.id)
        assert fresh is not None
        assert all(v.contact is None for v in volunteers_of(s, fresh))
    engine.dispose()
