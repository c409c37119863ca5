"""`/export` of 100,000 reports: the process's peak memory while it streams the files and sends them.

    .venv/bin/python bench/export.py [--reports N] [--db PATH]

The reports are generated in a child process (so that generating does not count), then this
process starts the real application on that database and sends `/export <the whole year>` through
it to the in-process fake Bot API: rows stream in batches into a CSV and a GeoJSON file, which are
gzipped when over Telegram's 50 MB and uploaded. Peak RSS (getrusage ru_maxrss) is the process's
high-water mark; it includes the fake Bot API, which keeps every uploaded file in memory as
Telegram's servers would. The bar is 200 MB.
"""

from __future__ import annotations

import argparse
import asyncio
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from office import SUPERVISOR_ID, Office  # noqa: E402

BAR_MB = 200.0
YEAR = "2025-03-02..2026-03-02"


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def current_rss_mb() -> float:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * resource.getpagesize() / 1024 / 1024


async def run(db: Path, n: int) -> int:
    async with Office(db) as office:
        base_current, base_peak = current_rss_mb(), peak_rss_mb()
        started = time.perf_counter()
        seconds = await office.command(f"/export {YEAR}")
        elapsed = time.perf_counter() - started
        peak = peak_rss_mb()
        docs = [m for m in office.fake.bot_messages(SUPERVISOR_ID) if m.get("document")]
    rows = [
        ("RSS after start-up, before /export", base_current),
        ("peak RSS before /export", base_peak),
        ("peak RSS after /export (the process's high-water mark)", peak),
        ("growth of the peak during /export", peak - base_peak),
    ]
    width = max(len(name) for name, _ in rows)
    print(f"/export of {n:,} reports (SQLite, {db})")
    print(f"{'what':<{width}}  {'MB':>8}")
    for name, mb in rows:
        print(f"{name:<{width}}  {mb:>8.1f}")
    print(f"sent in {seconds:.1f} s ({elapsed:.1f} s with the fake's bookkeeping):")
    for m in docs:
        d = m["document"]
        print(f"  {d['file_name']:<44} {d['file_size'] / 1e6:>7.1f} MB  {m['plain_text'].splitlines()[-1]}")
    ok = peak < BAR_MB and len(docs) >= 2
    print(f"peak {peak:.1f} MB (bar {BAR_MB:.0f} MB): {'OK' if ok else 'OVER'}")
    return 0 if ok else 1


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=100_000)
    parser.add_argument("--db", type=Path, help="an existing generated database (skips generating)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="sipoa-bench-") as tmp:
        db = args.db or Path(tmp) / "bench.db"
        if args.db is None:
            generator = Path(__file__).resolve().parent / "generate.py"
            subprocess.run([sys.executable, str(generator), str(args.reports), str(db)], check=True)
        return asyncio.run(run(db, args.reports))


if __name__ == "__main__":
    sys.exit(main())
