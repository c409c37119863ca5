"""What the daily digest needs, counted by the database: one day's flow, what is open now, and the
taken reports nobody closed in time."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import and_, case, func
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage import stats as stats_repo
from storage.models import Report, ReportStatus
from storage.stats import Offices, Percentiles, in_offices

# Overdue reports listed by number; the rest are counted (a message is at most 4096 characters).
OVERDUE_LISTED = 15


@dataclass(frozen=True)
class Overdue:
    number: str
    taken_by_name: str | None
    taken_at: datetime


@dataclass(frozen=True)
class DigestFacts:
    # The day [since, until): reports that came in, and what officers did that day.
    received: int = 0
    held: int = 0
    taken: int = 0
    resolved: int = 0
    false_reports: int = 0
    to_taken: Percentiles = field(default_factory=Percentiles)
    reminded: int = 0
    escalated: int = 0
    # Now: open reports by status (new, taken, held).
    open_now: dict[str, int] = field(default_factory=dict)
    overdue: list[Overdue] = field(default_factory=list)
    overdue_total: int = 0

    @property
    def empty(self) -> bool:
        """Nothing happened and nothing waits: no message is worth sending."""
        day = (self.received, self.taken, self.resolved, self.false_reports, self.reminded, self.escalated)
        return not any(day) and not any(self.open_now.values()) and not self.overdue_total


async def _count(session: AsyncSession, *conds) -> int:
    return int((await session.exec(select(func.count()).select_from(Report).where(*conds))).one())


async def digest_facts(
    session: AsyncSession, *, since: datetime, until: datetime, now: datetime, overdue_before: datetime,
    offices: Offices = None,
) -> DigestFacts:
    """The facts about these offices' reports (None: every office's)."""
    scope = in_offices(offices)

    def within(column):
        return (column >= since, column < until, *scope)

    status_rows = (
        await session.exec(
            select(Report.status, func.count())
            .where(Report.status.in_([*ReportStatus.OPEN, ReportStatus.HELD]), *scope)
            .group_by(Report.status)
        )
    ).all()
    open_now = {s: 0 for s in (*ReportStatus.OPEN, ReportStatus.HELD)} | {s: int(n) for s, n in status_rows}
    overdue_conds = (Report.status == ReportStatus.TAKEN, Report.taken_at < overdue_before, *scope)
    overdue_rows = (
        await session.exec(
            select(Report.number, Report.taken_by_name, Report.taken_at)
            .where(*overdue_conds)
            .order_by(Report.taken_at, Report.id)
            .limit(OVERDUE_LISTED)
        )
    ).all()
    return DigestFacts(
        received=await _count(session, *within(Report.created_at)),
        held=await _count(session, *within(Report.created_at), Report.status == ReportStatus.HELD),
        taken=await _count(session, *within(Report.taken_at)),
        resolved=await _count(session, *within(Report.closed_at), Report.status == ReportStatus.RESOLVED),
        false_reports=await _count(session, *within(Report.closed_at), Report.status == ReportStatus.FALSE_REPORT),
        # Of that day's reports, the ones taken by now: how fast they were answered.
        to_taken=await stats_repo.percentiles(session, column=Report.seconds_to_taken, since=since, until=until,
                                              offices=offices),
        reminded=await _count(session, *within(Report.reminded_at)),
        escalated=await _count(session, *within(Report.escalated_at)),
        open_now=open_now,
        overdue=[Overdue(n, name, at) for n, name, at in overdue_rows],
        overdue_total=await _count(session, *overdue_conds),
    )



async def counts_by_office(
    session: AsyncSession, *, since: datetime, until: datetime, overdue_before: datetime
) -> dict[str, tuple[int, int, int]]:
    """office key → (received that day, open now, taken and overdue now): the per-office lines of the
    national digest, every office in one GROUP BY."""

    def count_if(*conds):
        return func.sum(case((and_(*conds), 1), else_=0))

    stmt = select(
        Report.prefix,
        count_if(Report.created_at >= since, Report.created_at < until),
        count_if(Report.status.in_([*ReportStatus.OPEN, ReportStatus.HELD])),
        count_if(Report.status == ReportStatus.TAKEN, Report.taken_at < overdue_before),
    ).group_by(Report.prefix)
    return {key: (int(a or 0), int(b or 0), int(c or 0)) for key, a, b, c in (await session.exec(stmt)).all()}
