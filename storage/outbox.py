"""Outbox rows: messages queued in the same transaction as the change that causes them.

The dispatcher (bot/dispatcher.py) claims due rows, renders them from the current rows, sends them
within Telegram's limits and records the message_id. Handlers never send these themselves.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

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
