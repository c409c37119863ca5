"""/stats on 1,000,000 reports: storage/stats.py (what the /stats handler runs) against the same
aggregates written by hand in raw SQL, on SQLite and on PostgreSQL.

    python bench/stats_scale.py [--quick] [--reports N] [--postgres URL]

Reports (spread over the year before NOW, statuses and wait times as an office produces them) are bulk
inserted: SQLAlchemy Core executemany on SQLite, COPY (asyncpg) on PostgreSQL, then ANALYZE (VACUUM
ANALYZE on PostgreSQL: what autovacuum does after a bulk load). Then, each timed as the median of
several warm rounds:

* the /stats handler through the real application (update → the reply sent to the in-process fake);
* storage.stats.period_stats for the four periods /stats shows (today, 7 days, 30 days, all time),
  in one read session, as handlers/supervisors.py calls it;
* hand-written SQL for the same figures through the raw driver (sqlite3 / asyncpg): per period a
  GROUP BY status, a GROUP BY category and a nearest-rank query per percentile pair (the queries a
  person would write for these figures); its results are checked equal to storage.stats' before
  anything is timed.

Goal: storage.stats ≤ 1.5 × the hand-written SQL. PostgreSQL runs when --postgres URL or
$SIPOA_TEST_POSTGRES_URL (an admin URL: a scratch database is created and dropped) is given.
--quick uses 100,000 reports.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import sqlite3
import statistics
import sys
import tempfile
import time
import uuid
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from residents import GROUP_ID, SUPERVISOR_ID, TOKEN, machine, table  # noqa: E402

from bot.clock import ManualClock  # noqa: E402

# 2 March 2026 09:00 WIB, as the test harness.
NOW = datetime(2026, 3, 2, 2, 0, tzinfo=timezone.utc)
DAYS = 365
CHUNK = 20_000
ROUNDS = 5
CATEGORIES = ["overstay", "illegal_work", "suspicious", "public_order", "document_misuse", "other"]
STATUSES = [("resolved", 55), ("false_report", 12), ("taken", 10), ("new", 8), ("held", 10), ("rejected", 5)]
OFFICERS = [(7_000_000_000 + i, name) for i, name in enumerate(["Agus", "Bayu", "Citra", "Dewi", "Eko", "Fajar"])]


# --- data ---------------------------------------------------------------------------------------------


def report_rows(n: int, reporters: int):
    """n reports, oldest first (as an office fills its table), deterministic."""
    rnd = random.Random(6)
    statuses, weights = zip(*STATUSES, strict=True)
    offsets = sorted((rnd.uniform(0, DAYS * 86400) for _ in range(n)), reverse=True)
    for i, offset in enumerate(offsets):
        created = NOW - timedelta(seconds=offset)
        status = rnd.choices(statuses, weights)[0]
        row: dict[str, Any] = {
            "number": f"TNG-{created.year}-{i + 1:07d}", "prefix": "TNG", "year": created.year, "seq": i + 1,
            "reporter_id": rnd.randint(1, reporters), "channel": "walk_in" if rnd.random() < 0.08 else "telegram",
            "language": "id", "category": rnd.choice(CATEGORIES), "status": status,
            "description": "Orang asing bekerja di bengkel tanpa izin, tinggal di kos dekat pasar sejak Januari.",
            "created_at": created, "lat": round(-6.2 + rnd.gauss(0, 0.04), 5),
            "lon": round(106.63 + rnd.gauss(0, 0.04), 5), "location_source": "gps",
            "area_label": rnd.choice(["Ciledug, Kota Tangerang", "Cipondoh, Kota Tangerang", "Karawaci, Kota Tangerang"]),
            # executemany wants the same keys in every row
            "taken_at": None, "taken_by": None, "taken_by_name": None, "seconds_to_taken": None,
            "closed_at": None, "closed_by": None, "closed_by_name": None, "seconds_to_closed": None,
        }
        if status in ("taken", "resolved", "false_report"):
            officer_id, name = rnd.choice(OFFICERS)
            wait = int(rnd.expovariate(1 / 900))
            row.update(taken_at=created + timedelta(seconds=wait), taken_by=officer_id, taken_by_name=name,
                       seconds_to_taken=wait)
            if status != "taken":
                close = wait + int(rnd.expovariate(1 / 14400))
                row.update(closed_at=created + timedelta(seconds=close), closed_by=officer_id,
                           closed_by_name=name, seconds_to_closed=close)
        yield row


def reporter_rows(count: int) -> list[dict[str, Any]]:
    return [{"telegram_id": 4_000_000_000 + i, "alias": f"P-{i:06X}", "language": "id",
             "created_at": NOW - timedelta(days=400)} for i in range(count)]


def full_row(table: Any, row: dict[str, Any], columns: list[str]) -> tuple:
    """The row with every column (column defaults filled, JSON as text), in `columns` order: COPY
    takes no defaults."""
    out = []
    for name in columns:
        if name in row:
            out.append(row[name])
            continue
        column = table.c[name]
        default = column.default
        value = None
        if default is not None and getattr(default, "is_scalar", False):
            value = default.arg
        elif default is not None and getattr(default, "is_callable", False):
            value = default.arg(None)
        if isinstance(value, (dict, list)):
            value = json.dumps(value)
        out.append(value)
    return tuple(out)


async def load_sqlite(path: Path, n: int) -> float:
    from sqlalchemy import create_engine, text

    from storage.db import Database
    from storage.models import Report, Reporter

    started = time.perf_counter()
    db = Database(f"sqlite+aiosqlite:///{path}")
    await db.create_schema()
    await db.dispose()
    engine = create_engine(f"sqlite:///{path}")
    with engine.begin() as conn:
        conn.exec_driver_sql("PRAGMA synchronous=OFF")
        conn.execute(Reporter.__table__.insert(), reporter_rows(max(1, n // 20)))
        batch: list[dict[str, Any]] = []
        for row in report_rows(n, max(1, n // 20)):
            batch.append(row)
            if len(batch) == CHUNK:
                conn.execute(Report.__table__.insert(), batch)
                batch = []
        if batch:
            conn.execute(Report.__table__.insert(), batch)
    with engine.begin() as conn:
        conn.execute(text("ANALYZE"))
    engine.dispose()
    return time.perf_counter() - started


async def create_pg_database(admin_url: str) -> str:
    import asyncpg

    name = f"sipoa_bench_{uuid.uuid4().hex[:12]}"
    conn = await asyncpg.connect(admin_url.replace("postgresql+asyncpg://", "postgresql://"))
    try:
        await conn.execute(f'CREATE DATABASE "{name}"')
    finally:
        await conn.close()
    return admin_url.rsplit("/", 1)[0] + "/" + name


async def drop_pg_database(admin_url: str, url: str) -> None:
    import asyncpg

    conn = await asyncpg.connect(admin_url.replace("postgresql+asyncpg://", "postgresql://"))
    try:
        await conn.execute(f'DROP DATABASE IF EXISTS "{url.rsplit("/", 1)[1]}" WITH (FORCE)')
    finally:
        await conn.close()


async def load_postgres(url: str, n: int) -> float:
    import asyncpg

    from storage.db import Database
    from storage.models import Report, Reporter

    started = time.perf_counter()
    db = Database(url)
    await db.create_schema()
    await db.dispose()
    conn = await asyncpg.connect(url.replace("postgresql+asyncpg://", "postgresql://"))
    try:
        reporters = max(1, n // 20)
        rep_table = Reporter.__table__
        rep_cols = [c.name for c in rep_table.columns if c.name != "id"]
        await conn.copy_records_to_table("reporter", columns=rep_cols,
                                         records=[full_row(rep_table, r, rep_cols) for r in reporter_rows(reporters)])
        table_ = Report.__table__
        cols = [c.name for c in table_.columns if c.name != "id"]
        batch: list[tuple] = []
        for row in report_rows(n, reporters):
            batch.append(full_row(table_, row, cols))
            if len(batch) == CHUNK * 5:
                await conn.copy_records_to_table("report", columns=cols, records=batch)
                batch = []
        if batch:
            await conn.copy_records_to_table("report", columns=cols, records=batch)
        await conn.execute("VACUUM ANALYZE report")
        await conn.execute("VACUUM ANALYZE reporter")
    finally:
        await conn.close()
    return time.perf_counter() - started


# --- the three code paths -----------------------------------------------------------------------------


def periods() -> list[Any]:
    from zoneinfo import ZoneInfo

    from bot import stats as domain

    return domain.periods(NOW, ZoneInfo("Asia/Jakarta"))


async def product_stats(db: Any) -> tuple[list[float], list[Any]]:
    """What handlers/supervisors.py runs: one read session, storage.stats.period_stats per period."""
    from storage import stats as repo

    times, results = [], []
    async with db.read() as session:
        for p in periods():
            started = time.perf_counter()
            results.append(await repo.period_stats(session, since=p.since, until=p.until))
            times.append(time.perf_counter() - started)
    return times, results


def _where(since: datetime | None, until: datetime | None, ph: Any) -> tuple[str, list[Any]]:
    conds, args = [], []
    if since is not None:
        conds.append(f"created_at >= {ph(len(args) + 1)}")
        args.append(since)
    if until is not None:
        conds.append(f"created_at < {ph(len(args) + 1)}")
        args.append(until)
    return (" AND ".join(conds) or "1=1"), args


STATUS = "SELECT status, COUNT(*) FROM report WHERE {w} GROUP BY status"
CATEGORY = "SELECT category, COUNT(*) AS n FROM report WHERE {w} GROUP BY category ORDER BY n DESC, category"
RANKS = ("SELECT rn, v, n FROM (SELECT {col} AS v, ROW_NUMBER() OVER (ORDER BY {col}) AS rn, COUNT(*) OVER () AS n "
         "FROM report WHERE {w} AND {col} IS NOT NULL{extra}) AS ranked "
         "WHERE rn = (n * 50 + 99) / 100 OR rn = (n * 90 + 99) / 100")


def hand_figures(statuses: list[tuple], categories: list[tuple], taken: list[tuple],
                 closed: list[tuple]) -> dict[str, Any]:
    from storage.models import ReportStatus

    by_status = {s: 0 for s in ReportStatus.ALL}
    by_status.update((status, int(c)) for status, c in statuses)
    by_category = {category: int(c) for category, c in categories}

    def pct(rows: list[tuple]) -> tuple:
        if not rows:
            return (None, None, 0)
        n = int(rows[0][2])
        by_rank = {int(rn): int(v) for rn, v, _ in rows}
        return (by_rank.get((n * 50 + 99) // 100), by_rank.get((n * 90 + 99) // 100), n)

    return {"total": sum(by_status.values()), "by_status": by_status,
            "by_category": by_category,
            "taken": pct(taken), "closed": pct(closed)}


def product_figures(s: Any) -> dict[str, Any]:
    return {"total": s.total, "by_status": s.by_status, "by_category": s.by_category,
            "taken": (s.to_taken.median, s.to_taken.p90, s.to_taken.count),
            "closed": (s.to_resolved.median, s.to_resolved.p90, s.to_resolved.count)}


def raw_sqlite(path: Path) -> tuple[list[float], list[dict]]:
    """The same figures by hand through sqlite3 (SQLAlchemy stores UTC as 'YYYY-MM-DD HH:MM:SS.ffffff')."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    times, results = [], []
    try:
        for p in periods():
            def fmt(ts: datetime | None) -> str | None:
                return None if ts is None else ts.astimezone(timezone.utc).strftime("%Y-%m-%d %H:%M:%S.%f")

            started = time.perf_counter()
            w, args = _where(fmt(p.since), fmt(p.until), lambda i: "?")
            statuses = conn.execute(STATUS.format(w=w), args).fetchall()
            categories = conn.execute(CATEGORY.format(w=w), args).fetchall()
            taken = conn.execute(RANKS.format(col="seconds_to_taken", w=w, extra=""), args).fetchall()
            closed = conn.execute(RANKS.format(col="seconds_to_closed", w=w, extra=" AND status = 'resolved'"),
                                  args).fetchall()
            results.append(hand_figures(statuses, categories, taken, closed))
            times.append(time.perf_counter() - started)
    finally:
        conn.close()
    return times, results


async def raw_postgres(url: str) -> tuple[list[float], list[dict]]:
    import asyncpg

    conn = await asyncpg.connect(url.replace("postgresql+asyncpg://", "postgresql://"))
    times, results = [], []
    try:
        async with conn.transaction(readonly=True):
            for p in periods():
                started = time.perf_counter()
                w, args = _where(p.since, p.until, lambda i: f"${i}")
                statuses = await conn.fetch(STATUS.format(w=w), *args)
                categories = await conn.fetch(CATEGORY.format(w=w), *args)
                taken = await conn.fetch(RANKS.format(col="seconds_to_taken", w=w, extra=""), *args)
                closed = await conn.fetch(RANKS.format(col="seconds_to_closed", w=w, extra=" AND status = 'resolved'"),
                                          *args)
                results.append(hand_figures(*([tuple(r) for r in rows] for rows in (statuses, categories, taken, closed))))
                times.append(time.perf_counter() - started)
    finally:
        await conn.close()
    return times, results


class StatsApp:
    """The real application on the database, in process (FakeRequest), at NOW."""

    def __init__(self, url: str, folder: Path):
        from bot.app import build_application
        from bot.config import Config
        from bot.fakeapi import FakeBotAPI, FakeRequest

        self.fake = FakeBotAPI(token=TOKEN, clock=lambda: self.vclock)
        self.vclock = 1000.0
        self.fake.add_user(SUPERVISOR_ID, "Siti", username="siti_spv")
        self.fake.add_group(GROUP_ID, "Petugas Imigrasi Tangerang", members=[SUPERVISOR_ID])
        config = Config.model_validate({
            "telegram": {"token": TOKEN},
            "officers": {"group_chat_id": GROUP_ID, "supervisor_ids": [SUPERVISOR_ID]},
            "storage": {"url": url, "base_dir": str(folder)},
        })
        self.app = build_application(config, request=FakeRequest(self.fake), clock=ManualClock(NOW),
                                     run_background=False)
        self.errors: list[BaseException] = []

        async def record(_update: object, context: Any) -> None:
            self.errors.append(context.error)

        self.app.add_error_handler(record)

    async def __aenter__(self) -> "StatsApp":
        from bot.app import start_services

        await self.app.initialize()
        await start_services(self.app)
        return self

    async def __aexit__(self, *exc: object) -> None:
        from bot.app import stop_services

        await stop_services(self.app)
        await self.app.shutdown()

    @property
    def db(self) -> Any:
        from bot.services import services_of

        return services_of(self.app).db

    async def stats_command(self) -> float:
        from telegram import Update

        self.vclock += 60  # a minute apart: the chat's flood limit never waits
        update = Update.de_json(self.fake.user_text(SUPERVISOR_ID, "/stats"), self.app.bot)
        started = time.perf_counter()
        await self.app.process_update(update)
        elapsed = time.perf_counter() - started
        if self.errors:
            raise RuntimeError(f"/stats failed: {self.errors[0]!r}") from self.errors[0]
        reply = self.fake.last_bot_message(SUPERVISOR_ID)
        if not reply or "Semua waktu" not in (reply.get("plain_text") or ""):
            raise RuntimeError(f"/stats did not answer with the overview: {reply!r}")
        return elapsed


async def measure(engine: str, url: str, folder: Path, raw: Any) -> list[list[str]]:
    rows: list[list[str]] = []
    async with StatsApp(url, folder) as office:
        await office.stats_command()  # warm: first statements compiled, caches filled
        handler = statistics.median([await office.stats_command() for _ in range(ROUNDS)])
        prod_rounds = [await product_stats(office.db) for _ in range(ROUNDS + 1)][1:]
    raw_rounds = [await raw() for _ in range(ROUNDS + 1)][1:]
    # Same figures, or the comparison means nothing.
    for ours, theirs in zip(prod_rounds[0][1], raw_rounds[0][1]):
        if product_figures(ours) != theirs:
            raise AssertionError(f"{engine}: hand-written SQL disagrees:\n{product_figures(ours)}\n{theirs}")

    def per_period(rounds: list[tuple[list[float], Any]]) -> list[float]:
        return [statistics.median(r[0][i] for r in rounds) for i in range(4)]

    prod, hand = per_period(prod_rounds), per_period(raw_rounds)
    ms = lambda v: f"{v * 1000:.0f}"  # noqa: E731
    rows.append([engine, "/stats handler (update -> reply sent)", "", "", "", "", ms(handler), ""])
    rows.append([engine, "storage.stats.period_stats x 4 periods", *map(ms, prod), ms(sum(prod)),
                 f"{sum(prod) / sum(hand):.2f}x"])
    rows.append([engine, "hand-written SQL, raw driver", *map(ms, hand), ms(sum(hand)), "1.00x"])
    return rows


async def main_async(args: argparse.Namespace) -> int:
    n = args.reports or (100_000 if args.quick else 1_000_000)
    pg_admin = args.postgres or os.environ.get("SIPOA_TEST_POSTGRES_URL", "")
    print(f"machine: {machine()}")
    rows: list[list[str]] = []
    loads: list[str] = []
    with tempfile.TemporaryDirectory(prefix="sipoa-stats-") as tmp:
        folder = Path(tmp)
        db_path = folder / "stats.db"
        loads.append(f"SQLite: {n:,} reports loaded in {await load_sqlite(db_path, n):.0f} s")
        rows += await measure("SQLite", f"sqlite+aiosqlite:///{db_path}", folder,
                              lambda: asyncio.to_thread(raw_sqlite, db_path))
        db_path.unlink()
        if pg_admin:
            url = await create_pg_database(pg_admin)
            try:
                loads.append(f"PostgreSQL: {n:,} reports loaded (COPY) in {await load_postgres(url, n):.0f} s")
                rows += await measure("PostgreSQL", url, folder, lambda: raw_postgres(url))
            finally:
                await drop_pg_database(pg_admin, url)
        else:
            loads.append("PostgreSQL: skipped (no --postgres URL or $SIPOA_TEST_POSTGRES_URL)")
    print("; ".join(loads))
    print(f"median of {ROUNDS} warm rounds, ms; periods as /stats shows them at {NOW:%Y-%m-%d %H:%M} UTC")
    print(table(["engine", "code path", "today", "7 days", "30 days", "all time", "total", "vs hand SQL"], rows))
    worst = max(float(r[7][:-1]) for r in rows if r[7] and r[7] != "1.00x")
    print(f"goal: storage.stats <= 1.5 x hand-written SQL -> worst {worst:.2f}x ({'met' if worst <= 1.5 else 'not met'})")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reports", type=int, default=0, help="reports (default 1,000,000; quick 100,000)")
    parser.add_argument("--quick", action="store_true", help="100,000 reports")
    parser.add_argument("--postgres", default="", help="admin URL of a PostgreSQL server (postgresql+asyncpg://...)")
    args = parser.parse_args()
    return asyncio.run(main_async(args))


if __name__ == "__main__":
    sys.exit(main())
