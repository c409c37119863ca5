"""Report rows: made from a finished draft in one transaction, then read by their resident."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from sqlalchemy import or_, update
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.clock import WIB, to_local
from storage import drafts as draft_repo
from storage.models import Counter, Draft, Photo, Report, ReportEvent, ReportStatus, Reporter
from storage.outbox import OutboxKind, enqueue

if TYPE_CHECKING:
    from bot.config import ScreeningSection
    from bot.config import SlaSection
    from bot.geo import Jurisdiction


def report_number(prefix: str, year: int, seq: int) -> str:
    return f"{prefix}-{year}-{seq:06d}"


async def next_counter_value(session: AsyncSession, *, name: str) -> int:
    """The next value of a named sequence, atomically: an upsert that returns the new value, so two
    writers (replicas, PostgreSQL) never get the same number and the first use needs no setup."""
    if session.bind.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    stmt = (
        insert(Counter)
        .values(name=name, value=1)
        .on_conflict_do_update(index_elements=[Counter.name], set_={"value": Counter.value + 1})
        .returning(Counter.value)
    )
    value = (await session.exec(stmt)).scalar_one()  # type: ignore[call-overload]
    return int(value)


async def get_report(session: AsyncSession, *, report_id: int) -> Report | None:
    return await session.get(Report, report_id)


async def get_report_by_submit_update(session: AsyncSession, *, update_id: int) -> Report | None:
    return (await session.exec(select(Report).where(Report.submit_update_id == update_id))).first()


async def get_report_by_draft(session: AsyncSession, *, draft_id: int) -> Report | None:
    return (await session.exec(select(Report).where(Report.draft_id == draft_id))).first()


async def get_report_for_submit(session: AsyncSession, *, update_id: int, draft_id: int | None) -> Report | None:
    """The report this Submit made already: `get_report_by_submit_update`, else `get_report_by_draft`,
    in one query (a Submit asks both, inside the write transaction)."""
    match = Report.submit_update_id == update_id
    if draft_id is not None:
        match = or_(match, Report.draft_id == draft_id)
    rows = (await session.exec(select(Report).where(match))).all()
    return next((r for r in rows if r.submit_update_id == update_id), rows[0] if rows else None)


async def submitted_after(session: AsyncSession, *, reporter_id: int, update_id: int) -> bool:
    """Whether this reporter submitted a report with a later update than `update_id`: then that
    update is one Telegram delivered again after a crash (update ids only grow)."""
    query = select(Report.id).where(
        Report.reporter_id == reporter_id, Report.channel == "telegram", Report.submit_update_id > update_id
    )
    return (await session.exec(query.limit(1))).first() is not None


async def list_for_reporter(session: AsyncSession, *, reporter_id: int, limit: int = 10) -> list[Report]:
    stmt = (
        select(Report)
        .where(Report.reporter_id == reporter_id)
        .order_by(Report.created_at.desc(), Report.id.desc())  # type: ignore[union-attr, attr-defined]
        .limit(limit)
    )
    return list((await session.exec(stmt)).all())


def _set_deadlines(report: Report, sla: SlaSection | None, now: datetime) -> None:
    """SLA deadlines (bot/sla.py) for a report that goes to the group now; a held one gets them when
    it is forwarded (storage/sla.arm), so its time on hold does not count against the officers."""
    if sla is not None and report.status == ReportStatus.NEW:
        report.remind_at = now + timedelta(minutes=sla.remind_after_minutes)
        report.escalate_at = now + timedelta(minutes=sla.escalate_after_minutes)


async def create_from_draft(
    session: AsyncSession,
    *,
    draft: Draft,
    update_id: int,
    prefix: str,
    now: datetime,
    group_chat_id: int,
    tz: ZoneInfo = WIB,
    screening: ScreeningSection | None = None,
    jurisdiction: Jurisdiction | None = None,
    sla: SlaSection | None = None,
) -> Report:
    """Turn a complete draft into a numbered report, its photos, its first event and the officers'
    alert, and delete the draft: all in the caller's one transaction.

    With `screening` (enabled), the report is screened in this same transaction first (bot/screening): only
    an accepted report queues its alert, or, when it joined an open incident, an edit of that
    incident's message; a held or refused one queues nothing and keeps its decision and reasons.

    A redelivered Submit (same update_id) or a second press of the same draft's Submit returns the
    report made the first time instead of a second one.
    """
    existing = await get_report_for_submit(session, update_id=update_id, draft_id=draft.id)
    if existing is not None:
        return existing
    if not draft.category or not draft.description:
        raise ValueError(f"draft {draft.id} is not complete (category and description are required)")

    reporter = await session.get(Reporter, draft.reporter_id)
    year = to_local(now, tz).year  # the year on the office's calendar, not UTC's
    seq = await next_counter_value(session, name=f"report:{prefix}:{year}")
    photo_count = await draft_repo.count_photos(session, draft_id=draft.id)
    report = Report(
        number=report_number(prefix, year, seq),
        prefix=prefix,
        year=year,
        seq=seq,
        reporter_id=draft.reporter_id,
        channel=draft.channel,
        language=reporter.language if reporter is not None else "id",
        category=draft.category,
        status=ReportStatus.NEW,
        lat=draft.lat,
        lon=draft.lon,
        accuracy_m=draft.accuracy_m,
        location_source=draft.location_source,
        address_text=draft.address_text,
        area_label=draft.area_label,
        description=draft.description,
        photo_count=photo_count,
        # Keys starting with "_" are the conversation's own bookkeeping, not part of the report.
        extra={k: v for k, v in (draft.extra or {}).items() if not k.startswith("_")},
        draft_started_at=draft.started_at,
        created_at=now,
        submit_update_id=update_id,
        draft_id=draft.id,
    )
    session.add(report)
    await session.flush()
    await session.exec(  # type: ignore[call-overload]
        update(Photo).where(Photo.draft_id == draft.id).values(report_id=report.id, draft_id=None)
    )
    if screening is not None and screening.enabled:
        from bot.screening.service import queue_alert, screen_report

        result = await screen_report(session, report=report, settings=screening, now=now, jurisdiction=jurisdiction)
        _set_deadlines(report, sla, now)
        session.add(ReportEvent(report_id=report.id, at=now, action="created", to_status=report.status,
                                note=f"screening: {result.outcome} {result.decision.score:.2f}"))
        await queue_alert(session, report=report, result=result, group_chat_id=group_chat_id, now=now)
        await draft_repo.delete(session, draft=draft)
        return report
    session.add(ReportEvent(report_id=report.id, at=now, action="created", to_status=ReportStatus.NEW))
    _set_deadlines(report, sla, now)
    await enqueue(
        session,
        kind=OutboxKind.ALERT,
        chat_id=group_chat_id,
        now=now,
        report_id=report.id,
        dedupe_key=f"alert:{report.id}",
    )
    await draft_repo.delete(session, draft=draft)
    return report
