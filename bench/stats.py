"""`/stats <period>` with its chart on 100,000 reports: how long a supervisor waits.

    .venv/bin/python bench/stats.py [--reports N] [--db PATH]

Generates N reports (default 100,000, over a year) into a temporary SQLite database with bulk
INSERTs, then sends `/stats <period>` through the real application (handler, SQL, chart in a worker
thread, sendMessage + sendPhoto to the in-process fake Bot API) and times update → last answer sent.
The first call of the process is timed apart (it imports matplotlib and loads its fonts). Then the
parts of the warm call: the two groups of queries, the text and the chart. The bar is 2 s.
"""

from __future__ import annotations

import argparse
import asyncio
import io
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from office import NOW, Office, timed  # noqa: E402
from generate import generate  # noqa: E402
from PIL import Image  # noqa: E402

from bot import period_stats as domain  # noqa: E402
from bot.charts import CHART_SIZE, render_png  # noqa: E402
from bot.periods import parse_span  # noqa: E402
from bot.services import services_of  # noqa: E402
from storage import period_stats as repo  # noqa: E402

BAR_SECONDS = 2.0
ROUNDS = 5
# The whole year of generated reports: every report is in the period.
YEAR = "2025-03-02..2026-03-02"


async def run(db: Path, n: int) -> int:
    rows: list[tuple[str, float]] = []
    async with Office(db) as office:
        rows.append((f"/stats {YEAR} (all {n:,}), first call", await office.command(f"/stats {YEAR}")))
        png = office.fake.files.get(office.fake.bot_messages(9_000_000_001)[-1]["photo"][-1]["file_id"]).content
        image = Image.open(io.BytesIO(png))
        image.verify()
        size_ok = Image.open(io.BytesIO(png)).size == CHART_SIZE
        warm = [await office.command(f"/stats {YEAR}") for _ in range(ROUNDS)]
        rows.append((f"/stats {YEAR} (all {n:,}), median of {ROUNDS}", statistics.median(warm)))
        rows.append((f"/stats {YEAR}, slowest of {ROUNDS}", max(warm)))
        for period in ("30d", "7d", "today"):
            rows.append((f"/stats {period}, median of {ROUNDS}",
                         statistics.median([await office.command(f"/stats {period}") for _ in range(ROUNDS)])))

        services = services_of(office.app)
        span = parse_span(YEAR, now=NOW, tz=services.tz)
        async with services.db.read() as s:
            t_counts, counts = await timed(lambda: repo.period_counts(s, since=span.since, until=span.until))
            t_times, times = await timed(lambda: repo.period_times(s, since=span.since, until=span.until))
            t_chart, facts = await timed(lambda: repo.chart_facts(s, since=span.since, until=span.until,
                                                                  tz=services.tz, now=NOW))
        detail = repo.combine(counts, times)
        t_text, _ = await timed(_async(lambda: domain.render("id", span, detail, config=services.config, now=NOW,
                                                             tz=services.tz)))
        data = domain.chart_data("id", span, facts, detail, jurisdiction=services.jurisdiction)
        t_png, _ = await timed(_async(lambda: render_png(data)))
        rows += [
            ("  parts, one by one (the handler runs the 3 queries at once):", float("nan")),
            ("  counts by status/category/channel/area, per officer (SQL)", t_counts),
            ("  median and p90 to taken, resolved, closed (SQL)", t_times),
            ("  per day x outcome, grid points (SQL)", t_chart),
            ("  message text", t_text),
            (f"  chart PNG ({len(data.points)} grid points, {len(data.days)} days)", t_png),
        ]

    width = max(len(name) for name, _ in rows)
    print(f"/stats with a chart on {n:,} reports (SQLite, {db})")
    print(f"{'what':<{width}}  {'seconds':>8}")
    for name, seconds in rows:
        print(f"{name:<{width}}  {seconds:>8.3f}" if seconds == seconds else name)
    worst = max(seconds for name, seconds in rows if name.startswith("/stats"))
    ok = worst <= BAR_SECONDS and size_ok
    print(f"chart: PNG {Image.open(io.BytesIO(png)).size[0]}x{Image.open(io.BytesIO(png)).size[1]}, "
          f"{len(png):,} bytes ({'the promised size' if size_ok else 'WRONG SIZE'})")
    print(f"slowest answer {worst:.3f} s (bar {BAR_SECONDS:.0f} s): {'OK' if ok else 'OVER'}")
    return 0 if ok else 1


def _async(fn):
    async def call():
        return fn()

    return call


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=100_000)
    parser.add_argument("--db", type=Path, help="an existing generated database (skips generating)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="sipoa-bench-") as tmp:
        db = args.db or Path(tmp) / "bench.db"
        if args.db is None:
            seconds = asyncio.run(generate(args.reports, db))
            print(f"generated {args.reports:,} reports in {seconds:.1f} s")
        return asyncio.run(run(db, args.reports))


if __name__ == "__main__":
    sys.exit(main())
