"""What the /stats and /export benchmarks share: a generated database and the real application on it,
talking to the in-process fake Bot API (no network), driven the way the harness drives it."""

from __future__ import annotations

import asyncio
import sys
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from telegram import Update  # noqa: E402

from bot.app import build_application, start_services, stop_services  # noqa: E402
from bot.charts import warm_up  # noqa: E402
from bot.clock import ManualClock  # noqa: E402
from bot.config import Config  # noqa: E402
from bot.fakeapi import FakeBotAPI, FakeRequest  # noqa: E402
from bot.services import services_of  # noqa: E402
from generate import NOW  # noqa: E402

GROUP_ID = -1001234567890
SUPERVISOR_ID = 9_000_000_001


class VirtualTime:
    """The fake's flood limits and the retry waits on a virtual clock: nothing here sleeps."""

    def __init__(self) -> None:
        self.value = 1000.0

    def __call__(self) -> float:
        return self.value

    async def sleep(self, seconds: float) -> None:
        self.value += max(0.0, seconds)


class Office:
    """The bot on a database file, as `sipoa run` builds it, minus the network."""

    def __init__(self, db_path: Path):
        vtime = VirtualTime()
        self.vtime = vtime
        self.fake = FakeBotAPI(clock=vtime)
        self.fake.add_user(SUPERVISOR_ID, "Siti", username="siti_spv")
        self.fake.add_group(GROUP_ID, "Petugas Imigrasi Tangerang", members=[SUPERVISOR_ID])
        config = Config.model_validate({
            "telegram": {"token": "123456:TEST-TOKEN-not-real"},
            "officers": {"group_chat_id": GROUP_ID, "supervisor_ids": [SUPERVISOR_ID]},
            "storage": {"url": f"sqlite+aiosqlite:///{db_path}", "base_dir": str(db_path.parent)},
        })
        self.app = build_application(config, request=FakeRequest(self.fake), clock=ManualClock(NOW),
                                     run_background=False)
        self.errors: list[BaseException] = []

        async def record(update: object, context: Any) -> None:
            self.errors.append(context.error)

        self.app.add_error_handler(record)
        services_of(self.app).background.update(monotonic=vtime, sleep=vtime.sleep)

    async def __aenter__(self) -> "Office":
        await self.app.initialize()
        await start_services(self.app)
        # What start_services does in `sipoa run` (run_background=True) but not here: load matplotlib.
        await asyncio.to_thread(warm_up)
        return self

    async def __aexit__(self, *exc: object) -> None:
        await stop_services(self.app)
        await self.app.shutdown()

    async def command(self, text: str) -> float:
        """Seconds from the update's arrival to the handler's last answer sent."""
        self.vtime.value += 60  # a minute apart: the private chat's flood limit never waits
        update = Update.de_json(self.fake.user_text(SUPERVISOR_ID, text), self.app.bot)
        started = time.perf_counter()
        await self.app.process_update(update)
        elapsed = time.perf_counter() - started
        if self.errors:
            raise RuntimeError(f"{text!r} failed: {self.errors[0]!r}") from self.errors[0]
        return elapsed


async def timed(call: Callable[[], Awaitable[Any]]) -> tuple[float, Any]:
    started = time.perf_counter()
    result = await call()
    return time.perf_counter() - started, result
