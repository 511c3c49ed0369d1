"""The unit of work (AppState.run): events leave only after their change
committed. A change that rolls back announces nothing; one that commits is
announced once, without any route calling the broker. New sessions are
announced to the staff the same way."""

from __future__ import annotations

import asyncio
import json
import secrets

import pytest
from sqlmodel import Session

from deliberation.errors import DomainError
from deliberation.models import Deliberation, Participant
from deliberation.posts import PostingLimits, PostOutcome, do_create_post
from deliberation.sessions import SessionForm, do_create_deliberation
from server import db
from server.app import create_app
from server.live.hub import channel
from server.settings import Settings
from tests.factories import first_question, join, make_session

pytestmark = pytest.mark.anyio
LIMITS = PostingLimits(detect_names=False)


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


def _post(db: Session, *, d: Deliberation, participant: Participant, question_id: int,
          body: str) -> PostOutcome:
    return do_create_post(db, d=d, participant=participant, question_id=question_id,
                          parent_id=None, body=body, limits=LIMITS)


def _post_then_fail(db: Session, *, d: Deliberation, participant: Participant,
                    question_id: int) -> None:
    _post(db, d=d, participant=participant, question_id=question_id, body="Ei koskaan näy")
    raise DomainError("bad_request")  # e.g. a later check fails: the whole change rolls back


async def _announced(sub: object) -> list[dict[str, object]]:
    got: list[dict[str, object]] = []
    while True:
        try:
            raw = await asyncio.wait_for(sub.get(), 0.3)  # type: ignore[attr-defined]
        except TimeoutError:
            return got
        got.append(json.loads(raw))


async def test_rolled_back_change_announces_nothing_committed_one_is_announced(
        settings: Settings) -> None:
    app = create_app(settings)
    st = app.state.raati
    with db.session(st.engine) as s:
        d = make_session(s, title=f"Yksikkö {secrets.token_hex(3)}")
        me = join(s, d)
        s.commit()
        qid = first_question(s, d)
    assert d.id is not None
    async with st.broker.subscribe(channel(d.id)) as sub:
        with pytest.raises(DomainError):
            await st.run(_post_then_fail, d=d, participant=me, question_id=qid)
        assert await _announced(sub) == []

        outcome = await st.run(_post, d=d, participant=me, question_id=qid, body="Tämä näkyy")
        announced = await _announced(sub)
    assert [m["kind"] for m in announced] == ["post_published"]
    assert announced[0]["seq"] == 1  # the rolled-back post used no number
    assert outcome.status == "published"
    st.engine.dispose()


def _form() -> SessionForm:
    return SessionForm(title="Uusi istunto", slug=f"uusi-{secrets.token_hex(4)}",
                       introduction="", questions=("Mitä mieltä olet?",),
                       opens_at=None, closes_at=None)


def _create_then_fail(db: Session, *, form: SessionForm) -> None:
    do_create_deliberation(db, form=form)
    raise DomainError("bad_request")


async def test_a_new_session_is_announced_to_staff_only_once_committed(
        settings: Settings) -> None:
    app = create_app(settings)
    st = app.state.raati
    async with st.hub.created_sessions() as sub:
        with pytest.raises(DomainError):
            await st.run(_create_then_fail, form=_form())
        d = await st.run(do_create_deliberation, form=_form())
        # The first announcement is the committed session: the rolled-back one never was.
        assert await sub.get() == str(d.id)
    st.engine.dispose()
