"""Deleting personal data past its retention period; the counts statistics need stay in the reports
(Report.photo_count, the reports themselves)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, exists, update
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import Photo, Report, Reporter, ReporterEvent

PHONE_VERIFIED = "phone_verified"


async def purge_photos(session: AsyncSession, *, before: datetime, limit: int) -> int:
    """Delete up to `limit` photo rows of reports (their Telegram file ids: the bot's only way to
    the stored pictures) sent before `before`. Drafts' photos are left to the draft's own life."""
    ids = select(Photo.id).where(Photo.report_id.is_not(None), Photo.created_at < before).limit(limit)
    result = await session.exec(  # type: ignore[call-overload]
        delete(Photo).where(Photo.id.in_(ids.scalar_subquery())).execution_options(synchronize_session=False)
    )
    return result.rowcount


async def purge_phones(session: AsyncSession, *, before: datetime) -> int:
    """Forget phone numbers stored before `before`: hashes of shared numbers (by the last
    verification, or the reporter's first contact when no event says; `phone_verified` stays: the
    reporter did prove a number once) and walk-in complainants' numbers. Returns how many."""
    recent = exists().where(
        ReporterEvent.reporter_id == Reporter.id, ReporterEvent.action == PHONE_VERIFIED, ReporterEvent.at >= before
    )
    hashes = await session.exec(  # type: ignore[call-overload]
        update(Reporter)
        .where(Reporter.phone_hash.is_not(None), Reporter.created_at < before, ~recent)
        .values(phone_hash=None)
        .execution_options(synchronize_session=False)
    )
    # A walk-in complainant's number as given at the desk (bot/walkin.py): kept while they keep
    # coming, forgotten once their last report is older than the period.
    came_since = exists().where(Report.reporter_id == Reporter.id, Report.created_at >= before)
    desk = await session.exec(  # type: ignore[call-overload]
        update(Reporter)
        .where(Reporter.phone.is_not(None), Reporter.created_at < before, ~came_since)
        .values(phone=None)
        .execution_options(synchronize_session=False)
    )
    return hashes.rowcount + desk.rowcount
