"""Supervisors of a bot with two offices (Tangerang TNG, Jakarta Selatan JKS): each office's
supervisor sees their office's figures only (/stats, /stats <period>, /export, the daily digest and
SLA escalations), the national supervisor sees both and the total; an office's SLA reminders go to
that office's group."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta
from pathlib import Path

import pytest

from bot import digest, reminders
from bot.config import Config
from storage.models import ReportStatus
from tests import factories
from tests.conftest import GROUP_ID, OFFICER2_ID, OFFICER_ID, SUPERVISOR_ID, make_config, start_harness

NATIONAL_ID = SUPERVISOR_ID
TNG_SUPERVISOR = 9_000_000_011
JKS_SUPERVISOR = 9_000_000_012
JKS_GROUP = -1009876543210
JKS_AREA = Path(__file__).resolve().parents[2] / "bot" / "data" / "jakarta_selatan.geojson"
TNG_NAME, JKS_NAME = "Kantor Imigrasi Tangerang", "Kantor Imigrasi Jakarta Selatan"
REFUSED = "Maaf, Anda tidak berwenang melakukan ini."


def two_offices(tmp_path: Path, database_url: str, *, jks: dict | None = None, **sections) -> Config:
    """`jks`: more keys of the Jakarta Selatan entry (its timezone); `sections`: as make_config's."""
    base = make_config(tmp_path, database_url=database_url, officers={"supervisor_ids": [NATIONAL_ID]}, **sections)
    data = base.model_dump(exclude_unset=True)
    data["offices"] = [
        {"name": TNG_NAME, "report_prefix": "TNG", "group_chat_id": GROUP_ID, "supervisor_ids": [TNG_SUPERVISOR],
         "officer_ids": [OFFICER_ID]},
        {"name": JKS_NAME, "report_prefix": "JKS", "jurisdiction": str(JKS_AREA), "group_chat_id": JKS_GROUP,
         "supervisor_ids": [JKS_SUPERVISOR], "officer_ids": [OFFICER2_ID], **(jks or {})},
    ]
    return Config.model_validate(data)


@pytest.fixture
async def h(tmp_path, database_url, fake, clock, vtime):
    fake.add_user(TNG_SUPERVISOR, "Tono")
    fake.add_user(JKS_SUPERVISOR, "Joko", language_code="en")
    fake.add_group(JKS_GROUP, "Petugas Imigrasi Jakarta Selatan", members=[JKS_SUPERVISOR, OFFICER2_ID])
    harness = await start_harness(two_offices(tmp_path, database_url), fake, clock, vtime)
    yield harness
    from bot.app import stop_services

    await stop_services(harness.app)
    await harness.app.shutdown()


async def add(h, office: str, n: int = 1, **fields):
    rows = []
    async with h.services.db.transaction() as s:
        for _ in range(n):
            seq = 500 + len(rows) + (100 if office == "JKS" else 0) + fields.get("seq_base", 0)
            row = await factories.report(
                s, telegram_id=5_000_000_300, now=fields.get("created_at", h.now()), prefix=office,
                number=f"{office}-2026-{seq:06d}-{id(rows) % 1000}", seq=seq,
                **{k: v for k, v in fields.items() if k != "seq_base"})
            rows.append(row)
    return rows


async def seed(h) -> None:
    await add(h, "TNG", 2)
    await add(h, "JKS", 3, lat=-6.2615, lon=106.8106, area_label="Kebayoran Baru, Kota Jakarta Selatan",
              seq_base=10)


def reply(h, user_id: int) -> str:
    return h.last(user_id)["plain_text"]


async def test_office_supervisors_see_their_office_and_the_national_one_every_office(h):
    await seed(h)
    await h.text(TNG_SUPERVISOR, "/stats")
    tng = reply(h, TNG_SUPERVISOR)
    assert tng.startswith(f"📊 Statistik laporan · {TNG_NAME}\nper 02/03/2026 09:00 WIB")
    assert "Hari ini: 2 laporan" in tng and "Semua waktu: 2 laporan" in tng
    assert "Per kantor" not in tng and "Jakarta" not in tng

    await h.text(JKS_SUPERVISOR, "/stats")
    jks = reply(h, JKS_SUPERVISOR)
    assert jks.startswith(f"📊 Report statistics · {JKS_NAME}\nas of 02/03/2026 09:00 WIB")
    assert "Today: 3 reports" in jks and "All time: 3 reports" in jks and "Tangerang" not in jks

    await h.text(NATIONAL_ID, "/stats")
    national = reply(h, NATIONAL_ID)
    assert national.startswith("📊 Statistik laporan · Nasional\n")
    assert "Hari ini: 5 laporan" in national and "Semua waktu: 5 laporan" in national
    assert ("Per kantor (hari ini · 7 hari · 30 hari · semua):\n"
            f"• {JKS_NAME} (JKS): 3 · 3 · 3 · 3\n"
            f"• {TNG_NAME} (TNG): 2 · 2 · 2 · 2") in national


async def test_a_national_supervisor_picks_one_office_and_an_office_supervisor_cannot_pick_another(h):
    await seed(h)
    await h.text(NATIONAL_ID, "/stats jks")
    one = reply(h, NATIONAL_ID)
    assert one.startswith(f"📊 Statistik laporan · {JKS_NAME}\n") and "Hari ini: 3 laporan" in one
    assert "Per kantor" not in one

    h.vtime.value += 1
    await h.text(TNG_SUPERVISOR, "/stats JKS 7d")
    assert reply(h, TNG_SUPERVISOR) == f"Maaf, Anda hanya dapat melihat data {TNG_NAME} (TNG), bukan {JKS_NAME}."
    assert [m.get("photo") for m in h.fake.bot_messages(TNG_SUPERVISOR)] == [None]
    await h.text(JKS_SUPERVISOR, "/export TNG")
    assert reply(h, JKS_SUPERVISOR) == f"Sorry, you can only see the figures of {JKS_NAME} (JKS), not of {TNG_NAME}."
    # Nobody else gets figures by naming an office.
    await h.text(OFFICER_ID, "/stats TNG")
    assert reply(h, OFFICER_ID) == REFUSED


async def test_a_period_per_office_with_its_chart_and_the_national_breakdown(h):
    await seed(h)
    await add(h, "TNG", status=ReportStatus.RESOLVED, seconds_to_taken=60, seconds_to_closed=600, seq_base=50)
    await h.text(NATIONAL_ID, "/stats JKS 7d")
    text_msg, chart_msg = h.fake.bot_messages(NATIONAL_ID)[-2:]
    assert text_msg["plain_text"].splitlines()[:3] == [
        f"📊 Statistik 24/02/2026–02/03/2026 · {JKS_NAME}", "per 02/03/2026 09:00 WIB", "3 laporan"]
    assert "Wilayah: Kota Jakarta Selatan 3" in text_msg["plain_text"]
    assert chart_msg.get("photo")

    h.vtime.value += 1
    await h.text(NATIONAL_ID, "/stats 7d")
    text = h.fake.bot_messages(NATIONAL_ID)[-2]["plain_text"]
    assert text.splitlines()[:3] == ["📊 Statistik 24/02/2026–02/03/2026 · Nasional", "per 02/03/2026 09:00 WIB",
                                     "6 laporan"]
    assert text.endswith("Per kantor (jumlah · baru · ditangani · selesai · palsu):\n"
                         f"• {TNG_NAME} (TNG): 3 · 2 · 0 · 1 · 0\n"
                         f"• {JKS_NAME} (JKS): 3 · 3 · 0 · 0 · 0")

    h.vtime.value += 1
    await h.text(TNG_SUPERVISOR, "/stats 7d")
    text = h.fake.bot_messages(TNG_SUPERVISOR)[-2]["plain_text"]
    assert text.splitlines()[2] == "3 laporan" and "Per kantor" not in text


async def test_a_wrong_argument_explains_periods_and_the_offices_one_may_name(h):
    await h.text(TNG_SUPERVISOR, "/stats XYZ")
    assert reply(h, TNG_SUPERVISOR).splitlines() == [
        "Periode tidak dikenal. Contoh: /stats today, /stats 7d, /stats 30d, /stats 2026-03-01..2026-03-31",
        "Kantor: TNG. Satu kantor saja: /stats TNG atau /stats TNG 7d",
    ]
    await h.text(NATIONAL_ID, "/export minggu")
    usage = reply(h, NATIONAL_ID).splitlines()[1]
    assert usage == "Kantor: TNG, JKS. Satu kantor saja: /export JKS atau /export JKS 7d"


def csv_rows(h, chat_id: int) -> tuple[str, list[dict]]:
    [doc] = [m for m in h.fake.bot_messages(chat_id) if m.get("document", {}).get("file_name", "").endswith(".csv")]
    content = h.fake.files.get(doc["document"]["file_id"]).content.decode("utf-8-sig")
    return doc["document"]["file_name"], list(csv.DictReader(io.StringIO(content)))


async def test_export_holds_only_the_offices_a_supervisor_may_see(h):
    await seed(h)
    await h.text(TNG_SUPERVISOR, "/export 7d")
    name, rows = csv_rows(h, TNG_SUPERVISOR)
    assert name == "sipoa-TNG-2026-02-24_2026-03-02.csv"
    assert [(r["office"], r["agency_responsible"]) for r in rows] == [("TNG", TNG_NAME)] * 2

    h.vtime.value += 1
    await h.text(NATIONAL_ID, "/export 7d")
    name, rows = csv_rows(h, NATIONAL_ID)
    assert name == "sipoa-2026-02-24_2026-03-02.csv"
    assert sorted(r["office"] for r in rows) == ["JKS"] * 3 + ["TNG"] * 2
    assert {r["agency_responsible"] for r in rows if r["office"] == "JKS"} == {JKS_NAME}


def digests(h, chat_id: int) -> list[str]:
    return [m["plain_text"] for m in h.fake.bot_messages(chat_id) if "Ringkasan harian" in (m.get("plain_text") or "")]


async def test_the_digest_goes_per_office_and_nationally(h):
    yesterday = h.now() - timedelta(days=1)
    await add(h, "TNG", 2, created_at=yesterday)
    await add(h, "JKS", 1, created_at=yesterday, seq_base=10)
    assert await digest.produce_digest(h.services, date(2026, 3, 1)) == digest.Produced.SENT
    await h.drain()
    received = "Masuk: {} laporan (0 ditahan untuk ditinjau)"
    [tng] = digests(h, TNG_SUPERVISOR)
    assert tng.splitlines()[:2] == [f"🗓 Ringkasan harian 01/03/2026 · {TNG_NAME}", received.format(2)]
    [jks] = digests(h, JKS_SUPERVISOR)
    assert jks.splitlines()[:2] == [f"🗓 Ringkasan harian 01/03/2026 · {JKS_NAME}", received.format(1)]
    [national] = digests(h, NATIONAL_ID)
    assert national.splitlines()[:2] == ["🗓 Ringkasan harian 01/03/2026 · Nasional", received.format(3)]
    assert national.endswith("Per kantor (masuk · terbuka · lewat 24 jam):\n"
                             f"• {TNG_NAME} (TNG): 2 · 2 · 0\n"
                             f"• {JKS_NAME} (JKS): 1 · 1 · 0")
    # Once per day, all of them.
    assert await digest.produce_digest(h.services, date(2026, 3, 1)) == digest.Produced.ALREADY


async def test_a_quiet_office_gets_no_digest_while_the_busy_one_does(h):
    await add(h, "JKS", 1, created_at=h.now() - timedelta(days=1), seq_base=10)
    assert await digest.produce_digest(h.services, date(2026, 3, 1)) == digest.Produced.SENT
    await h.drain()
    assert digests(h, TNG_SUPERVISOR) == []
    assert len(digests(h, JKS_SUPERVISOR)) == 1 and len(digests(h, NATIONAL_ID)) == 1


async def test_sla_reminders_go_to_the_reports_office_group_and_escalations_to_its_supervisors(h):
    await h.text(OFFICER2_ID, "/duty on", chat_id=JKS_GROUP)
    h.vtime.value += 1
    await h.text(OFFICER_ID, "/duty on", chat_id=GROUP_ID)
    past = h.now() - timedelta(minutes=1)
    [jks] = await add(h, "JKS", created_at=past, remind_at=past, escalate_at=past, seq_base=10)
    [tng] = await add(h, "TNG", created_at=past, remind_at=past, escalate_at=past + timedelta(hours=1))
    result = await reminders.sweep(h.services)
    await h.drain()
    assert (result.reminded, result.escalated) == (2, 1)

    def reminders_in(chat_id):
        return [m["plain_text"] for m in h.fake.bot_messages(chat_id) if m["plain_text"].startswith("⏰")]

    assert reminders_in(JKS_GROUP) == [f"⏰ Laporan {jks.number} belum ditangani (1 mnt).\nPetugas jaga: Bayu"]
    assert reminders_in(GROUP_ID) == [f"⏰ Laporan {tng.number} belum ditangani (1 mnt).\nPetugas jaga: Agus"]

    def escalations(chat_id):
        return [m["plain_text"] for m in h.fake.bot_messages(chat_id) if m["plain_text"].startswith("⚠️")]

    # The office's supervisor and the national one; not the other office's.
    for supervisor in (JKS_SUPERVISOR, NATIONAL_ID):
        [escalation] = escalations(supervisor)
        assert escalation.startswith(f"⚠️ Laporan {jks.number} belum ditangani")
    assert escalations(TNG_SUPERVISOR) == []


async def test_duty_roster_is_per_office_group(h):
    await h.text(OFFICER2_ID, "/duty on", chat_id=JKS_GROUP)
    h.vtime.value += 1
    await h.text(OFFICER_ID, "/duty", chat_id=GROUP_ID)
    assert "Belum ada petugas jaga" in reply(h, GROUP_ID)
    h.vtime.value += 1
    await h.text(OFFICER2_ID, "/duty", chat_id=JKS_GROUP)
    assert "Petugas jaga: Bayu" in reply(h, JKS_GROUP)
