"""Browser fixtures: one Chromium per test run (Debian's, never a downloaded one),
one real ``raati serve`` per test module, and helpers to seed sessions, posts and
staff accounts through the domain's own functions."""

from __future__ import annotations

import secrets
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, TypeVar

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, Playwright, sync_playwright
from sqlalchemy.engine import Engine
from sqlmodel import Session

from deliberation.models import Deliberation, utcnow
from deliberation.participants import do_join
from deliberation.posts import do_create_post
from deliberation.sessions import SessionForm, do_create_deliberation, questions_of
from deliberation.staff import do_create_staff
from server import db
from server.auth import hash_password
from tests.conftest import REDIS_URL, ServerProcess

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
STAFF_PASSWORD = "salasana-testeille-123"
T = TypeVar("T")


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    with sync_playwright() as pw:
        yield pw


@pytest.fixture(scope="session")
def browser(playwright: Playwright) -> Iterator[Browser]:
    browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    yield browser
    browser.close()


@dataclass
class Site:
    """A running server and the database behind it."""

    server: ServerProcess
    engine: Engine

    @property
    def url(self) -> str:
        return self.server.url

    def run(self, fn: Callable[..., T], **kw: Any) -> T:
        """Run a domain function in one committed transaction."""
        with db.session(self.engine) as s:
            result = fn(s, **kw)
            s.commit()
            return result

    def make_session(self, *, title: str = "Tulevaisuuden kotihoito", closed: bool = False,
                     mode: str = "post", draft: bool = False,
                     questions: tuple[str, ...] = ("Millaista on hyvä kotihoito?",)) -> Deliberation:
        """A published session (a draft with ``draft``), open unless ``closed``."""
        now = utcnow()
        form = SessionForm(
            title=title, slug=f"testi-{secrets.token_hex(4)}",
            introduction="Tervetuloa keskustelemaan!\n\nVoit osallistua nimettömänä.",
            questions=questions,
            opens_at=now - timedelta(days=2 if closed else 0, hours=1),
            closes_at=now - timedelta(minutes=1) if closed else now + timedelta(days=7),
            moderation_mode=mode,
        )
        def create(s: Session) -> Deliberation:
            d = do_create_deliberation(s, form=form)
            if not draft:  # published without an event, as in tests/factories.py
                d.published_at = now - timedelta(days=3)
                s.add(d)
            return d
        return self.run(create)

    def add_post(self, d: Deliberation, body: str, *, parent_id: int | None = None,
                 question: int = 0) -> int:
        """A post by a fresh participant; returns the post id. The session must be open."""
        def create(s: Session) -> int:
            assert d.id is not None
            q = questions_of(s, deliberation_id=d.id)[question]
            who = do_join(s, deliberation_id=d.id, token=secrets.token_urlsafe(16))
            fresh = s.get(Deliberation, d.id)
            assert fresh is not None
            out = do_create_post(s, d=fresh, participant=who, question_id=q.id,
                                 parent_id=parent_id, body=body)
            assert out.post.id is not None
            return out.post.id
        return self.run(create)

    def close(self, d: Deliberation) -> None:
        def shut(s: Session) -> None:
            fresh = s.get(Deliberation, d.id)
            assert fresh is not None
            fresh.closes_at = utcnow() - timedelta(seconds=1)
            s.add(fresh)
        self.run(shut)

    def make_staff(self, role: str = "admin") -> str:
        username = f"staff-{secrets.token_hex(3)}"
        self.run(lambda s: do_create_staff(s, username=username,
                                           password_hash=hash_password(STAFF_PASSWORD), role=role))
        return username


def _start_site(tmp: Any, database_url: str, redis_url: str | None = None,
                env: dict[str, str] | None = None) -> Iterator[Site]:
    # Generous posting limits: one browser context posts several times in a test.
    server = ServerProcess(tmp, database_url, redis_url=redis_url,
                           env={"RAATI_POSTS_PER_MINUTE": "100", **(env or {})}).start()
    engine = db.make_engine(database_url)
    try:
        yield Site(server, engine)
    finally:
        server.stop()
        engine.dispose()


@pytest.fixture(scope="module")
def site(sqlite_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """A server on SQLite with the in-process broker, for this module."""
    yield from _start_site(tmp_path_factory.mktemp("site"), sqlite_url)


@pytest.fixture(scope="module")
def pow_site(sqlite_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """A server whose residents pay a (small) proof-of-work to take part."""
    yield from _start_site(tmp_path_factory.mktemp("powsite"), sqlite_url,
                           env={"RAATI_POW_COST": "20"})


@pytest.fixture(scope="module")
def pg_site(postgres_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """A server on PostgreSQL with the Redis broker, for this module."""
    yield from _start_site(tmp_path_factory.mktemp("pgsite"), postgres_url, REDIS_URL)


@pytest.fixture
def new_context(browser: Browser) -> Iterator[Callable[..., BrowserContext]]:
    """Fresh browser contexts (separate cookies: separate residents), closed after the test."""
    made: list[BrowserContext] = []

    def make(**kw: Any) -> BrowserContext:
        kw.setdefault("viewport", PHONE)
        kw.setdefault("locale", "fi-FI")
        ctx = browser.new_context(**kw)
        ctx.set_default_timeout(10_000)
        made.append(ctx)
        return ctx

    yield make
    for ctx in made:
        ctx.close()


@pytest.fixture
def page(new_context: Callable[..., BrowserContext]) -> Page:
    return new_context().new_page()


def log_in(page: Page, base_url: str, username: str) -> None:
    page.goto(f"{base_url}/staff/login")
    page.fill("#username", username)
    page.fill("#password", STAFF_PASSWORD)
    page.click("form.stack button[type=submit]")
    page.wait_for_url(f"{base_url}/staff")
