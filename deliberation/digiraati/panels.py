"""The panel: the volunteers' pool, the draw, replacements, and deleting the
contact columns once the panel is final.

Contacts (``Volunteer.contact``) are for the facilitator's eyes: nothing here
puts them in an event, and :func:`panel_composition` (what may be published)
carries categories only.
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlmodel import Session, col, select

from deliberation.digiraati.lottery import Solver
from deliberation.digiraati.models import Digiraati, Invitation, Volunteer
from deliberation.digiraati.rules import digiraati_of
from deliberation.digiraati.selection import (
    CompositionRow,
    Draw,
    DrawPlan,
    Quotas,
    VolunteerRow,
    composition,
    draw,
    draw_from,
    parse_quotas,
    parse_volunteers,
    plan_draw,
    quotas_from_json,
    quotas_to_json,
    replacement_quotas,
)
from deliberation.errors import DomainError, NotFound, is_id
from deliberation.events import STAFF, EventOut, record_event
from deliberation.models import Deliberation, utcnow

ON_PANEL = ("selected", "replacement")
MAX_SEED = 2**31 - 1
# A background draw whose server process has not been heard from for this long
# was lost (the process stopped): it counts as failed and a new draw may start.
# The running process says it is alive four times within it.
DRAW_STALE_AFTER = timedelta(seconds=60)


def _row(v: Volunteer) -> VolunteerRow:
    return VolunteerRow(v.row_number, json.loads(v.categories), json.loads(v.contact or "{}"))


def volunteers_of(db: Session, d: Deliberation) -> list[Volunteer]:
    return list(db.exec(select(Volunteer).where(Volunteer.deliberation_id == d.id)
                        .order_by(col(Volunteer.row_number))).all())


def quotas_of(db: Session, d: Deliberation) -> Quotas:
    return quotas_from_json(json.loads(digiraati_of(db, d).quotas))


def _check_not_final(db: Session, d: Deliberation) -> None:
    if digiraati_of(db, d).panel_final_at is not None:
        raise DomainError("panel_final")


def _check_nobody_invited(db: Session, d: Deliberation) -> None:
    invited = db.exec(select(Invitation.id).where(
        Invitation.deliberation_id == d.id, col(Invitation.volunteer_id).is_not(None))).first()
    if invited is not None:
        raise DomainError("panel_already_invited")


def do_load_volunteers(db: Session, *, d: Deliberation, csv_text: str,
                       quotas_text: str) -> EventOut:
    """Replace the pool with the CSV's volunteers and set the quotas."""
    _check_not_final(db, d)
    _check_nobody_invited(db, d)
    raati = digiraati_of(db, d)
    _check_no_draw_running(raati, utcnow())
    quotas = parse_quotas(quotas_text, panel_size=raati.panel_size)
    rows = parse_volunteers(csv_text, quotas)
    for old in volunteers_of(db, d):
        db.delete(old)
    db.flush()
    assert d.id is not None
    for r in rows:
        db.add(Volunteer(deliberation_id=d.id, row_number=r.row_number,
                         categories=json.dumps(r.categories, ensure_ascii=False),
                         contact=json.dumps(r.contact, ensure_ascii=False)))
    raati.quotas = json.dumps(quotas_to_json(quotas), ensure_ascii=False)
    raati.seed, raati.algorithm, raati.drawn_at = None, "", None
    raati.draw_seed, raati.draw_alive_at, raati.draw_error = None, None, None
    db.add(raati)
    db.flush()
    return record_event(db, deliberation_id=d.id, kind="panel_pool_loaded",
                        data={"volunteers": len(rows)}, audience=STAFF)


def new_seed() -> int:
    return secrets.randbelow(MAX_SEED) + 1


def draw_running(raati: Digiraati, now: datetime) -> bool:
    """A background draw is running and its process was heard from lately."""
    return (raati.draw_seed is not None and raati.draw_alive_at is not None
            and now - raati.draw_alive_at < DRAW_STALE_AFTER)


def draw_failure(raati: Digiraati, now: datetime) -> tuple[str, dict[str, Any]] | None:
    """Why the last background draw failed (code, params), if it did; a draw
    whose process went silent is "interrupted"."""
    if raati.draw_seed is not None and not draw_running(raati, now):
        return "panel_draw_interrupted", {}
    if raati.draw_error:
        error = json.loads(raati.draw_error)
        return str(error["code"]), dict(error["params"])
    return None


def _check_no_draw_running(raati: Digiraati, now: datetime) -> None:
    if draw_running(raati, now):
        raise DomainError("panel_draw_running")


def _plan(db: Session, d: Deliberation, seed: int | None, now: datetime) -> DrawPlan:
    """Everything that can be checked without the library, and its input."""
    _check_not_final(db, d)
    _check_nobody_invited(db, d)
    if seed is not None and not 1 <= seed <= MAX_SEED:
        raise DomainError("seed_invalid", limit=MAX_SEED)
    raati = digiraati_of(db, d)
    _check_no_draw_running(raati, now)
    volunteers = volunteers_of(db, d)
    if not volunteers:
        raise DomainError("panel_no_volunteers")
    return plan_draw([_row(v) for v in volunteers], quotas_of(db, d), raati.panel_size,
                     seed=seed or new_seed())


def _apply(db: Session, d: Deliberation, result: Draw) -> EventOut:
    raati = digiraati_of(db, d)
    chosen = set(result.selected)
    for v in volunteers_of(db, d):
        v.status = "selected" if v.row_number in chosen else "pool"
        v.probability = result.probabilities.get(v.row_number, 0.0)
        db.add(v)
    raati.seed, raati.algorithm, raati.drawn_at = result.seed, result.algorithm, utcnow()
    raati.draw_seed, raati.draw_alive_at, raati.draw_error = None, None, None
    db.add(raati)
    db.flush()
    assert d.id is not None
    return record_event(db, deliberation_id=d.id, kind="panel_drawn",
                        data={"seed": result.seed, "algorithm": result.algorithm,
                              "size": len(chosen)})


def do_draw_panel(db: Session, *, d: Deliberation, solve: Solver,
                  seed: int | None = None) -> EventOut:
    """Draw the panel from the pool now; the same seed draws the same panel (with
    a ``solve`` of fixed hash order, such as the server's child interpreter)."""
    plan = _plan(db, d, seed, utcnow())
    return _apply(db, d, draw_from(plan, solve(plan.payload)))


def do_start_draw(db: Session, *, d: Deliberation, seed: int | None = None,
                  now: datetime | None = None) -> DrawPlan:
    """Start a draw in the background: refuse at once what can be refused without
    the library, note the draw as running, and return the library's input. The
    caller solves it and calls :func:`do_finish_draw` (and, meanwhile,
    :func:`do_keep_draw_alive`)."""
    now = now or utcnow()
    # Two facilitators (or two server processes) starting at once: the second
    # waits for the first's commit and then sees its draw running. SQLite has
    # no row locks but lets one writer through; the other's retry sees it too.
    raati = db.exec(select(Digiraati).where(Digiraati.deliberation_id == d.id)
                    .with_for_update().execution_options(populate_existing=True)).first()
    if raati is None:
        raise NotFound("digiraati_not_found")
    plan = _plan(db, d, seed, now)
    raati.draw_seed, raati.draw_alive_at, raati.draw_error = plan.seed, now, None
    db.add(raati)
    db.flush()
    return plan


def do_keep_draw_alive(db: Session, *, d: Deliberation, seed: int,
                       now: datetime | None = None) -> bool:
    """The draw of ``seed`` is still being solved; False if it is no longer the
    running one (a new pool was loaded after it went silent)."""
    raati = digiraati_of(db, d)
    if raati.draw_seed != seed:
        return False
    raati.draw_alive_at = now or utcnow()
    db.add(raati)
    return True


def do_finish_draw(db: Session, *, d: Deliberation, plan: DrawPlan,
                   result: Mapping[str, Any] | None) -> EventOut | None:
    """Store the library's answer to a background draw: the panel, or why there is
    none (shown on the panel page). ``result`` None: the solver itself failed.
    A draw that is no longer the running one changes nothing."""
    raati = digiraati_of(db, d)
    if raati.draw_seed != plan.seed:
        return None
    try:
        if result is None:
            raise DomainError("panel_draw_failed")
        _check_not_final(db, d)
        _check_nobody_invited(db, d)
        return _apply(db, d, draw_from(plan, result))
    except DomainError as exc:
        raati.draw_seed, raati.draw_alive_at = None, None
        raati.draw_error = json.dumps({"code": exc.code, "params": exc.params},
                                      ensure_ascii=False)
        db.add(raati)
        db.flush()
        return None


def _volunteer(db: Session, d: Deliberation, volunteer_id: object) -> Volunteer:
    if not is_id(volunteer_id):
        raise NotFound("volunteer_not_found")
    v = db.get(Volunteer, volunteer_id)
    if v is None or v.deliberation_id != d.id:
        raise NotFound("volunteer_not_found")
    return v


@dataclass
class Replacement:
    declined: Volunteer
    replacement: Volunteer
    events: list[EventOut]


def do_replace_decliner(db: Session, *, d: Deliberation, volunteer_id: object,
                        solve: Solver) -> Replacement:
    """A selected volunteer declined: draw one from the pool so that the quotas
    still hold with everyone who stays (seeded from the published seed)."""
    _check_not_final(db, d)
    raati = digiraati_of(db, d)
    _check_no_draw_running(raati, utcnow())
    declined = _volunteer(db, d, volunteer_id)
    if declined.status not in ON_PANEL:
        raise DomainError("volunteer_not_on_panel")
    volunteers = volunteers_of(db, d)
    stays = [_row(v) for v in volunteers if v.status in ON_PANEL and v.id != declined.id]
    pool = [v for v in volunteers if v.status == "pool"]
    if not pool:
        raise DomainError("panel_too_few_volunteers", seats=1, volunteers=0)
    n_declined = sum(1 for v in volunteers if v.status == "declined")
    seed = ((raati.seed or new_seed()) + n_declined + 1) % MAX_SEED + 1
    try:
        result = draw([_row(v) for v in pool], replacement_quotas(quotas_of(db, d), stays, 1),
                      1, seed=seed, solve=solve, algorithm=raati.algorithm or None)
    except DomainError as exc:
        # Nobody left in the pool fits where the decliner was.
        raise DomainError("panel_no_replacement", category=exc.params.get("category", "")
                          ) from exc
    replacement = next(v for v in pool if v.row_number == result.selected[0])
    declined.status, replacement.status = "declined", "replacement"
    db.add(declined)
    db.add(replacement)
    for inv in db.exec(select(Invitation).where(Invitation.volunteer_id == declined.id,
                                                col(Invitation.used_at).is_(None))).all():
        inv.revoked_at = inv.revoked_at or utcnow()
        db.add(inv)
    db.flush()
    assert d.id is not None
    event = record_event(db, deliberation_id=d.id, kind="panel_replacement",
                         data={"declined": declined.row_number,
                               "replacement": replacement.row_number, "seed": seed},
                         audience=STAFF)
    return Replacement(declined, replacement, [event])


def do_delete_contacts(db: Session, *, d: Deliberation,
                       now: datetime | None = None) -> EventOut | None:
    """Forget every volunteer's contact columns; only the categories stay."""
    raati = digiraati_of(db, d)
    if raati.contacts_deleted_at is not None:
        return None
    for v in volunteers_of(db, d):
        v.contact = None
        db.add(v)
    raati.contacts_deleted_at = now or utcnow()
    db.add(raati)
    db.flush()
    assert d.id is not None
    return record_event(db, deliberation_id=d.id, kind="panel_contacts_deleted", data={},
                        audience=STAFF)


def do_finalise_panel(db: Session, *, d: Deliberation) -> list[EventOut]:
    raati = digiraati_of(db, d)
    if raati.drawn_at is None:
        raise DomainError("panel_not_drawn")
    _check_not_final(db, d)
    _check_no_draw_running(raati, utcnow())
    raati.panel_final_at = utcnow()
    db.add(raati)
    events = [e for e in [do_delete_contacts(db, d=d)] if e is not None]
    assert d.id is not None
    events.append(record_event(db, deliberation_id=d.id, kind="panel_final",
                               data={"seed": raati.seed}))
    return events


# --- reading -------------------------------------------------------------------------

def panel_composition(db: Session, d: Deliberation) -> list[CompositionRow]:
    """The panel against its targets: categories only, never contacts."""
    panel = [json.loads(v.categories) for v in volunteers_of(db, d) if v.status in ON_PANEL]
    return composition(panel, quotas_of(db, d))


def facilitator_view(db: Session, d: Deliberation,
                     now: datetime | None = None) -> dict[str, Any]:
    """Everything the facilitator's panel page shows (contains personal data)."""
    raati = digiraati_of(db, d)
    now = now or utcnow()
    volunteers = volunteers_of(db, d)
    quotas = quotas_of(db, d)
    return {
        "seed": raati.seed, "algorithm": raati.algorithm, "drawn": raati.drawn_at is not None,
        "final": raati.panel_final_at is not None,
        "contacts_deleted": raati.contacts_deleted_at is not None,
        "panel_size": raati.panel_size,
        "draw_running": draw_running(raati, now),
        "draw_running_seed": raati.draw_seed if draw_running(raati, now) else None,
        "draw_failure": draw_failure(raati, now),
        "categories": list(quotas),
        "quotas_text": "\n".join(f"{c}, {v}, {q.min}, {q.max}"
                                  for c, vals in quotas.items() for v, q in vals.items()),
        "composition": panel_composition(db, d) if quotas else [],
        "volunteers": [
            {"id": v.id, "row": v.row_number, "status": v.status,
             "probability": v.probability, "categories": json.loads(v.categories),
             "contact": json.loads(v.contact) if v.contact else {}}
            for v in volunteers],
    }
