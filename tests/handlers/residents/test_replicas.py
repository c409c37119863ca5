"""Two processes (replicas) on one database handle two updates of the same resident at the same
moment: each update locks the resident's row for its transaction, so the second reads what the first
wrote (handlers/residents/flow.py + storage/reporters.py). On PostgreSQL this is the row lock; on
SQLite the single writer."""

from __future__ import annotations

import asyncio

import pytest
from sqlmodel import select

from bot.app import stop_services
from storage import drafts
from storage.models import Photo, Reporter
from tests.conftest import RESIDENT_ID, make_config, start_harness
from tests.handlers.residents.helpers import to_photos


@pytest.fixture
def config(tmp_path, database_url):
    return make_config(tmp_path, database_url=database_url, intake={"max_photos": 1})


async def test_two_photos_at_once_on_two_replicas_respect_the_photo_limit(h, config, fake, clock, vtime, monkeypatch):
    await to_photos(h, RESIDENT_ID)
    read_draft = drafts.get_for_reporter

    async def slow_read(session, **kw):
        # Both updates have read the draft before either writes, unless something serialises them.
        draft = await read_draft(session, **kw)
        await asyncio.sleep(0.1)
        return draft

    monkeypatch.setattr(drafts, "get_for_reporter", slow_read)
    other = await start_harness(config, fake, clock, vtime)
    try:
        vtime.value += 1
        first, second = fake.user_photo(RESIDENT_ID), fake.user_photo(RESIDENT_ID)
        await asyncio.gather(h.feed(first), other.feed(second))
    finally:
        await stop_services(other.app)
        await other.app.shutdown()
    async with h.services.db.read() as s:
        photos = (await s.exec(select(Photo).where(Photo.draft_id.is_not(None)))).all()
    # Unserialised, both would read "no photo yet" and both be kept beyond max_photos = 1.
    assert len(photos) == 1


async def test_a_new_resident_seen_by_two_replicas_at_once_is_one_reporter(h, config, fake, clock, vtime):
    other = await start_harness(config, fake, clock, vtime)
    try:
        await asyncio.gather(h.text(RESIDENT_ID, "/start"), other.text(RESIDENT_ID, "/bahasa"))
    finally:
        await stop_services(other.app)
        await other.app.shutdown()
    async with h.services.db.read() as s:
        assert len((await s.exec(select(Reporter).where(Reporter.telegram_id == RESIDENT_ID))).all()) == 1
