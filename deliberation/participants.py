"""Anonymous participants: a pseudonym per session, found by a hashed cookie token."""

from __future__ import annotations

import hashlib

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from deliberation.models import Participant
from deliberation.pseudonyms import random_pseudonym


def hash_token(token: str) -> str:
    # Only the hash is stored: a database leak does not let anyone act as a participant.
    return hashlib.sha256(token.encode()).hexdigest()


def find_participant(db: Session, *, deliberation_id: int, token: str) -> Participant | None:
    return db.exec(
        select(Participant).where(
            Participant.deliberation_id == deliberation_id,
            Participant.token_hash == hash_token(token),
        )
    ).first()


def do_join(db: Session, *, deliberation_id: int, token: str) -> Participant:
    """The participant behind ``token`` in this session, created with a fresh
    pseudonym on first visit. Commits, since joining announces nothing."""
    existing = find_participant(db, deliberation_id=deliberation_id, token=token)
    if existing is not None:
        return existing
    for _ in range(50):
        participant = Participant(
            deliberation_id=deliberation_id, token_hash=hash_token(token),
            pseudonym=random_pseudonym(),
        )
        db.add(participant)
        try:
            db.commit()
        except IntegrityError:
            # Pseudonym taken in this session, or the same browser joined twice at once.
            db.rollback()
            again = find_participant(db, deliberation_id=deliberation_id, token=token)
            if again is not None:
                return again
            continue
        db.refresh(participant)
        return participant
    raise RuntimeError("no free pseudonym after 50 draws")
