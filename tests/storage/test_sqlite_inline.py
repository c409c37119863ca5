"""storage/sqlite_inline.py: SQLite write transactions (and quick reads) run in the loop's thread.

SQLite-specific by nature (a file and a second sqlite3 connection standing for another process),
so these tests make their own SQLite database instead of the `database_url` fixture.
"""

from __future__ import annotations

import asyncio
import sqlite3
import time

import pytest
from sqlalchemy.exc import OperationalError
from sqlmodel import select

from bot.clock import utcnow
from storage import db as db_module
from storage.db import Database
from storage.models import Setting
from storage.sqlite_inline import InlineConnection


async def _database(tmp_path) -> Database:
    db = Database(f"sqlite+aiosqlite:///{tmp_path / 'x.db'}")
    await db.create_schema()
    return db


async def test_writes_and_quick_reads_use_inline_connections_and_plain_reads_do_not(tmp_path):
    db = await _database(tmp_path)
    try:
        async with db.transaction() as s:
            s.add(Setting(key="k", value="v", updated_at=utcnow()))
            driver = (await (await s.connection()).get_raw_connection()).driver_connection
            assert isinstance(driver, InlineConnection)
        async with db.read(quick=True) as s:
            assert (await s.exec(select(Setting.value))).all() == ["v"]
            assert isinstance((await (await s.connection()).get_raw_connection()).driver_connection, InlineConnection)
        async with db.read() as s:  # long reads stay on aiosqlite's thread
            assert (await s.exec(select(Setting.value))).all() == ["v"]
            assert not isinstance((await (await s.connection()).get_raw_connection()).driver_connection, InlineConnection)
    finally:
        await db.dispose()


async def test_a_write_waits_for_another_process_lock_without_stalling_the_loop(tmp_path):
    """Another process (a sqlite3 connection here) holds the write lock for 0.3 s: our write waits
    for it with asyncio sleeps (the loop keeps running other tasks), then commits."""
    db = await _database(tmp_path)
    other = sqlite3.connect(tmp_path / "x.db", isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")
        loop = asyncio.get_running_loop()
        loop.call_later(0.3, other.execute, "COMMIT")
        ticks = 0

        async def ticker() -> None:
            nonlocal ticks
            while True:
                await asyncio.sleep(0.01)
                ticks += 1

        tick_task = asyncio.create_task(ticker())
        started = time.monotonic()
        async with db.transaction() as s:
            s.add(Setting(key="after", value="lock", updated_at=utcnow()))
        waited = time.monotonic() - started
        tick_task.cancel()
        assert waited >= 0.25
        assert ticks >= 10  # a blocking busy wait would have frozen the ticker for the whole 0.3 s
        async with db.read() as s:
            assert (await s.exec(select(Setting.value).where(Setting.key == "after"))).one() == "lock"
    finally:
        other.close()
        await db.dispose()


async def test_a_write_gives_up_after_the_busy_timeout_as_before(tmp_path, monkeypatch):
    monkeypatch.setattr(db_module, "SQLITE_BUSY_TIMEOUT_MS", 200)
    db = await _database(tmp_path)
    other = sqlite3.connect(tmp_path / "x.db", isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")
        with pytest.raises(OperationalError, match="locked"):
            async with db.transaction() as s:
                s.add(Setting(key="never", value="x", updated_at=utcnow()))
        other.execute("ROLLBACK")
        async with db.transaction() as s:  # the connection is fine afterwards
            s.add(Setting(key="later", value="y", updated_at=utcnow()))
        async with db.read() as s:
            assert (await s.exec(select(Setting.key))).all() == ["later"]
    finally:
        other.close()
        await db.dispose()


async def test_a_quick_read_runs_beside_an_open_write_transaction(tmp_path):
    """WAL: a reader sees the last commit while a writer holds the lock, and never waits for it."""
    db = await _database(tmp_path)
    try:
        async with db.transaction() as s:
            s.add(Setting(key="k", value="old", updated_at=utcnow()))
        async with db.transaction() as w:
            row = (await w.exec(select(Setting).where(Setting.key == "k"))).one()
            row.value = "new"
            w.add(row)
            await w.flush()
            async with db.read(quick=True) as r:
                assert (await r.exec(select(Setting.value))).one() == "old"
        async with db.read(quick=True) as r:
            assert (await r.exec(select(Setting.value))).one() == "new"
    finally:
        await db.dispose()
