"""Replicas' dispatchers on one database share the group's 20-a-minute window (storage/
group_sends.py): two of them together send no more into the group than one would."""

from __future__ import annotations

from sqlmodel import select

from bot.dispatcher import Dispatcher
from storage import outbox
from storage.models import GroupSend, Outbox, OutboxStatus
from storage.outbox import OutboxKind
from tests.conftest import GROUP_ID, RESIDENT_ID

PER_MINUTE = 19


async def queue(h, n: int, chat_id: int = GROUP_ID) -> None:
    async with h.services.db.transaction() as s:
        for i in range(n):
            await outbox.enqueue(s, kind=OutboxKind.TEXT, chat_id=chat_id, now=h.now(),
                                 payload={"text": f"pesan {i}", "reply_markup": None})


def replicas(h, *, shared: bool) -> list[Dispatcher]:
    """Two dispatchers, each with its own in-memory limiter, as in two processes."""
    h.services.background["shared_group_limit"] = shared
    try:
        return [Dispatcher(h.app.bot, h.services), Dispatcher(h.app.bot, h.services)]
    finally:
        h.services.background["shared_group_limit"] = False


async def sent_rows(h) -> int:
    async with h.services.db.read() as s:
        return len((await s.exec(select(Outbox).where(Outbox.status == OutboxStatus.SENT))).all())


async def test_two_dispatchers_share_the_groups_minute(h):
    await queue(h, 30)
    await queue(h, 1, chat_id=RESIDENT_ID)
    a, b = replicas(h, shared=True)
    sent = await a.run_once() + await b.run_once() + await a.run_once()
    # 19 into the group between them; the private chat is not held back by the group's window.
    assert sent == PER_MINUTE + 1
    assert len(h.fake.bot_messages(GROUP_ID)) == PER_MINUTE
    # The one that found the window full waits for its oldest send to leave it, not a poll interval.
    await b.run_once()
    assert 55 < b.last_wait <= 60
    h.clock.advance(seconds=61)
    h.vtime.value += 61
    assert await b.run_once() + await a.run_once() == 11
    assert len(h.fake.bot_messages(GROUP_ID)) == 30
    assert [c for c in h.fake.calls if c.status == 429] == []
    async with h.services.db.read() as s:
        recorded = (await s.exec(select(GroupSend))).all()
    assert sum(r.cost for r in recorded) == 30 and {r.chat_id for r in recorded} == {GROUP_ID}


async def test_without_the_shared_window_two_dispatchers_overrun_the_group(h):
    """The control: each process's own limiter lets 19 through, the pair overruns Telegram's 20."""
    await queue(h, 40)
    a, b = replicas(h, shared=False)
    await a.run_once()
    await b.run_once()
    assert len(h.fake.bot_messages(GROUP_ID)) == 20  # all Telegram takes; the rest got 429
    assert [c for c in h.fake.calls if c.status == 429]


async def test_a_group_row_queued_after_the_windows_were_locked_waits_for_the_next_round(h, monkeypatch):
    """Claiming reads the rows after locking the windows of the groups it saw: an alert committed in
    between must not slip through unlocked (two replicas could both send it over the limit)."""
    await queue(h, 3)
    [a] = replicas(h, shared=True)[:1]
    real = outbox.due_chats

    async def seen_before_the_alerts_came(session, **kw):
        return []

    monkeypatch.setattr(outbox, "due_chats", seen_before_the_alerts_came)
    assert await a.run_once() == 0 and a.last_wait == 0
    monkeypatch.setattr(outbox, "due_chats", real)
    assert await a.run_once() == 3
