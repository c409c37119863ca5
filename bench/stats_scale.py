"""/stats on 1,000,000 reports: storage/stats.py (what the /stats handler runs) against the same
aggregates written by hand in raw SQL, on SQLite and on PostgreSQL.

    python bench/stats_scale.py [--quick] [--reports N] [--postgres URL]

Reports (spread over the year before NOW, statuses and wait times as an office produces them) are bulk
inserted into the schema the application creates: executemany (sqlite3) on SQLite, left as the bot
leaves it (no ANALYZE), COPY (asyncpg) then VACUUM ANALYZE (autovacuum's work after a bulk load) on
PostgreSQL. Then, each timed as the best of 3 warm rounds (the machine may be busy with other work:
the minimum is the least disturbed; storage.stats and the hand SQL alternate round by round):

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
import bisect
import itertools
import json
import os
import random
import sqlite3
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
ROUNDS = 3
CATEGORIES = ["overstay", "illegal_work", "suspicious", "public_order", "document_misuse", "other"]
STATUSES = [("resolved", 55), ("false_report", 12), ("taken", 10), ("new", 8), ("held", 10), ("rejected", 5)]
OFFICERS = [(7_000_000_000 + i, name) for i, name in enumerate(["Agus", "Bayu", "Citra", "Dewi", "Eko", "Fajar"])]


# --- data ---------------------------------------------------------------------------------------------


def report_tuples(n: int, reporters: int, cols: list[str], *, sqlite_text: bool):
    """n reports as tuples in `cols` order, oldest first (as an office fills its table),
    deterministic. Columns not set here get their model default (COPY and raw executemany take no
    defaults); on SQLite, datetimes as SQLAlchemy stores them ('YYYY-MM-DD HH:MM:SS.ffffff', UTC)."""
    from storage.models import Report

    rnd = random.Random(6)
    statuses = [s for s, _ in STATUSES]
    cum = list(itertools.accumulate(w for _, w in STATUSES))
    areas = ["Ciledug, Kota Tangerang", "Cipondoh, Kota Tangerang", "Karawaci, Kota Tangerang"]
    stamp = (lambda ts: ts.strftime("%Y-%m-%d %H:%M:%S.%f")) if sqlite_text else (lambda ts: ts)
    template = list(column_defaults(Report.__table__, cols, sqlite=sqlite_text))
    at = {c: i for i, c in enumerate(cols)}
    fixed = {"prefix": "TNG", "language": "id", "location_source": "gps",
             "description": "Orang asing bekerja di bengkel tanpa izin, tinggal di kos dekat pasar sejak Januari."}
    for name, value in fixed.items():
        template[at[name]] = value
    i_number, i_year, i_seq, i_rep, i_channel, i_cat, i_status, i_created, i_lat, i_lon, i_area = (
        at[c] for c in ("number", "year", "seq", "reporter_id", "channel", "category", "status", "created_at",
                        "lat", "lon", "area_label"))
    taken = [at[c] for c in ("taken_at", "taken_by", "taken_by_name", "seconds_to_taken")]
    closed = [at[c] for c in ("closed_at", "closed_by", "closed_by_name", "seconds_to_closed")]
    offsets = sorted((rnd.random() * DAYS * 86400 for _ in range(n)), reverse=True)
    total = cum[-1]
    for i, offset in enumerate(offsets):
        created = NOW - timedelta(seconds=offset)
        status = statuses[bisect.bisect(cum, rnd.random() * total)]
        row = template.copy()
        row[i_number], row[i_year], row[i_seq] = f"TNG-{created.year}-{i + 1:07d}", created.year, i + 1
        row[i_rep] = rnd.randint(1, reporters)
        row[i_channel] = "walk_in" if rnd.random() < 0.08 else "telegram"
        row[i_cat], row[i_status], row[i_created] = rnd.choice(CATEGORIES), status, stamp(created)
        row[i_lat], row[i_lon] = round(-6.2 + rnd.gauss(0, 0.04), 5), round(106.63 + rnd.gauss(0, 0.04), 5)
        row[i_area] = rnd.choice(areas)
        if status in ("taken", "resolved", "false_report"):
            officer_id, name = rnd.choice(OFFICERS)
            wait = int(rnd.expovariate(1 / 900))
            for k, v in zip(taken, (stamp(created + timedelta(seconds=wait)), officer_id, name, wait)):
                row[k] = v
            if status != "taken":
                close = wait + int(rnd.expovariate(1 / 14400))
                for k, v in zip(closed, (stamp(created + timedelta(seconds=close)), officer_id, name, close)):
                    row[k] = v
        yield tuple(row)


def reporter_tuples(count: int, cols: list[str], *, sqlite_text: bool) -> list[tuple]:
    from storage.models import Reporter

    template = list(column_defaults(Reporter.__table__, cols, sqlite=sqlite_text))
    at = {c: i for i, c in enumerate(cols)}
    created = NOW - timedelta(days=400)
    rows = []
    for i in range(count):
        row = template.copy()
        row[at["telegram_id"]], row[at["alias"]], row[at["language"]] = 4_000_000_000 + i, f"P-{i:06X}", "id"
        row[at["created_at"]] = created.strftime("%Y-%m-%d %H:%M:%S.%f") if sqlite_text else created
        rows.append(tuple(row))
    return rows


def column_defaults(table: Any, cols: list[str], *, sqlite: bool) -> list[Any]:
    """Each column's model default (None when it has none), JSON as text, booleans as 0/1 on SQLite."""
    out = []
    for name in cols:
        default, value = table.c[name].default, None
        if default is not None and getattr(default, "is_scalar", False):
            value = default.arg
        elif default is not None and getattr(default, "is_callable", False):
            value = default.arg(None)
        if isinstance(value, (dict, list)):
            value = json.dumps(value)
        if sqlite and isinstance(value, bool):
            value = int(value)
        out.append(value)
    return out


def insert_columns(table: Any) -> list[str]:
    return [c.name for c in table.columns if c.name != "id"]


async def load_sqlite(path: Path, n: int) -> float:
    """Schema by the application's own code, then plain executemany in one transaction."""
    from storage.db import Database
    from storage.models import Report, Reporter

    started = time.perf_counter()
    db = Database(f"sqlite+aiosqlite:///{path}")
    await db.create_schema()
    await db.dispose()
    conn = sqlite3.connect(path)
    try:
        conn.execute("PRAGMA synchronous=OFF")
        conn.execute("PRAGMA cache_size=-200000")
        reporters = max(1, n // 20)
        for table_, rows in ((Reporter.__table__, None), (Report.__table__, None)):
            cols = insert_columns(table_)
            rows = (reporter_tuples(reporters, cols, sqlite_text=True) if table_ is Reporter.__table__
                    else report_tuples(n, reporters, cols, sqlite_text=True))
            sql = f"INSERT INTO {table_.name} ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})"
            batch: list[tuple] = []
            for row in rows:
                batch.append(row)
                if len(batch) == CHUNK:
                    conn.executemany(sql, batch)
                    batch = []
            if batch:
                conn.executemany(sql, batch)
        conn.commit()
    finally:
        conn.close()
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
    """Schema by the application's own code, then COPY, then VACUUM ANALYZE (autovacuum's job)."""
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
        cols = insert_columns(Reporter.__table__)
        await conn.copy_records_to_table("reporter", columns=cols,
                                         records=reporter_tuples(reporters, cols, sqlite_text=False))
        cols = insert_columns(Report.__table__)
        batch: list[tuple] = []
        for row in report_tuples(n, reporters, cols, sqlite_text=False):
            batch.append(row)
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
    """Best of ROUNDS warm rounds, the two code paths alternating so that both see the same load."""
    rows: list[list[str]] = []
    async with StatsApp(url, folder) as office:
        await office.stats_command()  # warm: statements compiled, caches and pages filled
        handler = min([await office.stats_command() for _ in range(ROUNDS - 1)])
        await product_stats(office.db)
        await raw()
        prod_rounds, raw_rounds = [], []
        for _ in range(ROUNDS):
            prod_rounds.append(await product_stats(office.db))
            raw_rounds.append(await raw())
    # Same figures, or the comparison means nothing.
    for ours, theirs in zip(prod_rounds[0][1], raw_rounds[0][1]):
        if product_figures(ours) != theirs:
            raise AssertionError(f"{engine}: hand-written SQL disagrees:\n{product_figures(ours)}\n{theirs}")

    def per_period(rounds: list[tuple[list[float], Any]]) -> list[float]:
        return [min(r[0][i] for r in rounds) for i in range(4)]

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
    print(f"best of {ROUNDS} warm rounds (storage.stats and hand SQL alternating), ms; periods as /stats shows "
          f"them at {NOW:%Y-%m-%d %H:%M} UTC")
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
