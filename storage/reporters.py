"""Reporter rows: one per Telegram user who ever talked to the bot, known to officers by an alias."""

from __future__ import annotations

import secrets
from datetime import datetime

from sqlalchemy.exc import IntegrityError
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import Reporter

ALIAS_PREFIX = "P-"


def new_alias() -> str:
    # Random, not derived from the Telegram id: an alias must not be reversible into an identity.
    return ALIAS_PREFIX + secrets.token_hex(3).upper()


async def get_by_telegram_id(session: AsyncSession, *, telegram_id: int, lock: bool = False) -> Reporter | None:
    query = select(Reporter).where(Reporter.telegram_id == telegram_id)
    if lock:
        query = query.with_for_update()
    return (await session.exec(query)).first()


async def get_or_create(
    session: AsyncSession,
    *,
    telegram_id: int,
    now: datetime,
    language: str,
    first_name: str | None = None,
    username: str | None = None,
    lock: bool = False,
) -> Reporter:
    """The reporter of this Telegram user, created on first contact.

    `language` is the one Telegram's language_code suggests; it replaces the stored one unless the
    resident chose a language with /bahasa. Name and username follow Telegram (stored, never shown).

    `lock`: the row stays locked (SELECT … FOR UPDATE on PostgreSQL) until the caller's transaction
    ends, so replicas handling two updates of one person at once take turns (SQLite's single
    writer already does). Two replicas creating the same person at once: the second INSERT fails
    on the unique telegram_id inside a savepoint and the row the first made is read instead.
    """
    reporter = await get_by_telegram_id(session, telegram_id=telegram_id, lock=lock)
    if reporter is None:
        reporter = Reporter(
            telegram_id=telegram_id,
            alias=await _free_alias(session),
            first_name=_clip(first_name, 128),
            username=_clip(username, 64),
            language=language,
            created_at=now,
        )
        try:
            async with session.begin_nested():
                session.add(reporter)
            return reporter
        except IntegrityError:
            reporter = await get_by_telegram_id(session, telegram_id=telegram_id, lock=lock)
            if reporter is None:  # the clash was the (random) alias: one more try, outside a race
                return await get_or_create(session, telegram_id=telegram_id, now=now, language=language,
                                           first_name=first_name, username=username, lock=lock)
    changed = False
    if not reporter.language_chosen and reporter.language != language:
        reporter.language, changed = language, True
    for attr, value, size in (("first_name", first_name, 128), ("username", username, 64)):
        value = _clip(value, size)
        if value is not None and getattr(reporter, attr) != value:
            setattr(reporter, attr, value)
            changed = True
    if changed:
        session.add(reporter)
        await session.flush()
    return reporter


async def set_language(session: AsyncSession, *, reporter: Reporter, language: str) -> Reporter:
    """An explicit choice (/bahasa): kept from now on, whatever Telegram's language_code says."""
    reporter.language = language
    reporter.language_chosen = True
    session.add(reporter)
    await session.flush()
    return reporter


WALK_IN = "walk_in"


async def _free_alias(session: AsyncSession) -> str:
    alias = new_alias()
    while (await session.exec(select(Reporter.id).where(Reporter.alias == alias))).first() is not None:
        alias = new_alias()
    return alias


async def create_walk_in(session: AsyncSession, *, now: datetime, language: str = "id") -> Reporter:
    """A walk-in complainant: a reporter of their own with a fresh alias and no Telegram id (see
    bot/walkin.py). Name and phone are filled in when the report is submitted."""
    reporter = Reporter(telegram_id=None, kind=WALK_IN, alias=await _free_alias(session), language=language,
                        created_at=now)
    session.add(reporter)
    await session.flush()
    return reporter


async def set_walk_in_identity(
    session: AsyncSession, *, reporter_id: int, name: str | None, phone: str | None
) -> None:
    """What the complainant told the desk, kept where identities are kept (never shown by default)."""
    reporter = await session.get(Reporter, reporter_id)
    if reporter is None or reporter.kind != WALK_IN:
        return
    reporter.first_name, reporter.phone = _clip(name, 128), _clip(phone, 32)
    session.add(reporter)
    await session.flush()


async def delete_unused_walk_in(session: AsyncSession, *, reporter_id: int) -> None:
    """A walk-in draft was dropped: its complainant row goes too, unless a report (or a draft) names it."""
    from storage.models import Draft, Report

    reporter = await session.get(Reporter, reporter_id)
    if reporter is None or reporter.kind != WALK_IN:
        return
    for model in (Report, Draft):
        if (await session.exec(select(model.id).where(model.reporter_id == reporter_id).limit(1))).first() is not None:
            return
    await session.delete(reporter)
    await session.flush()


def _clip(value: str | None, size: int) -> str | None:
    return None if value is None else value[:size]
