"""Many plausible reports in a fresh SQLite database, fast (bulk INSERTs), for the /stats and /export
benchmarks.

    .venv/bin/python bench/generate.py [N] [PATH]

Reports are spread over the year before NOW, clustered around a few neighbourhoods of Tangerang
(most located, some typed addresses), with statuses, officers and times as an office produces them.
Deterministic: the same N gives the same rows.
"""

from __future__ import annotations

import asyncio
import random
import sys
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import insert  # noqa: E402

from bot.geo import Jurisdiction  # noqa: E402
from storage.db import Database  # noqa: E402
from storage.models import Report, Reporter, ReportStatus  # noqa: E402

# 2 March 2026 09:00 WIB, as the test harness.
NOW = datetime(2026, 3, 2, 2, 0, tzinfo=timezone.utc)
DAYS = 365
CHUNK = 5000
CENTRES = [(-6.178, 106.632), (-6.228, 106.660), (-6.290, 106.500), (-6.105, 106.700), (-6.250, 106.610)]
CATEGORIES = ["overstay", "illegal_work", "suspicious", "public_order", "document_misuse", "other"]
OFFICERS = [(7_000_000_000 + i, name) for i, name in enumerate(["Agus", "Bayu", "Citra", "Dewi", "Eko", "Fajar"])]
STATUSES = [(ReportStatus.RESOLVED, 55), (ReportStatus.FALSE_REPORT, 12), (ReportStatus.TAKEN, 10),
            (ReportStatus.NEW, 8), (ReportStatus.HELD, 10), (ReportStatus.REJECTED, 5)]
WORDS = ("orang asing bekerja di bengkel tiap hari sejak bulan lalu tinggal kos dekat pasar izinnya sudah "
         "habis katanya sering terlihat malam hari bersama beberapa teman memakai mobil sewaan").split()


def _rows(n: int, reporter_ids: list[int], jurisdiction: Jurisdiction):
    rnd = random.Random(4)
    statuses, weights = zip(*STATUSES, strict=True)
    area_cache: dict[tuple[int, int], str | None] = {}
    for i in range(n):
        created = NOW - timedelta(seconds=rnd.uniform(0, DAYS * 86400))
        status = rnd.choices(statuses, weights)[0]
        row = {
            "number": f"TNG-{created.year}-{i + 1:06d}", "prefix": "TNG", "year": created.year, "seq": i + 1,
            "reporter_id": rnd.choice(reporter_ids), "channel": "walk_in" if rnd.random() < 0.08 else "telegram",
            "language": "id", "category": rnd.choice(CATEGORIES), "status": status,
            "description": " ".join(rnd.choices(WORDS, k=rnd.randint(8, 40))), "photo_count": rnd.randint(0, 3),
            "extra": {}, "reasons": [], "created_at": created, "alert_is_photo": False,
            "lat": None, "lon": None, "area_label": None, "address_text": None, "accuracy_m": None,
            "location_source": None, "taken_at": None, "taken_by": None, "taken_by_name": None, "closed_at": None,
            "closed_by": None, "closed_by_name": None, "seconds_to_taken": None, "seconds_to_closed": None,
        }
        if rnd.random() < 0.9:
            lat0, lon0 = rnd.choice(CENTRES)
            lat, lon = round(lat0 + rnd.gauss(0, 0.03), 5), round(lon0 + rnd.gauss(0, 0.03), 5)
            key = (round(lat * 200), round(lon * 200))  # ~500 m: the area of a cell is looked up once
            if key not in area_cache:
                area = jurisdiction.locate(lat, lon)
                area_cache[key] = area.label() if area else None
            row.update(lat=lat, lon=lon, accuracy_m=12.0, location_source="gps", area_label=area_cache[key])
        else:
            row.update(address_text="Jl. Contoh No. 1, Tangerang", location_source="text")
        if status in (ReportStatus.TAKEN, ReportStatus.RESOLVED, ReportStatus.FALSE_REPORT):
            officer_id, name = rnd.choice(OFFICERS)
            wait = int(rnd.expovariate(1 / 900))
            row.update(taken_at=created + timedelta(seconds=wait), taken_by=officer_id, taken_by_name=name,
                       seconds_to_taken=wait)
            if status != ReportStatus.TAKEN:
                close = wait + int(rnd.expovariate(1 / 14400))
                row.update(closed_at=created + timedelta(seconds=close), closed_by=officer_id, closed_by_name=name,
                           seconds_to_closed=close)
        yield row


async def generate(n: int, path: Path) -> float:
    """Write n reports into a new database at `path`; returns the seconds it took."""
    started = time.perf_counter()
    if path.exists():
        path.unlink()
    db = Database(f"sqlite+aiosqlite:///{path}")
    await db.create_schema()
    async with db.transaction() as s:
        await s.exec(insert(Reporter), params=[  # type: ignore[call-overload]
            {"telegram_id": 4_000_000_000 + i, "alias": f"P-{i:06X}", "language": "id", "created_at": NOW - timedelta(days=400)}
            for i in range(max(1, n // 20))
        ])
    reporter_ids = list(range(1, max(1, n // 20) + 1))
    # Core executemany on one connection: the ORM's per-row bookkeeping would take ten times longer.
    table = Report.__table__
    async with db.engine.begin() as conn:
        batch = []
        for row in _rows(n, reporter_ids, Jurisdiction.default()):
            batch.append(row)
            if len(batch) == CHUNK:
                await conn.execute(table.insert(), batch)
                batch = []
        if batch:
            await conn.execute(table.insert(), batch)
    await db.dispose()
    return time.perf_counter() - started


def main(argv: list[str]) -> int:
    n = int(argv[0]) if argv else 100_000
    path = Path(argv[1]) if len(argv) > 1 else Path("/tmp/sipoa-bench.db")
    seconds = asyncio.run(generate(n, path))
    print(f"{n} reports in {path} ({seconds:.1f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
