"""Password checks: off the event loop, capped, and failed logins that slow
down instead of locking the owner out."""

from __future__ import annotations

import asyncio
import threading

from server.auth import PasswordGuard, hash_password
from server.throttle import Backoff, ClientKeys, Window

HASH = hash_password("oikein-pitkä-salasana")


async def _no_sleep(seconds: float) -> None:
    return None


def test_argon2_runs_off_the_event_loop() -> None:
    """A check that blocks its thread until the loop sets an event: on the loop
    itself it could never see the event."""
    released = threading.Event()

    def blocking_verify(password_hash: str | None, password: str) -> bool:
        return released.wait(10)

    async def scenario() -> bool:
        guard = PasswordGuard(verify=blocking_verify)
        task = asyncio.create_task(guard.check(username="a", password="x", password_hash=HASH,
                                               client="c"))
        await asyncio.sleep(0)
        released.set()  # runs only if the loop is free while the check waits
        return (await task).ok

    assert asyncio.run(scenario()) is True


def test_concurrency_is_capped() -> None:
    running = 0
    most = 0
    lock = threading.Lock()
    gate = threading.Event()

    def counting_verify(password_hash: str | None, password: str) -> bool:
        nonlocal running, most
        with lock:
            running += 1
            most = max(most, running)
        gate.wait(10)
        with lock:
            running -= 1
        return False

    async def scenario() -> None:
        guard = PasswordGuard(concurrency=2, verify=counting_verify, sleep=_no_sleep)
        tasks = [asyncio.create_task(guard.check(username=f"u{i}", password="x",
                                                 password_hash=None, client=f"c{i}"))
                 for i in range(8)]
        for _ in range(20):
            await asyncio.sleep(0.01)
        gate.set()
        await asyncio.gather(*tasks)

    asyncio.run(scenario())
    assert most == 2


def test_wrong_guesses_do_not_lock_the_owner_out() -> None:
    slept: list[float] = []

    async def record_sleep(seconds: float) -> None:
        slept.append(seconds)

    async def scenario() -> list[str | None]:
        guard = PasswordGuard(sleep=record_sleep)
        codes = []
        for _ in range(12):  # an attacker guesses from one client
            v = await guard.check(username="admin", password="arvaus", password_hash=HASH,
                                  client="10.0.0.66")
            codes.append(v.code)
        owner = await guard.check(username="Admin", password="oikein-pitkä-salasana",
                                  password_hash=HASH, client="192.0.2.10")
        codes.append("ok" if owner.ok else owner.code)
        return codes

    codes = asyncio.run(scenario())
    assert codes[:5] == ["login_failed"] * 5
    assert "login_rate_limited" in codes[5:12]  # the guesser is made to wait
    assert codes[-1] == "ok"  # the owner gets in, from their own client
    assert slept and max(slept) <= 4.0  # at most a few seconds' slowdown for the account


def test_refusal_says_how_long_to_wait() -> None:
    async def scenario() -> tuple[str | None, int]:
        guard = PasswordGuard(sleep=_no_sleep)
        for _ in range(6):
            await guard.check(username="x", password="y", password_hash=None, client="c")
        v = await guard.check(username="x", password="y", password_hash=None, client="c")
        return v.code, v.retry_after

    code, retry_after = asyncio.run(scenario())
    assert code == "login_rate_limited" and retry_after >= 1


def test_backoff_doubles_then_caps_and_forgets() -> None:
    b = Backoff(free=2, base=1.0, cap=4.0, forget_after=100.0)
    assert [b.delay(n) for n in range(7)] == [0, 0, 1, 2, 4, 4, 4]
    for t in range(4):
        b.failed("k", now=float(t))
    assert b.wait("k", now=3.0) == 4.0  # four failures, the last at t=3
    assert b.wait("k", now=200.0) == 0.0 and b.failures("k") == 0


def test_backoff_memory_is_bounded() -> None:
    b = Backoff(max_keys=10)
    for i in range(100):
        b.failed(f"k{i}", now=0.0)
    assert len(b._failures) == 10


def test_window_limits_per_key() -> None:
    w = Window(limit=3, seconds=60.0)
    for t in range(3):
        assert w.allowed("a", now=float(t))
        w.add("a", now=float(t))
    assert not w.allowed("a", now=10.0) and w.allowed("b", now=10.0)
    assert w.retry_after("a", now=10.0) == 50.0
    assert w.allowed("a", now=61.0)


def test_client_keys_hide_and_rotate() -> None:
    keys = ClientKeys(rotate_every=100.0)
    k1 = keys.key("203.0.113.5", now=keys._since)
    assert "203.0.113.5" not in k1 and k1 == keys.key("203.0.113.5", now=keys._since + 1)
    assert k1 != keys.key("203.0.113.6", now=keys._since + 1)
    assert k1 != keys.key("203.0.113.5", now=keys._since + 101)  # a new secret
