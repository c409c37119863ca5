"""/export: a period's reports as CSV and GeoJSON files, fields named after Open311 GeoReport v2.

Rows stream from the database in batches (storage/export.py) into temporary files; the files are
written in a worker thread batch by batch, so the event loop keeps serving other chats and memory
holds one batch whatever the period. The reporter's identity is not among the fields.

Telegram takes uploads up to 50 MB from a bot: a larger file is gzipped, and a gzip still too large
is cut into parts (`cat part1 part2 … > file.gz` joins them).
"""

from __future__ import annotations

import asyncio
import csv
import gzip
import json
import shutil
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

from telegram.constants import FileSizeLimit

from bot.config import Config
from bot.offices import Offices
from bot.periods import Span
from bot.scope import Scope
from bot.services import Services
from bot.sla import category_label
from storage import export as repo
from storage.export import Cursor, ExportRow
from storage.models import ReportStatus

BATCH = 2000
# Telegram's limit is 50 MB; a margin for the multipart envelope.
UPLOAD_LIMIT = int(FileSizeLimit.FILESIZE_UPLOAD) - 1_000_000
# Open311 GeoReport v2 names where one fits; channel and area are Sipoa's own.
FIELDS = (
    "service_request_id", "status", "status_notes", "service_code", "service_name", "description",
    "agency_responsible", "requested_datetime", "updated_datetime", "address", "lat", "long", "channel", "area",
)
# A cell starting like a formula runs as one in a spreadsheet (CSV injection): such text gets a quote.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_CLOSED = (*ReportStatus.CLOSED, ReportStatus.REJECTED)
# With several offices, one more column: the office key (report prefix) each report was routed to.
OFFICE_FIELD = "office"


@dataclass(frozen=True)
class Upload:
    path: Path
    filename: str
    # "gzip" | "part" | None: what the caption must tell the reader.
    note: str | None = None
    part: int = 1
    parts: int = 1


@dataclass(frozen=True)
class ExportResult:
    count: int
    csv_path: Path
    geojson_path: Path


def open311(row: ExportRow, *, config: Config, tz: ZoneInfo, offices: Offices | None = None) -> dict[str, object]:
    """One report as Open311 fields (datetimes in the office's time zone, ISO 8601 with offset); the
    agency is the report's office (the configured office without a directory)."""
    updated = row.closed_at or row.taken_at or row.created_at
    agency = (offices.get(row.office) or offices.primary).name if offices is not None else config.office.name
    return {
        "service_request_id": row.number,
        "status": "closed" if row.status in _CLOSED else "open",
        "status_notes": row.status,
        "service_code": row.category,
        "service_name": category_label(config, row.category, "id"),
        "description": row.description,
        "agency_responsible": agency,
        "requested_datetime": row.created_at.astimezone(tz).isoformat(timespec="seconds"),
        "updated_datetime": updated.astimezone(tz).isoformat(timespec="seconds"),
        "address": row.address_text or row.area_label or "",
        "lat": row.lat,
        "long": row.lon,
        "channel": row.channel,
        "area": row.area_label or "",
    }


def csv_cell(value: object) -> object:
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


class _Writers:
    """The two open files; every method runs in a worker thread."""

    def __init__(self, csv_path: Path, geojson_path: Path, fields: tuple[str, ...] = FIELDS):
        # utf-8-sig: spreadsheets then read Indonesian and other non-ASCII text right.
        self.csv_file = csv_path.open("w", encoding="utf-8-sig", newline="")
        self.csv = csv.writer(self.csv_file)
        self.fields = fields
        self.csv.writerow(fields)
        self.geo = geojson_path.open("w", encoding="utf-8")
        self.geo.write('{"type":"FeatureCollection","features":[\n')
        self.features = 0

    def write(self, records: list[dict[str, object]]) -> None:
        for rec in records:
            self.csv.writerow([csv_cell(rec[f]) for f in self.fields])
            lat, lon = rec["lat"], rec["long"]
            geometry = {"type": "Point", "coordinates": [lon, lat]} if lat is not None and lon is not None else None
            props = {k: v for k, v in rec.items() if k not in ("lat", "long")}
            feature = {"type": "Feature", "id": rec["service_request_id"], "geometry": geometry, "properties": props}
            self.geo.write((",\n" if self.features else "") + json.dumps(feature, ensure_ascii=False))
            self.features += 1

    def close(self) -> None:
        self.geo.write("\n]}\n")
        self.geo.close()
        self.csv_file.close()


async def write_export(services: Services, span: Span, directory: Path, *, scope: Scope = None) -> ExportResult:
    """Write the period's reports of the scope's offices (None: all) to `directory`
    (sipoa-<period>.csv and .geojson; with several offices sipoa-<KEY>-<period>.* for one office,
    and an office column)."""
    offices = services.offices
    several = not offices.single
    name = f"sipoa-{next(iter(scope))}-{span.slug()}" if several and scope is not None and len(scope) == 1 \
        else f"sipoa-{span.slug()}"
    csv_path, geojson_path = directory / f"{name}.csv", directory / f"{name}.geojson"
    fields = (*FIELDS, OFFICE_FIELD) if several else FIELDS
    writers = await asyncio.to_thread(_Writers, csv_path, geojson_path, fields)
    count, after = 0, None
    try:
        while True:
            async with services.db.read() as s:
                rows = await repo.batch(s, since=span.since, until=span.until, after=after, limit=BATCH, offices=scope)
            if not rows:
                break
            # Each report's times on its office's clock (the offset says which).
            records = [open311(r, config=services.config, tz=services.tz_of(r.office), offices=offices)
                       for r in rows]
            if several:
                for record, r in zip(records, rows, strict=True):
                    record[OFFICE_FIELD] = r.office
            await asyncio.to_thread(writers.write, records)
            count += len(rows)
            after = Cursor(rows[-1].created_at, rows[-1].id)
            if len(rows) < BATCH:
                break
    finally:
        await asyncio.to_thread(writers.close)
    return ExportResult(count, csv_path, geojson_path)


def prepare_upload(path: Path, *, limit: int = UPLOAD_LIMIT) -> list[Upload]:
    """The file as Telegram will take it: as it is, gzipped, or a gzip cut into parts. Blocking:
    run it in a thread."""
    if path.stat().st_size <= limit:
        return [Upload(path, path.name)]
    gz = path.with_name(path.name + ".gz")
    with path.open("rb") as src, gzip.open(gz, "wb", compresslevel=6) as dst:
        shutil.copyfileobj(src, dst, 1 << 20)
    size = gz.stat().st_size
    if size <= limit:
        return [Upload(gz, gz.name, "gzip")]
    parts = -(-size // limit)
    uploads = []
    with gz.open("rb") as src:
        for i in range(1, parts + 1):
            part = gz.with_name(f"{gz.name}.part{i}")
            with part.open("wb") as dst:
                remaining = limit
                while remaining:
                    chunk = src.read(min(1 << 20, remaining))
                    if not chunk:
                        break
                    dst.write(chunk)
                    remaining -= len(chunk)
            uploads.append(Upload(part, part.name, "part", i, parts))
    return uploads
