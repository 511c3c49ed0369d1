"""Sections, versions kept forever, word diffs, and conflict-safe saves."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy.engine import Engine

from deliberation.digiraati.statements import (
    EditConflict,
    Writer,
    compare_versions,
    do_add_section,
    do_choose_writer,
    do_save_section,
    versions_of,
    word_diff,
)
from deliberation.errors import DomainError
from tests.deliberation.digiraati.factories import make_panel, open_phase
from tests.factories import session

STAFF = Writer("Fasilitaattori", staff=True)


def test_word_diff_marks_changed_words() -> None:
    parts = word_diff("Kotihoito tarvitsee lisää aikaa.", "Kotihoito tarvitsee paljon lisää hoitajia.")
    assert [(p.op, p.text) for p in parts if p.op != "same"] == [
        ("added", "paljon "), ("removed", "aikaa."), ("added", "hoitajia.")]
    assert "".join(p.text for p in parts if p.op != "removed") == (
        "Kotihoito tarvitsee paljon lisää hoitajia.")


def test_every_save_is_a_version_and_any_two_compare(engine: Engine) -> None:
    with session(engine) as db:
        panel = make_panel(db, members=1)
        d, a = panel.d, panel.members[0]
        section, _ = do_add_section(db, d=d, title="Henkilöstö", text="Lisää hoitajia.",
                                    author="Fasilitaattori")
        open_phase(db, d, "drafting")
        do_choose_writer(db, d=d, participant=a, writer=True)
        do_save_section(db, d=d, writer=STAFF, section_id=section.id, base=1,
                        text="Lisää hoitajia kotihoitoon.")
        event = do_save_section(db, d=d, writer=Writer(a.pseudonym, participant=a),
                                section_id=section.id, base=2, text="Lisää aikaa kotihoitoon.")
        db.commit()
        assert event.data["section"]["version"] == 3
        assert [v.number for v in versions_of(db, section)] == [1, 2, 3]
        old, new, parts = compare_versions(db, d, section.id, 1, 3)
        assert old.text == "Lisää hoitajia." and new.author == a.pseudonym
        assert any(p.op == "removed" for p in parts) and any(p.op == "added" for p in parts)


def test_second_save_from_the_same_version_gets_both_texts(engine: Engine) -> None:
    with session(engine) as db:
        panel = make_panel(db, members=0)
        d = panel.d
        section, _ = do_add_section(db, d=d, title="Omaiset", text="Alku.", author="F")
        open_phase(db, d, "drafting")
        do_save_section(db, d=d, writer=STAFF, section_id=section.id, base=1, text="Ensimmäinen.")
        db.commit()
        with pytest.raises(EditConflict) as err:
            do_save_section(db, d=d, writer=STAFF, section_id=section.id, base=1,
                            text="Toinen.")
        assert err.value.code == "edit_conflict"
        assert (err.value.current_text, err.value.your_text) == ("Ensimmäinen.", "Toinen.")
        assert err.value.params["current"] == 2


def test_simultaneous_saves_one_wins_one_conflicts(engine: Engine) -> None:
    with session(engine) as db:
        panel = make_panel(db, members=0)
        d = panel.d
        section, _ = do_add_section(db, d=d, title="Teknologia", text="Alku.", author="F")
        open_phase(db, d, "drafting")
        sid = section.id
    outcomes: list[str] = []
    barrier = threading.Barrier(2)

    def save(text: str) -> None:
        with session(engine) as db2:
            barrier.wait()
            try:
                do_save_section(db2, d=d, writer=STAFF, section_id=sid, base=1, text=text)
                db2.commit()
                outcomes.append("saved")
            except EditConflict:
                db2.rollback()
                outcomes.append("conflict")
            except Exception as exc:  # SQLite: the loser may find the database locked
                db2.rollback()
                outcomes.append(f"busy:{type(exc).__name__}")

    threads = [threading.Thread(target=save, args=(t,)) for t in ("Yksi.", "Kaksi.")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert outcomes.count("saved") == 1
    with session(engine) as db:
        assert [v.number for v in versions_of(db, section)] == [1, 2]


def test_only_writers_save_and_only_while_drafting(engine: Engine) -> None:
    with session(engine) as db:
        panel = make_panel(db, members=1)
        d, a = panel.d, panel.members[0]
        section, _ = do_add_section(db, d=d, title="Osio", text="Teksti.", author="F")
        with pytest.raises(DomainError) as err:
            do_save_section(db, d=d, writer=STAFF, section_id=section.id, base=1, text="X")
        assert err.value.code == "phase_not_open"
        open_phase(db, d, "drafting")
        with pytest.raises(DomainError) as err:
            do_save_section(db, d=d, writer=Writer(a.pseudonym, participant=a),
                            section_id=section.id, base=1, text="X")
        assert err.value.code == "not_writer"
