"""`/stats <period>` as a supervisor meets it: the period in detail, then a chart photo of the
promised size; `/stats` alone stays the overview; nobody else gets figures."""

from __future__ import annotations

import io
from datetime import timedelta

from PIL import Image

from bot.charts import CHART_SIZE
from storage.models import ReportStatus
from tests import factories
from tests.conftest import GROUP_ID, OFFICER_ID, RESIDENT_ID, SUPERVISOR_ID


async def add(h, **fields):
    async with h.services.db.transaction() as s:
        return await factories.report(s, telegram_id=5_000_000_095, now=fields.pop("at", h.now()), **fields)


async def test_a_period_in_detail_then_its_chart(h):
    now = h.now()
    await add(h, status=ReportStatus.RESOLVED, taken_by=OFFICER_ID, taken_by_name="Agus", seconds_to_taken=240,
              seconds_to_closed=4320)
    await add(h, status=ReportStatus.FALSE_REPORT, taken_by=OFFICER_ID, taken_by_name="Agus", seconds_to_taken=600,
              seconds_to_closed=700, category="illegal_work", channel="walk_in",
              area_label="Ciledug, Kota Tangerang", at=now - timedelta(days=3))
    await add(h, status=ReportStatus.HELD, lat=None, lon=None, area_label=None)
    await add(h, at=now - timedelta(days=9))  # not in 7d

    await h.text(SUPERVISOR_ID, "/stats 7d")
    text_msg, chart_msg = h.fake.bot_messages(SUPERVISOR_ID)[-2:]
    assert text_msg["plain_text"].splitlines() == [
        "📊 Statistik 24/02/2026–02/03/2026",
        "per 02/03/2026 09:00 WIB",
        "3 laporan",
        "Status: baru 0 · ditangani 0 · selesai 1 · laporan palsu 1 · ditahan 1",
        "Kategori: Izin tinggal habis / overstay 2 · Bekerja tanpa izin 1",
        "Saluran: Telegram 2 · walk-in 1",
        "Wilayah: Kota Tangerang 2 · tanpa wilayah 1",
        "Sampai ditangani: median 4 mnt, p90 10 mnt (dari 2)",
        "Sampai selesai: median 1 j 12 mnt, p90 1 j 12 mnt (dari 1)",
        "Sampai ditutup (selesai atau palsu): median 11 mnt, p90 1 j 12 mnt (dari 2)",
        "Laporan palsu: 50% dari 2 laporan yang ditutup",
        "Per petugas (ditangani · selesai · palsu):",
        "• Agus: 2 · 1 · 1",
    ]
    assert chart_msg["plain_text"] == "📈 Grafik 24/02/2026–02/03/2026"
    biggest = chart_msg["photo"][-1]
    png = h.fake.files.get(biggest["file_id"]).content
    img = Image.open(io.BytesIO(png))
    assert (img.format, img.size) == ("PNG", CHART_SIZE)


async def test_stats_without_a_period_is_still_the_overview(h):
    await h.text(SUPERVISOR_ID, "/stats")
    [reply] = h.fake.bot_messages(SUPERVISOR_ID)
    assert reply["plain_text"].startswith("📊 Statistik laporan\nper 02/03/2026 09:00 WIB")
    assert reply.get("photo") is None


async def test_a_wrong_period_is_explained(h):
    await h.text(SUPERVISOR_ID, "/stats minggu-lalu")
    assert h.last(SUPERVISOR_ID)["plain_text"].startswith("Periode tidak dikenal. Contoh: /stats today, /stats 7d")


async def test_nobody_else_gets_figures(h):
    await add(h)
    for who in (OFFICER_ID, RESIDENT_ID):
        await h.text(who, "/stats 30d")
        assert h.last(who)["plain_text"] == "Maaf, Anda tidak berwenang melakukan ini."
    await h.text(SUPERVISOR_ID, "/stats 30d", chat_id=GROUP_ID)
    assert [m["plain_text"] for m in h.fake.bot_messages(GROUP_ID)] == [
        "Silakan gunakan perintah ini dalam chat pribadi dengan bot."]
