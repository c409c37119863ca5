"""Reporter rows under replicas: one person's row is created once even when two processes see
their first message at the same moment, and a locked row makes their transactions take turns."""

from __future__ import annotations

import asyncio
from datetime import datetime, timezone

from sqlmodel import select

from storage import reporters
from storage.db import Database
from storage.models import Reporter

NOW = datetime(2026, 3, 2, 2, 0, tzinfo=timezone.utc)


async def first_contact(db: Database, telegram_id: int, order: list[str], name: str) -> int:
    async with db.transaction() as s:
        reporter = await reporters.get_or_create(s, telegram_id=telegram_id, now=NOW, language="id", lock=True)
        order.append(f"{name} in")
        await asyncio.sleep(0.05)  # the other replica's transaction is under way meanwhile
        order.append(f"{name} out")
        return reporter.id


async def test_two_replicas_creating_one_person_at_once_make_one_row(db, other_db):
    order: list[str] = []
    ids = await asyncio.gather(first_contact(db, 501, order, "a"), first_contact(other_db, 501, order, "b"))
    # Now the row exists: the two lock it in turn, never interleaved.
    order.clear()
    again = await asyncio.gather(first_contact(db, 501, order, "a"), first_contact(other_db, 501, order, "b"))
    async with db.read() as s:
        rows = (await s.exec(select(Reporter).where(Reporter.telegram_id == 501))).all()
    assert len(rows) == 1
    assert set(ids) == set(again) == {rows[0].id}
    assert order in (["a in", "a out", "b in", "b out"], ["b in", "b out", "a in", "a out"])


async def test_lock_false_still_finds_and_updates_the_person(db):
    async with db.transaction() as s:
        first = await reporters.get_or_create(s, telegram_id=502, now=NOW, language="id", first_name="Budi")
    async with db.transaction() as s:
        same = await reporters.get_or_create(s, telegram_id=502, now=NOW, language="en", first_name="Budi S")
    assert (same.id, same.language, same.first_name) == (first.id, "en", "Budi S")
