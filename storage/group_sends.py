"""The group's flood window, shared by replicas: which messages went (or are going) into a group
in the last minute.

A dispatcher that wants to send into a group locks the group's `GroupWindow` row (SELECT … FOR
UPDATE: a second replica waits there for the first to finish claiming), reads the sends of the
window, claims what still fits and records those sends in the same transaction. A send is stamped
when it is claimed and stamped again when Telegram answers (`mark_answered`), so the window counts
it from the earlier of the two moments to the later: never shorter than Telegram's own count.
SQLite ignores FOR UPDATE; its write transactions are serial anyway.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from sqlalchemy import delete, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import GroupSend, GroupWindow


async def lock_window(
    session: AsyncSession, *, chat_id: int, now: datetime, window_seconds: float
) -> list[GroupSend]:
    """Lock the group's window for this transaction and return its sends since now − window,
    oldest first. Sends older than two windows are deleted on the way."""
    locked = (
        await session.exec(select(GroupWindow).where(GroupWindow.chat_id == chat_id).with_for_update())
    ).first()
    if locked is None:
        try:
            async with session.begin_nested():
                session.add(GroupWindow(chat_id=chat_id))
        except IntegrityError:
            pass  # another replica made it first: lock that one
        await session.exec(select(GroupWindow).where(GroupWindow.chat_id == chat_id).with_for_update())
    span = timedelta(seconds=window_seconds)
    stale = delete(GroupSend).where(GroupSend.chat_id == chat_id, GroupSend.at < now - 2 * span)
    await session.exec(stale)  # type: ignore[call-overload]
    query = (
        select(GroupSend)
        .where(GroupSend.chat_id == chat_id, GroupSend.at > now - span)
        .order_by(GroupSend.at, GroupSend.id)
    )
    return list((await session.exec(query)).all())


async def record(
    session: AsyncSession, *, chat_id: int, sends: Iterable[tuple[int | None, int]], now: datetime
) -> None:
    """Count (outbox row id, cost) sends into the group's window from now (the caller holds the lock)."""
    for outbox_id, cost in sends:
        session.add(GroupSend(chat_id=chat_id, outbox_id=outbox_id, cost=cost, at=now))
    await session.flush()


async def mark_answered(session: AsyncSession, *, outbox_id: int, now: datetime) -> None:
    """Telegram answered the send of this outbox row now: the window counts it from now on."""
    await session.exec(
        update(GroupSend)
        .where(GroupSend.outbox_id == outbox_id, GroupSend.at < now)
        .values(at=now)
        .execution_options(synchronize_session=False)
    )
