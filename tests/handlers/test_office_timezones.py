"""Offices on different clocks: Tangerang on WIB (the national clock) and, here, Jakarta Selatan on
WITA (`timezone = "Asia/Makassar"` in its [[offices]] entry). Its group, its residents and its
supervisors read WITA times; its digest goes at 07:00 WITA about its own calendar day; its /stats
days begin at 00:00 WITA. A single-office bot is the rest of the suite, unchanged."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from bot import digest, reminders
from tests import factories
from tests.conftest import GROUP_ID, IN_AREA, RESIDENT_ID
from tests.handlers.test_review_offices import (
    JAKSEL,
    JKS_GROUP,
    JKS_NAME,
    JKS_SUPERVISOR,
    NATIONAL_ID,
    TNG_SUPERVISOR,
    held,
    review,
    start,
)
from tests.handlers.test_routing import submit_at

WITA = {"timezone": "Asia/Makassar"}
UTC = timezone.utc


@pytest.fixture
async def h(tmp_path, database_url, fake, clock, vtime):
    harness = await start(tmp_path, database_url, fake, clock, vtime, jks=WITA, screening={"enabled": False})
    yield harness
    from bot.app import stop_services

    await stop_services(harness.app)
    await harness.app.shutdown()


async def add(h, office: str, created_at: datetime, seq: int, **fields) -> None:
    where = JAKSEL if office == "JKS" else {}
    async with h.services.db.transaction() as s:
        await factories.report(s, telegram_id=5_000_000_400 + seq, now=created_at, prefix=office, seq=seq,
                               number=f"{office}-2026-{seq:06d}", **where, **fields)


def alert_text(h, chat_id: int, number: str) -> str:
    [alert] = [m["plain_text"] for m in h.fake.bot_messages(chat_id) if number in (m["plain_text"] or "")]
    return alert


def digests(h, chat_id: int) -> list[str]:
    return [m["plain_text"] for m in h.fake.bot_messages(chat_id) if "Ringkasan harian" in (m["plain_text"] or "")]


def stats(h, chat_id: int) -> list[str]:
    """The lines of the latest figures sent (the chart follows them as a photo)."""
    texts = [m["plain_text"] for m in h.fake.bot_messages(chat_id) if (m["plain_text"] or "").startswith("📊")]
    return texts[-1].splitlines()


JAKSEL_POINT = (JAKSEL["lat"], JAKSEL["lon"])


async def test_a_wita_offices_alert_and_its_residents_reports_read_wita(h):
    # 02:00 UTC: 09:00 in Tangerang (WIB), 10:00 in the WITA office.
    await submit_at(h, RESIDENT_ID, JAKSEL_POINT)
    await submit_at(h, RESIDENT_ID, IN_AREA)
    await h.drain()
    assert "🕘 Waktu: 02/03/2026 10:00 WITA" in alert_text(h, JKS_GROUP, "JKS-2026-000001")
    assert "🕘 Waktu: 02/03/2026 09:00 WIB" in alert_text(h, GROUP_ID, "TNG-2026-000001")
    await h.text(RESIDENT_ID, "/myreports")
    mine = h.last(RESIDENT_ID)["plain_text"]
    assert "TNG-2026-000001 · 02/03/2026 09:00 WIB" in mine and "JKS-2026-000001 · 02/03/2026 10:00 WITA" in mine


async def test_held_reports_show_their_offices_time_in_review(h):
    await held(h, "JKS", 1, 5_000_000_302)
    text = (await review(h, JKS_SUPERVISOR))["plain_text"]
    assert "02/03/2026 10:00 WITA" in text


async def test_the_wita_offices_digest_goes_at_its_local_hour_about_its_own_day(h):
    # 1 March 10:00 WITA, and 1 March 23:30 WIB, which is already 2 March 00:30 WITA.
    await add(h, "JKS", datetime(2026, 3, 1, 2, 0, tzinfo=UTC), 1)
    await add(h, "JKS", datetime(2026, 3, 1, 16, 30, tzinfo=UTC), 2)
    wita_job = h.app.job_queue.get_jobs_by_name("daily_digest:Asia/Makassar")[0]
    fields = {f.name: str(f) for f in wita_job.trigger.fields}
    assert (fields["hour"], fields["minute"], str(wita_job.trigger.timezone)) == ("7", "0", "Asia/Makassar")
    assert wita_job.trigger.get_next_fire_time(None, datetime(2026, 3, 1, 22, 0, tzinfo=UTC)) == \
        datetime(2026, 3, 1, 23, 0, tzinfo=UTC)
    [national_job] = h.app.job_queue.get_jobs_by_name("daily_digest")
    assert str(national_job.trigger.timezone) == "Asia/Jakarta"

    # 07:00 WITA = 06:00 WIB: the WITA office's digest, nobody else's yet.
    h.clock.now = datetime(2026, 3, 1, 23, 0, tzinfo=UTC)
    await wita_job.run(h.app)
    await h.drain()
    [jks] = digests(h, JKS_SUPERVISOR)
    assert jks.splitlines()[:2] == [f"🗓 Ringkasan harian 01/03/2026 · {JKS_NAME}",
                                    "Masuk: 1 laporan (0 ditahan untuk ditinjau)"]
    assert digests(h, NATIONAL_ID) == [] and digests(h, TNG_SUPERVISOR) == []
    # A restart now: the WITA digest is done, the national one not due before 07:00 WIB.
    assert await digest.catch_up(h.services, wita_job.trigger.timezone) == digest.Produced.ALREADY
    assert await digest.catch_up(h.services) is None

    # 07:00 WIB: the national digest, about the WIB 1 March (both reports).
    h.clock.now = datetime(2026, 3, 2, 0, 0, tzinfo=UTC)
    await national_job.run(h.app)
    await wita_job.run(h.app)  # a second run of the WITA job the same day: nothing more
    await h.drain()
    [national] = digests(h, NATIONAL_ID)
    assert national.splitlines()[1] == "Masuk: 2 laporan (0 ditahan untuk ditinjau)"
    assert len(digests(h, JKS_SUPERVISOR)) == 1


async def test_a_wita_offices_stats_day_begins_at_its_midnight(h):
    # 23:50 WITA on 2 March, then 00:10 WITA on 3 March (both still 2 March in WIB).
    await add(h, "JKS", datetime(2026, 3, 2, 15, 50, tzinfo=UTC), 1)
    await add(h, "JKS", datetime(2026, 3, 2, 16, 10, tzinfo=UTC), 2)
    h.clock.now = datetime(2026, 3, 2, 16, 30, tzinfo=UTC)  # 00:30 WITA, 23:30 WIB
    await h.text(JKS_SUPERVISOR, "/stats today")
    assert stats(h, JKS_SUPERVISOR)[1:3] == ["per 03/03/2026 00:30 WITA", "1 laporan"]
    h.vtime.value += 1
    await h.text(JKS_SUPERVISOR, "/stats")
    assert "Hari ini: 1 laporan" in "\n".join(stats(h, JKS_SUPERVISOR))
    # Nationally a day is WIB's: both are today's.
    h.vtime.value += 1
    await h.text(NATIONAL_ID, "/stats today")
    assert stats(h, NATIONAL_ID)[1:3] == ["per 02/03/2026 23:30 WIB", "2 laporan"]


async def test_an_escalation_about_a_wita_report_gives_its_time_in_wita(h):
    at = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)  # 09:00 WITA
    await add(h, "JKS", at, 1, remind_at=at, escalate_at=at)
    await reminders.sweep(h.services)
    await h.drain()
    for supervisor in (JKS_SUPERVISOR, NATIONAL_ID):
        [escalation] = [m["plain_text"] for m in h.fake.bot_messages(supervisor) if m["plain_text"].startswith("⚠️")]
        assert "masuk 02/03/2026 09:00 WITA" in escalation
