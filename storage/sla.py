"""SLA deadlines in the report rows: arm them, find what is due, stamp it done exactly once.

Each stamp is a conditional UPDATE (`… WHERE reminded_at IS NULL AND status = 'new'`) made in the
same transaction as the outbox rows it causes: two sweeps (a restart beside a stuck process, two
replicas) never both remind, and a report taken meanwhile is not reminded at all.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import exists, or_, update
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import Incident, Report, ReportStatus


def _own_group_message():
    """The report has its own alert: not in an incident, or its incident's first report. A report
    that joined an incident is counted on that incident's message and taken with it."""
    return or_(
        Report.incident_id.is_(None),
        exists().where(Incident.id == Report.incident_id, Incident.primary_report_id == Report.id),
    )


async def arm(session: AsyncSession, *, now: datetime, remind_after: timedelta, escalate_after: timedelta) -> int:
    """Give deadlines, counted from now, to new reports that have none: a held report a supervisor
    forwarded, or one made by a path that did not set them. Returns how many."""
    result = await session.exec(  # type: ignore[call-overload]
        update(Report)
        .where(Report.status == ReportStatus.NEW, Report.remind_at.is_(None), Report.escalate_at.is_(None))
        .values(remind_at=now + remind_after, escalate_at=now + escalate_after)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount


async def due_reminders(session: AsyncSession, *, now: datetime, limit: int) -> list[Report]:
    stmt = (
        select(Report)
        .where(Report.status == ReportStatus.NEW, Report.reminded_at.is_(None), Report.remind_at <= now,
               _own_group_message())
        .order_by(Report.remind_at, Report.id)
        .limit(limit)
    )
    return list((await session.exec(stmt)).all())


async def due_escalations(session: AsyncSession, *, now: datetime, limit: int) -> list[Report]:
    stmt = (
        select(Report)
        .where(Report.status == ReportStatus.NEW, Report.escalated_at.is_(None), Report.escalate_at <= now,
               _own_group_message())
        .order_by(Report.escalate_at, Report.id)
        .limit(limit)
    )
    return list((await session.exec(stmt)).all())


async def mark_reminded(session: AsyncSession, *, report_id: int, now: datetime) -> bool:
    """True for the one caller that stamps it; False when done already or taken meanwhile."""
    result = await session.exec(  # type: ignore[call-overload]
        update(Report)
        .where(Report.id == report_id, Report.reminded_at.is_(None), Report.status == ReportStatus.NEW)
        .values(reminded_at=now)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1


async def mark_escalated(session: AsyncSession, *, report_id: int, now: datetime) -> bool:
    result = await session.exec(  # type: ignore[call-overload]
        update(Report)
        .where(Report.id == report_id, Report.escalated_at.is_(None), Report.status == ReportStatus.NEW)
        .values(escalated_at=now)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1
