"""The dispatcher's side of the outbox: claims with a lease that two dispatchers never share,
results, health figures, and following a group to its new id."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta, timezone

from sqlmodel import select

from storage import outbox
from storage.db import Database
from storage.models import Outbox, OutboxStatus
from storage.outbox import OutboxKind

NOW = datetime(2026, 3, 2, 2, 0, tzinfo=timezone.utc)
GROUP, NEW_GROUP, ALICE = -100123, -100999, 501


async def add(db, n: int, *, chat_id: int = GROUP, at: datetime = NOW, kind: str = OutboxKind.TEXT) -> list[int]:
    async with db.transaction() as s:
        rows = [await outbox.enqueue(s, kind=kind, chat_id=chat_id, now=at, payload={"text": str(i)})
                for i in range(n)]
        return [r.id for r in rows]


async def rows(db) -> dict[int, Outbox]:
    async with db.read() as s:
        return {r.id: r for r in (await s.exec(select(Outbox))).all()}


async def claim(db, *, now=NOW, limit=100, **kw) -> list[int]:
    async with db.transaction() as s:
        return [r.id for r in await outbox.claim_due(s, now=now, limit=limit, lease_seconds=60, **kw)]


async def test_claims_due_rows_oldest_first_and_leases_them(db):
    first = await add(db, 2, at=NOW - timedelta(minutes=1))
    later = await add(db, 1, at=NOW + timedelta(minutes=5))
    assert await claim(db) == first
    stored = await rows(db)
    assert all(stored[i].lease_until == NOW + timedelta(seconds=60) for i in first)
    assert stored[later[0]].lease_until is None
    # Leased rows are not due again until the lease runs out (a crashed dispatcher's rows come back).
    assert await claim(db) == []
    assert await claim(db, now=NOW + timedelta(seconds=61)) == first


async def test_two_dispatchers_never_claim_the_same_row(db):
    ids = await add(db, 40)
    other = Database(db.url)
    try:
        async def claimer(database):
            async with database.transaction() as s:
                return [r.id for r in await outbox.claim_due(s, now=NOW, limit=25, lease_seconds=60)]

        a, b = await asyncio.gather(claimer(db), claimer(other))
    finally:
        await other.dispose()
    assert not set(a) & set(b)
    assert sorted(a + b) == ids


async def test_a_claim_of_a_row_someone_else_holds_fails(db):
    [row_id] = await add(db, 1)
    async with db.transaction() as s:
        assert await outbox.claim(s, row_id=row_id, now=NOW, lease_seconds=60)
    async with db.transaction() as s:
        assert not await outbox.claim(s, row_id=row_id, now=NOW + timedelta(seconds=30), lease_seconds=60)


async def test_accept_and_exclude_leave_rows_due_for_later(db):
    group = await add(db, 3)
    alice = await add(db, 1, chat_id=ALICE)
    assert await claim(db, exclude_chats={GROUP}) == alice
    assert await claim(db, accept=lambda r: r.id != group[1]) == [group[0], group[2]]
    assert await claim(db) == [group[1]]


async def test_results_sent_retry_failed(db):
    a, b, c = await add(db, 3)
    await claim(db)
    async with db.transaction() as s:
        await outbox.mark_sent(s, row_id=a, now=NOW, message_id=77)
        await outbox.mark_retry(s, row_id=b, next_attempt_at=NOW + timedelta(seconds=30), error="timed out")
        await outbox.mark_failed(s, row_id=c, now=NOW, error="Forbidden: bot was blocked by the user")
    stored = await rows(db)
    assert (stored[a].status, stored[a].message_id, stored[a].sent_at, stored[a].lease_until) == (
        OutboxStatus.SENT, 77, NOW, None)
    assert (stored[b].status, stored[b].attempts, stored[b].last_error, stored[b].lease_until) == (
        OutboxStatus.PENDING, 1, "timed out", None)
    assert (stored[c].status, stored[c].last_error) == (OutboxStatus.FAILED, "Forbidden: bot was blocked by the user")
    # Sent and failed rows are never claimed again; the retried one only when its time comes.
    assert await claim(db, now=NOW + timedelta(seconds=10)) == []
    assert await claim(db, now=NOW + timedelta(seconds=30)) == [b]


async def test_a_flood_wait_is_not_an_attempt(db):
    [row_id] = await add(db, 1)
    async with db.transaction() as s:
        await outbox.mark_retry(s, row_id=row_id, next_attempt_at=NOW + timedelta(seconds=5), error="429",
                                count_attempt=False)
    assert (await rows(db))[row_id].attempts == 0


async def test_pending_count_and_oldest_pending_age(db):
    async with db.read() as s:
        assert await outbox.pending_count(s) == 0
        assert await outbox.oldest_pending_age(s, now=NOW) is None
    old = await add(db, 1, at=NOW - timedelta(minutes=7))
    await add(db, 2, chat_id=ALICE)
    async with db.transaction() as s:
        await outbox.mark_sent(s, row_id=old[0], now=NOW, message_id=1)
    await add(db, 1, at=NOW - timedelta(minutes=3))
    async with db.read() as s:
        assert await outbox.pending_count(s) == 3
        assert await outbox.pending_count(s, chat_id=ALICE) == 2
        assert await outbox.oldest_pending_age(s, now=NOW) == timedelta(minutes=3)
        assert await outbox.has_due(s, now=NOW)


async def test_retarget_moves_only_pending_rows(db):
    sent, pending = await add(db, 2)
    async with db.transaction() as s:
        await outbox.mark_sent(s, row_id=sent, now=NOW, message_id=5)
        assert await outbox.retarget_chat(s, old_chat_id=GROUP, new_chat_id=NEW_GROUP) == 1
    stored = await rows(db)
    assert stored[sent].chat_id == GROUP
    assert stored[pending].chat_id == NEW_GROUP


async def test_release_hands_claimed_rows_back(db):
    ids = await add(db, 2)
    await claim(db)
    async with db.transaction() as s:
        await outbox.release(s, row_ids=ids)
    assert await claim(db) == ids


async def test_enqueue_with_the_same_dedupe_key_queues_once(db):
    async with db.transaction() as s:
        a = await outbox.enqueue(s, kind=OutboxKind.NOTIFY, chat_id=ALICE, now=NOW, dedupe_key="notify:1:taken")
        b = await outbox.enqueue(s, kind=OutboxKind.NOTIFY, chat_id=ALICE, now=NOW, dedupe_key="notify:1:taken")
    assert a.id == b.id
    assert len(await rows(db)) == 1


async def test_release_all_leases_frees_only_pending_claims(database_url):
    from sqlmodel import select

    from bot.clock import utcnow
    from storage.db import Database
    from storage.models import Outbox, OutboxStatus
    from storage.outbox import enqueue, release_all_leases

    db = Database(database_url)
    try:
        await db.create_schema()
        now = utcnow()
        async with db.transaction() as s:
            a = await enqueue(s, kind="text", chat_id=1, now=now, payload={"text": "a"})
            b = await enqueue(s, kind="text", chat_id=1, now=now, payload={"text": "b"})
            a.lease_until = b.lease_until = now
            b.status = OutboxStatus.SENT
            s.add(a)
            s.add(b)
        async with db.transaction() as s:
            assert await release_all_leases(s) == 1
        async with db.read() as s:
            rows = {r.payload["text"]: r for r in (await s.exec(select(Outbox))).all()}
        assert rows["a"].lease_until is None
        assert rows["b"].lease_until is not None
    finally:
        await db.dispose()
