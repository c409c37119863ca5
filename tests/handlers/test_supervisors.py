"""/stats as people meet it: a supervisor in a private chat gets the figures; officers, residents
and strangers are refused politely; in the officers' group no figures are ever posted."""

from __future__ import annotations

from datetime import timedelta

from storage.models import Report, Reporter, ReportStatus
from tests.conftest import GROUP_ID, OFFICER_ID, OUTSIDER_ID, RESIDENT2_ID, RESIDENT_ID, SUPERVISOR_ID


async def add_reports(h, rows: list[dict]) -> None:
    now = h.now()
    async with h.services.db.transaction() as s:
        reporter = Reporter(telegram_id=4_000_000_001, alias="P-STAT01", created_at=now - timedelta(days=200))
        s.add(reporter)
        await s.flush()
        for seq, row in enumerate(rows, start=1):
            s.add(
                Report(
                    number=f"TNG-2026-{seq:06d}", prefix="TNG", year=2026, seq=seq, reporter_id=reporter.id,
                    description="generated for statistics", **{"category": "overstay", **row},
                )
            )


async def test_supervisor_gets_counts_and_times_for_every_period(h):
    now = h.now()  # 2 March 2026, 09:00 WIB
    await add_reports(
        h,
        [
            # Today: taken after 4 minutes, resolved after 1 h 12 min.
            {"created_at": now - timedelta(hours=1), "status": ReportStatus.RESOLVED,
             "seconds_to_taken": 240, "seconds_to_closed": 4320},
            {"created_at": now - timedelta(minutes=5), "status": ReportStatus.NEW, "category": "illegal_work"},
            # Three days ago, thirteen days ago, a year ago.
            {"created_at": now - timedelta(days=3), "status": ReportStatus.FALSE_REPORT,
             "seconds_to_taken": 600, "seconds_to_closed": 700},
            {"created_at": now - timedelta(days=13), "status": ReportStatus.TAKEN, "seconds_to_taken": 60},
            {"created_at": now - timedelta(days=365), "status": ReportStatus.TAKEN, "category": "other",
             "seconds_to_taken": 86400},
        ],
    )
    await h.text(SUPERVISOR_ID, "/stats")
    text = h.last(SUPERVISOR_ID)["plain_text"]
    assert text.startswith("📊 Statistik laporan\nper 02/03/2026 09:00 WIB")
    assert "Hari ini: 2 laporan\nStatus: baru 1 · ditangani 0 · selesai 1 · laporan palsu 0" in text
    assert "Kategori: Bekerja tanpa izin 1 · Izin tinggal habis / overstay 1" in text
    assert "Sampai ditangani: median 4 mnt, p90 4 mnt (dari 1)" in text
    assert "Sampai selesai: median 1 j 12 mnt, p90 1 j 12 mnt (dari 1)" in text
    assert "7 hari terakhir: 3 laporan" in text
    assert "30 hari terakhir: 4 laporan" in text
    # All time: taken after 60, 240, 600, 86400 s → median (rank 2) 4 min, p90 (rank 4) 1 day.
    all_time = text.split("Semua waktu: ")[1]
    assert all_time.startswith("5 laporan\nStatus: baru 1 · ditangani 2 · selesai 1 · laporan palsu 1")
    assert "Sampai ditangani: median 4 mnt, p90 1 hari (dari 4)" in all_time
    # Times are to resolved only: the false report closed after 700 s does not count.
    assert "Sampai selesai: median 1 j 12 mnt, p90 1 j 12 mnt (dari 1)" in all_time


async def test_supervisor_with_an_empty_database_sees_zeros_in_english(h):
    h.fake.users[SUPERVISOR_ID]["language_code"] = "en"
    await h.text(SUPERVISOR_ID, "/stats")
    text = h.last(SUPERVISOR_ID)["plain_text"]
    assert ("Today: 0 reports\nStatus: new 0 · taken 0 · resolved 0 · false report 0\n"
            "To taken: median —, p90 — (of 0)") in text
    assert "All time: 0 reports" in text


async def test_officer_resident_and_stranger_are_refused(h):
    await h.text(OFFICER_ID, "/stats")
    assert h.last(OFFICER_ID)["plain_text"] == "Maaf, Anda tidak berwenang melakukan ini."
    await h.text(RESIDENT_ID, "/stats")
    assert h.last(RESIDENT_ID)["plain_text"] == "Maaf, Anda tidak berwenang melakukan ini."
    await h.text(RESIDENT2_ID, "/stats")
    assert h.last(RESIDENT2_ID)["plain_text"] == "Sorry, you are not allowed to do this."
    await h.text(OUTSIDER_ID, "/stats@sipoa_test_bot")
    assert h.last(OUTSIDER_ID)["plain_text"] == "Maaf, Anda tidak berwenang melakukan ini."
    # Exactly one answer each: nothing else (the residents' conversation) took the command too.
    for user in (OFFICER_ID, RESIDENT_ID, RESIDENT2_ID, OUTSIDER_ID):
        assert len(h.fake.bot_messages(user)) == 1, h.fake.bot_messages(user)


async def test_in_the_group_no_figures_are_posted(h):
    await add_reports(h, [{"created_at": h.now(), "status": ReportStatus.NEW}])
    await h.text(OFFICER_ID, "/stats", chat_id=GROUP_ID)
    assert h.fake.bot_messages(GROUP_ID) == []
    await h.text(SUPERVISOR_ID, "/stats@sipoa_test_bot", chat_id=GROUP_ID)
    (reply,) = h.fake.bot_messages(GROUP_ID)
    assert reply["plain_text"] == "Silakan gunakan perintah ini dalam chat pribadi dengan bot."
    assert h.fake.bot_messages(SUPERVISOR_ID) == []


async def test_an_edited_stats_message_is_not_answered_again(h):
    await h.text(SUPERVISOR_ID, "/stats")
    first = h.last(SUPERVISOR_ID)
    edited = h.fake.user_text(SUPERVISOR_ID, "/stats")
    edited["edited_message"] = edited.pop("message")
    await h.feed(edited)
    assert h.fake.bot_messages(SUPERVISOR_ID) == [first]
