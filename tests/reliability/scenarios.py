"""The fault-injection scenario, shared by tests/reliability/test_faults.py (CI size) and
bench/faults.py (long size): residents write whole reports, officers take and close them and ask
for photos, residents are told, while a share of all Bot API calls fail in every way the fake knows.

Everything runs in-process on virtual time (the fake's flood windows, the dispatcher's waits and the
database clock), so minutes of 429 waits and backoffs pass in no time.
"""

from __future__ import annotations

import io
import random
from collections import Counter
from dataclasses import dataclass, field

from bot import alerts
from bot.callbacks import Action
from bot.fakeapi import html_to_plain
from storage.models import Report, ReportEvent, ReportStatus
from sqlmodel import select
from tests.reliability.support import (
    ALERT_TITLE,
    GHOST_FAULTS,
    POINTS,
    SEND_METHODS,
    Deliveries,
    Resident,
    alert_message,
    consistency_problems,
    description_for,
    faults_by_kind,
    group_alerts,
    officer_press,
    settle,
    step,
    stuck_outbox,
)

# Every kind of fault the fake injects; "+"/"-": the request took effect before the failure or not.
FAULT_MIX: list[tuple[str, dict]] = [
    ("429", {"retry_after": 3}),
    ("500", {}),
    ("502", {}),
    ("timeout", {"after_effect": True}),
    ("timeout", {"after_effect": False}),
    ("reset", {"after_effect": True}),
    ("reset", {"after_effect": False}),
    ("slow", {"delay": 0.002}),
]
FIRST_RESIDENT = 8_100_000_000


def inject_mix(fake, *, rate: float, seed: int, methods=None, mix: list[tuple[str, dict]] = FAULT_MIX) -> None:
    """Faults on every method but getUpdates, `rate` of all calls in total, each kind equally likely."""
    per_kind = 1 - (1 - rate) ** (1 / len(mix))
    for i, (kind, options) in enumerate(mix):
        fake.inject(kind, rate=per_kind, seed=seed * 100 + i, method=methods, **options)


def jpeg(size: tuple[int, int] = (64, 48), colour: tuple[int, int, int] = (200, 30, 30)) -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, "JPEG")
    return out.getvalue()


@dataclass
class Figures:
    reports: int = 0
    confirmed: list[str] = field(default_factory=list)
    presses: Counter = field(default_factory=Counter)
    faults: Counter = field(default_factory=Counter)
    calls: int = 0
    alerts_once: int = 0
    alert_ghosts: int = 0
    notifications: int = 0
    notifications_once: int = 0
    duplicates: int = 0
    duplicates_by_kind: Counter = field(default_factory=Counter)
    ghost_sends: int = 0
    doubled: list = field(default_factory=list)
    lost_reports: list[str] = field(default_factory=list)
    lost_alerts: list[str] = field(default_factory=list)
    lost_notifications: list[str] = field(default_factory=list)
    stale_alerts: list[str] = field(default_factory=list)
    failed_rows: list[str] = field(default_factory=list)
    stuck_rows: int = 0
    inconsistencies: list[str] = field(default_factory=list)

    def table(self) -> str:
        faults = ", ".join(f"{k} {v}" for k, v in sorted(self.faults.items()))
        rows = [
            ("API calls (all methods)", self.calls),
            ("faults injected", f"{sum(self.faults.values())} ({faults})"),
            ("reports confirmed / stored", f"{len(self.confirmed)} / {self.reports}"),
            ("officer presses", ", ".join(f"{k} {v}" for k, v in sorted(self.presses.items()))),
            ("alerts in the group exactly once (acknowledged)", self.alerts_once),
            ("alert copies from lost answers (ghosts)", self.alert_ghosts),
            ("resident notifications / exactly once", f"{self.notifications} / {self.notifications_once}"),
            ("send calls whose answer was lost after the effect", self.ghost_sends),
            ("duplicate messages (all from those)", f"{self.duplicates} ("
             + ", ".join(f"{k} {v}" for k, v in sorted(self.duplicates_by_kind.items())) + ")"),
            ("messages acknowledged twice (bug)", len(self.doubled)),
            ("lost: reports / alerts / notifications",
             f"{len(self.lost_reports)} / {len(self.lost_alerts)} / {len(self.lost_notifications)}"),
            ("alerts showing a stale status", len(self.stale_alerts)),
            ("outbox rows failed / stuck", f"{len(self.failed_rows)} / {self.stuck_rows}"),
            ("database inconsistencies", len(self.inconsistencies)),
        ]
        width = max(len(k) for k, _ in rows)
        return "\n".join(f"{k.ljust(width)}  {v}" for k, v in rows)

    def losses(self) -> int:
        return len(self.lost_reports) + len(self.lost_alerts) + len(self.lost_notifications)


async def run_fault_scenario(h, *, reports: int, rate: float, seed: int, officers: tuple[int, int],
                             batch: int = 10, settle=settle, first_user: int = FIRST_RESIDENT,
                             mix: list[tuple[str, dict]] = FAULT_MIX) -> Figures:
    """`reports` residents report while `rate` of every API call fails; officers act on each batch.
    `settle(h)` returns once the outbox is empty (virtual time by default; real time over HTTP)."""
    rng = random.Random(seed)
    fake, group = h.fake, h.services.group_chat_id
    picture = jpeg()
    residents = []
    for i in range(reports):
        fake.add_user(first_user + i, f"Warga{i}", language_code="id" if i % 4 else "en")
        residents.append(Resident(h, first_user + i))
    figures = Figures()
    inject_mix(fake, rate=rate, seed=seed, mix=mix)
    for start in range(0, reports, batch):
        chunk = residents[start:start + batch]
        for n, resident in enumerate(chunk, start=start):
            if n % 7 == 3:
                # An image sent as a file: downloaded, stripped of EXIF and uploaded by the dispatcher.
                await _document_report(h, resident, n, picture)
            else:
                await resident.report(point=POINTS[n % len(POINTS)], description=description_for(n),
                                      category=h.services.config.intake.categories[n % 6].code, photos=n % 3)
        await settle(h)
        for resident in chunk:
            number = resident.numbers[-1]
            taker, other = officers if rng.random() < 0.5 else officers[::-1]
            await officer_press(h, taker, group, number, Action.TAKE)
            figures.presses["take"] += 1
            if rng.random() < 0.3:  # a colleague presses too late: told who has it, nothing changes
                await officer_press(h, other, group, number, Action.TAKE)
                figures.presses["take (late)"] += 1
            if rng.random() < 0.3 and await officer_press(h, taker, group, number, Action.PHOTOS) is not None:
                figures.presses["photos"] += 1
        await settle(h)
        for resident in chunk:
            number = resident.numbers[-1]
            report = await _report(h, number)
            action = Action.RESOLVE if rng.random() < 0.8 else Action.FALSE_REPORT
            await officer_press(h, report.taken_by, group, number, action)
            figures.presses[action.name.lower()] += 1
        await settle(h)
    fake.clear_faults()
    await settle(h)
    figures.confirmed = [n for r in residents for n in r.numbers]
    await measure(h, figures)
    return figures


async def _document_report(h, resident: Resident, n: int, picture: bytes) -> None:
    fake = h.fake
    await step(h, fake.user_text(resident.user_id, "/start"))
    await resident.press(Action.CATEGORY, "suspicious")
    await step(h, fake.user_location(resident.user_id, *POINTS[n % len(POINTS)], horizontal_accuracy=9.0))
    await step(h, fake.user_text(resident.user_id, description_for(n)))
    await step(h, fake.user_document(resident.user_id, file_name="foto.jpg", mime_type="image/jpeg",
                                     content=picture))
    await resident.press(Action.PHOTOS_DONE)
    before = len(fake.bot_messages(resident.user_id))
    await resident.press(Action.SUBMIT)
    from tests.reliability.support import REPORT_NUMBER

    found = [REPORT_NUMBER.search(m["plain_text"] or "") for m in fake.bot_messages(resident.user_id)[before:]]
    numbers = [f.group(0) for f in found if f]
    assert numbers, f"resident {resident.user_id}: no confirmation"
    resident.numbers.append(numbers[-1])


async def _report(h, number: str) -> Report:
    async with h.services.db.read() as s:
        return (await s.exec(select(Report).where(Report.number == number))).one()


async def measure(h, figures: Figures) -> None:
    """Fill the figures from the fake's record and the database."""
    fake, group, db = h.fake, h.services.group_chat_id, h.services.db
    async with db.read() as s:
        stored = list((await s.exec(select(Report))).all())
        events = list((await s.exec(select(ReportEvent))).all())
        from storage.models import Outbox, OutboxStatus, Reporter

        failed = list((await s.exec(select(Outbox).where(Outbox.status == OutboxStatus.FAILED))).all())
        reporters = {r.id: r for r in (await s.exec(select(Reporter))).all()}
    by_number = {r.number: r for r in stored}
    figures.reports = len(stored)
    figures.calls = len(fake.calls)
    figures.faults = faults_by_kind(fake)
    figures.lost_reports = [n for n in figures.confirmed if n not in by_number]
    deliveries = Deliveries.of(fake)
    figures.duplicates = deliveries.duplicates()
    figures.ghost_sends = sum(1 for c in fake.calls if c.ok and c.method in SEND_METHODS and c.fault in GHOST_FAULTS)
    notices = {(reporters[r.reporter_id].telegram_id, html_to_plain(alerts.notify_text(r, event=st)))
               for r in stored for st in alerts.NOTIFY_EVENTS}
    for key, n in deliveries.ghosts.items():
        chat, content = key
        if chat == group:
            kind = "group alert" if ALERT_TITLE.match(content or "") else "group photos"
        else:
            kind = "resident notification" if key in notices else "direct reply"
        extra = n if deliveries.acknowledged[key] else n - 1
        if extra:
            figures.duplicates_by_kind[kind] += extra
    figures.doubled = deliveries.doubled()
    in_group = group_alerts(deliveries, group)
    for number in by_number:
        acknowledged, ghosts = in_group.get(number, (0, 0))
        figures.alert_ghosts += ghosts
        if acknowledged == 1:
            figures.alerts_once += 1
        elif acknowledged == 0 and ghosts == 0:
            figures.lost_alerts.append(number)
    for e in events:
        if e.to_status not in alerts.NOTIFY_EVENTS or e.action == "created":
            continue
        report = next(r for r in stored if r.id == e.report_id)
        chat = reporters[report.reporter_id].telegram_id
        key = (chat, html_to_plain(alerts.notify_text(report, event=e.to_status)))
        figures.notifications += 1
        if deliveries.acknowledged[key] == 1:
            figures.notifications_once += 1
        elif deliveries.count(key) == 0:
            figures.lost_notifications.append(f"{report.number}:{e.to_status}")
    for report in stored:
        if not _alert_shows_status(fake, group, report):
            figures.stale_alerts.append(report.number)
    figures.failed_rows = [f"{o.kind}:{o.report_id}:{o.last_error}" for o in failed]
    figures.stuck_rows = len(await stuck_outbox(db))
    figures.inconsistencies = await consistency_problems(db)


def _alert_shows_status(fake, group: int, report: Report) -> bool:
    """The alert message the bot recorded shows the report's current buttons."""
    msg = next((m for m in fake.bot_messages(report.alert_chat_id or group)
                if m["message_id"] == report.alert_message_id), None)
    if msg is None:
        return False
    labels = " ".join(text for row in fake.buttons(msg) for text, _ in row)
    if report.status == ReportStatus.NEW:
        return "Take" in labels
    if report.status == ReportStatus.TAKEN:
        return "Resolved" in labels and "Take" not in labels
    return "Take" not in labels and "Resolved" not in labels


__all__ = ["FAULT_MIX", "Figures", "alert_message", "inject_mix", "jpeg", "measure", "run_fault_scenario"]
