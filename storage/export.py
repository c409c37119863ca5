"""Reports of a period for /export, read in batches so that any period fits in memory.

Keyset pagination on (created_at, id): every batch is an index range seek that starts where the
last one ended, in its own short read transaction, so a long export never holds a transaction open
and never loads more than one batch. Only the exported columns are read, never the reporter.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, or_
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import Report
from storage.stats import Offices, in_offices


@dataclass(frozen=True)
class ExportRow:
    id: int
    number: str
    category: str
    status: str
    channel: str
    created_at: datetime
    taken_at: datetime | None
    closed_at: datetime | None
    lat: float | None
    lon: float | None
    address_text: str | None
    area_label: str | None
    description: str
    # The office key (report prefix) the report was routed to.
    office: str | None = None


# No reporter column, by construction: the export cannot leak who reported.
_COLUMNS = (
    Report.id, Report.number, Report.category, Report.status, Report.channel, Report.created_at, Report.taken_at,
    Report.closed_at, Report.lat, Report.lon, Report.address_text, Report.area_label, Report.description,
    Report.prefix,
)


@dataclass(frozen=True)
class Cursor:
    """Where the next batch starts: after this (created_at, id)."""

    created_at: datetime
    id: int


async def batch(
    session: AsyncSession, *, since: datetime, until: datetime, after: Cursor | None, limit: int,
    offices: Offices = None,
) -> list[ExportRow]:
    """One batch of these offices' reports (None: every office's)."""
    conds = [Report.created_at >= since, Report.created_at < until, *in_offices(offices)]
    if after is not None:
        conds.append(or_(Report.created_at > after.created_at,
                         and_(Report.created_at == after.created_at, Report.id > after.id)))
    stmt = select(*_COLUMNS).where(*conds).order_by(Report.created_at, Report.id).limit(limit)
    return [ExportRow(*row) for row in (await session.exec(stmt)).all()]  # type: ignore[call-overload]
