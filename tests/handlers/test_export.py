"""/export as a supervisor meets it: two documents in the private chat, nobody's identity in them;
everyone else refused; a wrong period explained."""

from __future__ import annotations

import csv
import io
import json
from datetime import timedelta

from storage.models import Reporter
from tests import factories
from tests.conftest import GROUP_ID, OFFICER_ID, RESIDENT_ID, SUPERVISOR_ID
from tests.handlers.residents.helpers import press, to_review


def documents(h, chat_id: int) -> list[tuple[dict, bytes]]:
    found = []
    for m in h.fake.bot_messages(chat_id):
        if m.get("document"):
            found.append((m, h.fake.files.get(m["document"]["file_id"]).content))
    return found


async def test_a_supervisor_gets_csv_and_geojson_without_any_reporter_identity(h):
    # A real resident's report (name, username, Telegram id on file), and an old one outside 7d.
    review = await to_review(h, RESIDENT_ID)
    await press(h, RESIDENT_ID, review, "Kirim")
    async with h.services.db.transaction() as s:
        await factories.report(s, telegram_id=5_000_000_070, now=h.now() - timedelta(days=10),
                               number="TNG-2026-900001", seq=900001)
    async with h.services.db.read() as s:
        budi = (await s.exec(Reporter.__table__.select().where(Reporter.telegram_id == RESIDENT_ID))).first()

    h.vtime.value += 1
    await h.text(SUPERVISOR_ID, "/export 7d")
    [(csv_msg, csv_bytes), (geo_msg, geo_bytes)] = documents(h, SUPERVISOR_ID)
    assert csv_msg["document"]["file_name"] == "sipoa-2026-02-24_2026-03-02.csv"
    assert geo_msg["document"]["file_name"] == "sipoa-2026-02-24_2026-03-02.geojson"
    assert csv_msg["plain_text"] == ("CSV laporan 24/02/2026–02/03/2026: 1 laporan (format Open311). "
                                     "Identitas pelapor tidak disertakan.")
    [row] = list(csv.DictReader(io.StringIO(csv_bytes.decode("utf-8-sig"))))
    assert row["service_code"] == "illegal_work" and row["status"] == "open" and row["channel"] == "telegram"
    [feature] = json.loads(geo_bytes)["features"]
    assert feature["id"] == row["service_request_id"]
    for secret in ("Budi", "budi_warga", str(RESIDENT_ID), budi.alias):
        assert secret.encode() not in csv_bytes and secret.encode() not in geo_bytes, secret


async def test_an_empty_period_is_said_in_words(h):
    await h.text(SUPERVISOR_ID, "/export today")
    assert h.last(SUPERVISOR_ID)["plain_text"] == "Tidak ada laporan pada 02/03/2026."
    assert documents(h, SUPERVISOR_ID) == []


async def test_a_wrong_period_is_explained_with_examples(h):
    for arg, start in (("kemarin", "Periode tidak dikenal. Contoh: /export today"),
                       ("2026-03-05..2026-03-01", "Tanggal awal harus sebelum tanggal akhir"),
                       ("2024-01-01..2026-01-01", "Periode paling panjang 366 hari."),
                       ("2026-02-30", "Periode tidak dikenal.")):
        h.vtime.value += 1
        await h.text(SUPERVISOR_ID, f"/export {arg}")
        assert h.last(SUPERVISOR_ID)["plain_text"].startswith(start), arg
    assert documents(h, SUPERVISOR_ID) == []


async def test_officers_residents_and_the_group_get_no_data(h):
    async with h.services.db.transaction() as s:
        await factories.report(s, telegram_id=5_000_000_071, now=h.now())
    for who in (OFFICER_ID, RESIDENT_ID):
        h.vtime.value += 1
        await h.text(who, "/export 30d")
        assert h.last(who)["plain_text"] == "Maaf, Anda tidak berwenang melakukan ini."
        assert documents(h, who) == []
    await h.text(SUPERVISOR_ID, "/export 30d", chat_id=GROUP_ID)
    assert documents(h, GROUP_ID) == []
    assert h.last(GROUP_ID)["plain_text"] == "Silakan gunakan perintah ini dalam chat pribadi dengan bot."
