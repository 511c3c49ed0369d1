"""The panel in the database: pool, draw, replacement, final panel, contacts."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from sqlalchemy.engine import Engine

from deliberation.digiraati.invitations import do_invite_panel
from deliberation.digiraati.lottery import solve
from deliberation.digiraati.models import Volunteer
from deliberation.digiraati.panels import (
    DRAW_STALE_AFTER,
    do_delete_contacts,
    do_draw_panel,
    do_finalise_panel,
    do_finish_draw,
    do_keep_draw_alive,
    do_load_volunteers,
    do_replace_decliner,
    do_start_draw,
    facilitator_view,
    panel_composition,
    volunteers_of,
)
from deliberation.errors import DomainError
from deliberation.models import utcnow
from tests.deliberation.digiraati.factories import QUOTAS, VOLUNTEERS_CSV, make_digiraati
from tests.factories import session


def test_draw_is_reproducible_and_announced_with_its_seed(engine: Engine) -> None:
    with session(engine) as db:
        d = make_digiraati(db)
        do_load_volunteers(db, d=d, csv_text=VOLUNTEERS_CSV, quotas_text=QUOTAS)
        event = do_draw_panel(db, d=d, seed=99, solve=solve)
        first = [v.row_number for v in volunteers_of(db, d) if v.status == "selected"]
        do_draw_panel(db, d=d, seed=99, solve=solve)
        again = [v.row_number for v in volunteers_of(db, d) if v.status == "selected"]
        db.commit()
        assert first == again and len(first) == 6
        assert event.kind == "panel_drawn" and event.data["seed"] == 99
        assert "h0@example.fi" not in json.dumps(event.data)
        assert all(row.within for row in panel_composition(db, d))
        view = facilitator_view(db, d)
        assert view["seed"] == 99
        assert sum(v["probability"] for v in view["volunteers"]) == pytest.approx(6, abs=1e-3)


def test_a_decliner_is_replaced_and_the_quotas_still_hold(engine: Engine) -> None:
    with session(engine) as db:
        d = make_digiraati(db)
        # Everyone twice: each panellist has a twin left in the pool.
        twice = VOLUNTEERS_CSV + "\n" + "\n".join(VOLUNTEERS_CSV.splitlines()[1:])
        do_load_volunteers(db, d=d, csv_text=twice, quotas_text=QUOTAS)
        do_draw_panel(db, d=d, seed=5, solve=solve)
        everyone = volunteers_of(db, d)
        pool = [json.loads(v.categories) for v in everyone if v.status == "pool"]

        def has_twin(v: Volunteer) -> bool:
            cats = json.loads(v.categories)
            return cats in pool

        gone = next(v for v in everyone if v.status == "selected" and has_twin(v))
        out = do_replace_decliner(db, d=d, volunteer_id=gone.id, solve=solve)
        db.commit()
        assert out.declined.status == "declined" and out.replacement.status == "replacement"
        assert all(row.within for row in panel_composition(db, d))
        with pytest.raises(DomainError) as err:
            do_replace_decliner(db, d=d, volunteer_id=gone.id, solve=solve)
        assert err.value.code == "volunteer_not_on_panel"


def test_no_fitting_replacement_is_said_plainly(engine: Engine) -> None:
    with session(engine) as db:
        # One seat for the young; the only other volunteer is old.
        d = make_digiraati(db, panel_size=1)
        do_load_volunteers(db, d=d, csv_text="ikä,puhelin\nnuori,1\nvanha,2",
                           quotas_text="ikä,nuori,1,1\nikä,vanha,0,0")
        do_draw_panel(db, d=d, seed=5, solve=solve)
        db.commit()
        gone = next(v for v in volunteers_of(db, d) if v.status == "selected")
        with pytest.raises(DomainError) as err:
            do_replace_decliner(db, d=d, volunteer_id=gone.id, solve=solve)
        assert err.value.code == "panel_no_replacement"
        db.rollback()
        assert db.get(Volunteer, gone.id).status == "selected"  # type: ignore[union-attr]


def test_final_panel_forgets_contacts_and_refuses_redraws(engine: Engine) -> None:
    with session(engine) as db:
        d = make_digiraati(db)
        do_load_volunteers(db, d=d, csv_text=VOLUNTEERS_CSV, quotas_text=QUOTAS)
        with pytest.raises(DomainError) as err:
            do_finalise_panel(db, d=d)
        assert err.value.code == "panel_not_drawn"
        do_draw_panel(db, d=d, seed=3, solve=solve)
        events = do_finalise_panel(db, d=d)
        db.commit()
        assert [e.kind for e in events] == ["panel_contacts_deleted", "panel_final"]
        assert all(v.contact is None for v in volunteers_of(db, d))
        assert all(json.loads(v.categories) for v in volunteers_of(db, d))
        for call in (lambda: do_draw_panel(db, d=d, seed=4, solve=solve),
                     lambda: do_load_volunteers(db, d=d, csv_text=VOLUNTEERS_CSV,
                                                quotas_text=QUOTAS)):
            with pytest.raises(DomainError) as err:
                call()
            assert err.value.code == "panel_final"
        assert do_delete_contacts(db, d=d) is None  # already gone: nothing to announce


def test_no_redraw_after_invitations_went_out(engine: Engine) -> None:
    with session(engine) as db:
        d = make_digiraati(db)
        do_load_volunteers(db, d=d, csv_text=VOLUNTEERS_CSV, quotas_text=QUOTAS)
        do_draw_panel(db, d=d, seed=3, solve=solve)
        do_invite_panel(db, d=d)
        with pytest.raises(DomainError) as err:
            do_draw_panel(db, d=d, seed=4, solve=solve)
        assert err.value.code == "panel_already_invited"


@pytest.mark.parametrize(("seed", "code"), [(0, "seed_invalid"), (2**31, "seed_invalid")])
def test_bad_seed_is_refused(engine: Engine, seed: int, code: str) -> None:
    with session(engine) as db:
        d = make_digiraati(db)
        do_load_volunteers(db, d=d, csv_text=VOLUNTEERS_CSV, quotas_text=QUOTAS)
        with pytest.raises(DomainError) as err:
            do_draw_panel(db, d=d, seed=seed, solve=solve)
        assert err.value.code == code


def test_more_seats_than_volunteers_is_a_clear_error(engine: Engine) -> None:
    with session(engine) as db:
        d = make_digiraati(db, panel_size=20)
        quotas = "sukupuoli,nainen,0,20\nsukupuoli,mies,0,20"
        do_load_volunteers(db, d=d, csv_text=VOLUNTEERS_CSV, quotas_text=quotas)
        with pytest.raises(DomainError) as err:
            do_draw_panel(db, d=d, seed=1, solve=solve)
        assert (err.value.code, err.value.params) == (
            "panel_too_few_volunteers", {"seats": 20, "volunteers": 12})


def test_a_background_draw_runs_until_finished_and_refuses_a_second(engine: Engine) -> None:
    with session(engine) as db:
        d = make_digiraati(db)
        do_load_volunteers(db, d=d, csv_text=VOLUNTEERS_CSV, quotas_text=QUOTAS)
        plan = do_start_draw(db, d=d, seed=99)
        view = facilitator_view(db, d)
        assert view["draw_running"] and view["draw_running_seed"] == 99 and not view["drawn"]
        for second in (lambda: do_start_draw(db, d=d, seed=5),
                       lambda: do_draw_panel(db, d=d, seed=5, solve=solve),
                       lambda: do_load_volunteers(db, d=d, csv_text=VOLUNTEERS_CSV,
                                                  quotas_text=QUOTAS)):
            with pytest.raises(DomainError) as err:
                second()
            assert err.value.code == "panel_draw_running"
        event = do_finish_draw(db, d=d, plan=plan, result=solve(plan.payload))
        assert event is not None and event.kind == "panel_drawn" and event.data["seed"] == 99
        view = facilitator_view(db, d)
        assert view["drawn"] and view["seed"] == 99 and not view["draw_running"]
        assert view["draw_failure"] is None
        # The same seed drawn at once gives the same panel.
        background = [v.row_number for v in volunteers_of(db, d) if v.status == "selected"]
        do_draw_panel(db, d=d, seed=99, solve=solve)
        assert background == [v.row_number for v in volunteers_of(db, d)
                              if v.status == "selected"]


def test_a_failed_background_draw_names_the_category_and_changes_nothing(
        engine: Engine) -> None:
    # An all-women panel with four from Keskus: only three women live there.
    quotas = "sukupuoli,nainen,6,6\nsukupuoli,mies,0,0\nkunta,Keskus,4,6\nkunta,Reuna,0,2"
    with session(engine) as db:
        d = make_digiraati(db)
        do_load_volunteers(db, d=d, csv_text=VOLUNTEERS_CSV, quotas_text=quotas)
        plan = do_start_draw(db, d=d, seed=3)
        assert do_finish_draw(db, d=d, plan=plan, result=solve(plan.payload)) is None
        view = facilitator_view(db, d)
        assert not view["drawn"] and not view["draw_running"]
        code, params = view["draw_failure"]
        assert code == "panel_quotas_infeasible" and params["category"] == "sukupuoli"
        assert all(v["status"] == "pool" for v in view["volunteers"])
        # The solver itself failing is said too; a new draw may start.
        plan = do_start_draw(db, d=d, seed=4)
        assert facilitator_view(db, d)["draw_failure"] is None
        do_finish_draw(db, d=d, plan=plan, result=None)
        assert facilitator_view(db, d)["draw_failure"] == ("panel_draw_failed", {})


def test_a_draw_whose_server_went_silent_is_interrupted_not_running_forever(
        engine: Engine) -> None:
    with session(engine) as db:
        d = make_digiraati(db)
        do_load_volunteers(db, d=d, csv_text=VOLUNTEERS_CSV, quotas_text=QUOTAS)
        started = utcnow()
        plan = do_start_draw(db, d=d, seed=7, now=started)
        # Heard from lately: still running.
        later = started + DRAW_STALE_AFTER
        assert do_keep_draw_alive(db, d=d, seed=7, now=later)
        assert facilitator_view(db, d, now=later + DRAW_STALE_AFTER / 2)["draw_running"]
        # The server restarted: nobody says the draw is alive any more.
        silent = later + DRAW_STALE_AFTER + timedelta(seconds=1)
        view = facilitator_view(db, d, now=silent)
        assert not view["draw_running"]
        assert view["draw_failure"] == ("panel_draw_interrupted", {})
        # A new draw may start; the lost one, if it ever answers, changes nothing.
        new = do_start_draw(db, d=d, seed=8, now=silent)
        assert do_finish_draw(db, d=d, plan=plan, result=solve(plan.payload)) is None
        assert not do_keep_draw_alive(db, d=d, seed=7)
        assert do_finish_draw(db, d=d, plan=new, result=solve(new.payload)) is not None
        assert facilitator_view(db, d)["seed"] == 8
