"""`sipoa demo`: the real application, scripted against the in-process fake Bot API.

No network, no token, a temporary SQLite file. The bot is built by `build_application` exactly as
`sipoa run` builds it; only the HTTP layer (FakeRequest) and time differ: a manual clock for the
rows and a virtual monotonic clock for the dispatcher's waits, so the group's rate limit and the
minutes between steps pass instantly. Updates go in through `app.process_update`, the outbox is sent
with the dispatcher's `drain()`, and every chat is printed at the end as a transcript.
"""

from __future__ import annotations

import asyncio
import logging
import re
import sys
import tempfile
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, TextIO

from telegram import Update

from bot.app import build_application, start_services, stop_services
from bot.clock import ManualClock
from bot.config import Config
from bot.demo_transcript import Transcript
from bot.fakeapi import FakeBotAPI, FakeRequest
from bot.services import services_of

GROUP_ID = -1001234567890
SUPERVISOR = 9_000_000_001
OFFICER = 7_000_000_001
BUDI = 5_000_000_001  # a resident writing in Indonesian
ALICE = 5_000_000_002  # a resident writing in English
OUTSIDER = 6_000_000_001  # a group member who is not an officer
# Inside Kota Tangerang, and a typed address for the second report.
CILEDUG = (-6.2297, 106.7108)
ADDRESS = "Jl. Daan Mogot No. 12, Batuceper, Kota Tangerang"
START = datetime(2026, 3, 2, 2, 0, tzinfo=timezone.utc)  # Monday 09:00 WIB


INTRO = """Sipoa demo: the real bot, talking to a fake Telegram in this process (no network, no token).
Two residents report, an officer handles the reports in the officers' group, a supervisor asks for
/stats. Times are simulated. Each chat below, in order; #N is a message id, ✎ an edit in place
(only the changed lines), · a button press, ↳ the short notice Telegram shows after a press.

"""


class VirtualTime:
    """Monotonic seconds for the dispatcher and the fake's rate limits; a sleep only moves them."""

    def __init__(self) -> None:
        self.value = 1000.0

    def __call__(self) -> float:
        return self.value

    async def sleep(self, seconds: float) -> None:
        self.value += max(0.0, seconds)


def demo_config(folder: Path) -> Config:
    return Config.model_validate(
        {
            "telegram": {"token": "123456:TEST-TOKEN-not-real"},
            # Officers are listed, so that a group member who is not one can be refused.
            "officers": {"group_chat_id": GROUP_ID, "supervisor_ids": [SUPERVISOR], "officer_ids": [OFFICER]},
            "storage": {"url": f"sqlite+aiosqlite:///{folder / 'demo.db'}", "base_dir": str(folder)},
        }
    )


def demo_fake(vtime: VirtualTime) -> FakeBotAPI:
    fake = FakeBotAPI(clock=vtime)
    fake.add_user(SUPERVISOR, "Siti", username="siti_spv")
    fake.add_user(OFFICER, "Agus", username="agus_petugas")
    fake.add_user(BUDI, "Budi", username="budi_warga", language_code="id")
    fake.add_user(ALICE, "Alice", username="alice_en", language_code="en")
    fake.add_user(OUTSIDER, "Rudi", language_code="id")
    fake.add_group(GROUP_ID, "Petugas Imigrasi Tangerang", members=[SUPERVISOR, OFFICER, OUTSIDER])
    return fake


class Demo:
    """The script's verbs: people act, the bot answers, the transcript writes it down."""

    # A person takes a few seconds to read, type or tap: both clocks move on by this much per act,
    # so the bot sees a human pace (per-chat send limits, "too fast to be typed" screening).
    HUMAN_PACE_SECONDS = 15

    def __init__(
        self, app: Any, fake: FakeBotAPI, clock: ManualClock, vtime: VirtualTime, transcript: Transcript
    ):
        self.app, self.fake, self.clock, self.vtime, self.transcript = app, fake, clock, vtime, transcript
        self.errors: list[BaseException] = []

    async def feed(self, update: dict, *, press_chat: int | None = None) -> None:
        self.later(seconds=self.HUMAN_PACE_SECONDS)
        await self.app.process_update(Update.de_json(update, self.app.bot))
        self.transcript.sync(press_chat)
        if self.errors:
            raise RuntimeError(f"the bot failed: {self.errors[0]!r}") from self.errors[0]

    async def say(self, user: int, text: str, *, chat: int | None = None) -> None:
        await self.feed(self.fake.user_text(user, text, chat_id=chat))

    async def location(self, user: int, lat: float, lon: float) -> None:
        await self.feed(self.fake.user_location(user, lat, lon, horizontal_accuracy=12))

    async def photo(self, user: int, caption: str | None = None) -> None:
        await self.feed(self.fake.user_photo(user, caption=caption))

    async def press(self, user: int, chat: int, label: str, *, message: dict | None = None) -> dict:
        """Tap the newest button in the chat whose label contains `label` (case-insensitive)."""
        candidates = [message] if message is not None else reversed(self.fake.bot_messages(chat))
        for msg in candidates:
            for row in self.fake.buttons(msg):
                for text, data in row:
                    if data and label.lower() in text.lower():
                        name = self.fake.users[user]["first_name"]
                        self.transcript.press(chat, name, text)
                        update = self.fake.user_press(user, chat, msg["message_id"], data)
                        await self.feed(update, press_chat=chat)
                        return msg
        raise RuntimeError(f"no button {label!r} in chat {chat}")

    async def drain(self) -> int:
        """Let the dispatcher send everything queued (alerts, notifications), as it would in time."""
        sent = await services_of(self.app).background["dispatcher"].drain()
        self.transcript.sync()
        return sent

    def later(self, **delta: float) -> None:
        before = self.clock()
        self.vtime.value += (self.clock.advance(**delta) - before).total_seconds()

    def alert_for(self, number: str) -> dict:
        for msg in self.fake.bot_messages(GROUP_ID):
            if number in (msg.get("plain_text") or ""):
                return msg
        raise RuntimeError(f"no alert for {number} in the group")

    def report_number(self, user: int) -> str:
        for msg in reversed(self.fake.bot_messages(user)):
            found = re.search(r"\b[A-Z]{2,6}-\d{4}-\d{6}\b", msg.get("plain_text") or "")
            if found:
                return found.group(0)
        raise RuntimeError(f"no report number was given to {user}")


async def script(d: Demo) -> None:
    # Budi (Indonesian) reports an overstayer, with his GPS location and a photo.
    await d.say(BUDI, "/start")
    await d.press(BUDI, BUDI, "overstay")
    await d.location(BUDI, *CILEDUG)
    d.later(minutes=1)
    await d.say(BUDI, "Dua orang WNA tinggal di rumah kos sejak Januari, paspor sudah habis kata pemiliknya.")
    await d.photo(BUDI)
    await d.press(BUDI, BUDI, "Selesai")
    await d.press(BUDI, BUDI, "Kirim")
    budi_report = d.report_number(BUDI)
    await d.drain()

    # Alice (English) reports illegal work at a typed address, without photos.
    d.later(minutes=2)
    await d.say(ALICE, "/start")
    await d.press(ALICE, ALICE, "Working without")
    await d.say(ALICE, ADDRESS)
    await d.say(ALICE, "A foreign man has been working at the motorbike workshop every day this week.")
    await d.press(ALICE, ALICE, "Skip")
    await d.press(ALICE, ALICE, "Submit")
    alice_report = d.report_number(ALICE)
    await d.drain()

    # Someone in the group who is not an officer tries to take Budi's report: refused.
    await d.press(OUTSIDER, GROUP_ID, "Tangani", message=d.alert_for(budi_report))
    # The officer takes Budi's report four minutes after it arrived, and resolves it an hour later.
    d.later(minutes=4)
    await d.press(OFFICER, GROUP_ID, "Tangani", message=d.alert_for(budi_report))
    await d.drain()
    d.later(hours=1, minutes=8)
    await d.press(OFFICER, GROUP_ID, "Selesai", message=d.alert_for(budi_report))
    await d.drain()
    # Alice's report is taken, checked and marked false.
    await d.press(OFFICER, GROUP_ID, "Tangani", message=d.alert_for(alice_report))
    await d.drain()
    d.later(minutes=20)
    await d.press(OFFICER, GROUP_ID, "Palsu", message=d.alert_for(alice_report))
    await d.drain()

    # The supervisor asks for the figures; Budi looks at his reports.
    await d.say(SUPERVISOR, "/stats")
    await d.say(BUDI, "/laporanku")
    await d.drain()


async def play(out: TextIO) -> int:
    vtime = VirtualTime()
    clock = ManualClock(START)
    fake = demo_fake(vtime)
    with tempfile.TemporaryDirectory(prefix="sipoa-demo-") as folder:
        config = demo_config(Path(folder))
        app = build_application(config, request=FakeRequest(fake), clock=clock, run_background=False)
        services = services_of(app)
        services.background["monotonic"] = vtime
        services.background["sleep"] = vtime.sleep
        transcript = Transcript(fake)
        transcript.name(BUDI, "Budi — resident, Bahasa Indonesia (private chat)")
        transcript.name(ALICE, "Alice — resident, English (private chat)")
        transcript.name(GROUP_ID, "Petugas Imigrasi Tangerang — officers' group")
        transcript.name(SUPERVISOR, "Siti — supervisor (private chat)")
        demo = Demo(app, fake, clock, vtime, transcript)

        async def record(update: object, context: Any) -> None:
            demo.errors.append(context.error)

        app.add_error_handler(record)
        await app.initialize()
        await start_services(app)
        try:
            await script(demo)
        except Exception:  # noqa: BLE001 — show how far the story got, then why it stopped
            out.write(transcript.render())
            logging.getLogger("sipoa.demo").exception("the demo stopped before its end")
            return 1
        finally:
            await stop_services(app)
            await app.shutdown()
    out.write(INTRO)
    out.write(transcript.render())
    refused = len([c for c in fake.rejected])
    out.write(f"\n(demo: {len(fake.calls)} Bot API calls, {refused} refused by the fake; no network used)\n")
    return 0


def run_demo(out: TextIO | None = None) -> int:
    # The handlers' own log lines would interleave with the transcript; warnings still show.
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    logging.getLogger("httpx").setLevel(logging.WARNING)
    return asyncio.run(play(out or sys.stdout))
