"""Report statistics computed by the database, never by loading rows into Python.

The same SQL runs on SQLite and PostgreSQL: counts are GROUP BY, percentiles are nearest-rank over
ROW_NUMBER()/COUNT() window functions (rank = ceil(n * p / 100), written with integer division as
(n * p + 99) / 100 because both engines truncate integer division). Nearest-rank returns a value that
really occurred, so "p90 = 12 min" means one report did wait exactly that long.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Integer, and_, case, func, literal_column, or_
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import Report, ReportStatus

MEDIAN = 50
P90 = 90


@dataclass(frozen=True)
class Percentiles:
    """Seconds; None when no report in the period has the value."""

    median: int | None = None
    p90: int | None = None
    # How many reports the percentiles were computed over.
    count: int = 0


@dataclass(frozen=True)
class PeriodStats:
    total: int = 0
    by_status: dict[str, int] = field(default_factory=dict)
    by_category: dict[str, int] = field(default_factory=dict)
    to_taken: Percentiles = field(default_factory=Percentiles)
    # Only resolved reports: a false report closed in a minute says nothing about how fast help came.
    to_resolved: Percentiles = field(default_factory=Percentiles)


# Which offices' reports a figure counts: None = all (national), else a set of office keys (a
# report's office is its prefix, bot/offices.py).
Offices = Collection[str] | None


def in_offices(offices: Offices) -> list[Any]:
    """The condition that keeps a supervisor's offices' reports; none for a national one."""
    return [] if offices is None else [Report.prefix.in_(sorted(offices))]


def _in_period(since: datetime | None, until: datetime | None, offices: Offices = None) -> list[Any]:
    """Reports created in [since, until) in these offices; None leaves that side open."""
    conds: list[Any] = in_offices(offices)
    if since is not None:
        conds.append(Report.created_at >= since)
    if until is not None:
        conds.append(Report.created_at < until)
    return conds


async def count_by_status(
    session: AsyncSession, *, since: datetime | None = None, until: datetime | None = None, offices: Offices = None
) -> dict[str, int]:
    """The four statuses of reports that reached the group, with 0 for those no report has, and any
    other status (held or rejected by the screening) that some report in the period has."""
    stmt = select(Report.status, func.count()).where(*_in_period(since, until, offices)).group_by(Report.status)
    counts = {status: 0 for status in ReportStatus.ALL}
    for status, n in (await session.exec(stmt)).all():
        counts[status] = int(n)
    return counts


async def count_by_category(
    session: AsyncSession, *, since: datetime | None = None, until: datetime | None = None, offices: Offices = None
) -> dict[str, int]:
    """Only the categories that occur, most frequent first (ties by code, so the order is stable)."""
    n = func.count().label("n")
    stmt = (
        select(Report.category, n)
        .where(*_in_period(since, until, offices))
        .group_by(Report.category)
        .order_by(n.desc(), Report.category)
    )
    return {category: int(count) for category, count in (await session.exec(stmt)).all()}


async def percentiles(
    session: AsyncSession,
    *,
    column: Any,
    since: datetime | None = None,
    until: datetime | None = None,
    status: str | None = None,
    offices: Offices = None,
) -> Percentiles:
    """Nearest-rank median and 90th percentile of an integer column of Report, in one query."""
    conds = [*_in_period(since, until, offices), column.is_not(None)]
    if status is not None:
        conds.append(Report.status == status)
    ranked = (
        select(
            column.label("v"),
            func.row_number().over(order_by=column).label("rn"),
            func.count().over().label("n"),
        )
        .where(*conds)
        .subquery()
    )
    rank_median = _nearest_rank(ranked.c.n, MEDIAN)
    rank_p90 = _nearest_rank(ranked.c.n, P90)
    stmt = select(ranked.c.rn, ranked.c.v, ranked.c.n, rank_median, rank_p90).where(
        or_(ranked.c.rn == rank_median, ranked.c.rn == rank_p90)
    )
    rows = (await session.exec(stmt)).all()
    if not rows:
        return Percentiles()
    by_rank = {int(rn): int(v) for rn, v, _n, _m, _p in rows}
    n, rm, rp = (int(x) for x in rows[0][2:])
    return Percentiles(median=by_rank.get(rm), p90=by_rank.get(rp), count=n)


def _nearest_rank(n: Any, percent: int) -> Any:
    """ceil(n * percent / 100) in integer arithmetic. Constants are inlined (not bound parameters) so
    PostgreSQL types the expression from the bigint count instead of guessing a parameter's type;
    `//` compiles to plain `/`, which truncates for integers on both engines."""

    def const(v: int) -> Any:
        return literal_column(str(int(v)), Integer)

    return (n * const(percent) + const(99)) // const(100)


async def period_stats(
    session: AsyncSession, *, since: datetime | None = None, until: datetime | None = None, offices: Offices = None
) -> PeriodStats:
    by_status = await count_by_status(session, since=since, until=until, offices=offices)
    return PeriodStats(
        total=sum(by_status.values()),
        by_status=by_status,
        by_category=await count_by_category(session, since=since, until=until, offices=offices),
        to_taken=await percentiles(session, column=Report.seconds_to_taken, since=since, until=until,
                                   offices=offices),
        to_resolved=await percentiles(
            session, column=Report.seconds_to_closed, since=since, until=until, status=ReportStatus.RESOLVED,
            offices=offices,
        ),
    )


async def count_by_office(
    session: AsyncSession, *, periods: Sequence[tuple[datetime | None, datetime | None]], offices: Offices = None
) -> dict[str, tuple[int, ...]]:
    """office key → reports per period (in the order of `periods`): the per-office lines of a national
    /stats, every office and period in one GROUP BY (a conditional sum per period)."""

    def counted(since: datetime | None, until: datetime | None) -> Any:
        conds = _in_period(since, until)
        if not conds:
            return func.count()
        return func.sum(case((and_(*conds), 1), else_=0))

    stmt = (select(Report.prefix, *(counted(since, until) for since, until in periods))
            .where(*in_offices(offices)).group_by(Report.prefix))
    return {row[0]: tuple(int(n or 0) for n in row[1:]) for row in (await session.exec(stmt)).all()}
