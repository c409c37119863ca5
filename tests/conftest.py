"""The harness every handler test uses: the real application from `build_application(config)`,
talking to the in-process fake Bot API, with a fresh SQLite database per test.

`process_update` swallows handler exceptions (they go to the error handlers), so the harness adds
an error handler that records them and fails the test on any.
"""

from __future__ import annotations

import os
import uuid
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from telegram import Update

from bot.app import build_application, start_services, stop_services
from bot.clock import ManualClock
from bot.config import Config
from bot.fakeapi import FakeBotAPI, FakeRequest
from bot.services import services_of

GROUP_ID = -1001234567890
SUPERVISOR_ID = 9_000_000_001
OFFICER_ID = 7_000_000_001
OFFICER2_ID = 7_000_000_002
RESIDENT_ID = 5_000_000_001
RESIDENT2_ID = 5_000_000_002
OUTSIDER_ID = 6_000_000_001
# Inside Kota Tangerang (near the city hall).
IN_AREA = (-6.1783, 106.6319)
# Monas, Jakarta: outside the office's jurisdiction.
OUT_OF_AREA = (-6.1754, 106.8272)


class VirtualTime:
    """Monotonic seconds shared by the fake's rate limits and the dispatcher's waits: a wait of a
    minute for the group limit passes instantly and deterministically."""

    def __init__(self) -> None:
        self.value = 1000.0

    def __call__(self) -> float:
        return self.value

    async def sleep(self, seconds: float) -> None:
        self.value += max(0.0, seconds)


# Set (by .ci/run) to an admin URL of a throw-away PostgreSQL server: every test then gets a fresh
# PostgreSQL database instead of a fresh SQLite file, and the same suite proves both engines.
POSTGRES_ADMIN_URL = os.environ.get("SIPOA_TEST_POSTGRES_URL", "")


def make_config(tmp_path: Path, *, database_url: str | None = None, **overrides: Any) -> Config:
    url = database_url or f"sqlite+aiosqlite:///{tmp_path / 'sipoa.db'}"
    data: dict[str, Any] = {
        "telegram": {"token": "123456:TEST-TOKEN-not-real"},
        "officers": {"group_chat_id": GROUP_ID, "supervisor_ids": [SUPERVISOR_ID]},
        "storage": {"url": url, "base_dir": str(tmp_path)},
        # Screening is off unless a test turns it on (`screening={"enabled": True}`): conversation
        # tests reuse one description across residents and finish a conversation in 0 s of frozen
        # clock, which screening would rightly hold. Its own tests (tests/bot/screening,
        # tests/handlers/test_screening.py) run it end to end.
        "screening": {"enabled": False},
    }
    for section, values in overrides.items():
        data.setdefault(section, {}).update(values)
    return Config.model_validate(data)


@dataclass
class Harness:
    app: Any
    fake: FakeBotAPI
    clock: ManualClock
    vtime: VirtualTime
    errors: list[BaseException] = field(default_factory=list)

    @property
    def services(self):
        return services_of(self.app)

    async def feed(self, update: dict) -> None:
        """Hand one update (as the fake produced it) to the application, failing on any error."""
        await self.app.process_update(Update.de_json(update, self.app.bot))
        if self.errors:
            err = self.errors[:]
            self.errors.clear()
            raise AssertionError(f"handler raised: {err[0]!r}") from err[0]

    async def text(self, user_id: int, text: str, **kw: Any) -> None:
        await self.feed(self.fake.user_text(user_id, text, **kw))

    async def press(self, user_id: int, message: dict, data: str) -> None:
        chat_id = message["chat"]["id"]
        await self.feed(self.fake.user_press(user_id, chat_id, message["message_id"], data))

    def last(self, chat_id: int) -> dict:
        msg = self.fake.last_bot_message(chat_id)
        assert msg is not None, f"the bot sent nothing to {chat_id}"
        return msg

    def button_data(self, message: dict, label_part: str) -> str:
        for row in self.fake.buttons(message):
            for text, data in row:
                if label_part.lower() in text.lower():
                    return data
        raise AssertionError(f"no button containing {label_part!r} in {self.fake.buttons(message)}")

    async def drain(self) -> int:
        """Send everything the outbox holds, as the background dispatcher would."""
        dispatcher = self.services.background["dispatcher"]
        return await dispatcher.drain()

    def now(self) -> datetime:
        return self.clock()


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(datetime(2026, 3, 2, 2, 0, 0))  # 09:00 WIB


@pytest.fixture
def vtime() -> VirtualTime:
    return VirtualTime()


@pytest.fixture
def fake(vtime: VirtualTime) -> FakeBotAPI:
    api = FakeBotAPI(clock=vtime)
    api.add_user(SUPERVISOR_ID, "Siti", username="siti_spv")
    api.add_user(OFFICER_ID, "Agus", username="agus_petugas")
    api.add_user(OFFICER2_ID, "Bayu")
    api.add_user(RESIDENT_ID, "Budi", username="budi_warga", language_code="id")
    api.add_user(RESIDENT2_ID, "Alice", username="alice_en", language_code="en")
    api.add_user(OUTSIDER_ID, "Orang", username="orang_luar")
    api.add_group(GROUP_ID, "Petugas Imigrasi Tangerang", members=[SUPERVISOR_ID, OFFICER_ID, OFFICER2_ID])
    return api


@pytest.fixture
async def database_url(tmp_path: Path):
    """A fresh, empty database for this test: a SQLite file, or a new PostgreSQL database."""
    if not POSTGRES_ADMIN_URL:
        yield f"sqlite+aiosqlite:///{tmp_path / 'sipoa.db'}"
        return
    import asyncpg

    name = f"sipoa_test_{uuid.uuid4().hex[:16]}"
    admin_dsn = POSTGRES_ADMIN_URL.replace("postgresql+asyncpg://", "postgresql://")
    conn = await asyncpg.connect(admin_dsn)
    try:
        await conn.execute(f'CREATE DATABASE "{name}"')
    finally:
        await conn.close()
    yield POSTGRES_ADMIN_URL.rsplit("/", 1)[0] + "/" + name
    conn = await asyncpg.connect(admin_dsn)
    try:
        await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await conn.close()


@pytest.fixture
async def db(database_url: str):
    """The repository tests' database, its tables made, without the application around it."""
    from storage.db import Database

    database = Database(database_url)
    await database.create_schema()
    yield database
    await database.dispose()


@pytest.fixture
def config(tmp_path: Path, database_url: str) -> Config:
    return make_config(tmp_path, database_url=database_url)


async def start_harness(config: Config, fake: FakeBotAPI, clock: ManualClock, vtime: VirtualTime) -> Harness:
    app = build_application(config, request=FakeRequest(fake), clock=clock, run_background=False)
    harness = Harness(app=app, fake=fake, clock=clock, vtime=vtime)

    async def record(update: object, context: Any) -> None:
        harness.errors.append(context.error)

    app.add_error_handler(record)
    services_of(app).background["monotonic"] = vtime
    services_of(app).background["sleep"] = vtime.sleep
    await app.initialize()
    # create_all + stamp head: what the migrations build (tests/storage/test_migrations.py), in a
    # fraction of their time; start_services' migrate then finds head and does nothing.
    await services_of(app).db.create_schema()
    await start_services(app)
    return harness


@pytest.fixture
async def h(config: Config, fake: FakeBotAPI, clock: ManualClock, vtime: VirtualTime):
    harness = await start_harness(config, fake, clock, vtime)
    yield harness
    await stop_services(harness.app)
    await harness.app.shutdown()
