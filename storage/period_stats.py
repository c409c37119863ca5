"""One period in detail for `/stats <period>` and its chart, counted by the database.

Every figure is a GROUP BY over the period's rows (the created_at index bounds them), so the cost
follows the number of groups, not of reports: counts by status × category × channel × area in one
query, per officer, per day × outcome, and report points rounded to a grid of cells. The same SQL
runs on SQLite and PostgreSQL except the calendar day, whose expression differs per engine.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import Integer, case, func, literal_column
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import Report, ReportStatus
from storage.stats import Offices, Percentiles, in_offices

# Grid cells per degree for the map: 100 → 0.01° ≈ 1.1 km at the equator; Tangerang fits in
# about 40 × 45 cells, so the map never draws more than a couple of thousand points.
GRID_PER_DEGREE = 100
OFFICERS_LISTED = 15
# The chart's outcomes: what became of the reports of each day.
OUTCOME_OF_STATUS = {
    ReportStatus.NEW: "new",
    ReportStatus.TAKEN: "taken",
    ReportStatus.RESOLVED: "resolved",
    ReportStatus.FALSE_REPORT: "false_report",
    ReportStatus.HELD: "screened_out",
    ReportStatus.REJECTED: "screened_out",
}


@dataclass(frozen=True)
class OfficerCounts:
    officer_id: int
    name: str
    taken: int
    resolved: int
    false_reports: int


@dataclass(frozen=True)
class PeriodDetail:
    total: int = 0
    by_status: dict[str, int] = field(default_factory=dict)
    by_category: dict[str, int] = field(default_factory=dict)
    by_channel: dict[str, int] = field(default_factory=dict)
    # area_label (None: no area) → count, most first.
    by_area: dict[str | None, int] = field(default_factory=dict)
    to_taken: Percentiles = field(default_factory=Percentiles)
    to_resolved: Percentiles = field(default_factory=Percentiles)
    to_closed: Percentiles = field(default_factory=Percentiles)
    officers: list[OfficerCounts] = field(default_factory=list)
    officers_total: int = 0


@dataclass(frozen=True)
class ChartFacts:
    # "YYYY-MM-DD" (office calendar) → outcome → count
    per_day: dict[str, dict[str, int]] = field(default_factory=dict)
    # (lat, lon, count) of grid cells
    points: list[tuple[float, float, int]] = field(default_factory=list)
    unlocated: int = 0


def _in(since: datetime, until: datetime, offices: Offices = None) -> tuple:
    return (Report.created_at >= since, Report.created_at < until, *in_offices(offices))


def _ranked(counter: Counter) -> dict:
    return dict(sorted(counter.items(), key=lambda kv: (-kv[1], str(kv[0]))))


async def period_detail(
    session: AsyncSession, *, since: datetime, until: datetime, offices: Offices = None
) -> PeriodDetail:
    """All of it on one session; /stats runs the two halves on two connections at once instead."""
    return combine(await period_counts(session, since=since, until=until, offices=offices),
                   await period_times(session, since=since, until=until, offices=offices))


def combine(counts: PeriodDetail, times: PeriodDetail) -> PeriodDetail:
    return replace(counts, to_taken=times.to_taken, to_resolved=times.to_resolved, to_closed=times.to_closed)


async def period_counts(
    session: AsyncSession, *, since: datetime, until: datetime, offices: Offices = None
) -> PeriodDetail:
    """Counts by status, category, channel, area and officer (the times left empty)."""
    rows = (
        await session.exec(
            select(Report.status, Report.category, Report.channel, Report.area_label, func.count())
            .where(*_in(since, until, offices))
            .group_by(Report.status, Report.category, Report.channel, Report.area_label)
        )
    ).all()
    status, category, channel, area = Counter(), Counter(), Counter(), Counter()
    for s, c, ch, a, n in rows:
        status[s] += n
        category[c] += n
        channel[ch] += n
        area[a] += n
    officers, officers_total = await _officers(session, since=since, until=until, offices=offices)
    return PeriodDetail(
        total=sum(status.values()),
        by_status={s: status.get(s, 0) for s in (*ReportStatus.ALL, *ReportStatus.SCREENED_OUT)},
        by_category=_ranked(category),
        by_channel=_ranked(channel),
        by_area=_ranked(area),
        officers=officers,
        officers_total=officers_total,
    )


async def period_times(
    session: AsyncSession, *, since: datetime, until: datetime, offices: Offices = None
) -> PeriodDetail:
    """Median and p90 to taken, to resolved and to closed (the counts left empty), nearest-rank over
    whole minutes (seconds below one): exactly what format_duration shows, from two GROUP BYs of a
    few thousand rows instead of three window-function sorts of every report."""
    minutes = _minute(Report.seconds_to_taken)
    taken = (await session.exec(
        select(minutes, func.count())
        .where(*_in(since, until, offices), Report.seconds_to_taken.is_not(None))
        .group_by(minutes)
    )).all()
    closed_minutes = _minute(Report.seconds_to_closed)
    resolved = case((Report.status == ReportStatus.RESOLVED, 1), else_=0).label("resolved")
    closed = (await session.exec(
        select(closed_minutes, resolved, func.count())
        .where(*_in(since, until, offices), Report.seconds_to_closed.is_not(None))
        .group_by(closed_minutes, resolved)
    )).all()
    return PeriodDetail(
        to_taken=_nearest_rank([(v, n) for v, n in taken]),
        to_resolved=_nearest_rank([(v, n) for v, r, n in closed if r]),
        # seconds_to_closed is set only when a report is closed: resolved and false reports both.
        to_closed=_nearest_rank([(v, n) for v, _r, n in closed]),
    )


def _minute(column):
    def const(v: int):
        return literal_column(str(v), Integer)

    # Integer division on both engines (`//` renders as `/`, and both operands are integers).
    return case((column < const(60), column), else_=(column // const(60)) * const(60)).label("v")


def _nearest_rank(counts: list[tuple[int, int]]) -> Percentiles:
    """Median and p90 (rank = ceil(n·p/100)) of values given as (value, how many)."""
    ordered = sorted((int(v), int(n)) for v, n in counts)
    total = sum(n for _, n in ordered)
    if not total:
        return Percentiles()

    def at(percent: int) -> int:
        rank, seen = -(-total * percent // 100), 0
        for value, n in ordered:
            seen += n
            if seen >= rank:
                return value
        return ordered[-1][0]

    return Percentiles(median=at(50), p90=at(90), count=total)


async def _officers(
    session: AsyncSession, *, since: datetime, until: datetime, offices: Offices
) -> tuple[list[OfficerCounts], int]:
    """Per officer who took a report of the period: taken, and how those ended."""
    def count_if(cond):
        return func.sum(case((cond, 1), else_=0))

    taken = func.count().label("taken")
    stmt = (
        select(
            Report.taken_by, func.max(Report.taken_by_name), taken,
            count_if(Report.status == ReportStatus.RESOLVED), count_if(Report.status == ReportStatus.FALSE_REPORT),
        )
        .where(*_in(since, until, offices), Report.taken_by.is_not(None))
        .group_by(Report.taken_by)
        .order_by(taken.desc(), Report.taken_by)
    )
    rows = (await session.exec(stmt)).all()
    listed = [OfficerCounts(int(i), name or "?", int(t), int(r or 0), int(f or 0))
              for i, name, t, r, f in rows[:OFFICERS_LISTED]]
    return listed, len(rows)


def _local_day(dialect: str, tz: ZoneInfo, now: datetime):
    """The office calendar day of created_at, as 'YYYY-MM-DD'. SQLite has no time zones: the
    offset at `now` is used (Indonesia has no daylight saving time)."""
    if dialect == "postgresql":
        return func.to_char(func.timezone(str(tz), Report.created_at), "YYYY-MM-DD")
    offset = int(now.astimezone(tz).utcoffset().total_seconds())
    return func.date(Report.created_at, f"{offset:+d} seconds")


async def chart_facts(
    session: AsyncSession, *, since: datetime, until: datetime, tz: ZoneInfo, now: datetime, offices: Offices = None
) -> ChartFacts:
    day = _local_day(session.bind.dialect.name, tz, now).label("local_day")
    per_day: dict[str, dict[str, int]] = {}
    stmt = select(day, Report.status, func.count()).where(*_in(since, until, offices)).group_by(day, Report.status)
    for d, status, n in (await session.exec(stmt)).all():
        outcome = OUTCOME_OF_STATUS.get(status, "new")
        bucket = per_day.setdefault(str(d), {})
        bucket[outcome] = bucket.get(outcome, 0) + int(n)

    scale = literal_column(str(GRID_PER_DEGREE), Integer)
    cell_lat = func.round(Report.lat * scale).label("cell_lat")
    cell_lon = func.round(Report.lon * scale).label("cell_lon")
    located = (*_in(since, until, offices), Report.lat.is_not(None), Report.lon.is_not(None))
    cells = (await session.exec(select(cell_lat, cell_lon, func.count()).where(*located).group_by(cell_lat, cell_lon))).all()
    points = [(float(a) / GRID_PER_DEGREE, float(o) / GRID_PER_DEGREE, int(n)) for a, o, n in cells]
    unlocated = int((await session.exec(
        select(func.count()).select_from(Report).where(*_in(since, until, offices), Report.lat.is_(None))
    )).one())
    return ChartFacts(per_day=per_day, points=points, unlocated=unlocated)


async def status_by_office(
    session: AsyncSession, *, since: datetime, until: datetime, offices: Offices = None
) -> dict[str, dict[str, int]]:
    """office key → status → count: the one-line-per-office breakdown of a national /stats <period>,
    one GROUP BY for every office at once."""
    stmt = (select(Report.prefix, Report.status, func.count())
            .where(*_in(since, until, offices)).group_by(Report.prefix, Report.status))
    result: dict[str, dict[str, int]] = {}
    for office, status, n in (await session.exec(stmt)).all():
        result.setdefault(office, {})[status] = int(n)
    return result
