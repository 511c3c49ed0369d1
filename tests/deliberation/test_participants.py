"""Joining: rows only on action, keyed per-session token hashes, collisions and
a pseudonym space that never runs out; on SQLite and PostgreSQL."""

from __future__ import annotations

import secrets
import threading
from datetime import timedelta

import pytest
from sqlalchemy import func
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from deliberation import participants, pseudonyms
from deliberation.models import Participant, utcnow
from deliberation.participants import (
    KEYED_PREFIX,
    do_join,
    find_participant,
    hash_token,
    is_established,
    legacy_hash,
)
from deliberation.posts import PostingLimits, do_create_post
from tests.factories import first_question, make_session, session


def _count(db: Session, deliberation_id: int) -> int:
    return int(db.exec(select(func.count()).select_from(Participant)
                       .where(Participant.deliberation_id == deliberation_id)).one())


def test_looking_writes_nothing_and_the_first_action_joins(engine: Engine) -> None:
    with session(engine) as db:
        d = make_session(db)
        assert d.id is not None
        token = secrets.token_urlsafe(24)
        assert find_participant(db, deliberation_id=d.id, token=token) is None
        assert _count(db, d.id) == 0
        me = do_join(db, deliberation_id=d.id, token=token)
        db.commit()
        assert do_join(db, deliberation_id=d.id, token=token).id == me.id
        assert find_participant(db, deliberation_id=d.id, token=token) == me
        assert _count(db, d.id) == 1


def test_token_hash_is_keyed_per_session(engine: Engine) -> None:
    """One browser in two sessions leaves two unrelated hashes, neither the plain SHA-256."""
    with session(engine) as db:
        d1, d2 = make_session(db), make_session(db)
        assert d1.id and d2.id and d1.token_key != d2.token_key
        token = secrets.token_urlsafe(24)
        a = do_join(db, deliberation_id=d1.id, token=token)
        b = do_join(db, deliberation_id=d2.id, token=token)
        db.commit()
        assert a.token_hash.startswith(KEYED_PREFIX) and b.token_hash.startswith(KEYED_PREFIX)
        assert a.token_hash != b.token_hash
        assert legacy_hash(token) not in (a.token_hash, b.token_hash)
        assert len(a.token_hash) <= 64


def test_legacy_hash_still_matches_and_is_rekeyed_on_action(engine: Engine) -> None:
    with session(engine) as db:
        d = make_session(db)
        assert d.id is not None
        token = secrets.token_urlsafe(24)
        old = Participant(deliberation_id=d.id, token_hash=legacy_hash(token), pseudonym="Vanha 1")
        db.add(old)
        db.commit()
        assert find_participant(db, deliberation_id=d.id, token=token) == old
        assert old.token_hash == legacy_hash(token)  # reading does not write
        me = do_join(db, deliberation_id=d.id, token=token)
        db.commit()
        assert me.id == old.id and me.pseudonym == "Vanha 1"
        assert me.token_hash == hash_token(token, key=d.token_key)
        assert find_participant(db, deliberation_id=d.id, token=token) == old


def test_collisions_are_retried_without_losing_the_transaction(
        engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    with session(engine) as db:
        d = make_session(db)
        assert d.id is not None
        first = do_join(db, deliberation_id=d.id, token="first")
        names = iter([first.pseudonym, first.pseudonym, "Uusi nimi 7"])
        monkeypatch.setattr(participants, "random_pseudonym", lambda attempt: next(names))
        second = do_join(db, deliberation_id=d.id, token="second")
        # Objects loaded before the collision are still usable (no DetachedInstanceError),
        # and the earlier join in the same transaction survives.
        assert d.title and first.pseudonym
        db.commit()
        assert second.pseudonym == "Uusi nimi 7"
        assert _count(db, d.id) == 2


def test_pseudonyms_never_run_out(engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    """With one adjective and one animal, two digits give 99 names; 160 people all join."""
    monkeypatch.setattr(pseudonyms, "ADJECTIVES", ("Sininen",))
    monkeypatch.setattr(pseudonyms, "ANIMALS", ("kettu",))
    with session(engine) as db:
        d = make_session(db)
        assert d.id is not None
        people = [do_join(db, deliberation_id=d.id, token=f"t{i}") for i in range(160)]
        db.commit()
        names = [p.pseudonym for p in people]
        assert len(set(names)) == 160
        assert max(len(n.rsplit(" ", 1)[1]) for n in names) >= 3


def test_widening_suffix() -> None:
    assert pseudonyms.digits_for(0) == 2
    assert pseudonyms.digits_for(pseudonyms.DRAWS_PER_WIDTH) == 3
    assert pseudonyms.digits_for(10_000) == pseudonyms.MAX_DIGITS
    assert int(pseudonyms.random_pseudonym(0).rsplit(" ", 1)[1]) <= 99


def test_same_browser_joining_twice_at_once_gets_one_row(engine: Engine) -> None:
    with session(engine) as db:
        d = make_session(db)
        assert d.id is not None
        d_id = d.id
    token = secrets.token_urlsafe(24)
    barrier = threading.Barrier(6)
    ids: list[int | None] = []
    errors: list[BaseException] = []

    def join_once() -> None:
        barrier.wait()
        for _ in range(20):  # a lost SQLite write race is run again, as the unit of work does
            try:
                with session(engine) as db:
                    p = do_join(db, deliberation_id=d_id, token=token)
                    db.commit()
                    ids.append(p.id)
                    return
            except Exception as exc:
                if "locked" not in str(exc):
                    errors.append(exc)
                    return
        errors.append(RuntimeError("gave up"))

    threads = [threading.Thread(target=join_once) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert len(ids) == 6 and len(set(ids)) == 1
    with session(engine) as db:
        assert _count(db, d_id) == 1


def test_established_after_posting_or_presence(engine: Engine) -> None:
    with session(engine) as db:
        d = make_session(db)
        assert d.id is not None
        new, old, poster = (do_join(db, deliberation_id=d.id, token=t) for t in "abc")
        old.created_at = utcnow() - timedelta(minutes=11)
        db.add(old)
        do_create_post(db, d=d, participant=poster, question_id=first_question(db, d),
                       parent_id=None, body="Lisää aikaa kotikäynneille.",
                       limits=PostingLimits(detect_names=False))
        db.flush()
        assert new.id and old.id and poster.id
        assert not is_established(db, participant_id=new.id)
        assert is_established(db, participant_id=old.id)
        assert is_established(db, participant_id=poster.id)
        assert is_established(db, participant_id=new.id, after=timedelta(0))


def test_joining_twice_with_one_token_is_the_same_pseudonym(engine: Engine) -> None:
    with session(engine) as db:
        d = make_session(db)
        assert d.id is not None
        first = do_join(db, deliberation_id=d.id, token="selaimen-satunnainen-tunniste")
        again = do_join(db, deliberation_id=d.id, token="selaimen-satunnainen-tunniste")
        assert again.id == first.id and again.pseudonym == first.pseudonym
        assert first.token_hash == hash_token("selaimen-satunnainen-tunniste", key=d.token_key)
        assert "selaimen" not in first.token_hash  # only the hash is stored


def test_other_tokens_and_other_sessions_get_their_own_pseudonyms(engine: Engine) -> None:
    with session(engine) as db:
        d, other = make_session(db), make_session(db)
        assert d.id is not None and other.id is not None
        people = [do_join(db, deliberation_id=d.id, token=f"tunniste-{i}") for i in range(5)]
        assert len({p.pseudonym for p in people}) == 5
        elsewhere = do_join(db, deliberation_id=other.id, token="tunniste-0")
        assert elsewhere.id != people[0].id
