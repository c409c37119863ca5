"""Shared pieces of the reliability tests and of bench/faults.py: a resident who writes a whole
report through the in-process harness, officers pressing the alert's buttons, settling the outbox
on virtual time, and the checks that say nothing was lost, doubled or left inconsistent.

Accounting of what Telegram received is done from the fake's call log (`fake.calls`), not from
the bot's view: a send that Telegram performed but whose answer never reached the bot (an injected
timeout or connection reset *after* the effect, a "ghost") is told apart from an acknowledged one.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlmodel import SQLModel, select

from bot.callbacks import Action, InvalidCallback, parse
from storage.models import Draft, Outbox, OutboxStatus, Photo, Report, ReportEvent, ReportStatus

REPORT_NUMBER = re.compile(r"\b[A-Z]{2,6}-\d{4}-\d{6}\b")
ALERT_TITLE = re.compile(r"^🚨 Laporan (\S+)")
SEND_METHODS = frozenset({"sendMessage", "sendPhoto", "sendMediaGroup", "sendDocument"})
# Ambiguous faults: the request reached Telegram and took effect, the answer never reached the bot.
GHOST_FAULTS = frozenset({"timeout", "reset"})
# Spread across Kota Tangerang, Tangerang Selatan and Kabupaten Tangerang (all in the jurisdiction).
POINTS = [(-6.1783, 106.6319), (-6.2297, 106.7108), (-6.2, 106.65), (-6.17, 106.6), (-6.25, 106.68)]
WORDS = ("bengkel", "warung", "pabrik", "proyek", "toko", "gudang", "kos", "ruko", "kantor", "pasar",
         "restoran", "hotel", "salon", "bengkel las", "tambak", "kebun", "klinik", "sekolah")


def description_for(n: int) -> str:
    """A concrete description, different for every n (screening compares texts between residents)."""
    a, b, c = WORDS[n % len(WORDS)], WORDS[(n // len(WORDS)) % len(WORDS)], n * 7 % 97
    return (f"Warga asing nomor {n} bekerja di {a} dekat {b} blok {c} setiap hari sejak Januari, "
            f"sekitar {n % 5 + 2} orang tanpa izin kerja.")


def find_button(fake, chat_id: int, action: Action, *, value: str | None = None) -> tuple[dict, str] | None:
    """The newest bot message in the chat with a button of this action (and value): (message, data)."""
    for msg in reversed(fake.bot_messages(chat_id)):
        for row in fake.buttons(msg):
            for _, data in row:
                try:
                    parsed = parse(data)
                except InvalidCallback:
                    continue
                if parsed.action is action and (value is None or parsed.value == value):
                    return msg, data
    return None


async def step(h, update: dict, *, seconds: float = 5.0) -> None:
    """Feed one update a few (virtual) seconds after the previous one: people do not type at machine
    speed, and the fake's per-chat flood limit would otherwise answer 429 to the bot's replies."""
    h.vtime.value += seconds
    h.clock.advance(seconds=seconds)
    await h.feed(update)


@dataclass
class Resident:
    h: Any
    user_id: int
    numbers: list[str] = field(default_factory=list)

    def _need(self, action: Action, value: str | None = None) -> tuple[dict, str]:
        found = find_button(self.h.fake, self.user_id, action, value=value)
        assert found is not None, f"resident {self.user_id}: no {action.name} button among the bot's replies"
        return found

    async def press(self, action: Action, value: str | None = None) -> None:
        msg, data = self._need(action, value)
        await step(self.h, self.h.fake.user_press(self.user_id, self.user_id, msg["message_id"], data))

    async def report(self, *, point: tuple[float, float], description: str, category: str = "overstay",
                     photos: int = 0) -> str:
        """/start → category → location → description → photos or skip → Submit; returns the number."""
        fake = self.h.fake
        await step(self.h, fake.user_text(self.user_id, "/start"))
        await self.press(Action.CATEGORY, category)
        await step(self.h, fake.user_location(self.user_id, *point, horizontal_accuracy=15.0))
        await step(self.h, fake.user_text(self.user_id, description))
        for _ in range(photos):
            await step(self.h, fake.user_photo(self.user_id))
        await self.press(Action.PHOTOS_DONE if photos else Action.PHOTOS_SKIP)
        sent_before = len(fake.bot_messages(self.user_id))
        await self.press(Action.SUBMIT)
        confirmation = [m for m in fake.bot_messages(self.user_id)[sent_before:]
                        if REPORT_NUMBER.search(m.get("plain_text") or "")]
        assert confirmation, f"resident {self.user_id}: no confirmation after Submit"
        number = REPORT_NUMBER.search(confirmation[-1]["plain_text"]).group(0)
        self.numbers.append(number)
        return number


def alert_message(fake, group_id: int, number: str) -> dict | None:
    """The newest message in the group that is this report's alert."""
    for msg in reversed(fake.bot_messages(group_id)):
        found = ALERT_TITLE.match(msg.get("plain_text") or "")
        if found and found.group(1) == number:
            return msg
    return None


async def officer_press(h, officer_id: int, group_id: int, number: str, action: Action) -> str | None:
    """Press a button of the report's alert; returns the toast (None when the button is not there)."""
    msg = alert_message(h.fake, group_id, number)
    assert msg is not None, f"no alert for {number} in the group"
    data = next((d for row in h.fake.buttons(msg) for _, d in row if _action(d) is action), None)
    if data is None:
        return None
    before = len(h.fake.answered_callbacks)
    await step(h, h.fake.user_press(officer_id, group_id, msg["message_id"], data), seconds=2)
    answered = h.fake.answered_callbacks[before:]
    return answered[-1]["text"] if answered else None


def _action(data: str | None) -> Action | None:
    try:
        return parse(data).action
    except InvalidCallback:
        return None


async def settle(h, *, max_rounds: int = 200) -> int:
    """Run the dispatcher until the outbox holds nothing pending, moving both clocks past backoffs
    and flood waits (virtual time: minutes of retrying pass instantly). Returns the rounds needed."""
    cap = h.services.config.dispatcher.max_backoff_seconds
    for rounds in range(1, max_rounds + 1):
        await h.drain()
        async with h.services.db.read() as s:
            pending = (await s.exec(select(Outbox).where(Outbox.status == OutboxStatus.PENDING))).all()
        if not pending:
            return rounds
        wait = min(cap, max(1.0, max((o.next_attempt_at - h.now()).total_seconds() for o in pending)))
        h.clock.advance(seconds=wait + 1)
        h.vtime.value += wait + 1
    raise AssertionError(f"the outbox still holds pending rows after {max_rounds} rounds")


# --- what Telegram received ---------------------------------------------------------------------


def message_key(chat_id: int, msg: dict) -> tuple:
    """One logical message: its chat and its visible content (text, caption or the photo itself)."""
    photo = msg.get("photo") or []
    return (chat_id, msg.get("text") or msg.get("caption") or (photo[-1]["file_unique_id"] if photo else None))


@dataclass
class Deliveries:
    """Messages Telegram put into chats, acknowledged to the bot or not ("ghosts")."""

    acknowledged: Counter = field(default_factory=Counter)
    ghosts: Counter = field(default_factory=Counter)

    @classmethod
    def of(cls, fake) -> "Deliveries":
        out = cls()
        for call in list(fake.calls):
            if not call.ok or call.method not in SEND_METHODS:
                continue
            results = call.result if isinstance(call.result, list) else [call.result]
            target = out.ghosts if call.fault in GHOST_FAULTS else out.acknowledged
            for msg in results:
                target[message_key(msg["chat"]["id"], msg)] += 1
        return out

    def in_chat(self, chat_id: int) -> tuple[Counter, Counter]:
        return (Counter({k: v for k, v in self.acknowledged.items() if k[0] == chat_id}),
                Counter({k: v for k, v in self.ghosts.items() if k[0] == chat_id}))

    def doubled(self) -> list[tuple]:
        """Logical messages acknowledged more than once: the bot itself sent them twice (a bug)."""
        return [k for k, n in self.acknowledged.items() if n > 1]

    def duplicates(self) -> int:
        """Extra copies in chats, all from ghosts: sent again because the first answer was lost."""
        return sum(n for k, n in self.ghosts.items() if self.acknowledged[k]) + sum(
            n - 1 for k, n in self.ghosts.items() if not self.acknowledged[k] and n > 1)

    def count(self, key: tuple) -> int:
        return self.acknowledged[key] + self.ghosts[key]


def group_alerts(deliveries: Deliveries, group_id: int) -> dict[str, tuple[int, int]]:
    """Report number -> (acknowledged alert sends, ghost alert sends) in the group."""
    out: dict[str, list[int]] = {}
    for counter, index in ((deliveries.acknowledged, 0), (deliveries.ghosts, 1)):
        for (chat, text), n in counter.items():
            found = ALERT_TITLE.match(text or "") if chat == group_id and isinstance(text, str) else None
            if found:
                out.setdefault(found.group(1), [0, 0])[index] += n
    return {k: (v[0], v[1]) for k, v in out.items()}


def faults_by_kind(fake) -> Counter:
    """Injected faults that fired, by kind ("reset+" / "timeout+": after the effect)."""
    counts: Counter = Counter()
    for f in fake.faults_injected:
        kind = f["kind"]
        if kind in GHOST_FAULTS:
            kind += "+" if f["after_effect"] else "-"
        counts[kind] += 1
    return counts


# --- the database -------------------------------------------------------------------------------


async def consistency_problems(db) -> list[str]:
    """Everything that must hold between the tables, whatever happened before. Empty when sound."""
    async with db.read() as s:
        reports = list((await s.exec(select(Report))).all())
        events = list((await s.exec(select(ReportEvent).order_by(ReportEvent.at, ReportEvent.id))).all())
        rows = list((await s.exec(select(Outbox))).all())
        drafts = list((await s.exec(select(Draft))).all())
        photos = list((await s.exec(select(Photo))).all())
    problems: list[str] = []
    ids = {r.id for r in reports}
    created = Counter(e.report_id for e in events if e.action == "created")
    last_status: dict[int, str] = {}
    for e in events:
        if e.report_id not in ids:
            problems.append(f"event {e.id} names missing report {e.report_id}")
        if e.to_status:
            last_status[e.report_id] = e.to_status
    photo_counts = Counter(p.report_id for p in photos if p.report_id is not None)
    for r in reports:
        if created[r.id] != 1:
            problems.append(f"{r.number}: {created[r.id]} 'created' events")
        if last_status.get(r.id, ReportStatus.NEW) != r.status:
            problems.append(f"{r.number}: status {r.status} but the last event says {last_status.get(r.id)}")
        if r.status in (ReportStatus.TAKEN, *ReportStatus.CLOSED) and r.taken_by is None:
            problems.append(f"{r.number}: {r.status} without taken_by")
        if r.status in ReportStatus.CLOSED and r.closed_by is None:
            problems.append(f"{r.number}: {r.status} without closed_by")
        if photo_counts[r.id] != r.photo_count:
            problems.append(f"{r.number}: photo_count {r.photo_count} but {photo_counts[r.id]} photo rows")
    for o in rows:
        if o.report_id is not None and o.report_id not in ids:
            problems.append(f"outbox {o.id} names missing report {o.report_id}")
    for reporter, n in Counter(d.reporter_id for d in drafts).items():
        if n > 1:
            problems.append(f"reporter {reporter} has {n} drafts")
    draft_ids = {d.id for d in drafts}
    for p in photos:
        if (p.draft_id is None) == (p.report_id is None):
            problems.append(f"photo {p.id} belongs to draft {p.draft_id} and report {p.report_id}")
        if p.draft_id is not None and p.draft_id not in draft_ids:
            problems.append(f"photo {p.id} names missing draft {p.draft_id}")
    alerts = Counter((r.alert_chat_id, r.alert_message_id) for r in reports if r.alert_message_id is not None)
    problems += [f"alert message {k} recorded for {n} reports" for k, n in alerts.items() if n > 1]
    return problems


async def stuck_outbox(db) -> list[Outbox]:
    async with db.read() as s:
        return list((await s.exec(select(Outbox).where(Outbox.status == OutboxStatus.PENDING))).all())


async def table_snapshot(db, *, skip: Iterable[str] = ()) -> dict[str, list[tuple]]:
    """Every row of every table (in primary-key order): equal snapshots mean nothing changed."""
    skipped = set(skip)
    out: dict[str, list[tuple]] = {}
    async with db.read() as s:
        conn = await s.connection()
        for table in SQLModel.metadata.sorted_tables:
            if table.name in skipped:
                continue
            query = table.select().order_by(*table.primary_key.columns)
            out[table.name] = [tuple(row) for row in (await conn.execute(query)).all()]
    return out


def snapshot_diff(before: dict[str, list[tuple]], after: dict[str, list[tuple]]) -> dict[str, Any]:
    return {name: {"before": before.get(name), "after": rows} for name, rows in after.items()
            if before.get(name) != rows}
