"""Peak memory with 10,000 open drafts: the real application handling the updates that leave 10,000
residents mid-report, at every step of the conversation.

    python bench/drafts_rss.py [--drafts 10000] [--quick]

The application is built by build_application(config) as `sipoa run` builds it (production defaults,
SQLite file, the background dispatcher and the chart warm-up started, PTB's job queue and per-chat
concurrent update processing running), in this process, talking to the fake Bot API through its
in-process transport (FakeRequest: no sockets). Updates go through PTB's update queue, 64 residents
at a time; each resident stops at one of the five steps (category 60 %, location, description,
photos and review 10 % each). The fake keeps nothing of a resident once that resident is done
(no call log, no chat history) and its flood limits are off, so what grows is the bot.

Reported: VmRSS before (application started, matplotlib loaded) and after (10,000 drafts open,
gc.collect()), the peak (VmHWM and ru_maxrss), bytes per draft, and what the bot keeps in memory per
resident (PTB's user_data/chat_data, the per-chat locks). Goal: peak ≤ 150 MB.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import itertools
import resource
import sqlite3
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from residents import (  # noqa: E402
    FIRST_RESIDENT,
    GROUP_ID,
    LABELS,
    OFFICER_ID,
    SUPERVISOR_ID,
    TOKEN,
    BenchFake,
    Resident,
    add_people,
    description,
    machine,
    spread_points,
    table,
)

CONCURRENT = 64
STEPS = ("category", "location", "description", "photos", "review")
# Where residents stop: most leave at the first question (a draft costs the bot no memory of its own,
# only the time of the updates that made it, so the mix is weighted to keep the run short).
STOP_AT = ["category"] * 6 + ["location", "description", "photos", "review"]


def status_kb() -> dict[str, int]:
    """VmRSS and VmHWM (peak) of this process, in kB."""
    out = {}
    for line in Path("/proc/self/status").read_text().splitlines():
        key, _, value = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            out[key] = int(value.split()[0])
    return out


def maxrss_kb() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # kB on Linux


class InProcessResident(Resident):
    """A resident whose updates go straight into the application's update queue."""

    def __init__(self, fake: BenchFake, user_id: int, app: Any):
        super().__init__(fake, user_id, timeout=120)
        self.app = app

    async def send(self, kind: str, value: Any, on: dict | None = None) -> dict:
        from telegram import Update

        update = await super().send(kind, value, on)
        self.fake.confirm_updates(update["update_id"])  # delivered here, not through getUpdates
        await self.app.update_queue.put(Update.de_json(update, self.app.bot))
        return update

    async def up_to(self, stop: str, point: tuple[float, float], text: str) -> None:
        """Walk the conversation and stop at `stop` (the step whose question is open)."""
        _, menu = await self.step("text", "/start", match=self._has(button=LABELS["category"]))
        if stop == "category":
            return
        await self.step("press", self.button(menu, LABELS["category"]), menu, self._has(text=LABELS["location"]))
        if stop == "location":
            return
        await self.step("location", point, match=self._has(text=LABELS["description"]))
        if stop == "description":
            return
        _, prompt = await self.step("text", text, match=self._has(button=LABELS["skip"]))
        if stop == "photos":
            return
        await self.step("press", self.button(prompt, LABELS["skip"]), prompt, self._has(button=LABELS["submit"]))


class LeanFake(BenchFake):
    """Forgets a finished resident entirely: the fake's memory must not be what is measured."""

    def forget_user(self, user_id: int) -> None:
        self.forget_chat(user_id)
        with self._lock:
            self.users.pop(user_id, None)
            self.chats.pop(user_id, None)
            self.failed_presses.pop(user_id, None)
            for query_id in [q for q, c in self._callbacks.items() if c.get("user_id") == user_id]:
                del self._callbacks[query_id]
            self.answered_callbacks.clear()


async def run(n: int, folder: Path) -> int:
    from bot.app import build_application, start_services, stop_services
    from bot.config import Config
    from bot.fakeapi import FakeRequest
    from bot.services import services_of

    # Flood windows never fill: every look at the clock is ten seconds later.
    ticks = itertools.count(start=1000.0, step=10.0)
    fake = LeanFake(keep_calls=False, clock=lambda: next(ticks))
    add_people(fake, [])
    config = Config.model_validate({
        "telegram": {"token": TOKEN},
        "officers": {"group_chat_id": GROUP_ID, "supervisor_ids": [SUPERVISOR_ID], "officer_ids": [OFFICER_ID]},
        "storage": {"url": f"sqlite+aiosqlite:///{folder / 'sipoa.db'}", "base_dir": str(folder)},
        # The bot's own pacing at Telegram's 30 messages a second (bot/retry.py) is lifted like the
        # fake's limits: memory is measured here, and 64 residents queueing on it starved some past
        # the residents' 60 s wait for an answer.
        "dispatcher": {"global_messages_per_second": 1_000_000},
    })
    app = build_application(config, request=FakeRequest(fake))
    await app.initialize()
    await start_services(app)  # post_init's work: schema, dispatcher, chart warm-up
    await app.start()
    services = services_of(app)
    warm = services.background.get("chart_warm_up")
    if warm is not None:
        await warm
    gc.collect()
    before = status_kb()
    # The application freezes its start-up objects (bot/app.py): they count, outside the collector.
    objects_before = len(gc.get_objects()) + gc.get_freeze_count()

    points = spread_points(min(n, 2000))
    errors = 0
    started = time.perf_counter()
    queue = iter(range(n))

    async def worker() -> None:
        # 64 workers taking residents one after another: no task per resident lingers in memory.
        nonlocal errors
        for i in queue:
            uid = FIRST_RESIDENT + i
            fake.add_user(uid, f"Warga{i:05d}", language_code="id")
            person = InProcessResident(fake, uid, app)
            await person.up_to(STOP_AT[i % len(STOP_AT)], points[i % len(points)], description(i))
            errors += person.errors
            fake.forget_user(uid)

    await asyncio.gather(*(worker() for _ in range(CONCURRENT)))
    elapsed = time.perf_counter() - started
    gc.collect()
    after = status_kb()
    objects_after = len(gc.get_objects()) + gc.get_freeze_count()
    kept = {
        "PTB user_data": len(app.user_data), "PTB chat_data": len(app.chat_data),
        "per-chat locks": len(getattr(app.update_processor, "_locks", {})),
    }
    await app.stop()
    await stop_services(app)
    await app.shutdown()

    conn = sqlite3.connect(folder / "sipoa.db")
    try:
        by_step = dict(conn.execute("SELECT step, COUNT(*) FROM draft WHERE status = 'active' GROUP BY step"))
        db_bytes = (folder / "sipoa.db").stat().st_size + sum(
            p.stat().st_size for p in folder.glob("sipoa.db-*"))
    finally:
        conn.close()
    open_drafts = sum(by_step.values())
    peak = max(after["VmHWM"], maxrss_kb())
    mb = lambda kb: f"{kb / 1024:.1f}"  # noqa: E731
    print()
    print(table(["measure", "value"], [
        ["open drafts (by step)", f"{open_drafts:,} ({', '.join(f'{k} {v}' for k, v in sorted(by_step.items()))})"],
        ["updates handled", f"{sum(1 + STEPS.index(STOP_AT[i % len(STOP_AT)]) for i in range(n)):,} in {elapsed:.0f} s"
                            f" ({errors} error replies)"],
        ["VmRSS before (app started, matplotlib loaded), MB", mb(before["VmRSS"])],
        ["VmRSS after (drafts open, gc.collect()), MB", mb(after["VmRSS"])],
        ["peak: VmHWM / ru_maxrss, MB", f"{mb(after['VmHWM'])} / {mb(maxrss_kb())}"],
        ["growth per open draft, bytes", f"{(after['VmRSS'] - before['VmRSS']) * 1024 / max(open_drafts, 1):,.0f}"],
        ["Python objects before -> after", f"{objects_before:,} -> {objects_after:,}"],
        ["kept in memory per resident", ", ".join(f"{k} {v}" for k, v in kept.items())],
        ["SQLite file (+WAL), MB", f"{db_bytes / 1024 / 1024:.1f}"],
    ]))
    print(f"goal: peak RSS <= 150 MB -> {peak / 1024:.1f} MB ({'met' if peak <= 150 * 1024 else 'not met'})")
    return 0 if open_drafts == n else 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--drafts", type=int, default=0, help="open drafts (default 10,000; quick 250)")
    parser.add_argument("--quick", action="store_true", help="250 drafts (about 30 s)")
    args = parser.parse_args()
    n = args.drafts or (250 if args.quick else 10_000)
    print(f"machine: {machine()}")
    print(f"{n:,} residents, {CONCURRENT} at a time, in process (FakeRequest), SQLite")
    with tempfile.TemporaryDirectory(prefix="sipoa-drafts-") as tmp:
        return asyncio.run(run(n, Path(tmp)))


if __name__ == "__main__":
    sys.exit(main())
