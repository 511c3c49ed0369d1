"""Proof-of-work challenges: solved ones pass once, anything else never."""

from __future__ import annotations

import asyncio
import base64
import json
import time

import pytest

from server.pow import MemorySpent, ProofOfWork, solve


class SyncPow:
    """A ProofOfWork whose verify is called as a plain function."""

    def __init__(self, secret: str, **kw: object) -> None:
        self.inner = ProofOfWork(secret, **kw)  # type: ignore[arg-type]

    def challenge(self, now: float | None = None) -> dict[str, object]:
        return self.inner.challenge(now)

    def verify(self, payload: object) -> bool:
        return asyncio.run(self.inner.verify(payload))


@pytest.fixture
def pow_() -> SyncPow:
    return SyncPow("test-secret", cost=1)


def test_a_solved_challenge_passes_once(pow_: SyncPow) -> None:
    payload = solve(pow_.challenge())
    assert pow_.verify(payload)
    assert not pow_.verify(payload)  # a replay


def test_another_solution_of_a_spent_challenge_fails(pow_: SyncPow) -> None:
    challenge = pow_.challenge()
    payload = solve(challenge)
    assert pow_.verify(payload)
    other = json.loads(base64.b64decode(payload))
    other["solution"]["counter"] += 1  # same challenge, a different answer
    assert not pow_.verify(base64.b64encode(json.dumps(other).encode()).decode())


def test_another_servers_challenge_fails(pow_: SyncPow) -> None:
    other = SyncPow("another-secret", cost=1)
    assert not pow_.verify(solve(other.challenge()))


def test_expired_challenge_fails(pow_: SyncPow) -> None:
    old = pow_.challenge(now=time.time() - 3600)
    assert not pow_.verify(solve(old))


def test_cheaper_challenge_than_configured_fails() -> None:
    cheap, strict = SyncPow("s", cost=1), SyncPow("s", cost=2)
    assert not strict.verify(solve(cheap.challenge()))


def _tampered(payload: str) -> str:
    d = json.loads(base64.b64decode(payload))
    d["solution"]["counter"] += 1
    return base64.b64encode(json.dumps(d).encode()).decode()


@pytest.mark.parametrize("bad", [
    None, 5, "", "x", "!!!", "a" * 5000, base64.b64encode(b"[]").decode(),
    base64.b64encode(b'{"challenge": 1}').decode(),
    base64.b64encode(b"\xff\xfe").decode(), "\ud800",
])
def test_garbage_fails_quietly(pow_: SyncPow, bad: object) -> None:
    assert not pow_.verify(bad)


def test_tampered_solution_fails(pow_: SyncPow) -> None:
    assert not pow_.verify(_tampered(solve(pow_.challenge())))


def test_remembered_nonces_are_bounded() -> None:
    spent = MemorySpent(max_remembered=3)
    p = SyncPow("s", cost=1, spent=spent)
    for _ in range(5):
        assert p.verify(solve(p.challenge()))
    assert len(spent._spent) == 3
