"""Latency: from the confirming update (Submit, handed to the bot by getUpdates) to the group alert's
request arriving at the fake Bot API, under the group's limit.

    python bench/latency.py [--reports 40] [--quick] [--screening off]

The real `sipoa run --config` process (production defaults, screening on; SQLite file; long polling
with PTB's HTTPXRequest) against the HTTP fake on 127.0.0.1. N residents write their reports up to the
review step at a human pace (a few seconds between steps: screening holds a report written faster than
`min_seconds_to_complete`, 20 s, and a held report has no alert), then press Submit one after another,
3.3 s apart (18 a minute: under the bot's 19 and the fake's 20 group messages a minute, so no alert
waits for the limit). Both timestamps are taken inside the fake, on one clock: when its getUpdates
answer carrying the Submit update was built, and when the alert's sendMessage/sendPhoto request
reached it. The resident's own confirmation is timed the same way. Goal: p99 ≤ 50 ms.
"""

from __future__ import annotations

import argparse
import asyncio
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from residents import (  # noqa: E402
    FIRST_RESIDENT,
    GROUP_ID,
    Process,
    BenchFake,
    Resident,
    add_people,
    description,
    machine,
    percentile,
    pyinstrument_available,
    sipoa_run,
    spread_points,
    table,
    write_config,
)
from throughput import show_profile, wait_ready  # noqa: E402

SPACING = 3.3  # seconds between two Submit presses: 18 alerts a minute
# Screening holds (no alert) a conversation shorter than 20 s or typed faster than 6 characters a second.
SCREENING_MIN_SECONDS, SCREENING_MAX_CPS = 20.5, 6.0


def breakdown(log: Path) -> None:
    """Where a Submit's time goes inside the bot, from bench/traced_run.py's probes (means)."""
    updates, calls = [], []
    for line in log.read_text(encoding="utf-8", errors="replace").splitlines():
        if line.startswith("TRACE "):
            fields = dict(part.split("=", 1) for part in line.split()[1:] if "=" in part)
            (updates if line.startswith("TRACE update") else calls).append(fields)
    rows = []
    for kind in ("message", "press", "submit"):
        mine = [u for u in updates if u["kind"] == kind]
        if mine:
            mean = lambda key: statistics.mean(float(u[key]) for u in mine)  # noqa: E731
            rows.append([kind, len(mine), f"{mean('t1') * 1000 - mean('t0') * 1000:.1f}", f"{mean('sql'):.1f}",
                         f"{mean('sql_ms'):.1f}", f"{mean('api'):.1f}", f"{mean('api_ms'):.1f}"])
    print("\nper update inside the bot (means; SQL time includes the wait for aiosqlite's thread):")
    print(table(["update", "n", "handler ms", "SQL statements", "SQL ms", "API calls", "API ms"], rows))
    to_alert, sql_between, before = [], [], []
    for u in (u for u in updates if u["kind"] == "submit"):
        t0 = float(u["t0"])
        alert = next((c for c in calls if c["chat"] == str(GROUP_ID) and float(c["t0"]) >= t0
                      and c["method"] in ("sendMessage", "sendPhoto")), None)
        if alert is None:
            continue
        to_alert.append((float(alert["t0"]) - t0) * 1000)
        first = next((c for c in calls if float(c["t0"]) >= t0), alert)
        sql_between.append(int(alert["sql_total"]) - int(first["sql_total"]) + int(u["sql"]))
        before.append(sum(1 for c in calls if t0 <= float(c["t0"]) < float(alert["t0"])))
    if to_alert:
        print(f"Submit handled -> alert request sent: mean {statistics.mean(to_alert):.1f} ms, "
              f"{statistics.mean(sql_between):.0f} SQL statements and {statistics.mean(before):.1f} other API "
              f"calls in between (handler and dispatcher)")


async def run(n: int, spacing: float, think: float, screening: bool, folder: Path, profile: bool,
              trace: bool = False, cprofile: bool = False) -> int:
    from bot.fakeapi import FakeBotServer

    ids = [FIRST_RESIDENT + i for i in range(n)]
    fake = BenchFake()
    add_people(fake, ids)
    server = FakeBotServer(fake)
    await server.start()
    config = write_config(folder, server.base_url, server.base_file_url, screening={"enabled": screening})
    prof = folder / ("profile.pyisession" if pyinstrument_available() and not cprofile else "profile.prof")
    if trace:
        proc = Process([sys.executable, str(Path(__file__).with_name("traced_run.py")), "--config", str(config)],
                       folder / "bot.log").start()
    else:
        proc = sipoa_run(config, folder / "bot.log", profile_to=prof if profile else None).start()
    try:
        await wait_ready(fake, proc)
        people = [Resident(fake, uid, pace=0.5) for uid in ids]
        points = spread_points(n)
        texts = [description(i, words=6) for i in range(n)]
        began = time.perf_counter()
        async def prepare(i: int, person: Resident) -> dict:
            # Ten residents start a second: Telegram's 30 messages a second over all chats holds.
            await asyncio.sleep(i * 0.1)
            return await person.report_up_to_review(points[i], texts[i], think=think)

        reviews = await asyncio.gather(*(prepare(i, p) for i, p in enumerate(people)))
        # Every conversation at least as long as a person needs, as far as screening can tell.
        needed = max(SCREENING_MIN_SECONDS, max(map(len, texts)) / SCREENING_MAX_CPS + 0.5)
        await asyncio.sleep(max(0.0, began + needed - time.perf_counter()))
        submitted: list[tuple[dict, str]] = []
        for person, review in zip(people, reviews):
            pressed = time.perf_counter()
            submitted.append(await person.submit(review))
            await asyncio.sleep(max(0.0, pressed + spacing - time.perf_counter()))
        # The last alerts may still be on their way.
        deadline = time.perf_counter() + 10
        while time.perf_counter() < deadline and len(fake.group_sends) < len(submitted):
            await asyncio.sleep(0.05)

        to_alert, to_reply, to_answer, missing = [], [], [], []
        warm: list[float] = []  # to_alert without the process's first Submit (see the README)
        for index, ((update, number), person) in enumerate(zip(submitted, people)):
            fetched = fake.fetched_at[update["update_id"]]
            answered = fake.answered_at.get(update["callback_query"]["id"])
            if answered is not None:
                to_answer.append(answered - fetched)
            alert = next((t for t, _m, text in fake.group_sends if number in text), None)
            reply = next((t for t, chat, text in fake.private_sends
                          if chat == person.user_id and number in text and t >= fetched), None)
            if reply is not None:
                to_reply.append(reply - fetched)
            if alert is None:
                missing.append(number)
            else:
                to_alert.append(alert - fetched)
                if index > 0:
                    warm.append(alert - fetched)
        conn = sqlite3.connect(f"file:{folder / 'data' / 'sipoa.db'}?mode=ro", uri=True, timeout=10)
        try:
            decisions = " ".join(f"{d}:{c}" for d, c in conn.execute(
                "SELECT COALESCE(decision, '-'), COUNT(*) FROM report GROUP BY 1 ORDER BY 1").fetchall())
        finally:
            conn.close()
    finally:
        proc.stop()
        await server.stop()

    def row(label: str, values: list[float]) -> list[str]:
        if not values:
            return [label, "0", "-", "-", "-", "-"]
        ms = [v * 1000 for v in values]
        return [label, str(len(ms)), f"{percentile(ms, 50):.1f}", f"{percentile(ms, 90):.1f}",
                f"{percentile(ms, 99):.1f}", f"{max(ms):.1f}"]

    print()
    print(table(["Submit fetched by getUpdates ->", "n", "p50 ms", "p90 ms", "p99 ms", "max ms"], [
        row("group alert request at the fake", to_alert),
        # The first Submit after a start also compiles its ~20 SQL statements (SQLAlchemy caches
        # them per process): shown apart, not left out of the goal.
        row("(the same from the 2nd Submit on)", warm),
        row("(answerCallbackQuery: report committed)", to_answer),
        row("(resident's confirmation message)", to_reply),
    ]))
    screening_text = "on (default)" if screening else "off"
    print(f"screening {screening_text}; reports by decision: {decisions}; alerts missing (held): {len(missing)}; "
          f"one Submit every {spacing} s ({60 / spacing:.1f}/min); fake's group limit 20/min (default), "
          f"429 answers: {fake.refused_429_in or 0}; error replies: {sum(p.errors for p in people)}")
    if to_alert:
        p99 = percentile(to_alert, 99) * 1000
        print(f"goal: p99 <= 50 ms -> {p99:.1f} ms ({'met' if p99 <= 50 else 'not met'})"
              + (" (under the profiler)" if profile else ""))
    if trace:
        breakdown(folder / "bot.log")
    if profile:
        print("\nprofile of the bot during the whole run (mostly idle: read the handlers' share):")
        show_profile(prof)
    return 0 if to_alert else 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reports", type=int, default=0, help="reports (default 40, quick 6)")
    parser.add_argument("--quick", action="store_true", help="6 reports, about 30 s")
    parser.add_argument("--screening", choices=("on", "off"), default="on")
    parser.add_argument("--profile", action="store_true", help="run the bot under pyinstrument (or cProfile)")
    parser.add_argument("--trace", action="store_true",
                        help="run the bot with timing probes (bench/traced_run.py) and show where a Submit's time goes")
    parser.add_argument("--cprofile", action="store_true", help="with --profile: cProfile even if pyinstrument is there")
    args = parser.parse_args()
    n = args.reports or (6 if args.quick else 40)
    spacing = 0.4 if args.quick else SPACING  # 6 alerts fit in the group's minute at any spacing
    print(f"machine: {machine()}")
    print(f"{n} reports through `sipoa run` over HTTP on 127.0.0.1")
    with tempfile.TemporaryDirectory(prefix="sipoa-latency-") as tmp:

        return asyncio.run(run(n, spacing, think=3.0, screening=args.screening == "on",
                               folder=Path(tmp), profile=args.profile or args.cprofile,
                               trace=args.trace, cprofile=args.cprofile))


if __name__ == "__main__":
    sys.exit(main())
