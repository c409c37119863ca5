"""The group's flood window in the database: replicas count one group's sends together."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta, timezone

from storage import group_sends
from storage.db import Database

NOW = datetime(2026, 3, 2, 2, 0, tzinfo=timezone.utc)
GROUP, OTHER_GROUP = -100123, -100456
LIMIT = 19


async def window(db: Database, chat_id: int = GROUP, at: datetime = NOW) -> list[tuple[int | None, int, datetime]]:
    async with db.transaction() as s:
        sends = await group_sends.lock_window(s, chat_id=chat_id, now=at, window_seconds=60)
    return [(x.outbox_id, x.cost, x.at) for x in sends]


async def test_the_window_holds_the_last_minute_of_one_group(db):
    async with db.transaction() as s:
        await group_sends.lock_window(s, chat_id=GROUP, now=NOW, window_seconds=60)
        await group_sends.record(s, chat_id=GROUP, sends=[(1, 1), (2, 3)], now=NOW)
        await group_sends.record(s, chat_id=OTHER_GROUP, sends=[(3, 1)], now=NOW)
    assert await window(db) == [(1, 1, NOW), (2, 3, NOW)]
    assert await window(db, at=NOW + timedelta(seconds=59)) == [(1, 1, NOW), (2, 3, NOW)]
    assert await window(db, at=NOW + timedelta(seconds=60)) == []
    assert [o for o, _, _ in await window(db, OTHER_GROUP)] == [3]


async def test_an_answered_send_counts_from_the_answer(db):
    async with db.transaction() as s:
        await group_sends.record(s, chat_id=GROUP, sends=[(7, 1)], now=NOW)
    later = NOW + timedelta(seconds=5)
    async with db.transaction() as s:
        await group_sends.mark_answered(s, outbox_id=7, now=later)
    assert await window(db, at=NOW + timedelta(seconds=62)) == [(7, 1, later)]


async def test_sends_older_than_two_windows_are_forgotten(db):
    async with db.transaction() as s:
        await group_sends.record(s, chat_id=GROUP, sends=[(1, 1)], now=NOW)
    await window(db, at=NOW + timedelta(seconds=121))
    async with db.read() as s:
        from sqlmodel import select

        from storage.models import GroupSend

        assert (await s.exec(select(GroupSend))).all() == []


async def reserve(db: Database, wanted: int) -> int:
    """A replica's claim: lock the window, count, (think a little,) take what still fits."""
    async with db.transaction() as s:
        used = sum(x.cost for x in await group_sends.lock_window(s, chat_id=GROUP, now=NOW, window_seconds=60))
        await asyncio.sleep(0.05)  # the other replica would read the same count here without the lock
        take = max(0, min(wanted, LIMIT - used))
        await group_sends.record(s, chat_id=GROUP, sends=[(None, 1)] * take, now=NOW)
        return take


async def test_two_replicas_never_take_the_same_free_places(db, other_db):
    taken = await asyncio.gather(reserve(db, 15), reserve(other_db, 15), reserve(db, 15))
    assert sum(taken) == LIMIT
    assert sum(c for _, c, _ in await window(db)) == LIMIT
