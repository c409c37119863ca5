"""One period in detail, counted by the database (SQLite and PostgreSQL alike)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from bot.clock import WIB
from bot.periods import parse_span
from storage import period_stats as repo
from storage.models import ReportStatus
from tests import factories

# The harness clock: 2 March 2026 02:00 UTC = 09:00 WIB.


async def add(h, at: datetime, **fields):
    async with h.services.db.transaction() as s:
        return await factories.report(s, telegram_id=5_000_000_090, now=at, **fields)


async def test_counts_by_status_category_channel_area_and_officer(h):
    now = h.now()
    await add(h, now, status=ReportStatus.RESOLVED, taken_by=1, taken_by_name="Agus", seconds_to_taken=60,
              seconds_to_closed=600)
    await add(h, now, status=ReportStatus.FALSE_REPORT, taken_by=1, taken_by_name="Agus", seconds_to_taken=120,
              seconds_to_closed=300, category="other", area_label="Ciledug, Kota Tangerang")
    await add(h, now, status=ReportStatus.TAKEN, taken_by=2, taken_by_name="Bayu", seconds_to_taken=30,
              channel="walk_in")
    await add(h, now, status=ReportStatus.HELD, area_label=None)
    await add(h, now - timedelta(days=40))  # outside the period
    span = parse_span("30d", now=now, tz=WIB)
    async with h.services.db.read() as s:
        d = await repo.period_detail(s, since=span.since, until=span.until)
    assert d.total == 4
    assert d.by_status == {"new": 0, "taken": 1, "resolved": 1, "false_report": 1, "held": 1, "rejected": 0}
    assert d.by_category == {"overstay": 3, "other": 1}
    assert d.by_channel == {"telegram": 3, "walk_in": 1}
    assert d.by_area == {"Tangerang, Kota Tangerang": 2, None: 1, "Ciledug, Kota Tangerang": 1}
    assert (d.to_taken.median, d.to_taken.p90, d.to_taken.count) == (60, 120, 3)
    assert (d.to_resolved.median, d.to_resolved.count) == (600, 1)
    assert (d.to_closed.median, d.to_closed.p90, d.to_closed.count) == (300, 600, 2)
    assert [(o.officer_id, o.name, o.taken, o.resolved, o.false_reports) for o in d.officers] == [
        (1, "Agus", 2, 1, 1), (2, "Bayu", 1, 0, 0)]


async def test_days_are_office_days_and_points_are_grid_cells(h):
    # 16:59 UTC is 23:59 WIB on 1 March; 17:00 UTC is already 2 March in Tangerang.
    late = datetime(2026, 3, 1, 16, 59, tzinfo=timezone.utc)
    early = datetime(2026, 3, 1, 17, 0, tzinfo=timezone.utc)
    await add(h, late, status=ReportStatus.RESOLVED, lat=-6.17831, lon=106.63191)
    await add(h, early, lat=-6.17849, lon=106.63149)  # the same ~1 km cell
    await add(h, early, status=ReportStatus.REJECTED, lat=-6.2501, lon=106.7001)
    await add(h, early, lat=None, lon=None)
    span = parse_span("2026-03-01..2026-03-02", now=h.now(), tz=WIB)
    async with h.services.db.read() as s:
        facts = await repo.chart_facts(s, since=span.since, until=span.until, tz=WIB, now=h.now())
    assert facts.per_day == {"2026-03-01": {"resolved": 1}, "2026-03-02": {"new": 2, "screened_out": 1}}
    assert sorted(facts.points) == [(-6.25, 106.7, 1), (-6.18, 106.63, 2)]
    assert facts.unlocated == 1


async def test_times_read_exactly_as_the_exact_percentiles_do(h):
    """Whole minutes from a minute up: the same text as exact nearest-rank values, for any data."""
    import random

    from bot.stats import format_duration
    from storage.stats import percentiles

    rnd = random.Random(7)
    now = h.now()
    async with h.services.db.transaction() as s:
        for i in range(120):
            taken = rnd.choice([rnd.randint(0, 59), rnd.randint(60, 7200), rnd.randint(7200, 400_000)])
            closed = taken + rnd.randint(0, 90_000)
            await factories.report(s, telegram_id=5_000_000_091, now=now - timedelta(hours=i),
                                   status=rnd.choice([ReportStatus.RESOLVED, ReportStatus.FALSE_REPORT]),
                                   seconds_to_taken=taken, seconds_to_closed=closed)
    span = parse_span("30d", now=now, tz=WIB)
    async with h.services.db.read() as s:
        times = await repo.period_times(s, since=span.since, until=span.until)
        exact = {
            "taken": await percentiles(s, column=repo.Report.seconds_to_taken, since=span.since, until=span.until),
            "resolved": await percentiles(s, column=repo.Report.seconds_to_closed, since=span.since,
                                          until=span.until, status=ReportStatus.RESOLVED),
            "closed": await percentiles(s, column=repo.Report.seconds_to_closed, since=span.since, until=span.until),
        }
    for ours, theirs in ((times.to_taken, exact["taken"]), (times.to_resolved, exact["resolved"]),
                         (times.to_closed, exact["closed"])):
        assert ours.count == theirs.count > 0
        assert format_duration(ours.median, "id") == format_duration(theirs.median, "id")
        assert format_duration(ours.p90, "id") == format_duration(theirs.p90, "id")


def test_nearest_rank_over_counted_values():
    assert repo._nearest_rank([]) == repo.Percentiles()
    # 10 values: the median is the 5th, p90 the 9th.
    p = repo._nearest_rank([(60, 4), (0, 1), (120, 4), (3600, 1)])
    assert (p.median, p.p90, p.count) == (60, 120, 10)
