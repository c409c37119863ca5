"""What the dispatcher reads to render a report's alert, and what it records after sending it."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import case, func, update
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import Outbox, OutboxStatus, Photo, Report, Reporter, ReportStatus
from storage.outbox import OutboxKind
from storage.screening import IncidentSummary, incident_summary


@dataclass(frozen=True)
class ReporterHistory:
    """The reporter's reports before this one: how much weight officers may give this one."""

    earlier: int = 0
    resolved: int = 0
    false_reports: int = 0


@dataclass(frozen=True)
class ReportBundle:
    report: Report
    reporter: Reporter | None
    photos: list[Photo]
    history: ReporterHistory
    # Screening's incident, when other reports joined this report's alert (storage/screening.py).
    incident: IncidentSummary | None = None


async def load_bundle(session: AsyncSession, *, report_id: int) -> ReportBundle | None:
    report = await session.get(Report, report_id)
    if report is None:
        return None
    reporter = await session.get(Reporter, report.reporter_id)
    photos = list(
        (
            await session.exec(
                select(Photo).where(Photo.report_id == report_id).order_by(Photo.position, Photo.id)
            )
        ).all()
    )
    history = await reporter_history(session, reporter_id=report.reporter_id, before_report_id=report_id)
    incident = await incident_summary(session, report_id=report_id) if report.incident_id == report_id else None
    return ReportBundle(report, reporter, photos, history, incident)


async def reporter_history(session: AsyncSession, *, reporter_id: int, before_report_id: int) -> ReporterHistory:
    query = select(
        func.count(),
        func.coalesce(func.sum(case((Report.status == ReportStatus.RESOLVED, 1), else_=0)), 0),
        func.coalesce(func.sum(case((Report.status == ReportStatus.FALSE_REPORT, 1), else_=0)), 0),
    ).where(Report.reporter_id == reporter_id, Report.id < before_report_id)
    earlier, resolved, false_reports = (await session.exec(query)).one()
    return ReporterHistory(int(earlier), int(resolved), int(false_reports))


async def record_alert(
    session: AsyncSession, *, report_id: int, chat_id: int, message_id: int, is_photo: bool
) -> None:
    await session.exec(
        update(Report)
        .where(Report.id == report_id)
        .values(alert_chat_id=chat_id, alert_message_id=message_id, alert_is_photo=is_photo)
        .execution_options(synchronize_session=False)
    )


async def set_clean_file_ids(session: AsyncSession, *, file_ids: dict[int, str]) -> None:
    """Remember the EXIF-free copies the bot uploaded (photo id → file_id), so each is made once."""
    for photo_id, file_id in file_ids.items():
        await session.exec(
            update(Photo)
            .where(Photo.id == photo_id)
            .values(clean_file_id=file_id[:256])
            .execution_options(synchronize_session=False)
        )


async def alert_row_pending(session: AsyncSession, *, report_id: int) -> bool:
    """Is the report's alert still waiting to be sent (so it will show the current status anyway)?"""
    query = select(Outbox.id).where(
        Outbox.report_id == report_id, Outbox.kind == OutboxKind.ALERT, Outbox.status == OutboxStatus.PENDING
    )
    return (await session.exec(query.limit(1))).first() is not None


async def retarget_alerts(session: AsyncSession, *, old_chat_id: int, new_chat_id: int) -> None:
    """Alerts that lived in a group that became a supergroup are edited under the new id."""
    await session.exec(
        update(Report)
        .where(Report.alert_chat_id == old_chat_id)
        .values(alert_chat_id=new_chat_id)
        .execution_options(synchronize_session=False)
    )
