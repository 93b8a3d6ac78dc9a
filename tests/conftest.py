"""Shared fixtures: a real database per backend (SQLite and PostgreSQL), a frozen clock, a chat."""
from __future__ import annotations

import os
import uuid
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from bot.app import App
from entry.app import create_app
from bot.clock import FrozenClock
from bot.config import Settings, load_settings
from bot.models import Action, Actor, Conversation, ConversationKind, Incoming, Message
from storage.db import Database
from storage.migrate import upgrade
from storage.models import Base
from storage.repositories import Repositories
from tests.fakes.gateway import RecordingGateway

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SHARED_ABSENT = (f"{SHARED / 'policy'} is absent: tests on the shared sample policy set are skipped "
                 "(CI and `make bench` run them with ../shared beside the repository)")
POSTGRES_URL = os.environ.get("TEST_POSTGRES_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/test")
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


async def _postgres_reachable() -> bool:
    engine = create_async_engine(POSTGRES_URL)
    try:
        async with engine.connect() as conn:
            await conn.execute(text("SELECT 1"))
        return True
    except Exception:
        return False
    finally:
        await engine.dispose()


async def create_postgres_database() -> str:
    """A fresh database of its own, so runs never collide."""
    name = f"advocacy_test_{uuid.uuid4().hex[:12]}"
    engine = create_async_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    async with engine.connect() as conn:
        await conn.execute(text(f'CREATE DATABASE "{name}"'))
    await engine.dispose()
    return POSTGRES_URL.rsplit("/", 1)[0] + f"/{name}"


async def drop_postgres_database(url: str) -> None:
    name = url.rsplit("/", 1)[1]
    engine = create_async_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    async with engine.connect() as conn:
        await conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    await engine.dispose()


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
async def database_url(request, tmp_path_factory):
    if request.param == "sqlite":
        yield f"sqlite+aiosqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"
        return
    if not await _postgres_reachable():
        if IN_CI:
            pytest.fail(f"PostgreSQL is not reachable at {POSTGRES_URL} (CI=true: not skipping)")
        pytest.skip(f"PostgreSQL not reachable at {POSTGRES_URL}")
    url = await create_postgres_database()
    yield url
    await drop_postgres_database(url)


@pytest.fixture(scope="session")
async def migrated(database_url):
    db = Database(database_url)
    await upgrade(db)
    await db.dispose()
    return database_url


@pytest.fixture
async def db(migrated):
    database = Database(migrated)
    yield database
    async with database.transaction() as session:
        if database.is_sqlite:
            for table in reversed(Base.metadata.sorted_tables):
                await session.execute(table.delete())
        else:
            names = ", ".join(t.name for t in Base.metadata.sorted_tables)
            await session.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    await database.dispose()


@pytest.fixture(scope="session")
def shared_policy() -> Path:
    """../shared/policy (the sample FAQ and question sets beside the repository), or a skip with one
    reason when the repository stands alone: nothing reads it while tests are collected."""
    path = SHARED / "policy"
    if not path.is_dir():
        pytest.skip(SHARED_ABSENT)
    return path


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    """Every skip for want of ../shared is reported at one place, so `-ra` folds them into one line."""
    report = yield
    if report.skipped and isinstance(report.longrepr, tuple) and report.longrepr[2].endswith(SHARED_ABSENT):
        report.longrepr = (str(Path(__file__).relative_to(ROOT)), 0, report.longrepr[2])
    return report


WARSAW = ZoneInfo("Europe/Warsaw")


@pytest.fixture
def clock():
    return FrozenClock(datetime(2026, 11, 23, 10, 0, tzinfo=WARSAW))


@pytest.fixture
def settings(migrated) -> Settings:
    base = load_settings({"DATABASE_URL": migrated})
    return replace(base, admins=frozenset({"test:U_ADMIN"}), editors=frozenset({"test:U_EDITOR"}),
                   channel="test=C_GENERAL", load_demo=False)


FIRST_START = datetime(2026, 10, 5, 9, 0, tzinfo=WARSAW)  # weeks before the frozen clock: catch-up has a past


@pytest.fixture
async def app(db, settings, clock) -> App:
    async with db.transaction() as session:
        await Repositories(session).program.record_first_start(FIRST_START)
    await db.engine.dispose()  # keep no idle connection a test may have the server close under it
    application = await create_app(settings, clock, migrate=False, demo=False)
    gateway = RecordingGateway()
    application.add_gateway(gateway)
    yield application
    await application.db.dispose()


@pytest.fixture
def gateway(app) -> RecordingGateway:
    return app.gateways["test"]  # type: ignore[return-value]


class Chat:
    """Talk to the core like a person would: `await chat.say("ola", "join")`."""

    def __init__(self, app: App):
        self.app = app
        self.locales: dict[str, str] = {}
        self.zones: dict[str, str] = {}

    def actor(self, user: str) -> Actor:
        return Actor("test", user, user.replace("U_", "").capitalize(), self.locales.get(user),
                     self.zones.get(user))

    def where(self, channel: str | None) -> Conversation:
        if channel is None:
            return Conversation("test", "D_DM", ConversationKind.DIRECT)
        return Conversation("test", channel, ConversationKind.CHANNEL, f"#{channel.lower()}")

    async def say(self, user: str, text: str, channel: str | None = "C_GENERAL",
                  event_id: str | None = None) -> Message | None:
        reply = await self.app.core.handle(Incoming(self.actor(user), self.where(channel), text=text,
                                                    event_id=event_id))
        await self.app.dispatcher.drain()
        return reply

    async def click(self, user: str, verb: str, target: str = "", values: dict | None = None,
                    event_id: str | None = None) -> Message | None:
        reply = await self.app.core.handle(Incoming(
            self.actor(user), self.where("C_GENERAL"), action=Action(verb, target, values or {}),
            event_id=event_id))
        await self.app.dispatcher.drain()
        return reply

    async def text(self, user: str, text: str, **kw) -> str:
        reply = await self.say(user, text, **kw)
        assert reply is not None
        return reply.text


@pytest.fixture
def chat(app) -> Chat:
    return Chat(app)

