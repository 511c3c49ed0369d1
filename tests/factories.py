"""Small builders for test data, through the domain's own functions."""

from __future__ import annotations

import secrets
from datetime import timedelta

from sqlalchemy.engine import Engine
from sqlmodel import Session

from deliberation.models import Deliberation, Participant, utcnow
from deliberation.participants import do_join
from deliberation.sessions import SessionForm, do_create_deliberation, questions_of

QUESTIONS = ("Millaista on hyvä kotihoito tulevaisuudessa?", "Mitä pitäisi muuttaa?")


def session(engine: Engine) -> Session:
    """A database session as the server's unit of work opens one (objects stay
    readable after commit), without importing the server: domain tests call
    the domain alone."""
    return Session(engine, expire_on_commit=False)


def make_session(db: Session, *, mode: str = "post", open_now: bool = True,
                 closed: bool = False, title: str = "Tulevaisuuden kotihoito") -> Deliberation:
    now = utcnow()
    form = SessionForm(
        title=title, slug=f"testi-{secrets.token_hex(4)}", introduction="Tervetuloa!",
        questions=QUESTIONS,
        opens_at=now - timedelta(hours=1) if open_now else now + timedelta(days=1),
        closes_at=now - timedelta(minutes=1) if closed else now + timedelta(days=7),
        moderation_mode=mode,
    )
    if closed:
        form = SessionForm(**{**form.__dict__, "opens_at": now - timedelta(days=2)})
    d = do_create_deliberation(db, form=form)
    db.commit()
    return d


def first_question(db: Session, d: Deliberation) -> int:
    assert d.id is not None
    q = questions_of(db, deliberation_id=d.id)[0]
    assert q.id is not None
    return q.id


def join(db: Session, d: Deliberation) -> Participant:
    assert d.id is not None
    return do_join(db, deliberation_id=d.id, token=secrets.token_urlsafe(16))


def long_finnish_text(length: int) -> str:
    """Varied real Finnish from the shipped sample, cut to exactly ``length``."""
    import csv
    from pathlib import Path

    sample = Path(__file__).resolve().parent.parent / "nlp" / "data" / "sample_feedback.csv"
    with sample.open(encoding="utf-8") as f:
        texts = [row["text"] for row in csv.DictReader(f)]
    return " ".join(texts)[:length].rstrip().ljust(length, ".")
