"""Draft rows (one per resident: the conversation state) and the photos attached to them."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete as sa_delete, func, or_
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import Draft, DraftStatus, Photo

# Fields a step may set through `apply`; anything else is a programming error.
_WRITABLE = frozenset({
    "step", "return_to", "category", "lat", "lon", "accuracy_m", "location_source", "address_text",
    "area_label", "description", "extra", "album_id", "status",
})


async def get_for_reporter(session: AsyncSession, *, reporter_id: int) -> Draft | None:
    return (await session.exec(select(Draft).where(Draft.reporter_id == reporter_id))).first()


async def get(session: AsyncSession, *, draft_id: int) -> Draft | None:
    return await session.get(Draft, draft_id)


async def get_walk_in(session: AsyncSession, *, officer_id: int) -> Draft | None:
    """The walk-in draft this officer is typing (at most one: Draft.officer_id is unique)."""
    return (await session.exec(select(Draft).where(Draft.officer_id == officer_id))).first()


async def get_for_person(session: AsyncSession, *, officer_id: int, reporter_id: int) -> Draft | None:
    """`get_walk_in(officer_id)` or else `get_for_reporter(reporter_id)`, in one query: every
    resident update asks, and each statement is a turn of the write lock (both columns are unique)."""
    stmt = select(Draft).where(or_(Draft.officer_id == officer_id, Draft.reporter_id == reporter_id))
    rows = (await session.exec(stmt)).all()
    return next((d for d in rows if d.officer_id == officer_id), rows[0] if rows else None)


async def create(
    session: AsyncSession,
    *,
    reporter_id: int,
    chat_id: int,
    step: str,
    now: datetime,
    timeout: timedelta,
    update_id: int | None,
    channel: str = "telegram",
    officer_id: int | None = None,
    extra: Mapping[str, Any] | None = None,
) -> Draft:
    """A fresh draft; an earlier one of the same reporter (and its photos) is deleted first, and
    for a walk-in (`officer_id`) the officer's earlier walk-in draft too."""
    old = await get_for_reporter(session, reporter_id=reporter_id)
    if old is not None:
        await delete(session, draft=old)
    if officer_id is not None:
        old = await get_walk_in(session, officer_id=officer_id)
        if old is not None:
            await delete(session, draft=old)
    draft = Draft(
        reporter_id=reporter_id,
        chat_id=chat_id,
        channel=channel,
        step=step,
        started_at=now,
        updated_at=now,
        expires_at=now + timeout,
        last_update_id=update_id,
        officer_id=officer_id,
        extra=dict(extra or {}),
    )
    session.add(draft)
    await session.flush()
    return draft


async def apply(
    session: AsyncSession,
    *,
    draft: Draft,
    changes: Mapping[str, Any],
    now: datetime,
    timeout: timedelta,
    update_id: int | None,
) -> Draft:
    """Set fields of an accepted step, remember the update (redeliveries are skipped) and push the
    expiry forward, all in the caller's transaction."""
    for name, value in changes.items():
        if name not in _WRITABLE:
            raise ValueError(f"draft field {name!r} is not writable")
        setattr(draft, name, value)
    draft.status = changes.get("status", DraftStatus.ACTIVE)
    draft.updated_at = now
    draft.expires_at = now + timeout
    if update_id is not None and (draft.last_update_id is None or update_id > draft.last_update_id):
        draft.last_update_id = update_id
    session.add(draft)
    await session.flush()
    return draft


async def delete(session: AsyncSession, *, draft: Draft) -> None:
    # Photos first: not every engine honours ON DELETE CASCADE the same way through the ORM.
    await session.exec(sa_delete(Photo).where(Photo.draft_id == draft.id))  # type: ignore[call-overload]
    await session.delete(draft)
    await session.flush()


async def count_photos(session: AsyncSession, *, draft_id: int) -> int:
    stmt = select(func.count()).select_from(Photo).where(Photo.draft_id == draft_id)
    return int((await session.exec(stmt)).one())


async def photos_of(session: AsyncSession, *, draft_id: int) -> list[Photo]:
    stmt = select(Photo).where(Photo.draft_id == draft_id).order_by(Photo.position, Photo.id)
    return list((await session.exec(stmt)).all())


async def add_photo(
    session: AsyncSession,
    *,
    draft_id: int,
    file_id: str,
    file_unique_id: str,
    now: datetime,
    kind: str = "photo",
    mime_type: str | None = None,
    width: int | None = None,
    height: int | None = None,
    file_size: int | None = None,
    forwarded: bool = False,
    media_group_id: str | None = None,
) -> Photo:
    position = await count_photos(session, draft_id=draft_id)
    photo = Photo(
        draft_id=draft_id,
        position=position,
        kind=kind,
        file_id=file_id,
        file_unique_id=file_unique_id,
        mime_type=mime_type,
        width=width,
        height=height,
        file_size=file_size,
        forwarded=forwarded,
        media_group_id=media_group_id,
        created_at=now,
    )
    session.add(photo)
    await session.flush()
    return photo


async def clear_photos(session: AsyncSession, *, draft_id: int) -> None:
    await session.exec(sa_delete(Photo).where(Photo.draft_id == draft_id))  # type: ignore[call-overload]
    await session.flush()


async def due_for_expiry(session: AsyncSession, *, now: datetime, limit: int = 200) -> list[Draft]:
    stmt = (
        select(Draft)
        .where(Draft.status == DraftStatus.ACTIVE, Draft.expires_at <= now)
        .order_by(Draft.expires_at)
        .limit(limit)
    )
    return list((await session.exec(stmt)).all())


async def mark_expired(session: AsyncSession, *, draft: Draft) -> Draft:
    # updated_at stays: it is the last activity, and it keys the expiry notice's dedupe.
    draft.status = DraftStatus.EXPIRED
    session.add(draft)
    await session.flush()
    return draft
