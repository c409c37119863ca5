"""Figures per office, counted by the database (SQLite and PostgreSQL alike): every aggregate takes a
scope (None: every office; a set of office keys) and a breakdown by office is one GROUP BY."""

from __future__ import annotations

from datetime import timedelta

from bot.clock import WIB
from bot.periods import parse_span
from storage import digest as digest_repo
from storage import export as export_repo
from storage import period_stats, stats
from storage.models import ReportStatus
from tests import factories


async def add(h, office: str, **fields):
    async with h.services.db.transaction() as s:
        row = await factories.report(s, telegram_id=5_000_000_400, now=fields.pop("at", h.now()), prefix=office,
                                     **fields)
        row.number = f"{office}-{row.number[4:]}"
        return row


async def seed(h):
    now = h.now()
    await add(h, "TNG", status=ReportStatus.RESOLVED, seconds_to_taken=60, seconds_to_closed=600,
              taken_by=1, taken_by_name="Agus")
    await add(h, "TNG", at=now - timedelta(days=10))
    await add(h, "JKS", status=ReportStatus.TAKEN, seconds_to_taken=300, taken_by=2, taken_by_name="Bayu",
              taken_at=now - timedelta(days=3))
    await add(h, "JKS", category="other")
    await add(h, "MDN", status=ReportStatus.HELD, at=now - timedelta(days=400))


async def test_the_overview_figures_of_a_scope(h):
    await seed(h)
    async with h.services.db.read() as s:
        national = await stats.period_stats(s)
        tng = await stats.period_stats(s, offices={"TNG"})
        two = await stats.period_stats(s, offices={"TNG", "JKS"})
        none = await stats.period_stats(s, offices=set())
    assert (national.total, tng.total, two.total, none.total) == (5, 2, 4, 0)
    assert tng.by_status["resolved"] == 1 and tng.by_category == {"overstay": 2}
    assert (tng.to_taken.median, tng.to_taken.count) == (60, 1)
    assert two.by_category == {"overstay": 3, "other": 1}
    assert (two.to_taken.median, two.to_taken.p90) == (60, 300)


async def test_counts_per_office_and_period_in_one_query(h):
    await seed(h)
    now = h.now()
    periods = [(now - timedelta(days=1), now + timedelta(seconds=1)), (now - timedelta(days=30), None), (None, None)]
    async with h.services.db.read() as s:
        assert await stats.count_by_office(s, periods=periods) == {
            "TNG": (1, 2, 2), "JKS": (2, 2, 2), "MDN": (0, 0, 1)}
        assert await stats.count_by_office(s, periods=periods, offices={"JKS"}) == {"JKS": (2, 2, 2)}


async def test_a_period_in_detail_per_office(h):
    await seed(h)
    span = parse_span("30d", now=h.now(), tz=WIB)
    async with h.services.db.read() as s:
        jks = await period_stats.period_detail(s, since=span.since, until=span.until, offices={"JKS"})
        facts = await period_stats.chart_facts(s, since=span.since, until=span.until, tz=WIB, now=h.now(),
                                               offices={"TNG"})
        by_office = await period_stats.status_by_office(s, since=span.since, until=span.until)
    assert jks.total == 2 and [o.name for o in jks.officers] == ["Bayu"]
    assert (jks.to_taken.median, jks.to_taken.count) == (300, 1)
    assert sum(sum(day.values()) for day in facts.per_day.values()) == 2
    assert by_office == {"TNG": {"resolved": 1, "new": 1}, "JKS": {"taken": 1, "new": 1}}


async def test_digest_facts_and_lines_per_office(h):
    await seed(h)
    now = h.now()
    since, until = now - timedelta(days=4), now + timedelta(seconds=1)
    async with h.services.db.read() as s:
        overdue_before = now - timedelta(days=1)
        jks = await digest_repo.digest_facts(s, since=since, until=until, now=now, overdue_before=overdue_before,
                                             offices={"JKS"})
        lines = await digest_repo.counts_by_office(s, since=since, until=until, overdue_before=overdue_before)
    assert (jks.received, jks.taken, jks.overdue_total) == (2, 1, 1)
    assert jks.open_now == {"new": 1, "taken": 1, "held": 0}
    # (received in the day, open now, taken and overdue)
    assert lines == {"TNG": (1, 1, 0), "JKS": (2, 2, 1), "MDN": (0, 1, 0)}


async def test_export_batches_of_a_scope_carry_the_office(h):
    await seed(h)
    span = parse_span("30d", now=h.now(), tz=WIB)
    async with h.services.db.read() as s:
        jks = await export_repo.batch(s, since=span.since, until=span.until, after=None, limit=10, offices={"JKS"})
        every = await export_repo.batch(s, since=span.since, until=span.until, after=None, limit=10)
    assert [r.office for r in jks] == ["JKS", "JKS"]
    assert sorted(r.office for r in every) == ["JKS", "JKS", "TNG", "TNG"]
