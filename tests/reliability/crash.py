"""The crash scenario, shared by tests/reliability/test_crash.py (CI size) and bench/crash.py (500
residents, 10 kills): the real `python -m bot run` long-polls the fake Bot API over HTTP while many
residents write reports at once, and the process is SIGKILLed and restarted at random moments.

Residents behave as people do with an app that sometimes does not answer: each waits a few seconds
for the bot's reply; if none comes, they press Submit again when they were at the review, or send
/start and take the offer to continue their unfinished report. What a resident saw confirmed (a
report number in the bot's answer) is what must be in the database and in the group exactly once.

Both sides run on real time (the process cannot share a virtual clock), so the group's real limit
of 20 messages a minute sets the pace once more than 19 alerts are due.
"""

from __future__ import annotations

import asyncio
import random
import re
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from bot.callbacks import Action, InvalidCallback, parse
from tests.conftest import GROUP_ID
from tests.e2e.conftest import BotProcess, make_fake
from tests.reliability.support import ALERT_TITLE, REPORT_NUMBER, SEND_METHODS, description_for

STEP = re.compile(r"\b([1-5])/5\b")
FIRST_RESIDENT = 8_200_000_000
# How long a resident waits for an answer before trying again (a restart takes a second or two).
PATIENCE_SECONDS = 8.0
# A send and its record happen within milliseconds; a copy sent this long before a kill is that kill's.
KILL_WINDOW_SECONDS = 2.0


@dataclass
class CrashFigures:
    residents: int = 0
    kills: int = 0
    starts: int = 0
    seconds: float = 0.0
    confirmed: dict[int, str] = field(default_factory=dict)
    unfinished: list[int] = field(default_factory=list)
    stored: int = 0
    alerted_once: int = 0
    duplicates: list[str] = field(default_factory=list)
    unexplained_duplicates: list[str] = field(default_factory=list)
    lost: list[str] = field(default_factory=list)
    resumed: int = 0
    across_restart: int = 0
    retried_submits: int = 0
    resent: int = 0
    stuck_rows: int = 0
    drafts_left: int = 0
    exit_code: int | None = None
    tracebacks: int = 0
    rejected_calls: Counter = field(default_factory=Counter)

    def table(self) -> str:
        rows = [
            ("residents / SIGKILLs / process starts", f"{self.residents} / {self.kills} / {self.starts}"),
            ("wall time", f"{self.seconds:.0f} s"),
            ("reports confirmed to residents", len(self.confirmed)),
            ("residents who never saw a confirmation", len(self.unfinished)),
            ("confirmed reports stored", self.stored),
            ("confirmed reports alerted exactly once", self.alerted_once),
            ("duplicate alerts (sent, then killed before recorded)", len(self.duplicates)),
            ("duplicates not explained by a kill", len(self.unexplained_duplicates)),
            ("lost (confirmed, not stored or not alerted)", len(self.lost)),
            ("conversations that went on across a kill", self.across_restart),
            ("resume offers taken (after an unanswered message)", self.resumed),
            ("Submit pressed again after no answer", self.retried_submits),
            ("other inputs sent again after no answer", self.resent),
            ("outbox rows stuck", self.stuck_rows),
            ("drafts left over", self.drafts_left),
            ("exit code of the last SIGTERM / tracebacks in the log", f"{self.exit_code} / {self.tracebacks}"),
            ("refused API calls (not 429)", sum(self.rejected_calls.values())),
        ]
        width = max(len(k) for k, _ in rows)
        return "\n".join(f"{k.ljust(width)}  {v}" for k, v in rows)


class Person:
    """One resident, reading the bot's answers to decide what to do next."""

    def __init__(self, fake, user_id: int, n: int, rng: random.Random, figures: CrashFigures, lock: threading.Lock):
        self.fake, self.user_id, self.n, self.rng = fake, user_id, n, rng
        self.figures, self.lock = figures, lock
        self.seen = 0
        self.photo = n % 3 == 0
        self.photo_sent = False
        self.number: str | None = None
        self.began = self.ended = 0.0

    def _bump(self, name: str) -> None:
        with self.lock:
            setattr(self.figures, name, getattr(self.figures, name) + 1)

    def _wait(self, timeout: float) -> dict | None:
        """The next actionable answer: a question, an offer to continue, or the confirmation."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if any(self._actionable(m) for m in self.fake.bot_messages(self.user_id)[self.seen:]):
                time.sleep(0.3)  # the rest of this answer (a redelivered update is answered twice)
                messages = self.fake.bot_messages(self.user_id)
                self.seen = len(messages)
                return next(m for m in reversed(messages) if self._actionable(m))
            time.sleep(0.1)
        self.seen = len(self.fake.bot_messages(self.user_id))
        return None

    def _actionable(self, msg: dict) -> bool:
        text = msg.get("plain_text") or ""
        return bool(STEP.search(text) or self._button(msg) or REPORT_NUMBER.search(text)
                    or text.startswith(("Ketik /start", "Type /start")))

    def _button(self, msg: dict, *wanted: Action) -> str | None:
        for row in self.fake.buttons(msg):
            for _, data in row:
                try:
                    action = parse(data).action
                except InvalidCallback:
                    continue
                if not wanted or action in wanted:
                    return data
        return None

    def _press(self, msg: dict, data: str) -> None:
        self.fake.user_press(self.user_id, self.user_id, msg["message_id"], data)

    def run(self, deadline: float) -> str | None:
        self.began = time.monotonic()
        self.fake.user_text(self.user_id, "/start")
        last: dict | None = None
        while time.monotonic() < deadline:
            msg = self._wait(PATIENCE_SECONDS)
            if msg is None:
                # No answer (the bot was down, or died before replying). At the review: press Submit
                # again. Anywhere else: /start, and continue the unfinished report it offers.
                submit = self._button(last, Action.SUBMIT) if last else None
                if submit:
                    self._bump("retried_submits")
                    self._press(last, submit)
                else:
                    self._bump("resent")
                    self.fake.user_text(self.user_id, "/start")
                continue
            last = msg
            text = msg.get("plain_text") or ""
            found = REPORT_NUMBER.search(text)
            if found and ("terkirim" in text or "sent" in text.lower()):
                self.number = found.group(0)
                self.ended = time.monotonic()
                return self.number
            time.sleep(self.rng.uniform(0.1, 0.5))  # people read before they tap
            self._act(msg, text)
        return None

    def _act(self, msg: dict, text: str) -> None:
        if data := self._button(msg, Action.RESUME):
            self._bump("resumed")
            self._press(msg, data)
        elif self._button(msg, Action.CATEGORY):
            choices = [d for row in self.fake.buttons(msg) for _, d in row]
            self._press(msg, choices[self.n % len(choices)])
        elif data := self._button(msg, Action.SUBMIT):
            self._press(msg, data)
        elif (data := self._button(msg, Action.PHOTOS_DONE, Action.PHOTOS_SKIP)) or "4/5" in text:
            if self.photo and not self.photo_sent:
                self.photo_sent = True
                self.fake.user_photo(self.user_id)
            elif data:
                self._press(msg, data)
        elif "3/5" in text:
            self.fake.user_text(self.user_id, description_for(self.n))
        elif "2/5" in text:
            lat, lon = -6.17 - (self.n % 40) * 0.0021, 106.60 + (self.n // 40) * 0.0023
            self.fake.user_location(self.user_id, lat, lon, horizontal_accuracy=12.0)
        else:
            self.fake.user_text(self.user_id, "/start")


def run_crash(folder: Path, *, database_url: str, residents: int, kills: int, seed: int,
              active_seconds: float, settle_seconds: float, log=print) -> CrashFigures:
    """Run the scenario; returns its figures (the caller asserts on them)."""
    from bot.fakeapi import ThreadedFakeBotServer

    rng = random.Random(seed)
    figures = CrashFigures(residents=residents)
    fake = make_fake()
    people = []
    for i in range(residents):
        fake.add_user(FIRST_RESIDENT + i, f"Warga{i}", language_code="id")
    server = ThreadedFakeBotServer(fake).start()
    # Screening decides whether a report reaches the group and the SLA reminds the group of untaken
    # reports: both are theirs to test; here every report is due in the group once, and only once.
    proc = BotProcess(folder, server.base_url, server.base_file_url,
                      storage={"url": database_url}, screening={"enabled": False},
                      sla={"remind_after_minutes": 24 * 60, "escalate_after_minutes": 7 * 24 * 60},
                      dispatcher={"poll_interval_seconds": 0.2, "max_backoff_seconds": 5})
    started = time.monotonic()
    kill_times: list[float] = []
    restarted: list[float] = [started]
    lock = threading.Lock()
    try:
        proc.start()
        moments = sorted(rng.uniform(2.0, active_seconds) for _ in range(kills))
        deadline = started + active_seconds + 180

        def killer() -> None:
            for at in moments:
                time.sleep(max(0.0, started + at - time.monotonic()))
                kill_times.append(time.monotonic())
                proc.kill()
                figures.kills += 1
                time.sleep(rng.uniform(0.0, 0.5))
                restarted.append(time.monotonic())
                proc.start()
                log(f"  kill {figures.kills} at {time.monotonic() - started:.1f} s, restarted")

        people = [Person(fake, FIRST_RESIDENT + i, i, random.Random(seed * 1000 + i), figures, lock)
                  for i in range(residents)]
        arrivals = sorted(rng.uniform(0, active_seconds * 0.6) for _ in people)  # residents arrive over time
        with ThreadPoolExecutor(max_workers=residents + 1) as pool:
            kill_job = pool.submit(killer)

            def one(job: tuple[Person, float]) -> str | None:
                person, at = job
                time.sleep(max(0.0, started + at - time.monotonic()))
                return person.run(deadline)

            results = list(pool.map(one, zip(people, arrivals)))
            kill_job.result()
        for person, number in zip(people, results):
            if number is None:
                figures.unfinished.append(person.user_id)
            else:
                figures.confirmed[person.user_id] = number
        log(f"  {len(figures.confirmed)} reports confirmed after {time.monotonic() - started:.0f} s; "
            "waiting for the group to receive every alert")
        wanted = set(figures.confirmed.values())
        settle_deadline = time.monotonic() + settle_seconds
        while time.monotonic() < settle_deadline:
            if wanted <= set(_alerts(fake)) and _query(database_url, "pending") == 0:
                break
            time.sleep(0.5)
        time.sleep(1.0)  # a duplicate would come within the dispatcher's next rounds
        # SIGTERM is a clean stop once the process is polling (before that it is a kill like any other).
        polling = lambda: any(c.method == "getUpdates" and c.at > restarted[-1] for c in list(fake.calls))  # noqa: E731
        wait_until = time.monotonic() + 30
        while not polling() and time.monotonic() < wait_until:
            time.sleep(0.1)
        figures.exit_code = proc.terminate()
    finally:
        proc.stop()
        server.stop()
    figures.starts = proc.starts
    figures.seconds = time.monotonic() - started
    figures.across_restart = sum(1 for p in people if p.number and any(p.began < k < p.ended for k in kill_times))
    _judge(figures, fake, database_url, kill_times, proc)
    return figures


def _alerts(fake) -> Counter:
    return Counter(m.group(1) for msg in fake.bot_messages(GROUP_ID)
                   if (m := ALERT_TITLE.match(msg.get("plain_text") or "")))


def _judge(figures: CrashFigures, fake, database_url: str, kill_times: list[float], proc: BotProcess) -> None:
    numbers = _query(database_url, "numbers")
    counts = _alerts(fake)
    sends: dict[str, list[float]] = {}
    for call in list(fake.calls):
        if call.ok and call.method in SEND_METHODS and str(call.params.get("chat_id")) == str(GROUP_ID):
            for msg in call.result if isinstance(call.result, list) else [call.result]:
                if m := ALERT_TITLE.match(msg.get("text") or msg.get("caption") or ""):
                    sends.setdefault(m.group(1), []).append(call.at)
    for number in figures.confirmed.values():
        if number not in numbers or counts[number] == 0:
            figures.lost.append(number)
            continue
        figures.stored += 1
        if counts[number] == 1:
            figures.alerted_once += 1
            continue
        for extra in sorted(sends.get(number, []))[:-1]:
            figures.duplicates.append(number)
            if not any(0 <= k - extra <= KILL_WINDOW_SECONDS for k in kill_times):
                figures.unexplained_duplicates.append(number)
    figures.stuck_rows = _query(database_url, "pending")
    figures.drafts_left = _query(database_url, "drafts")
    figures.tracebacks = proc.log_path.read_text(encoding="utf-8", errors="replace").count("Traceback")
    # 429s are waited out; a 409 answers the killed process's long poll when its successor polls.
    figures.rejected_calls = Counter(c.method for c in fake.calls if not c.ok and c.status not in (429, 0)
                                     and not (c.method == "getUpdates" and c.status == 409))


def _query(database_url: str, what: str):
    async def run():
        from sqlmodel import func, select

        from storage.db import Database
        from storage.models import Draft, Outbox, OutboxStatus, Report

        db = Database(database_url)
        try:
            async with db.read() as s:
                if what == "pending":
                    q = select(func.count()).select_from(Outbox).where(Outbox.status == OutboxStatus.PENDING)
                    return int((await s.exec(q)).one())
                if what == "drafts":
                    return int((await s.exec(select(func.count()).select_from(Draft))).one())
                return set((await s.exec(select(Report.number))).all())
        finally:
            await db.dispose()

    return asyncio.run(run())
