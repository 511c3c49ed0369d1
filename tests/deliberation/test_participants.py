"""Anonymous participants: one pseudonym per browser token and session, no
identifying data kept (only a hash of the token)."""

from __future__ import annotations

from sqlalchemy.engine import Engine

from deliberation.participants import do_join, find_participant, hash_token
from tests.factories import make_session, session


def test_joining_twice_with_one_token_is_the_same_pseudonym(engine: Engine) -> None:
    with session(engine) as db:
        d = make_session(db)
        assert d.id is not None
        first = do_join(db, deliberation_id=d.id, token="selaimen-satunnainen-tunniste")
        again = do_join(db, deliberation_id=d.id, token="selaimen-satunnainen-tunniste")
        assert again.id == first.id and again.pseudonym == first.pseudonym
        assert first.token_hash == hash_token("selaimen-satunnainen-tunniste")
        assert "selaimen" not in first.token_hash  # only the hash is stored


def test_other_tokens_and_other_sessions_get_their_own_pseudonyms(engine: Engine) -> None:
    with session(engine) as db:
        d, other = make_session(db), make_session(db)
        assert d.id is not None and other.id is not None
        people = [do_join(db, deliberation_id=d.id, token=f"tunniste-{i}") for i in range(5)]
        assert len({p.pseudonym for p in people}) == 5
        elsewhere = do_join(db, deliberation_id=other.id, token="tunniste-0")
        assert elsewhere.id != people[0].id


def test_an_unknown_token_finds_nobody(engine: Engine) -> None:
    with session(engine) as db:
        d = make_session(db)
        assert d.id is not None
        assert find_participant(db, deliberation_id=d.id, token="ei-koskaan-liittynyt") is None
