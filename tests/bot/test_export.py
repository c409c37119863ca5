"""/export's files: Open311 fields, streamed in batches, safe in a spreadsheet, within Telegram's
upload limit."""

from __future__ import annotations

import csv
import gzip
import json
from datetime import datetime, timedelta, timezone

from bot import export
from bot.clock import WIB
from bot.periods import parse_span
from storage.export import ExportRow
from storage.models import ReportStatus
from tests import factories
from tests.conftest import make_config

T0 = datetime(2026, 3, 2, 2, 0, tzinfo=timezone.utc)


def row(**kw) -> ExportRow:
    values = dict(id=1, number="TNG-2026-000001", category="illegal_work", status=ReportStatus.RESOLVED,
                  channel="telegram", created_at=T0, taken_at=T0 + timedelta(minutes=5),
                  closed_at=T0 + timedelta(hours=2), lat=-6.1783, lon=106.6319, address_text=None,
                  area_label="Tangerang, Kota Tangerang", description="Orang asing bekerja di bengkel.")
    values.update(kw)
    return ExportRow(**values)


def test_a_report_in_open311_fields(tmp_path):
    config = make_config(tmp_path)
    rec = export.open311(row(), config=config, tz=WIB)
    assert rec == {
        "service_request_id": "TNG-2026-000001",
        "status": "closed",
        "status_notes": "resolved",
        "service_code": "illegal_work",
        "service_name": "Bekerja tanpa izin",
        "description": "Orang asing bekerja di bengkel.",
        "agency_responsible": "Kantor Imigrasi Kelas I TPI Tangerang",
        "requested_datetime": "2026-03-02T09:00:00+07:00",
        "updated_datetime": "2026-03-02T11:00:00+07:00",
        "address": "Tangerang, Kota Tangerang",
        "lat": -6.1783,
        "long": 106.6319,
        "channel": "telegram",
        "area": "Tangerang, Kota Tangerang",
    }
    assert tuple(rec) == export.FIELDS
    held = export.open311(row(status=ReportStatus.HELD, taken_at=None, closed_at=None), config=config, tz=WIB)
    assert (held["status"], held["status_notes"], held["updated_datetime"]) == ("open", "held", "2026-03-02T09:00:00+07:00")


def test_cells_that_a_spreadsheet_would_run_as_formulas_are_quoted():
    assert export.csv_cell("=HYPERLINK(\"http://x\")") == "'=HYPERLINK(\"http://x\")"
    assert export.csv_cell("-1+2") == "'-1+2"
    assert export.csv_cell("@SUM(A1)") == "'@SUM(A1)"
    assert export.csv_cell("Orang asing") == "Orang asing"
    assert export.csv_cell(-6.17) == -6.17  # numbers stay numbers
    assert export.csv_cell(None) == ""


async def test_the_period_streams_in_batches_into_csv_and_geojson(h, tmp_path, monkeypatch):
    monkeypatch.setattr(export, "BATCH", 3)  # several batches from a handful of reports
    now = h.now()
    async with h.services.db.transaction() as s:
        for i in range(7):
            await factories.report(s, telegram_id=5_000_000_050 + i, now=now - timedelta(hours=i),
                                   description=f"Laporan nomor {i}, tempat kos di Ciledug.")
        await factories.report(s, telegram_id=5_000_000_060, now=now - timedelta(days=40))  # outside 30d
        await factories.report(s, telegram_id=5_000_000_061, now=now - timedelta(hours=1), lat=None, lon=None,
                               address_text="=cmd|' /C calc'!A0")
    span = parse_span("30d", now=now, tz=WIB)
    result = await export.write_export(h.services, span, tmp_path)
    assert result.count == 8
    with result.csv_path.open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    assert list(rows[0]) == list(export.FIELDS)
    # Oldest first, each report once.
    assert [r["requested_datetime"] for r in rows] == sorted(r["requested_datetime"] for r in rows)
    assert len({r["service_request_id"] for r in rows}) == 8
    assert any(r["address"] == "'=cmd|' /C calc'!A0" for r in rows)
    geo = json.loads(result.geojson_path.read_text(encoding="utf-8"))
    assert geo["type"] == "FeatureCollection" and len(geo["features"]) == 8
    located = [f for f in geo["features"] if f["geometry"]]
    assert len(located) == 7 and located[0]["geometry"]["coordinates"] == [106.6319, -6.1783]
    assert "lat" not in located[0]["properties"] and located[0]["properties"]["status"] == "open"


async def test_an_empty_period_writes_valid_empty_files(h, tmp_path):
    span = parse_span("today", now=h.now(), tz=WIB)
    result = await export.write_export(h.services, span, tmp_path)
    assert result.count == 0
    assert json.loads(result.geojson_path.read_text()) == {"type": "FeatureCollection", "features": []}


def test_large_files_are_gzipped_and_a_gzip_still_too_large_is_cut_into_parts(tmp_path):
    small = tmp_path / "a.csv"
    small.write_text("x" * 100)
    assert export.prepare_upload(small, limit=1000) == [export.Upload(small, "a.csv")]

    text = tmp_path / "b.csv"
    text.write_text("service_request_id,description\n" * 2000)
    [gz] = export.prepare_upload(text, limit=10_000)
    assert (gz.filename, gz.note) == ("b.csv.gz", "gzip")
    assert gzip.decompress(gz.path.read_bytes()) == text.read_bytes()

    noise = tmp_path / "c.csv"
    import random

    noise.write_bytes(random.Random(1).randbytes(50_000))  # does not compress
    parts = export.prepare_upload(noise, limit=20_000)
    assert [(p.note, p.part, p.parts) for p in parts] == [("part", 1, 3), ("part", 2, 3), ("part", 3, 3)]
    assert all(p.path.stat().st_size <= 20_000 for p in parts)
    joined = b"".join(p.path.read_bytes() for p in parts)
    assert gzip.decompress(joined) == noise.read_bytes()
