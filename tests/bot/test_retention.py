"""Retention: old photos and phone hashes are deleted; reports, their photo counts and statistics stay."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import select

from bot import retention
from bot.jobs import purge_old_data
from storage.models import Photo, Report, Reporter, ReporterEvent
from storage.stats import period_stats
from tests import factories


async def test_photos_older_than_the_period_are_deleted_and_the_counts_stay(h):
    now = h.now()
    async with h.services.db.transaction() as s:
        old = await factories.report(s, telegram_id=5_000_000_011, now=now - timedelta(days=181), photos=3)
        recent = await factories.report(s, telegram_id=5_000_000_012, now=now - timedelta(days=179), photos=2)
    assert await retention.purge(h.services) == retention.Purged(photos=3, phones=0)
    async with h.services.db.read() as s:
        left = (await s.exec(select(Photo.report_id))).all()
        assert sorted(left) == [recent.id, recent.id]
        assert (await s.get(Report, old.id)).photo_count == 3
        assert (await period_stats(s)).total == 2
    assert await retention.purge(h.services) == retention.Purged()


async def test_phone_hashes_past_the_period_are_forgotten_but_verified_stays(h):
    now = h.now()
    async with h.services.db.transaction() as s:
        old = await factories.reporter(s, telegram_id=5_000_000_021, now=now - timedelta(days=400),
                                       phone_hash="h-old", phone_verified=True)
        s.add(ReporterEvent(reporter_id=old.id, at=now - timedelta(days=366), action="phone_verified"))
        # An old account that shared its number last month keeps it.
        renewed = await factories.reporter(s, telegram_id=5_000_000_022, now=now - timedelta(days=400),
                                           phone_hash="h-new", phone_verified=True)
        s.add(ReporterEvent(reporter_id=renewed.id, at=now - timedelta(days=30), action="phone_verified"))
        # No event recorded: the account's age stands in for the number's.
        young = await factories.reporter(s, telegram_id=5_000_000_023, now=now - timedelta(days=10),
                                         phone_hash="h-young", phone_verified=True)
        # Walk-in complainants: a number typed at the desk, kept while they still come.
        gone = Reporter(alias="P-WALK01", kind="walk_in", phone="081234567890", created_at=now - timedelta(days=400))
        back = Reporter(alias="P-WALK02", kind="walk_in", phone="081298765432", created_at=now - timedelta(days=400))
        s.add_all([gone, back])
        await s.flush()
        await factories.report(s, telegram_id=5_000_000_024, reporter_id=gone.id, now=now - timedelta(days=370),
                               number="TNG-2025-900001", seq=900001)
        await factories.report(s, telegram_id=5_000_000_024, reporter_id=back.id, now=now - timedelta(days=2),
                               number="TNG-2026-900002", seq=900002)
    [job] = h.app.job_queue.get_jobs_by_name("purge_old_data")
    assert job.callback is purge_old_data
    await job.run(h.app)
    async with h.services.db.read() as s:
        rows = {r.id: r for r in (await s.exec(select(Reporter))).all()}
    assert (rows[old.id].phone_hash, rows[old.id].phone_verified) == (None, True)
    assert rows[renewed.id].phone_hash == "h-new"
    assert rows[young.id].phone_hash == "h-young"
    assert (rows[gone.id].phone, rows[back.id].phone) == (None, "081298765432")


async def test_the_periods_come_from_the_config(tmp_path, database_url, fake, clock, vtime):
    from bot.app import stop_services
    from tests.conftest import make_config, start_harness

    config = make_config(tmp_path, database_url=database_url, retention={"photos_days": 7, "phones_days": 30})
    h = await start_harness(config, fake, clock, vtime)
    try:
        async with h.services.db.transaction() as s:
            await factories.report(s, telegram_id=5_000_000_031, now=h.now() - timedelta(days=8), photos=1)
            await factories.reporter(s, telegram_id=5_000_000_032, now=h.now() - timedelta(days=31), phone_hash="x")
        assert await retention.purge(h.services) == retention.Purged(photos=1, phones=1)
    finally:
        await stop_services(h.app)
        await h.app.shutdown()
