"""Screening cost per report, on the labelled corpus (photo download excluded).

    .venv/bin/python bench/screening.py [CASES.jsonl] [--rounds N]

Replays the cases through `sipoa screening evaluate`'s path (a temporary SQLite database, the live
`screen_report`) and times, per report: gathering the context (the database queries), deciding (the
pure signals and score), and the whole `screen_report` call (both, plus storing the decision and the
incident). Hashing the photo files stands in for the download and is timed apart, not included.
The acceptance bar is the whole call at p50 ≤ 5 ms.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.geo import Jurisdiction  # noqa: E402
from bot.screening import evaluate as ev  # noqa: E402
from bot.screening import service  # noqa: E402

BAR_MS = 5.0


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    k = min(len(ordered) - 1, max(0, round(p / 100 * (len(ordered) - 1))))
    return ordered[k]


def instrument(timings: dict[str, list[float]]) -> None:
    """Time the stages by wrapping the functions `screen_report` and the replay call."""
    gather, decide, phash = service.gather, service.decide, ev.phash_hex

    async def timed_gather(*a, **kw):
        t = time.perf_counter()
        try:
            return await gather(*a, **kw)
        finally:
            timings["gather context (SQL)"].append((time.perf_counter() - t) * 1000)

    def timed_decide(*a, **kw):
        t = time.perf_counter()
        try:
            return decide(*a, **kw)
        finally:
            timings["decide (signals + score)"].append((time.perf_counter() - t) * 1000)

    def timed_phash(data):
        t = time.perf_counter()
        try:
            return phash(data)
        finally:
            timings["photo hash (per photo, excluded)"].append((time.perf_counter() - t) * 1000)

    service.gather, service.decide, ev.phash_hex = timed_gather, timed_decide, timed_phash


async def one_round(cases: Path, timings: dict[str, list[float]]) -> ev.Metrics:
    metrics = await ev.evaluate(cases, jurisdiction=Jurisdiction.default())
    timings["screen_report total"].extend(metrics.timings_ms)
    return metrics


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("cases", nargs="?", type=Path, default=ROOT / "tests" / "data" / "screening_cases.jsonl")
    parser.add_argument("--rounds", type=int, default=3, help="replays of the whole corpus (default 3)")
    args = parser.parse_args(argv)
    timings: dict[str, list[float]] = defaultdict(list)
    instrument(timings)
    metrics = None
    for _ in range(args.rounds):
        metrics = asyncio.run(one_round(args.cases, timings))
    print(f"screening cost per report, {len(metrics.timings_ms)} reports x {args.rounds} rounds ({args.cases.name})")
    print(f"{'stage':<36}{'n':>7}{'p50 ms':>9}{'p90 ms':>9}{'p99 ms':>9}{'mean ms':>9}")
    order = ["gather context (SQL)", "decide (signals + score)", "screen_report total", "photo hash (per photo, excluded)"]
    for name in order:
        values = timings.get(name) or [0.0]
        print(f"{name:<36}{len(values):>7}{percentile(values, 50):>9.2f}{percentile(values, 90):>9.2f}"
              f"{percentile(values, 99):>9.2f}{statistics.fmean(values):>9.2f}")
    p50 = percentile(timings["screen_report total"], 50)
    verdict = "OK" if p50 <= BAR_MS else "OVER"
    print(f"p50 of the whole call: {p50:.2f} ms (bar {BAR_MS:.0f} ms): {verdict}")
    return 0 if p50 <= BAR_MS else 1


if __name__ == "__main__":
    sys.exit(main())
