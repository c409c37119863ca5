"""Job leases: each period of a job is taken once, whichever replica asks first."""

from __future__ import annotations

import asyncio
from datetime import datetime, timezone

from storage import leases
from storage.db import Database

NOW = datetime(2026, 3, 2, 2, 0, tzinfo=timezone.utc)


async def take(db: Database, period: str, holder: str = "a", name: str = "sweep") -> bool:
    async with db.transaction() as s:
        return await leases.take(s, name=name, period=period, holder=holder, now=NOW)


async def test_a_period_is_taken_once_and_the_next_one_again(db):
    assert await take(db, "1", "a") is True  # the job's first row
    assert await take(db, "1", "b") is False
    assert await take(db, "2", "b") is True
    assert await take(db, "2", "a") is False
    async with db.read() as s:
        lease = await leases.get(s, name="sweep")
    assert (lease.period, lease.holder) == ("2", "b")


async def test_jobs_have_leases_of_their_own(db):
    assert await take(db, "1", name="sweep_drafts") is True
    assert await take(db, "1", name="sweep_sla") is True
    assert await take(db, "1", name="sweep_sla") is False


async def test_two_replicas_racing_for_each_period_take_it_once(db, other_db):
    """Two replicas ask for the same periods at the same moments, the job's first row included:
    exactly one wins each period."""
    for period in range(6):
        won = await asyncio.gather(take(db, str(period), "a"), take(other_db, str(period), "b"))
        assert sorted(won) == [False, True], period
