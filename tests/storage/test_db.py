"""The database layer: SQLite pragmas, schema creation, and concurrent writers that wait instead of
failing (BEGIN IMMEDIATE + busy_timeout)."""

from __future__ import annotations

import asyncio

from sqlalchemy import text
from sqlmodel import select

from bot.clock import utcnow
from storage.db import Database
from storage.models import Counter, Setting


async def test_sqlite_pragmas_and_schema(tmp_path):
    db = Database(f"sqlite+aiosqlite:///{tmp_path / 'sub' / 'x.db'}")
    try:
        await db.create_schema()
        async with db.read() as s:
            journal = (await s.exec(text("PRAGMA journal_mode"))).scalar_one()
            fks = (await s.exec(text("PRAGMA foreign_keys"))).scalar_one()
            busy = (await s.exec(text("PRAGMA busy_timeout"))).scalar_one()
        assert (journal, fks, busy) == ("wal", 1, 10_000)
        assert (tmp_path / "sub" / "x.db").exists()
    finally:
        await db.dispose()


async def test_rollback_on_error_keeps_nothing(database_url):
    db = Database(database_url)
    try:
        await db.create_schema()
        try:
            async with db.transaction() as s:
                s.add(Setting(key="k", value="v", updated_at=utcnow()))
                await s.flush()
                raise RuntimeError("boom")
        except RuntimeError:
            pass
        async with db.read() as s:
            assert (await s.exec(select(Setting))).all() == []
    finally:
        await db.dispose()


async def test_concurrent_read_modify_write_transactions_do_not_lose_updates(tmp_path):
    """Twenty tasks increment one counter read-then-write: with deferred transactions some would fail
    with 'database is locked'; with BEGIN IMMEDIATE they queue and every increment lands.
    (SQLite-specific: PostgreSQL code paths use conditional UPDATEs instead.)"""
    db = Database(f"sqlite+aiosqlite:///{tmp_path / 'x.db'}")
    try:
        await db.create_schema()
        async with db.transaction() as s:
            s.add(Counter(name="c", value=0))

        async def bump() -> None:
            async with db.transaction() as s:
                row = (await s.exec(select(Counter).where(Counter.name == "c"))).one()
                await asyncio.sleep(0.001)
                row.value += 1
                s.add(row)

        await asyncio.gather(*(bump() for _ in range(20)))
        async with db.read() as s:
            assert (await s.exec(select(Counter))).one().value == 20
    finally:
        await db.dispose()
