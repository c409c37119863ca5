"""Throughput: N residents write whole reports through the HTTP fake Bot API, against a minimal PTB bot.

    python bench/throughput.py [--residents 200] [--quick] [--profile]

The real `sipoa run --config` process (production defaults; SQLite file; long polling with PTB's
HTTPXRequest) serves N simulated residents at once over HTTP on 127.0.0.1, each sending the six updates
of a report (/start → category → location → description → skip photos → Submit) and waiting for the
bot's answer before the next. Measured twice: screening on (the default) and off. Then the same update
stream goes to a minimal PTB bot (one MessageHandler + one CallbackQueryHandler answering each update
with one sendMessage; same PTB version, same concurrency processor, same poll timeout, same fake): the
ratio sipoa / minimal is the goal (≥ 0.8).

Telegram's limits in the fake: every resident is a distinct chat and sends at most one update every
0.5 s, so the per-chat limit (5 messages a second) is not hit; the global limit (30 messages a second
over all chats, Telegram's broadcast limit) is lifted in the fake and in the bot, which keeps it
itself (`[dispatcher] global_messages_per_second`), or it would be the only thing measured.
The group alerts leave through the bot's outbox at 19 a minute (under the fake's 20): they are not on
the residents' path and the fake's group limit stays as it is.

--profile adds one run of the screening-on bot under pyinstrument (cProfile when pyinstrument is not
installed) and prints where its time goes.
"""

from __future__ import annotations

import argparse
import asyncio
import signal
import sqlite3
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from residents import (  # noqa: E402
    FIRST_RESIDENT,
    ROOT,
    TOKEN,
    BenchFake,
    Process,
    Resident,
    add_people,
    description,
    lift_global_send_limit,
    machine,
    percentile,
    pyinstrument_available,
    sipoa_run,
    spread_points,
    table,
    write_config,
)

UPDATES_PER_REPORT = 6
PACE = 0.5  # seconds between one resident's updates, at least: /start is answered with two messages and
# the fake allows 5 a second into one chat, as Telegram does


async def wait_ready(fake: BenchFake, proc: Process, timeout: float = 60.0) -> None:
    """The bot is long-polling and its start-up work (schema, matplotlib warm-up) is over."""
    deadline = time.perf_counter() + timeout
    while not fake._waiters:  # a getUpdates long poll is waiting
        if not proc.alive():
            raise RuntimeError(f"the bot exited during start-up:\n{proc.log_tail()}")
        if time.perf_counter() > deadline:
            raise TimeoutError(f"the bot did not start polling:\n{proc.log_tail()}")
        await asyncio.sleep(0.05)
    previous = proc.cpu_seconds()
    while time.perf_counter() < deadline:
        await asyncio.sleep(0.3)
        now = proc.cpu_seconds()
        if now - previous < 0.02:
            return
        previous = now


class Run:
    """One bot under test with its own fake: sipoa when `screening` is a bool, else the minimal bot."""

    def __init__(self, label: str, folder: Path, n: int, *, screening: bool | None,
                 profile_to: Path | None = None):
        self.label, self.folder, self.n, self.screening, self.profile_to = label, folder, n, screening, profile_to
        self.ids = [FIRST_RESIDENT + i for i in range(n)]
        self.fake = BenchFake()
        add_people(self.fake, self.ids)
        self.server: Any = None
        self.proc: Process | None = None

    async def start(self) -> "Run":
        from bot.fakeapi import FakeBotServer

        self.folder.mkdir(parents=True, exist_ok=True)
        self.server = FakeBotServer(self.fake)
        await self.server.start()
        base, files = self.server.base_url, self.server.base_file_url
        if self.screening is None:
            self.proc = Process([sys.executable, __file__, "--serve-minimal", base, files], self.folder / "bot.log")
        else:
            # The bot keeps Telegram's overall 30 messages a second itself (dispatcher.
            # global_messages_per_second): lifted like the fake's, or that cap is all that is measured.
            config = write_config(self.folder, base, files, screening={"enabled": self.screening},
                                  dispatcher={"global_messages_per_second": 1_000_000})
            self.proc = sipoa_run(config, self.folder / "bot.log", profile_to=self.profile_to)
        self.proc.start()
        return self

    async def stop(self) -> None:
        proc, server, self.proc, self.server = self.proc, self.server, None, None
        code = proc.stop() if proc is not None else None
        if server is not None:
            await server.stop()
        if proc is not None and code not in (0, None, -signal.SIGTERM):
            print(f"warning: {self.label} exited with {code}\n{proc.log_tail()}", file=sys.stderr)

    async def measure(self, streams: dict[int, list] | None = None) -> dict:
        """All residents at once: the sipoa conversation, or `streams` replayed to the minimal bot."""
        fake, proc = self.fake, self.proc
        assert proc is not None, "start() first"
        await wait_ready(fake, proc)
        people = [Resident(fake, uid, pace=PACE) for uid in self.ids]
        points = spread_points(self.n)

        async def report(i: int, person: Resident) -> None:
            if streams is None:
                await person.submit(await person.report_up_to_review(points[i], description(i)))
            else:
                await person.replay(streams[person.user_id])

        cpu_bot, cpu_self = proc.cpu_seconds(), time.process_time()
        started = time.perf_counter()
        await asyncio.gather(*(report(i, p) for i, p in enumerate(people)))
        elapsed = time.perf_counter() - started
        cpu_bot, cpu_self = proc.cpu_seconds() - cpu_bot, time.process_time() - cpu_self
        updates = sum(len(p.stream) for p in people)
        waits = [w for p in people for w in p.waits]
        decisions = ""
        if self.screening is not None:
            db = self.folder / "data" / "sipoa.db"
            conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=10)
            try:
                rows = conn.execute("SELECT COALESCE(decision, '-'), COUNT(*) FROM report GROUP BY 1").fetchall()
            finally:
                conn.close()
            decisions = " ".join(f"{d}:{c}" for d, c in sorted(rows))
        calls = sum(c for m, c in fake.sent_by_method.items() if m != "getUpdates")
        return {
            "label": self.label, "residents": self.n, "updates": updates, "seconds": elapsed,
            "rate": updates / elapsed, "p50": percentile(waits, 50), "p99": percentile(waits, 99),
            "cpu_bot": cpu_bot / elapsed, "cpu_self": cpu_self / elapsed, "calls": calls / updates,
            "429": fake.refused_429, "decisions": decisions, "errors": sum(p.errors for p in people),
            "streams": {p.user_id: p.stream for p in people},
        }


async def run_one(label: str, folder: Path, n: int, *, screening: bool | None,
                  streams: dict[int, list] | None = None, profile_to: Path | None = None) -> dict:
    """Start one bot, measure it, stop it."""
    run = Run(label, folder, n, screening=screening, profile_to=profile_to)
    try:
        await run.start()
        return await run.measure(streams)
    finally:
        await run.stop()


def show_profile(path: Path) -> None:
    """Where the bot's main thread spends its wall time: our handlers' call tree (library frames
    folded), then the flattest view (self time by function; epoll.poll is the loop waiting)."""
    if not path.exists():
        print(f"(no profile written at {path})")
        return
    if path.suffix == ".pyisession":
        import subprocess

        base = [sys.executable, "-m", "pyinstrument", f"--load={path}", "-r", "text", "--no-color",
                "-p", "time=percent_of_total"]
        tree = subprocess.run(base + ["--show", f"{ROOT}/*"], capture_output=True, text=True).stdout
        flat = subprocess.run(base + ["-p", "flat=true"], capture_output=True, text=True).stdout
        body = [line for line in tree.splitlines() if "%" in line and "frames hidden" not in line]
        print("\n".join(body[:70]))
        print("\nself time, top 20:")
        print("\n".join([line for line in flat.splitlines() if "%" in line][:20]))
        return
    import io
    import pstats

    # cProfile counts each resumption of a coroutine as a call, so cumulative time is the CPU time
    # spent running that code (not its awaits): what our code and the libraries cost per update.
    out = io.StringIO()
    stats = pstats.Stats(str(path), stream=out)
    stats.sort_stats("cumulative").print_stats(r"/(bot|handlers|storage)/[a-z_/]+\.py", 25)
    stats.sort_stats("tottime").print_stats(15)
    print("\n".join(line for line in out.getvalue().splitlines() if line.strip())[:6000])


async def main_async(args: argparse.Namespace) -> int:
    lift_global_send_limit()
    n = args.residents or (30 if args.quick else 200)
    print(f"machine: {machine()}")
    print(f"{n} residents x {UPDATES_PER_REPORT} updates, HTTP fake on 127.0.0.1, each resident at most one "
          f"update per {PACE} s; fake's global 30 msg/s limit lifted, group limit as is (alerts via outbox)")
    with tempfile.TemporaryDirectory(prefix="sipoa-throughput-") as tmp:
        root = Path(tmp)
        # The three bots start together (their start-up is not measured) and wait, idle, long-polling,
        # while another is measured; each stops once measured.
        runs = [Run("sipoa run, screening on (default)", root / "on", n, screening=True),
                Run("sipoa run, screening off", root / "off", n, screening=False),
                Run("minimal PTB bot (1 sendMessage/update)", root / "minimal", n, screening=None)]
        try:
            for run in runs:
                await run.start()
            on = await runs[0].measure()
            await runs[0].stop()
            off = await runs[1].measure()
            await runs[1].stop()
            minimal = await runs[2].measure(on["streams"])
        finally:
            for run in runs:
                await run.stop()
        rows = []
        for r in (on, off, minimal):
            ratio = r["rate"] / minimal["rate"]
            rows.append([r["label"], r["updates"], f"{r['seconds']:.1f}", f"{r['rate']:.1f}",
                         f"{ratio:.2f}", f"{r['p50'] * 1000:.0f}", f"{r['p99'] * 1000:.0f}",
                         f"{r['calls']:.2f}", f"{r['cpu_bot'] * 100:.0f}%", f"{r['cpu_self'] * 100:.0f}%",
                         r["429"], r["errors"], r["decisions"] or "-"])
        print()
        print(table(["bot", "updates", "s", "updates/s", "vs minimal", "answer p50 ms", "p99 ms",
                     "API calls/update", "bot CPU", "fake+residents CPU", "429s", "error replies",
                     "reports by decision"], rows))
        print(f"goal: sipoa / minimal >= 0.8 -> screening on {on['rate'] / minimal['rate']:.2f}, "
              f"off {off['rate'] / minimal['rate']:.2f}")
        if args.profile:
            suffix = ".pyisession" if pyinstrument_available() and not args.cprofile else ".prof"
            prof = root / f"profile{suffix}"
            prof_run = await run_one("sipoa run, screening on, profiled", root / "prof", n, screening=True,
                                     profile_to=prof)
            print(f"\nprofiled run (not in the table): {prof_run['rate']:.1f} updates/s under the profiler")
            show_profile(prof)
    return 0


def serve_minimal(base_url: str, base_file_url: str) -> None:
    """The reference: PTB with nothing of ours but the same per-chat concurrency processor."""
    from telegram import Update
    from telegram.ext import ApplicationBuilder, CallbackQueryHandler, MessageHandler, filters

    from bot.updates import PerChatUpdateProcessor

    async def answer(update: Update, context) -> None:
        await context.bot.send_message(update.effective_chat.id, "ok")

    app = (ApplicationBuilder().token(TOKEN).base_url(base_url).base_file_url(base_file_url)
           .concurrent_updates(PerChatUpdateProcessor(64)).build())
    app.add_handler(MessageHandler(filters.ALL, answer))
    app.add_handler(CallbackQueryHandler(answer))
    app.run_polling(allowed_updates=Update.ALL_TYPES, timeout=10, stop_signals=(signal.SIGINT, signal.SIGTERM))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--residents", type=int, default=0, help="simulated residents (default 200, quick 30)")
    parser.add_argument("--quick", action="store_true", help="30 residents (about 30 s)")
    parser.add_argument("--profile", action="store_true", help="add a profiled run and print where time goes")
    parser.add_argument("--cprofile", action="store_true", help="profile with cProfile even if pyinstrument is there")
    parser.add_argument("--serve-minimal", nargs=2, metavar=("BASE_URL", "BASE_FILE_URL"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve_minimal:
        serve_minimal(*args.serve_minimal)
        return 0
    return asyncio.run(main_async(args))


if __name__ == "__main__":
    sys.exit(main())
