"""'Koitko, että sinua kuultiin?': once per resident, anonymous, no personal data kept."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from deliberation.errors import DomainError
from deliberation.feedback import (
    check_score,
    do_give_feedback,
    feedback_due,
    feedback_summary,
    feedback_texts,
)
from deliberation.models import Feedback
from tests.factories import join, make_session


@pytest.mark.parametrize(("raw", "score"), [("5", 5), (1, 1), ("", None), (None, None)])
def test_scores_from_forms(raw: object, score: int | None) -> None:
    assert check_score(raw) == score


@pytest.mark.parametrize("raw", ["0", "6", 3.5, True, "viisi", -1])
def test_scores_outside_one_to_five_are_refused(raw: object) -> None:
    with pytest.raises(DomainError) as err:
        check_score(raw)
    assert err.value.code == "feedback_score_invalid"


def test_feedback_is_stored_without_a_link_to_the_resident(engine: Engine) -> None:
    with Session(engine, expire_on_commit=False) as db:
        d = make_session(db)
        me = join(db, d)
        assert feedback_due(d, me)
        row = do_give_feedback(db, d=d, participant=me, context="first_post", score="4",
                               text="Soita minulle 040 123 4567, kiitos!", names=False)
        db.commit()
        assert not feedback_due(d, me)
        assert "040" not in row.text and "[poistettu]" in row.text
        columns = set(Feedback.model_fields)
        assert not {"participant_id", "token_hash", "created_at"} & columns
        assert d.id is not None
        assert [f.text for f in feedback_texts(db, deliberation_id=d.id)] == [row.text]


@pytest.mark.parametrize(("kw", "code"), [
    ({"score": None, "text": "  "}, "feedback_empty"),
    ({"score": 3, "text": "x" * 2001}, "feedback_too_long"),
    ({"score": 3, "text": "", "context": "random"}, "feedback_context_invalid"),
])
def test_bad_feedback_is_refused(engine: Engine, kw: dict[str, Any], code: str) -> None:
    with Session(engine, expire_on_commit=False) as db:
        d = make_session(db)
        with pytest.raises(DomainError) as err:
            do_give_feedback(db, d=d, participant=join(db, d),
                             **{"context": "closed", "names": False, **kw})
        assert err.value.code == code


def test_a_resident_answers_once_and_the_average_counts_everyone(engine: Engine) -> None:
    with Session(engine, expire_on_commit=False) as db:
        d = make_session(db)
        a, b, c = join(db, d), join(db, d), join(db, d)
        for who, score in ((a, 5), (b, 2)):
            do_give_feedback(db, d=d, participant=who, context="closed", score=score, text="")
        do_give_feedback(db, d=d, participant=c, context="closed", score=None,
                         text="Hyvä tilaisuus", names=False)
        with pytest.raises(DomainError) as err:
            do_give_feedback(db, d=d, participant=a, context="closed", score=1, text="")
        assert err.value.code == "feedback_already_given"
        db.commit()
        assert d.id is not None
        summary = feedback_summary(db, deliberation_ids=[d.id])
        assert (summary.count, summary.scored, summary.average) == (3, 2, 3.5)
        assert len(db.exec(select(Feedback).where(Feedback.deliberation_id == d.id)).all()) == 3
