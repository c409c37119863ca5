"""The daily digest: what it says about a given day, once per day (job, late run, start-up catch-up)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone

from bot import digest
from bot.clock import WIB
from bot.config import SlaSection
from bot.jobs import send_daily_digest
from storage.digest import DigestFacts, Overdue
from storage.models import ReportStatus
from storage.stats import Percentiles
from tests import factories
from tests.conftest import SUPERVISOR_ID

DAY = date(2026, 3, 1)  # the harness clock is 2 March 2026, 09:00 WIB: the digest is about 1 March


def test_build_digest_reads_as_one_message():
    facts = DigestFacts(
        received=12, held=2, taken=9, resolved=6, false_reports=1, to_taken=Percentiles(240, 1500, 9),
        reminded=3, escalated=1, open_now={"new": 4, "taken": 5, "held": 2},
        overdue=[Overdue("TNG-2026-000003", "Agus", datetime(2026, 2, 27, 3, 0, tzinfo=timezone.utc))],
        overdue_total=1,
    )
    text = digest.build_digest(facts, DAY, lang="id", sla=SlaSection(), tz=WIB)
    assert text.splitlines() == [
        "<b>🗓 Ringkasan harian 01/03/2026</b>",
        "Masuk: 12 laporan (2 ditahan untuk ditinjau)",
        "Ditangani: 9 · selesai: 6 · palsu: 1",
        "Sampai ditangani: median 4 mnt, p90 25 mnt (dari 9)",
        "Lewat batas: 3 belum ditangani dalam 15 mnt · 1 dieskalasi setelah 1 j",
        "",
        "Terbuka sekarang: 4 baru · 5 ditangani · 2 ditahan",
        "Ditangani lebih dari 24 jam tanpa ditutup: 1",
        "• <b>TNG-2026-000003</b> · Agus · sejak 27/02/2026 10:00 WIB",
    ]


def test_a_long_overdue_list_is_cut_and_counted():
    at = datetime(2026, 2, 1, tzinfo=timezone.utc)
    facts = DigestFacts(overdue=[Overdue(f"N{i}", "A", at) for i in range(15)], overdue_total=40)
    text = digest.build_digest(facts, DAY, lang="en", sla=SlaSection(close_within_hours=48), tz=WIB)
    assert "Taken more than 48 hours ago and not closed: 40" in text
    assert text.endswith("… and 25 more")


async def add(h, **fields):
    async with h.services.db.transaction() as s:
        return await factories.report(s, telegram_id=5_000_000_009, now=h.now(), **fields)


def digests(h) -> list[dict]:
    return [m for m in h.fake.bot_messages(SUPERVISOR_ID) if "Ringkasan harian" in (m.get("plain_text") or "")]


async def test_the_digest_for_a_given_day_counts_that_day_and_lists_overdue_reports(h):
    now = h.now()  # 2 March 09:00 WIB
    yesterday = now - timedelta(days=1)
    await add(h, created_at=yesterday, status=ReportStatus.RESOLVED, taken_at=yesterday + timedelta(minutes=5),
              closed_at=yesterday + timedelta(hours=1), seconds_to_taken=300, seconds_to_closed=3600)
    await add(h, created_at=yesterday, status=ReportStatus.NEW, reminded_at=yesterday + timedelta(minutes=15),
              escalated_at=yesterday + timedelta(hours=1))
    await add(h, created_at=yesterday, status=ReportStatus.HELD)
    overdue = await add(h, created_at=now - timedelta(days=3), status=ReportStatus.TAKEN,
                        taken_at=now - timedelta(days=3), taken_by_name="Agus", seconds_to_taken=60)
    await add(h, created_at=now - timedelta(days=3, hours=1), status=ReportStatus.TAKEN,
              taken_at=now - timedelta(hours=2), taken_by_name="Bayu", seconds_to_taken=1)  # within 24 h
    await add(h, created_at=now - timedelta(minutes=5))  # today: not in yesterday's counts

    assert await digest.produce_digest(h.services, DAY) == digest.Produced.SENT
    await h.drain()
    [message] = digests(h)
    assert message["plain_text"].splitlines() == [
        "🗓 Ringkasan harian 01/03/2026",
        "Masuk: 3 laporan (1 ditahan untuk ditinjau)",
        "Ditangani: 1 · selesai: 1 · palsu: 0",
        "Sampai ditangani: median 5 mnt, p90 5 mnt (dari 1)",
        "Lewat batas: 1 belum ditangani dalam 15 mnt · 1 dieskalasi setelah 1 j",
        "",
        "Terbuka sekarang: 2 baru · 2 ditangani · 1 ditahan",
        "Ditangani lebih dari 24 jam tanpa ditutup: 1",
        f"• {overdue.number} · Agus · sejak 27/02/2026 09:00 WIB",
    ]
    # Once per day, whoever asks again (the job after the catch-up, a late run, a restart).
    assert await digest.produce_digest(h.services, DAY) == digest.Produced.ALREADY
    await h.drain()
    assert len(digests(h)) == 1


async def test_a_quiet_office_gets_no_message_but_the_day_is_done(h):
    assert await digest.produce_digest(h.services, DAY) == digest.Produced.EMPTY
    assert await digest.produce_digest(h.services, DAY) == digest.Produced.ALREADY
    await h.drain()
    assert digests(h) == []


async def test_the_start_up_catch_up_runs_only_after_the_digest_hour(h):
    await add(h, created_at=h.now() - timedelta(days=1))
    h.clock.now = datetime(2026, 3, 2, 6, 59, tzinfo=WIB)
    assert await digest.catch_up(h.services) is None
    h.clock.now = datetime(2026, 3, 2, 7, 0, tzinfo=WIB)
    assert await digest.catch_up(h.services) == digest.Produced.SENT
    # The job at 07:00 found it done (the process restarted just after the catch-up).
    [job] = h.app.job_queue.get_jobs_by_name("daily_digest")
    await job.run(h.app)
    await h.drain()
    assert len(digests(h)) == 1


async def test_the_job_runs_daily_at_seven_office_time_and_fires_when_late(h):
    [job] = h.app.job_queue.get_jobs_by_name("daily_digest")
    assert job.callback is send_daily_digest
    trigger = job.trigger
    fields = {f.name: str(f) for f in trigger.fields}
    assert (fields["hour"], fields["minute"], fields["day_of_week"]) == ("7", "0", "sun,mon,tue,wed,thu,fri,sat")
    assert str(trigger.timezone) == "Asia/Jakarta"
    assert job.job.misfire_grace_time == 3600
    # The next run after 2 March 09:00 WIB is 3 March 07:00 WIB.
    nxt = trigger.get_next_fire_time(None, datetime(2026, 3, 2, 9, 0, tzinfo=WIB))
    assert nxt == datetime.combine(date(2026, 3, 3), time(7, 0), tzinfo=WIB)
