"""The posting side of the fan-out benchmark: residents posting at a fixed rate.

Each poster is a resident as a browser is one: ``GET /api/s/{slug}`` gives the
session cookie and the questions, then it posts over its own live websocket
(``{"type":"post",...}``, see server/live/residents.py). Several posters take
turns, and each one's consecutive bodies differ, so neither the per-resident
rate limit nor the duplicate screening holds a post. Every body carries a
unique marker; the send time is ``time.time()`` taken just before the frame is
written.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import string
import time
from dataclasses import dataclass, field
from typing import Any

import httpx

from bench.fanout_clients import MARK_PREFIX

POSTERS = 5  # coprime with len(SENTENCES): a poster's last five bodies all differ
SENTENCES = (
    "Kotihoidon työntekijöillä pitäisi olla enemmän aikaa jokaiselle asiakkaalle.",
    "Samat tutut hoitajat käymässä joka päivä lisäisivät turvallisuuden tunnetta.",
    "Etäkäynnit videon kautta sopivat iltaisin, kun tarvitaan vain lyhyt tarkistus.",
    "Omaisille voisi lähettää viikoittain lyhyen viestin siitä, miten hoito sujuu.",
    "Lääkkeiden annostelu kannattaisi hoitaa automaattisella annostelijalla.",
    "Yöllä apua pitää saada nopeasti, vaikka turvaranneketta painettaisiin usein.",
    "Ruokailu yhdessä muiden kanssa piristäisi monen yksin asuvan arkea.",
    "Kuntoutus kuuluu kotihoitoon: pieni jumppa joka käynnillä auttaa liikkumaan.",
    "Asiakkaan omat toiveet aamutoimista tulisi kirjata ja niitä noudattaa.",
    "Hoitajien vaihtuvuus on nyt liian suurta, ja se näkyy laadussa.",
    "Kotiin tarvittaisiin apua myös siivoukseen ja kauppa-asioihin.",
    "Digitaalisten laitteiden käyttöön pitäisi saada opastusta kotona.",
    "Päivätoiminta kerran viikossa antaisi omaishoitajalle hengähdystauon.",
)
_LETTERS = string.ascii_lowercase


def marker(run_id: str, index: int) -> str:
    digits = []
    for _ in range(5):
        index, rem = divmod(index, 26)
        digits.append(_LETTERS[rem])
    return MARK_PREFIX + run_id + "".join(reversed(digits))


def body_for(run_id: str, index: int) -> tuple[str, str]:
    mark = marker(run_id, index)
    return mark, f"{SENTENCES[index % len(SENTENCES)]} Tunniste {mark}."


@dataclass
class Outcome:
    sends: dict[str, float] = field(default_factory=dict)  # marker -> send time
    status: dict[str, str] = field(default_factory=dict)  # marker -> "published"/"held"/error code
    ack_ms: list[float] = field(default_factory=list)

    @property
    def published(self) -> dict[str, float]:
        """Posts every client should get: acknowledged as published, or not acknowledged
        at all in time (an overloaded server may still have published them; if it did
        not, their deliveries count as lost rather than vanish from the figures)."""
        return {m: t for m, t in self.sends.items()
                if self.status.get(m) in ("published", "no_ack")}


class Poster:
    def __init__(self, http_base: str, live_url: str, raati: bool, compression: str | None) -> None:
        self.http_base = http_base
        self.live_url = live_url
        self.raati = raati
        self.compression = compression
        self.question_id: object = 1
        self.ws: Any = None
        self.reader: asyncio.Task[None] | None = None
        self.pending: dict[int, str] = {}  # request_id -> marker

    async def open(self, outcome: Outcome) -> None:
        from websockets.asyncio.client import connect

        headers: dict[str, str] = {}
        after = 0
        if self.raati:
            async with httpx.AsyncClient(trust_env=False, timeout=30) as http:
                r = await http.get(f"{self.http_base}/api/s/{_slug(self.live_url)}")
                r.raise_for_status()
                info = r.json()
                headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in http.cookies.items())
            self.question_id = info["session"]["questions"][0]["id"]
            after = int(info["seq"])
        self.ws = await connect(f"{self.live_url}?after={after}", additional_headers=headers,
                                compression=self.compression, proxy=None, open_timeout=30,
                                ping_interval=None, close_timeout=2)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            msg = await asyncio.wait_for(self.ws.recv(), 30)
            if msg.startswith(('{"type":"ready"', '{"type": "ready"')):
                break
        self.reader = asyncio.create_task(self._read(outcome))

    async def _read(self, outcome: Outcome) -> None:
        from websockets.exceptions import ConnectionClosed

        with contextlib.suppress(ConnectionClosed):
            async for msg in self.ws:
                if not msg.startswith(('{"type": "ack"', '{"type": "error"',
                                       '{"type":"ack"', '{"type":"error"')):
                    continue
                reply = json.loads(msg)
                mark = self.pending.pop(reply.get("request_id"), None)
                if mark is None:
                    continue
                outcome.ack_ms.append((time.time() - outcome.sends[mark]) * 1000.0)
                outcome.status[mark] = (reply.get("status") if reply["type"] == "ack"
                                        else reply.get("code")) or "?"

    async def post(self, request_id: int, mark: str, body: str, outcome: Outcome) -> None:
        frame = json.dumps({"type": "post", "request_id": request_id,
                            "question_id": self.question_id, "parent_id": None, "body": body},
                           ensure_ascii=False)
        self.pending[request_id] = mark
        outcome.sends[mark] = time.time()
        await self.ws.send(frame)

    async def close(self) -> None:
        if self.ws is not None:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(self.ws.close(), 3)
        if self.reader is not None:
            self.reader.cancel()
            with contextlib.suppress(BaseException):
                await self.reader


def _slug(live_url: str) -> str:
    return live_url.rsplit("/s/", 1)[1].split("/", 1)[0]


async def _warm_up(poster: Poster, run_id: str, outcome: Outcome) -> None:
    """One unmeasured post first: lazy imports and caches of a just-started server
    would otherwise make the first measured post an outlier no running server has."""
    index = 26**5 - 1
    mark, body = body_for(run_id, index)
    await poster.post(index, mark, body, outcome)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and mark not in outcome.status:
        await asyncio.sleep(0.02)
    outcome.sends.pop(mark, None)
    outcome.status.pop(mark, None)
    outcome.ack_ms.clear()


async def post_for(http_base: str, live_url: str, *, raati: bool, compression: str | None,
                   rate: float, duration: float, run_id: str,
                   ack_wait: float = 15.0) -> Outcome:
    """Post ``rate`` posts a second for ``duration`` seconds; wait (bounded) for the acks."""
    outcome = Outcome()
    posters = [Poster(http_base, live_url, raati, compression) for _ in range(POSTERS)]
    try:
        await asyncio.wait_for(asyncio.gather(*(p.open(outcome) for p in posters)), 60)
        await _warm_up(posters[-1], run_id, outcome)
        total = max(1, round(rate * duration))
        start = time.monotonic() + 0.2
        for i in range(total):
            delay = start + i / rate - time.monotonic()
            if delay > 0:
                await asyncio.sleep(delay)
            mark, body = body_for(run_id, i)
            await asyncio.wait_for(posters[i % POSTERS].post(i, mark, body, outcome), 10)
        deadline = time.monotonic() + ack_wait
        while time.monotonic() < deadline and any(p.pending for p in posters):
            await asyncio.sleep(0.05)
        for p in posters:
            for mark in p.pending.values():
                outcome.status[mark] = "no_ack"
    finally:
        await asyncio.gather(*(p.close() for p in posters), return_exceptions=True)
    return outcome
