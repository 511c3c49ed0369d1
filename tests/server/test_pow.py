"""Proof-of-work challenges: solved ones pass once, anything else never."""

from __future__ import annotations

import base64
import json
import time

import pytest

from server.pow import ProofOfWork, solve


@pytest.fixture
def pow_() -> ProofOfWork:
    return ProofOfWork("test-secret", cost=1)


def test_a_solved_challenge_passes_once(pow_: ProofOfWork) -> None:
    payload = solve(pow_.challenge())
    assert pow_.verify(payload)
    assert not pow_.verify(payload)  # a replay


def test_another_servers_challenge_fails(pow_: ProofOfWork) -> None:
    other = ProofOfWork("another-secret", cost=1)
    assert not pow_.verify(solve(other.challenge()))


def test_expired_challenge_fails(pow_: ProofOfWork) -> None:
    old = pow_.challenge(now=time.time() - 3600)
    assert not pow_.verify(solve(old))


def test_cheaper_challenge_than_configured_fails() -> None:
    cheap, strict = ProofOfWork("s", cost=1), ProofOfWork("s", cost=2)
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
def test_garbage_fails_quietly(pow_: ProofOfWork, bad: object) -> None:
    assert not pow_.verify(bad)


def test_tampered_solution_fails(pow_: ProofOfWork) -> None:
    assert not pow_.verify(_tampered(solve(pow_.challenge())))


def test_remembered_nonces_are_bounded() -> None:
    p = ProofOfWork("s", cost=1, max_remembered=3)
    for _ in range(5):
        assert p.verify(solve(p.challenge()))
    assert len(p._spent) == 3
