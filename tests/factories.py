"""Rows for tests, inserted directly (no conversation): a reporter, a report with photos, its alert.

Generic on purpose: any test that needs a report in the database without walking the resident
through the whole draft can use these. Values not given are plausible defaults.
"""

from __future__ import annotations

import itertools
from datetime import datetime
from typing import Any

from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import Photo, Report, Reporter
from storage.outbox import OutboxKind, enqueue

_seq = itertools.count(1)


async def reporter(session: AsyncSession, *, telegram_id: int, now: datetime, language: str = "id",
                   **fields: Any) -> Reporter:
    """The reporter with this Telegram id (created once)."""
    found = (await session.exec(select(Reporter).where(Reporter.telegram_id == telegram_id))).first()
    if found is not None:
        return found
    row = Reporter(telegram_id=telegram_id, alias=fields.pop("alias", f"P-{telegram_id % 0xFFFFFF:06X}"),
                   language=language, created_at=now, **fields)
    session.add(row)
    await session.flush()
    return row


async def report(
    session: AsyncSession,
    *,
    telegram_id: int,
    now: datetime,
    language: str = "id",
    photos: int = 0,
    photo_file_ids: list[str] | None = None,
    document_file_ids: list[str] | None = None,
    **fields: Any,
) -> Report:
    """A new report of the reporter `telegram_id`. `photos` adds that many photo rows with made-up
    file ids; `photo_file_ids` are photos the fake knows (from `fake.user_photo`), and
    `document_file_ids` images sent as files (from `fake.user_document`). Other keywords are
    Report columns."""
    who = await reporter(session, telegram_id=telegram_id, now=now, language=language)
    seq = next(_seq)
    year = now.year
    values: dict[str, Any] = {
        "number": f"TNG-{year}-{seq:06d}",
        "prefix": "TNG",
        "year": year,
        "seq": seq,
        "reporter_id": who.id,
        "language": language,
        "category": "overstay",
        "lat": -6.1783,
        "lon": 106.6319,
        "accuracy_m": 12.0,
        "location_source": "gps",
        "area_label": "Tangerang, Kota Tangerang",
        "description": "Orang asing tinggal di rumah kos sejak tahun lalu, izinnya sudah habis.",
        "created_at": now,
    }
    document_file_ids = list(document_file_ids or [])
    values.update(fields)
    ids = list(photo_file_ids or [f"AgAC-made-up-{seq}-{i}" for i in range(photos)])
    values["photo_count"] = len(ids) + len(document_file_ids)
    row = Report(**values)
    session.add(row)
    await session.flush()
    position = 0
    for file_id in ids:
        session.add(Photo(report_id=row.id, position=position, kind="photo", file_id=file_id,
                          file_unique_id=f"u-{file_id}", created_at=now))
        position += 1
    for file_id in document_file_ids:
        session.add(Photo(report_id=row.id, position=position, kind="document", file_id=file_id,
                          file_unique_id=f"u-{file_id}", mime_type="image/jpeg", created_at=now))
        position += 1
    await session.flush()
    return row


async def report_with_alert(session: AsyncSession, *, group_chat_id: int, now: datetime, **kw: Any) -> Report:
    """A report and its queued group alert, as submitting a draft leaves them."""
    row = await report(session, now=now, **kw)
    await enqueue(session, kind=OutboxKind.ALERT, chat_id=group_chat_id, now=now, report_id=row.id,
                  dedupe_key=f"alert:{row.id}")
    return row
