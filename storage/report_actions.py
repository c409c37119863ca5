"""What officers do to a report: take it, close it, ask for its photos.

Every transition is one conditional UPDATE (`… WHERE status = 'new'`), so when two officers press
Take at the same moment the database decides: exactly one UPDATE matches a row, the other is told who
has the report. The audit event and the outbox rows (edit the alert, tell the resident) are written
in the same transaction as the change, so either all of it happened or none of it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import update
from sqlmodel.ext.asyncio.session import AsyncSession

from storage import outbox
from storage.models import Report, ReportEvent, Reporter, ReportStatus
from storage.outbox import OutboxKind


class Outcome:
    CHANGED = "changed"
    # Someone (maybe the presser) already took it; `holder_name` says who.
    ALREADY_TAKEN = "already_taken"
    # Only the officer who took it, or a supervisor, may close it.
    NOT_ALLOWED = "not_allowed"
    # Closed already, or not taken yet.
    WRONG_STATE = "wrong_state"
    NOT_FOUND = "not_found"
    # Photos: queued now / queued by an earlier press / nothing more to send.
    QUEUED = "queued"
    ALREADY_QUEUED = "already_queued"
    NO_PHOTOS = "no_photos"


@dataclass(frozen=True)
class ActionResult:
    outcome: str
    report: Report | None = None
    # Who holds the report (already taken / not allowed).
    holder_id: int | None = None
    holder_name: str | None = None

    @property
    def changed(self) -> bool:
        return self.outcome == Outcome.CHANGED


async def take(
    session: AsyncSession, *, report_id: int, officer_id: int, officer_name: str, now: datetime, group_chat_id: int
) -> ActionResult:
    """new → taken; any officer may take a new report."""
    report = await session.get(Report, report_id)
    if report is None:
        return ActionResult(Outcome.NOT_FOUND)
    seconds = _seconds_between(report.created_at, now)
    result = await session.exec(
        update(Report)
        .where(Report.id == report_id, Report.status == ReportStatus.NEW)
        .values(
            status=ReportStatus.TAKEN,
            taken_at=now,
            taken_by=officer_id,
            taken_by_name=officer_name[:128],
            seconds_to_taken=seconds,
        )
        .execution_options(synchronize_session=False)
    )
    await session.refresh(report)
    if result.rowcount != 1:
        if report.status == ReportStatus.TAKEN:
            return ActionResult(Outcome.ALREADY_TAKEN, report, report.taken_by, report.taken_by_name)
        return ActionResult(Outcome.WRONG_STATE, report, report.taken_by, report.taken_by_name)
    await _after_change(
        session, report=report, from_status=ReportStatus.NEW, actor_id=officer_id, actor_name=officer_name,
        now=now, group_chat_id=group_chat_id,
    )
    return ActionResult(Outcome.CHANGED, report, officer_id, officer_name)


async def resolve(
    session: AsyncSession, *, report_id: int, officer_id: int, officer_name: str, is_supervisor: bool,
    now: datetime, group_chat_id: int,
) -> ActionResult:
    """taken → resolved, by the officer who took it or a supervisor."""
    return await _close(
        session, to_status=ReportStatus.RESOLVED, report_id=report_id, officer_id=officer_id,
        officer_name=officer_name, is_supervisor=is_supervisor, now=now, group_chat_id=group_chat_id,
    )


async def mark_false(
    session: AsyncSession, *, report_id: int, officer_id: int, officer_name: str, is_supervisor: bool,
    now: datetime, group_chat_id: int,
) -> ActionResult:
    """taken → false_report, by the officer who took it or a supervisor."""
    return await _close(
        session, to_status=ReportStatus.FALSE_REPORT, report_id=report_id, officer_id=officer_id,
        officer_name=officer_name, is_supervisor=is_supervisor, now=now, group_chat_id=group_chat_id,
    )


async def request_photos(session: AsyncSession, *, report_id: int, group_chat_id: int, now: datetime) -> ActionResult:
    """Queue the report's remaining photos for the group, once per report however often it is pressed."""
    report = await session.get(Report, report_id)
    if report is None:
        return ActionResult(Outcome.NOT_FOUND)
    shown = 1 if report.alert_is_photo else 0
    remaining = report.photo_count - shown
    if remaining <= 0:
        return ActionResult(Outcome.NO_PHOTOS, report)
    key = photos_dedupe_key(report_id)
    if await outbox.find_by_dedupe(session, dedupe_key=key) is not None:
        return ActionResult(Outcome.ALREADY_QUEUED, report)
    await outbox.enqueue(
        session, kind=OutboxKind.PHOTOS, chat_id=report.alert_chat_id or group_chat_id, now=now,
        report_id=report_id, payload={"count": remaining}, dedupe_key=key,
    )
    return ActionResult(Outcome.QUEUED, report)


def photos_dedupe_key(report_id: int) -> str:
    return f"photos:{report_id}"


# -- internals --


async def _close(
    session: AsyncSession, *, to_status: str, report_id: int, officer_id: int, officer_name: str,
    is_supervisor: bool, now: datetime, group_chat_id: int,
) -> ActionResult:
    report = await session.get(Report, report_id)
    if report is None:
        return ActionResult(Outcome.NOT_FOUND)
    conditions = [Report.id == report_id, Report.status == ReportStatus.TAKEN]
    if not is_supervisor:
        conditions.append(Report.taken_by == officer_id)
    result = await session.exec(
        update(Report)
        .where(*conditions)
        .values(
            status=to_status,
            closed_at=now,
            closed_by=officer_id,
            closed_by_name=officer_name[:128],
            seconds_to_closed=_seconds_between(report.created_at, now),
        )
        .execution_options(synchronize_session=False)
    )
    await session.refresh(report)
    if result.rowcount != 1:
        if report.status == ReportStatus.TAKEN:
            return ActionResult(Outcome.NOT_ALLOWED, report, report.taken_by, report.taken_by_name)
        return ActionResult(Outcome.WRONG_STATE, report, report.taken_by, report.taken_by_name)
    await _after_change(
        session, report=report, from_status=ReportStatus.TAKEN, actor_id=officer_id, actor_name=officer_name,
        now=now, group_chat_id=group_chat_id,
    )
    return ActionResult(Outcome.CHANGED, report, report.taken_by, report.taken_by_name)


async def _after_change(
    session: AsyncSession, *, report: Report, from_status: str, actor_id: int, actor_name: str, now: datetime,
    group_chat_id: int,
) -> None:
    to_status = report.status
    session.add(
        ReportEvent(
            report_id=report.id, at=now, action=to_status, actor_id=actor_id, actor_name=actor_name[:128],
            from_status=from_status, to_status=to_status,
        )
    )
    await outbox.enqueue(
        session, kind=OutboxKind.ALERT_REFRESH, chat_id=report.alert_chat_id or group_chat_id, now=now,
        report_id=report.id, dedupe_key=f"refresh:{report.id}:{to_status}",
    )
    reporter = await session.get(Reporter, report.reporter_id)
    # A walk-in report was made at the desk: there is no Telegram chat to tell.
    if reporter is not None and report.channel != "walk_in":
        await outbox.enqueue(
            session, kind=OutboxKind.NOTIFY, chat_id=reporter.telegram_id, now=now, report_id=report.id,
            payload={"event": to_status}, dedupe_key=f"notify:{report.id}:{to_status}",
        )
    await session.flush()


def _seconds_between(start: datetime | None, end: datetime) -> int | None:
    if start is None:
        return None
    return max(0, int((end - start).total_seconds()))
