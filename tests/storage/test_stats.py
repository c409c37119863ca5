"""Statistics in SQL: exact counts and nearest-rank percentiles over generated reports whose
durations are known, on a real database (SQLite, or PostgreSQL when SIPOA_TEST_POSTGRES_URL is set);
plus the rank expression compiled for PostgreSQL, which runs everywhere."""

from __future__ import annotations

import random
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy.dialects import postgresql

from storage import stats
from storage.db import Database
from storage.models import Report, Reporter, ReportStatus

T0 = datetime(2026, 3, 2, 0, 0, 0, tzinfo=timezone.utc)


@pytest.fixture
async def db(database_url):
    # A fresh SQLite file, or a fresh PostgreSQL database when the suite runs against one (conftest).
    database = Database(database_url)
    await database.create_schema()
    yield database
    await database.dispose()


class Maker:
    def __init__(self, db: Database):
        self.db = db
        self.seq = 0

    async def add(self, rows: list[dict]) -> None:
        async with self.db.transaction() as s:
            reporter = Reporter(telegram_id=1000 + self.seq, alias=f"P-{self.seq:06d}", created_at=T0)
            s.add(reporter)
            await s.flush()
            for row in rows:
                self.seq += 1
                values = {
                    "number": f"TNG-2026-{self.seq:06d}",
                    "prefix": "TNG",
                    "year": 2026,
                    "seq": self.seq,
                    "reporter_id": reporter.id,
                    "category": "overstay",
                    "description": "generated",
                    "created_at": T0,
                    **row,
                }
                s.add(Report(**values))


async def test_empty_database_gives_zero_counts_and_no_percentiles(db):
    async with db.read() as s:
        result = await stats.period_stats(s)
    assert result.total == 0
    assert result.by_status == {status: 0 for status in ReportStatus.ALL}
    assert result.by_category == {}
    assert result.to_taken == stats.Percentiles(None, None, 0)
    assert result.to_resolved == stats.Percentiles(None, None, 0)


async def test_counts_by_status_and_category_within_the_period_only(db):
    m = Maker(db)
    await m.add(
        [
            {"status": ReportStatus.NEW, "category": "overstay", "created_at": T0},
            {"status": ReportStatus.NEW, "category": "illegal_work", "created_at": T0 + timedelta(hours=1)},
            {"status": ReportStatus.TAKEN, "category": "overstay", "created_at": T0 + timedelta(hours=2)},
            {"status": ReportStatus.RESOLVED, "category": "overstay", "created_at": T0 + timedelta(hours=3)},
            {"status": ReportStatus.FALSE_REPORT, "category": "other", "created_at": T0 + timedelta(hours=4)},
            # Outside [T0, T0+1d): one just before, one exactly at the open end.
            {"status": ReportStatus.NEW, "category": "other", "created_at": T0 - timedelta(seconds=1)},
            {"status": ReportStatus.TAKEN, "category": "other", "created_at": T0 + timedelta(days=1)},
        ]
    )
    async with db.read() as s:
        day = await stats.period_stats(s, since=T0, until=T0 + timedelta(days=1))
        everything = await stats.period_stats(s)
    assert day.total == 5
    assert day.by_status == {"new": 2, "taken": 1, "resolved": 1, "false_report": 1}
    # Most frequent first, ties by code.
    assert list(day.by_category.items()) == [("overstay", 3), ("illegal_work", 1), ("other", 1)]
    assert everything.total == 7
    assert everything.by_status == {"new": 3, "taken": 2, "resolved": 1, "false_report": 1}
    assert everything.by_category == {"overstay": 3, "other": 3, "illegal_work": 1}


async def test_reports_the_screening_held_or_rejected_are_counted_apart(db):
    m = Maker(db)
    await m.add([{"status": ReportStatus.NEW}, {"status": ReportStatus.HELD}, {"status": ReportStatus.HELD},
                 {"status": ReportStatus.REJECTED}])
    async with db.read() as s:
        result = await stats.period_stats(s)
    assert result.total == 4
    assert result.by_status == {"new": 1, "taken": 0, "resolved": 0, "false_report": 0, "held": 2, "rejected": 1}


@pytest.mark.parametrize(
    "values, median, p90",
    [
        ([42], 42, 42),
        ([10, 20], 10, 20),
        ([1, 2, 3, 4], 2, 4),
        (list(range(1, 11)), 5, 9),
        (list(range(1, 12)), 6, 10),
        # 20 values: median rank 10, p90 rank 18.
        [[60 * i for i in range(1, 21)], 600, 1080],
        ([5, 5, 5, 900], 5, 900),
    ],
)
async def test_nearest_rank_percentiles_of_time_to_taken(db, values, median, p90):
    shuffled = values[:]
    random.Random(7).shuffle(shuffled)
    m = Maker(db)
    await m.add([{"status": ReportStatus.TAKEN, "seconds_to_taken": v} for v in shuffled])
    # Not yet taken: no duration, must not count.
    await m.add([{"status": ReportStatus.NEW}, {"status": ReportStatus.NEW}])
    async with db.read() as s:
        result = await stats.percentiles(s, column=Report.seconds_to_taken)
    assert result == stats.Percentiles(median=median, p90=p90, count=len(values))


async def test_time_to_resolved_counts_resolved_reports_of_the_period_only(db):
    m = Maker(db)
    resolved = [300, 3600, 120, 7200, 900]  # sorted: 120 300 900 3600 7200 → median 900, p90 7200
    await m.add(
        [
            {"status": ReportStatus.RESOLVED, "seconds_to_taken": v // 10, "seconds_to_closed": v}
            for v in resolved
        ]
    )
    await m.add(
        [
            # A false report closed quickly says nothing about how fast help came.
            {"status": ReportStatus.FALSE_REPORT, "seconds_to_taken": 1, "seconds_to_closed": 2},
            # Resolved, but created before the period.
            {
                "status": ReportStatus.RESOLVED,
                "seconds_to_closed": 1,
                "seconds_to_taken": 1,
                "created_at": T0 - timedelta(days=3),
            },
        ]
    )
    async with db.read() as s:
        result = await stats.period_stats(s, since=T0, until=T0 + timedelta(days=1))
    assert result.to_resolved == stats.Percentiles(median=900, p90=7200, count=5)
    # Time to taken covers every taken report of the period (the false one too): 1 12 30 90 360 720.
    assert result.to_taken == stats.Percentiles(median=30, p90=720, count=6)


async def test_many_reports_match_a_python_nearest_rank(db):
    rng = random.Random(2026)
    values = [rng.randint(1, 10_000) for _ in range(137)]
    m = Maker(db)
    await m.add([{"status": ReportStatus.TAKEN, "seconds_to_taken": v} for v in values])
    ordered = sorted(values)
    expect_median = ordered[(137 * 50 + 99) // 100 - 1]
    expect_p90 = ordered[(137 * 90 + 99) // 100 - 1]
    async with db.read() as s:
        result = await stats.percentiles(s, column=Report.seconds_to_taken)
    assert (result.median, result.p90, result.count) == (expect_median, expect_p90, 137)


def test_the_percentile_rank_is_integer_arithmetic_on_postgresql_too():
    n = Report.seconds_to_taken  # any integer column stands in for the window count
    sql = str(stats._nearest_rank(n, 90).compile(dialect=postgresql.dialect()))
    assert sql == "(report.seconds_to_taken * 90 + 99) / 100"
