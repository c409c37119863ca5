"""Item 4: random sequences of updates of every kind, at every step of every flow (residents'
drafts, officers' buttons, supervisors' commands and review), through the real application.

Each example is a fresh fake Bot API and a fresh application on an emptied database; its events are
a mix of "do the right next thing" (so drafts reach the review, reports reach the group, officers
and supervisors act on them) and everything else: any text, commands of every audience, photos,
albums, images and other files, stickers, voice, video, contacts, polls, dice, locations in and out
of the area, live and forwarded, venues, edited messages, presses of current, stale, random and
forged buttons, messages in the officers' group and in channels, messages from bots, the bot added
to a foreign group, residents blocking it, updates delivered twice, hours passing.

Invariants, checked after every event:
- no handler raises (the harness fails on any error that reaches the error handlers);
- every message a person sends in a private chat gets an answer: one message, or two when the
  answer is in two parts (the welcome before the first question; a notice, then a question with
  a keyboard the notice could not carry; "language set", then the question again in it) — /export
  answers with its files. Exceptions, by design: an album part (the album is answered once, when
  it has settled), an edited message (a live location moving, a text corrected: never an answer),
  a message delivered a second time (answered the first time), and anything from a bot;
- every button press is answered exactly once (no spinner left turning), wherever it was pressed;
- nothing is sent that Telegram refuses: the fake's rejections are only 429s (waited out), "message
  is not modified" (an edit that was already made), "bot was blocked by the user" (a notification to
  someone who blocked the bot since: it cannot know before trying) and, for an update delivered
  twice, the refused second answer to its press;
and after the example: the database is consistent (tests/reliability/support.consistency_problems).
"""

from __future__ import annotations

import asyncio
import copy
import os
import random
from collections import Counter
from datetime import datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from sqlalchemy import text
from sqlmodel import SQLModel

from bot.app import build_application, start_services, stop_services
from bot.callbacks import Action, InvalidCallback, encode, parse
from bot.clock import ManualClock
from bot.fakeapi import FakeBotAPI, FakeRequest
from bot.jobs import expire_drafts
from bot.services import services_of
from tests.conftest import (
    GROUP_ID,
    IN_AREA,
    OFFICER2_ID,
    OFFICER_ID,
    OUT_OF_AREA,
    OUTSIDER_ID,
    RESIDENT2_ID,
    RESIDENT_ID,
    SUPERVISOR_ID,
    Harness,
    VirtualTime,
    make_config,
)
from tests.reliability.scenarios import jpeg
from tests.reliability.support import consistency_problems, description_for, settle

pytestmark = pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")

EXAMPLES = int(os.environ.get("SIPOA_FUZZ_EXAMPLES", "90"))
BOT_USER = 4_000_000_001
FOREIGN_GROUP = -100_555_000
CHANNEL = -100_666_000
PRIVATE = [RESIDENT_ID, RESIDENT2_ID, OUTSIDER_ID, OFFICER_ID, SUPERVISOR_ID]
IN_GROUP = [OFFICER_ID, OFFICER2_ID, SUPERVISOR_ID, OUTSIDER_ID, RESIDENT_ID]
COMMANDS = [
    "/start", "/start@sipoa_test_bot", "/start extra", "/cancel", "/batal", "/bahasa", "/bahasa en", "/language id",
    "/bahasa klingon", "/myreports", "/laporanku", "/laporanku TNG-2026-000001", "/stats", "/review", "/export",
    "/export 7d", "/export nonsense", "/duty", "/duty on", "/duty off", "/restrict TNG-2026-000001 spam",
    "/unrestrict TNG-2026-000001", "/help", "/", "/start@other_bot",
]
WORDS = ["lewati", "selesai", "Skip", "done", "Lainnya", "overstay", "Bekerja tanpa izin", "ya", "",
         "Jl. Melati No. 5, Ciledug, Kota Tangerang", "<b>x</b> & <script>alert(1)</script>", "‮\u200b\u200d", "😀" * 30]
MEDIA = ["photo", "photo_tiny", "photo_fwd", "document_image", "document_pdf", "document_huge", "sticker", "voice",
         "video", "contact", "contact_own", "poll", "dice", "venue", "location_in", "location_out", "location_live",
         "location_fwd", "location_bad"]

texts = st.one_of(
    st.text(max_size=80),
    st.sampled_from(COMMANDS),
    st.sampled_from(WORDS),
    st.builds(description_for, st.integers(0, 10_000)),
    st.builds(lambda n, c: c * n, st.sampled_from([1000, 2001, 4096]), st.sampled_from(["a", "é", "😀", "<"])),
)
others = st.one_of(
    st.tuples(st.just("text"), st.sampled_from(PRIVATE), texts),
    st.tuples(st.just("media"), st.sampled_from(PRIVATE), st.sampled_from(MEDIA)),
    st.tuples(st.just("album"), st.sampled_from(PRIVATE), st.integers(2, 7), st.booleans()),
    st.tuples(st.just("edit"), st.sampled_from(PRIVATE), texts),
    st.tuples(st.just("press"), st.sampled_from(PRIVATE), st.sampled_from(["latest", "stale", "random", "forged"])),
    st.tuples(st.just("group"), st.sampled_from(IN_GROUP), st.sampled_from(["forged", "text", "command", "sticker"])),
    st.tuples(st.just("elsewhere"), st.sampled_from(["channel", "bot", "bot_in_group", "foreign", "foreign_press"])),
    st.tuples(st.just("block"), st.sampled_from([RESIDENT_ID, RESIDENT2_ID])),
    st.tuples(st.just("redeliver"),),
    st.tuples(st.just("drain"),),
    st.tuples(st.just("time"), st.sampled_from([1, 10, 31, 24 * 60])),
)
FLOW_USERS = [RESIDENT_ID, RESIDENT2_ID, RESIDENT_ID, RESIDENT2_ID, OFFICER_ID, SUPERVISOR_ID, OUTSIDER_ID]
GROUP_PRESSERS = [OFFICER_ID, OFFICER_ID, OFFICER2_ID, SUPERVISOR_ID, OUTSIDER_ID]


def _pick(dice: int, other: tuple) -> tuple:
    """Half the events do the right next thing for someone (so drafts reach the review, reports the
    group and its buttons, held reports the review queue), a sixth press an alert's button in the
    group; the rest is everything else."""
    if dice < 50:
        return ("flow", FLOW_USERS[dice % len(FLOW_USERS)])
    if dice < 67:
        return ("officer", GROUP_PRESSERS[dice % len(GROUP_PRESSERS)])
    return other


events = st.builds(_pick, st.integers(0, 99), others)

# Answers allowed per private message: (fewest, most) bot messages.
DEFAULT_ANSWER = (1, 2)
FILE_ANSWER = (1, 6)
# An edit that was already made; a message to someone who blocked the bot (it cannot know until it
# tries: the outbox row is marked failed, never retried).
ALLOWED_REJECTIONS = ("message is not modified", "bot was blocked by the user")
stats: Counter = Counter()


async def wipe(db) -> None:
    """Empty every table (ids start again on SQLite, where stale ids would otherwise differ)."""
    async with db.engine.begin() as conn:
        for table in reversed(SQLModel.metadata.sorted_tables):
            await conn.execute(table.delete())
        if db.is_sqlite:
            exists = (await conn.execute(text("SELECT name FROM sqlite_master WHERE name='sqlite_sequence'"))).first()
            if exists:
                await conn.execute(text("DELETE FROM sqlite_sequence"))


def new_fake(vtime: VirtualTime) -> FakeBotAPI:
    fake = FakeBotAPI(clock=vtime)
    fake.add_user(SUPERVISOR_ID, "Siti", username="siti_spv")
    fake.add_user(OFFICER_ID, "Agus", username="agus_petugas")
    fake.add_user(OFFICER2_ID, "Bayu")
    fake.add_user(RESIDENT_ID, "Budi", username="budi_warga", language_code="id")
    fake.add_user(RESIDENT2_ID, "Alice", username="alice_en", language_code="en")
    fake.add_user(OUTSIDER_ID, "Orang", username="orang_luar", language_code=None)
    fake.add_user(BOT_USER, "OtherBot", username="other_bot", is_bot=True)
    fake.add_group(GROUP_ID, "Petugas Imigrasi Tangerang", members=[SUPERVISOR_ID, OFFICER_ID, OFFICER2_ID])
    return fake


class Example:
    def __init__(self, h: Harness, rng: random.Random):
        self.h, self.fake, self.rng = h, h.fake, rng
        self.blocked: set[int] = set()
        self.fed: list[dict] = []
        self.rejected_seen = 0
        self.picture = jpeg()

    # -- feeding --

    async def feed(self, update: dict, *, redelivery: bool = False) -> None:
        self.h.vtime.value += 2
        self.h.clock.advance(seconds=7)
        if not redelivery:
            self.fed.append(copy.deepcopy(update))
        await self.h.feed(update)
        stats["updates"] += 1
        self.check_rejections(redelivery=redelivery)

    async def private(self, user: int, make, *, answer=DEFAULT_ANSWER) -> None:
        """A message in a private chat: answered once (in one or two parts)."""
        if user in self.blocked:
            return  # Telegram does not let someone who blocked the bot write to it
        before = len(self.fake.bot_messages(user))
        update = make()
        await self.feed(update)
        got = len(self.fake.bot_messages(user)) - before
        low, high = (0, 0) if user == BOT_USER else answer
        assert low <= got <= high, f"{got} answers to {_describe(update)}"

    async def press(self, user: int, chat: int, message: dict, data: str) -> None:
        before = len(self.fake.answered_callbacks)
        await self.feed(self.fake.user_press(user, chat, message["message_id"], data))
        answered = len(self.fake.answered_callbacks) - before
        assert answered == 1, f"press {data!r} by {user} in {chat} answered {answered} times"

    def check_rejections(self, *, redelivery: bool) -> None:
        new = self.fake.rejected[self.rejected_seen:]
        self.rejected_seen += len(new)
        for call in new:
            error = (call.error or "").lower()
            if call.status == 429 or any(r in error for r in ALLOWED_REJECTIONS):
                stats[f"handled rejection: {call.status}"] += 1
                continue
            if redelivery and call.method == "answerCallbackQuery" and "query is too old" in error:
                continue
            if redelivery and call.method == "leaveChat" and "not a member" in error:
                continue  # "added to a foreign group" delivered twice: it left the first time
            raise AssertionError(f"Telegram refused {call.method}: {call.error} ({call.params})")

    # -- events --

    async def run(self, event: tuple) -> None:
        kind = event[0]
        stats[kind] += 1
        await getattr(self, f"on_{kind}")(*event[1:])

    async def on_flow(self, user: int) -> None:
        """The right next thing for this person, read from the bot's last message to them."""
        if user in self.blocked:
            return
        msg = self.fake.last_bot_message(user)
        buttons = [(label, data) for row in self.fake.buttons(msg) for label, data in row] if msg else []
        actions = {_action(d): d for _, d in buttons}
        text_ = (msg or {}).get("plain_text") or ""
        for wanted in (Action.RESUME, Action.CATEGORY, Action.SUBMIT, Action.PHOTOS_DONE, Action.PHOTOS_SKIP,
                       Action.REVIEW_FORWARD, Action.REVIEW_REJECT, Action.REVIEW_REJECT_MENU):
            if wanted in actions:
                choices = [d for _, d in buttons if _action(d) is wanted]
                return await self.press(user, user, msg, self.rng.choice(choices))
        if "2/5" in text_:
            return await self.private(user, lambda: self.fake.user_location(user, *IN_AREA, horizontal_accuracy=10.0))
        if "3/5" in text_:
            return await self.private(user, lambda: self.fake.user_text(user, description_for(self.rng.randrange(9999))))
        if user == SUPERVISOR_ID and self.rng.random() < 0.5:
            return await self.private(user, lambda: self.fake.user_text(user, "/review"))
        await self.private(user, lambda: self.fake.user_text(user, "/start"))

    async def on_officer(self, user: int) -> None:
        """Someone in the group presses a button of an alert there (officer or not)."""
        alerts = [m for m in self.fake.bot_messages(GROUP_ID) if self.fake.buttons(m) and not m["deleted"]]
        if not alerts:
            return await self.on_drain()
        msg = self.rng.choice(alerts)
        data = self.rng.choice([d for row in self.fake.buttons(msg) for _, d in row])
        await self.press(user, GROUP_ID, msg, data)

    async def on_text(self, user: int, value: str) -> None:
        answer = FILE_ANSWER if value.startswith("/export") else DEFAULT_ANSWER
        await self.private(user, lambda: self.fake.user_text(user, value), answer=answer)

    async def on_media(self, user: int, kind: str) -> None:
        f = self.fake
        makers = {
            "photo": lambda: f.user_photo(user, caption=self.rng.choice([None, "foto", "<b>" * 50])),
            "photo_tiny": lambda: f.user_photo(user, width=1, height=1),
            "photo_fwd": lambda: f.user_photo(user, forwarded=True),
            "document_image": lambda: f.user_document(user, file_name="a.jpg", mime_type="image/jpeg",
                                                      content=self.picture),
            "document_pdf": lambda: f.user_document(user, file_name="a.pdf", mime_type="application/pdf",
                                                    content=b"%PDF-1.4"),
            "document_huge": lambda: f.user_document(user, file_name="b.jpg", mime_type="image/jpeg",
                                                     content=self.picture, file_size=25 * 1024 * 1024),
            "sticker": lambda: f.user_sticker(user),
            "voice": lambda: f.user_voice(user),
            "video": lambda: f.user_video(user),
            "contact": lambda: f.user_contact(user, "+6281234567890"),
            "contact_own": lambda: f.user_contact(user, "+6281234567891", contact_user_id=user),
            "poll": lambda: f.user_poll(user),
            "dice": lambda: f.user_dice(user),
            "venue": lambda: f.user_venue(user, *IN_AREA, "Warung", "Jl. Melati 5"),
            "location_in": lambda: f.user_location(user, *IN_AREA, horizontal_accuracy=20.0),
            "location_out": lambda: f.user_location(user, *OUT_OF_AREA),
            "location_live": lambda: f.user_location(user, *IN_AREA, live_period=900),
            "location_fwd": lambda: f.user_location(user, *IN_AREA, forwarded=True),
            "location_bad": lambda: f.user_location(user, 0.0, 0.0),
        }
        await self.private(user, makers[kind])

    async def on_album(self, user: int, parts: int, images_as_files: bool) -> None:
        if user in self.blocked:
            return
        group = f"ALB{self.rng.randrange(10**9)}"
        before = len(self.fake.bot_messages(user))
        for _ in range(parts):
            if images_as_files:
                update = self.fake.user_document(user, file_name="x.jpg", mime_type="image/jpeg", content=self.picture,
                                                 media_group_id=group, caption=self.rng.choice([None, "album"]))
            else:
                update = self.fake.user_photo(user, media_group_id=group, caption=self.rng.choice([None, "album"]))
            await self.feed(update)
        # The parts were stored as they came; the one answer comes when the album has settled.
        await self.settle_albums()
        got = len(self.fake.bot_messages(user)) - before
        assert got <= 2, f"an album of {parts} answered {got} times"

    async def settle_albums(self) -> None:
        queue = self.h.app.job_queue
        for job in list(queue.jobs()):
            if job.name and job.name.startswith("album:") and not job.removed:
                await job.run(self.h.app)
                job.schedule_removal()

    async def on_edit(self, user: int, value: str) -> None:
        """An edited message: a live location moving, or a text corrected. Never answered."""
        if user in self.blocked:
            return
        own = [m for m in self.fake.messages(user) if not m["from_bot"] and not m["deleted"]]
        if not own:
            return
        target = self.rng.choice(own)
        before = len(self.fake.bot_messages(user))
        if "location" in target:
            update = self.fake.user_edit_location(user, target["message_id"], *IN_AREA)
        else:
            edited = {k: v for k, v in target.items()
                      if k in ("message_id", "from", "chat", "date", "text", "caption", "photo", "document")}
            edited.update(edit_date=edited["date"] + 5)
            edited["text" if "text" in edited else "caption"] = value or "x"
            update = self.fake.push_update({"edited_message": edited})
        await self.feed(update)
        assert len(self.fake.bot_messages(user)) == before, "an edited message was answered"

    async def on_press(self, user: int, how: str) -> None:
        if user in self.blocked:
            return
        mine = [m for m in self.fake.bot_messages(user) if not m["deleted"]]
        if not mine:
            return await self.on_flow(user)
        with_buttons = [m for m in mine if self.fake.buttons(m)]
        if how == "latest" and with_buttons:
            msg = with_buttons[-1]
            data = self.rng.choice([d for row in self.fake.buttons(msg) for _, d in row])
        elif how == "stale" and with_buttons:
            msg = self.rng.choice(with_buttons)
            data = self.rng.choice([d for row in self.fake.buttons(msg) for _, d in row])
        elif how == "random":
            msg = self.rng.choice(mine)
            data = "".join(self.rng.choice("0123456789:abcdefrstvxpl") for _ in range(self.rng.randrange(0, 70)))
        else:
            msg = self.rng.choice(mine)
            action = self.rng.choice(list(Action))
            value = {"c": "overstay", "es": self.rng.choice(["description", "review", "zz"]), "l": "en",
                     "rj": "false"}.get(action.value)
            data = encode(action, self.rng.randrange(0, 12), value)
        await self.press(user, user, msg, data)

    async def on_group(self, user: int, how: str) -> None:
        before = len(self.fake.bot_messages(GROUP_ID))
        if how == "forged":
            alerts = [m for m in self.fake.bot_messages(GROUP_ID) if not m["deleted"]]
            if not alerts:
                return
            action = self.rng.choice([Action.TAKE, Action.RESOLVE, Action.FALSE_REPORT, Action.PHOTOS, Action.SUBMIT,
                                      Action.REVIEW_FORWARD])
            return await self.press(user, GROUP_ID, self.rng.choice(alerts), encode(action, self.rng.randrange(0, 9)))
        if how == "sticker":
            await self.feed(self.fake.user_sticker(user, chat_id=GROUP_ID))
        else:
            value = self.rng.choice(COMMANDS) if how == "command" else self.rng.choice(WORDS)
            await self.feed(self.fake.user_text(user, value, chat_id=GROUP_ID))
        # The group hears from the bot only through the outbox, or one line telling staff to ask in private.
        assert len(self.fake.bot_messages(GROUP_ID)) - before <= 1

    async def on_elsewhere(self, where: str) -> None:
        f = self.fake
        if where == "channel":
            post = {"message_id": self.rng.randrange(1, 10**6), "date": 1_780_000_000, "text": "/start",
                    "chat": {"id": CHANNEL, "type": "channel", "title": "Kanal"},
                    "sender_chat": {"id": CHANNEL, "type": "channel", "title": "Kanal"}}
            await self.feed(f.push_update({"channel_post": post}))
        elif where == "bot":
            await self.private(BOT_USER, lambda: f.user_text(BOT_USER, self.rng.choice(COMMANDS)))
        elif where == "bot_in_group":
            await self.feed(f.user_text(BOT_USER, self.rng.choice(COMMANDS), chat_id=GROUP_ID))
        elif where == "foreign":
            await self.feed(f.bot_added_to_group(FOREIGN_GROUP - self.rng.randrange(100), "Grup lain", OUTSIDER_ID))
        else:
            chat = FOREIGN_GROUP
            if chat not in f.chats:
                f.add_group(chat, "Grup lain", members=[OUTSIDER_ID])
            msg = f.user_text(OUTSIDER_ID, "/start", chat_id=chat)["message"]
            await self.press(OUTSIDER_ID, chat, msg, encode(Action.TAKE, 1))

    async def on_block(self, user: int) -> None:
        if user in self.blocked:
            self.blocked.discard(user)
            await self.feed(self.fake.unblock_bot(user))
        else:
            self.blocked.add(user)
            await self.feed(self.fake.block_bot(user))

    async def on_redeliver(self) -> None:
        """Telegram delivers an update again (the bot died before confirming it): no second effect."""
        if not self.fed:
            return
        update = copy.deepcopy(self.rng.choice(self.fed[-5:]))
        chat = _chat_of(update)
        if chat in self.blocked:
            return
        await self.feed(update, redelivery=True)

    async def on_drain(self) -> None:
        await self.settle_albums()
        await settle(self.h)
        self.check_rejections(redelivery=False)

    async def on_time(self, minutes: int) -> None:
        self.h.clock.advance(minutes=minutes)
        self.h.vtime.value += minutes * 60
        await expire_drafts(self.h.services)
        await self.on_drain()


async def depth(db) -> None:
    """How far the example got: reports made, and each status change (the figures say the flows were
    reached, not only their first step)."""
    from sqlmodel import select

    from storage.models import ReportEvent

    async with db.read() as s:
        for e in (await s.exec(select(ReportEvent))).all():
            stats[f"report {e.action}"] += 1


def _action(data: str | None) -> Action | None:
    try:
        return parse(data).action
    except InvalidCallback:
        return None


def _chat_of(update: dict) -> int | None:
    for value in update.values():
        if isinstance(value, dict):
            chat = value.get("chat") or (value.get("message") or {}).get("chat")
            if chat:
                return chat["id"]
    return None


def _describe(update: dict) -> str:
    kind = next(k for k in update if k != "update_id")
    body = update[kind]
    content = {k: v for k, v in body.items() if k not in ("from", "chat", "date", "message_id")}
    return f"{kind} {str(content)[:200]}"


async def run_example(folder: Path, database_url: str, events_: list[tuple], seed: int) -> None:
    vtime = VirtualTime()
    clock = ManualClock(datetime(2026, 3, 2, 2, 0, 0))
    fake = new_fake(vtime)
    config = make_config(folder, database_url=database_url, officers={"officer_ids": [OFFICER_ID, OFFICER2_ID]})
    app = build_application(config, request=FakeRequest(fake), clock=clock, run_background=False)
    h = Harness(app=app, fake=fake, clock=clock, vtime=vtime)

    async def record(update: object, context) -> None:
        h.errors.append(context.error)

    app.add_error_handler(record)
    services = services_of(app)
    services.background["monotonic"] = vtime
    services.background["sleep"] = vtime.sleep
    await app.initialize()
    await start_services(app)
    try:
        await wipe(services.db)
        example = Example(h, random.Random(seed))
        for event in events_:
            await example.run(event)
        await example.on_drain()
        assert await consistency_problems(services.db) == []
        await depth(services.db)
    finally:
        await stop_services(app)
        await app.shutdown()
    stats["examples"] += 1


@settings(max_examples=EXAMPLES, deadline=None, database=None, print_blob=True,
          phases=[p for p in Phase if p is not Phase.shrink or not os.environ.get("SIPOA_FUZZ_NO_SHRINK")],
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large])
@given(sequence=st.lists(events, min_size=20, max_size=60), seed=st.integers(0, 2**31))
def test_random_update_sequences_keep_every_invariant(tmp_path, database_url, sequence, seed):
    asyncio.run(run_example(tmp_path, database_url, sequence, seed))


def test_zz_fuzz_figures(record_property):
    """Runs after the fuzzing: the figures for the closing note (examples, updates, events by kind)."""
    print("\nfuzz: " + ", ".join(f"{k} {v}" for k, v in sorted(stats.items())))
    record_property("fuzz_examples", stats["examples"])
    assert stats["examples"] >= EXAMPLES or stats["examples"] == 0
