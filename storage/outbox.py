"""Outbox rows: messages queued in the same transaction as the change that causes them.

The dispatcher (bot/dispatcher.py) claims due rows, renders them from the current rows, sends them
within Telegram's limits and records the message_id. Handlers never send these themselves.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, func, or_, update
from sqlalchemy.orm.attributes import set_committed_value
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import Outbox, OutboxStatus


class OutboxKind:
    # The report's one message in the officers' group (rendered from the report at send time).
    ALERT = "alert"
    # Edit the alert in place after a status change.
    ALERT_REFRESH = "alert_refresh"
    # The report's remaining photos, as an album replying to the alert.
    PHOTOS = "photos"
    # Tell the resident their report changed status. payload: {"event": <to_status>}
    NOTIFY = "notify"
    # A ready-made message. payload: {"text": <html>, "reply_markup": <dict or None>}
    TEXT = "text"
    # Follow-up (storage/followups.py), rendered from the FollowUp row. payload: {"followup_id": id}
    # An officer's question, to the reporter's private chat, under the report number only.
    RELAY_TO_RESIDENT = "relay_to_resident"
    # A question, answer or added information, to the group as a reply to the report's alert.
    RELAY_TO_GROUP = "relay_to_group"


async def enqueue(
    session: AsyncSession,
    *,
    kind: str,
    chat_id: int,
    now: datetime,
    report_id: int | None = None,
    payload: dict[str, Any] | None = None,
    dedupe_key: str | None = None,
) -> Outbox:
    """Queue a message; with a dedupe_key, queueing the same logical message twice returns the first."""
    if dedupe_key is not None:
        existing = (await session.exec(select(Outbox).where(Outbox.dedupe_key == dedupe_key))).first()
        if existing is not None:
            return existing
    row = Outbox(
        kind=kind,
        chat_id=chat_id,
        report_id=report_id,
        payload=payload or {},
        status=OutboxStatus.PENDING,
        next_attempt_at=now,
        created_at=now,
        dedupe_key=dedupe_key,
    )
    session.add(row)
    await session.flush()
    return row


# --- the dispatcher's side ---
#
# A row is due when it is pending, its next_attempt_at has come, and nobody holds a live lease on it.
# Claiming is a conditional UPDATE on that same condition, so two dispatchers (replicas, or one
# restarted beside a stuck one) never both send a row: the second UPDATE matches nothing.


def _due(now: datetime):
    return and_(
        Outbox.status == OutboxStatus.PENDING,
        Outbox.next_attempt_at <= now,
        or_(Outbox.lease_until.is_(None), Outbox.lease_until < now),
    )


async def due_rows(
    session: AsyncSession, *, now: datetime, limit: int, exclude_chats: Collection[int] = (), lock: bool = False
) -> list[Outbox]:
    """Due rows, oldest first, leaving out chats that cannot take a message now."""
    query = select(Outbox).where(_due(now))
    if exclude_chats:
        query = query.where(Outbox.chat_id.not_in(list(exclude_chats)))
    query = query.order_by(Outbox.next_attempt_at, Outbox.id).limit(limit)
    if lock:
        # PostgreSQL: a second dispatcher skips the rows the first is claiming instead of queueing
        # behind them (SQLite has no row locks; its write transactions are serial anyway).
        query = query.with_for_update(skip_locked=True)
    return list((await session.exec(query)).all())


async def due_chats(session: AsyncSession, *, now: datetime, groups_only: bool = False) -> list[int]:
    """The chats that have due rows (groups only: negative ids), for the replicas' shared group limit."""
    query = select(Outbox.chat_id).where(_due(now)).distinct()
    if groups_only:
        query = query.where(Outbox.chat_id < 0)
    return sorted((await session.exec(query)).all())


async def claim(session: AsyncSession, *, row_id: int, now: datetime, lease_seconds: float) -> bool:
    """Take a lease on one due row; False when another dispatcher has it (or it is no longer due)."""
    result = await session.exec(
        update(Outbox)
        .where(Outbox.id == row_id, _due(now))
        .values(lease_until=now + timedelta(seconds=lease_seconds))
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1


async def claim_due(
    session: AsyncSession,
    *,
    now: datetime,
    limit: int,
    lease_seconds: float,
    exclude_chats: Collection[int] = (),
    accept: Callable[[Outbox], bool] | None = None,
) -> list[Outbox]:
    """Claim up to `limit` due rows, oldest first. `accept` (the rate limiter's say) may pass a row
    over, which leaves it due for the next round."""
    claimed: list[Outbox] = []
    for row in await due_rows(session, now=now, limit=limit, exclude_chats=exclude_chats, lock=True):
        if accept is not None and not accept(row):
            continue
        if await claim(session, row_id=row.id, now=now, lease_seconds=lease_seconds):
            # What the UPDATE just wrote, as the row's loaded state: not a change to flush again.
            set_committed_value(row, "lease_until", now + timedelta(seconds=lease_seconds))
            claimed.append(row)
    return claimed


async def get(session: AsyncSession, *, row_id: int) -> Outbox | None:
    return await session.get(Outbox, row_id)


async def mark_sent(session: AsyncSession, *, row_id: int, now: datetime, message_id: int | None) -> None:
    await session.exec(
        update(Outbox)
        .where(Outbox.id == row_id)
        .values(status=OutboxStatus.SENT, sent_at=now, message_id=message_id, lease_until=None, last_error=None)
        .execution_options(synchronize_session=False)
    )


async def mark_retry(
    session: AsyncSession,
    *,
    row_id: int,
    next_attempt_at: datetime,
    error: str | None,
    count_attempt: bool = True,
) -> None:
    """Give the row back, due again at `next_attempt_at`. A wait imposed by Telegram's flood limit
    or a release without trying is not an attempt (`count_attempt=False`)."""
    values: dict[str, Any] = {"next_attempt_at": next_attempt_at, "lease_until": None}
    if error is not None:
        values["last_error"] = error[:2000]
    if count_attempt:
        values["attempts"] = Outbox.attempts + 1
    await session.exec(
        update(Outbox).where(Outbox.id == row_id).values(**values).execution_options(synchronize_session=False)
    )


async def mark_failed(session: AsyncSession, *, row_id: int, now: datetime, error: str) -> None:
    """Telegram refused it for good: kept for the operator, never retried."""
    await session.exec(
        update(Outbox)
        .where(Outbox.id == row_id)
        .values(status=OutboxStatus.FAILED, lease_until=None, last_error=error[:2000], attempts=Outbox.attempts + 1)
        .execution_options(synchronize_session=False)
    )


async def pending_count(session: AsyncSession, *, chat_id: int | None = None) -> int:
    query = select(func.count()).select_from(Outbox).where(Outbox.status == OutboxStatus.PENDING)
    if chat_id is not None:
        query = query.where(Outbox.chat_id == chat_id)
    return int((await session.exec(query)).one())


async def oldest_pending_age(session: AsyncSession, *, now: datetime) -> timedelta | None:
    """How long the oldest unsent message has waited (None: nothing waits). A health signal."""
    oldest = (
        await session.exec(select(func.min(Outbox.created_at)).where(Outbox.status == OutboxStatus.PENDING))
    ).one()
    return None if oldest is None else now - oldest


async def has_due(session: AsyncSession, *, now: datetime) -> bool:
    return (await session.exec(select(Outbox.id).where(_due(now)).limit(1))).first() is not None


async def retarget_chat(session: AsyncSession, *, old_chat_id: int, new_chat_id: int) -> int:
    """Point the pending rows of a chat to its new id (a group became a supergroup)."""
    result = await session.exec(
        update(Outbox)
        .where(Outbox.chat_id == old_chat_id, Outbox.status == OutboxStatus.PENDING)
        .values(chat_id=new_chat_id)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount


async def find_by_dedupe(session: AsyncSession, *, dedupe_key: str) -> Outbox | None:
    return (await session.exec(select(Outbox).where(Outbox.dedupe_key == dedupe_key))).first()


async def release(session: AsyncSession, *, row_ids: Collection[int]) -> None:
    """Hand claimed rows back unsent (the dispatcher is stopping): due again at once."""
    if not row_ids:
        return
    await session.exec(
        update(Outbox)
        .where(Outbox.id.in_(list(row_ids)), Outbox.status == OutboxStatus.PENDING)
        .values(lease_until=None)
        .execution_options(synchronize_session=False)
    )


async def release_all_leases(session: AsyncSession) -> int:
    """Free every claim at start-up. Only for a database that one process owns (SQLite): the claims
    can only be a dead predecessor's, and waiting out their lease would hold the group's queue."""
    result = await session.exec(
        update(Outbox)
        .where(Outbox.status == OutboxStatus.PENDING, Outbox.lease_until.is_not(None))
        .values(lease_until=None)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount or 0
