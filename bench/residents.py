"""What throughput.py, latency.py and drafts_rss.py share: a fake Bot API that stamps and signals
what the bot sends, residents that walk through a report by reading the bot's answers, the real
`sipoa run` process (or a minimal PTB bot) started against the fake over HTTP, and a table printer.

Nothing here changes product code: the fake is subclassed, the bot is started as an operator would.
"""

from __future__ import annotations

import asyncio
import contextvars
import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.fakeapi import ApiError, FakeBotAPI  # noqa: E402

TOKEN = "123456:TEST-TOKEN-not-real"
GROUP_ID = -1001234567890
SUPERVISOR_ID = 9_000_000_001
OFFICER_ID = 7_000_000_001
FIRST_RESIDENT = 8_100_000_001
NUMBER = re.compile(r"\b[A-Z]{2,6}-\d{4}-\d{6}\b")
SENDS = frozenset({"sendMessage", "sendPhoto", "sendMediaGroup", "sendDocument", "sendLocation",
                   "copyMessage", "forwardMessage", "editMessageText", "editMessageCaption",
                   "editMessageReplyMarkup"})
# Labels the residents look for (Indonesian, the default language), as tests/e2e reads them.
LABELS = {"category": "Izin tinggal", "skip": "Lewati", "submit": "Kirim", "location": "2/5",
          "description": "3/5", "sent": "Laporan terkirim"}
WORDS = ("dua tiga warga negara asing pria wanita bekerja berjualan tinggal menginap di bengkel warung toko "
         "kos rumah gudang proyek jalan gang blok dekat pasar masjid sekolah setiap hari malam pagi sejak "
         "januari februari maret bulan lalu minggu lalu memakai mobil motor sewaan tanpa izin kerja "
         "visa turis sudah habis katanya sering terlihat bersama teman").split()

ERROR_TEXT = "Maaf, terjadi kesalahan"  # the bot's answer when a handler failed (error_generic)

_ARRIVED: contextvars.ContextVar[float] = contextvars.ContextVar("arrived", default=0.0)


class StepFailed(Exception):
    """The bot answered a step with its generic error message."""


class Discard(list):
    """A call log that keeps nothing (long runs: the fake's own memory is not what is measured)."""

    def append(self, _record: Any) -> None:
        return None


class BenchFake(FakeBotAPI):
    """The fake Bot API plus what a benchmark needs: the time each request arrived, the time each
    update was handed out by getUpdates, and an asyncio event per chat set whenever the bot sends
    or edits something there (residents wait on it instead of polling)."""

    def __init__(self, *, keep_calls: bool = True, **kw: Any) -> None:
        super().__init__(token=TOKEN, **kw)
        self.keep_calls = keep_calls
        if not keep_calls:
            self.calls = Discard()
        self.fetched_at: dict[int, float] = {}  # update_id -> getUpdates answered (perf_counter)
        self.group_sends: list[tuple[float, str, str]] = []  # (arrived, method, text/caption)
        self.private_sends: list[tuple[float, int, str]] = []  # (arrived, chat, text) of sendMessage
        self.sent_by_method: dict[str, int] = {}
        self.answered_at: dict[str, float] = {}  # callback query id -> its answer arrived
        self.refused_429 = 0
        self.refused_429_in: dict[str, int] = {}
        self.events: dict[int, asyncio.Event] = {}
        # What the bot sent (or edited) in each chat, by message id in order of sending: a light view
        # (message_id, plain_text, reply_markup) of what bot_messages() returns, without its copies.
        self.sent: dict[int, dict[int, dict[str, Any]]] = {}
        # Callback queries answered with the bot's error text, by user: a failed press shows a toast.
        self.failed_presses: dict[int, int] = {}

    def event(self, chat_id: int) -> asyncio.Event:
        ev = self.events.get(chat_id)
        if ev is None:
            ev = self.events[chat_id] = asyncio.Event()
        return ev

    async def handle(self, method: str, params: Any = None, files: Any = None) -> tuple[int, dict[str, Any]]:
        _ARRIVED.set(time.perf_counter())
        return await super().handle(method, params, files)

    def _answer(self, method: str, params: dict[str, Any], uploads: Any, outcome: Any, *,
                fault: str | None = None) -> tuple[int, dict[str, Any]]:
        if self.keep_calls:
            status, body = super()._answer(method, params, uploads, outcome, fault=fault)
        elif isinstance(outcome, ApiError):  # lean: no call record, no defensive copies
            status, body = outcome.code, outcome.body()
        else:
            status, body = 200, {"ok": True, "result": outcome}
        now = time.perf_counter()
        if status == 429:
            self.refused_429 += 1
            where = "group" if str(params.get("chat_id")) == str(GROUP_ID) else "private"
            self.refused_429_in[where] = self.refused_429_in.get(where, 0) + 1
        if status != 200:
            return status, body
        self.sent_by_method[method] = self.sent_by_method.get(method, 0) + 1
        if method == "getUpdates":
            for update in body.get("result") or ():
                self.fetched_at.setdefault(update["update_id"], now)
        elif method == "answerCallbackQuery" and self.keep_calls:
            self.answered_at[str(params.get("callback_query_id"))] = _ARRIVED.get() or now
        if method == "answerCallbackQuery" and str(params.get("text") or "").startswith(ERROR_TEXT):
            user_id = self._callbacks.get(params.get("callback_query_id"), {}).get("user_id")
            if user_id is not None:
                self.failed_presses[user_id] = self.failed_presses.get(user_id, 0) + 1
                ev = self.events.get(user_id)
                if ev is not None:
                    ev.set()
        elif method in SENDS:
            try:
                chat_id = int(params.get("chat_id"))
            except (TypeError, ValueError):
                return status, body
            result = body.get("result")
            for message in result if isinstance(result, list) else [result]:
                if isinstance(message, dict) and "message_id" in message:
                    self.sent.setdefault(chat_id, {})[message["message_id"]] = {
                        "message_id": message["message_id"],
                        "plain_text": message.get("text", message.get("caption")),
                        "reply_markup": message.get("reply_markup"),
                    }
            if chat_id == GROUP_ID and method.startswith("send"):
                self.group_sends.append((_ARRIVED.get() or now, method,
                                         str(params.get("text") or params.get("caption") or "")))
            elif method == "sendMessage" and self.keep_calls:
                self.private_sends.append((_ARRIVED.get() or now, chat_id, str(params.get("text") or "")))
            ev = self.events.get(chat_id)
            if ev is not None:
                ev.set()
        return status, body

    def forget_chat(self, chat_id: int) -> None:
        """Drop a finished resident's chat from the fake (long runs keep the fake's memory flat)."""
        with self._lock:
            self._messages.pop(chat_id, None)
            self.sent.pop(chat_id, None)
            self._next_message_id.pop(chat_id, None)
            self._sends_by_chat.pop(chat_id, None)
            self.events.pop(chat_id, None)


def lift_global_send_limit() -> None:
    """The fake answers 429 past 30 messages a second over all chats, as Telegram does. A throughput
    benchmark measures the bot, not Telegram's cap: lifted here (said in the table)."""
    from bot.fakeapi import state

    state.GLOBAL_PER_SECOND = 10**9


def add_people(fake: FakeBotAPI, residents: Iterable[int]) -> None:
    fake.add_user(SUPERVISOR_ID, "Siti", username="siti_spv")
    fake.add_user(OFFICER_ID, "Agus", username="agus_petugas")
    fake.add_group(GROUP_ID, "Petugas Imigrasi Tangerang", members=[SUPERVISOR_ID, OFFICER_ID])
    for uid in residents:
        fake.add_user(uid, f"Warga{uid % 100_000:05d}", language_code="id")


def description(i: int, words: int = 14) -> str:
    """A distinct, concrete description per resident: who, what, where, since when (screening reads
    them; copies of one text would be held as near-duplicates)."""
    import random

    rnd = random.Random(i)
    words = " ".join(rnd.choices(WORDS, k=words))
    return f"Orang asing {words}, alamat Jalan Melati nomor {i}, blok {rnd.randint(1, 90)}, sejak Januari."


def spread_points(count: int) -> list[tuple[float, float]]:
    """Points inside the jurisdiction about 450 m apart, as tests/e2e does: many residents at one spot
    is a pattern the screening holds."""
    from bot.geo import Jurisdiction

    jurisdiction = Jurisdiction.default()
    lat0, lon0, lat1, lon1 = jurisdiction.bbox
    points: list[tuple[float, float]] = []
    step = 0.0041
    while len(points) < count:
        lat = lat0
        while lat < lat1 and len(points) < count:
            lon = lon0
            while lon < lon1 and len(points) < count:
                if jurisdiction.contains(lat, lon):
                    points.append((round(lat, 5), round(lon, 5)))
                lon += step
            lat += step
        step /= 2  # more residents than cells: a finer grid (only for very large runs)
        if len(points) < count:
            points.clear()
    return points


class Resident:
    """A resident driven step by step over the fake: each step is one update, then a wait for the
    bot's answer (a new message in the chat, with the label or button that step expects)."""

    def __init__(self, fake: BenchFake, user_id: int, *, pace: float = 0.0, timeout: float = 60.0):
        self.fake, self.user_id, self.pace, self.timeout = fake, user_id, pace, timeout
        self.stream: list[tuple[str, Any]] = []  # the updates sent: ("text"|"press"|"location", value)
        self.last_sent = 0.0
        self.waits: list[float] = []  # seconds from each update to the answer awaited
        self.errors = 0  # steps the bot answered with its error message (then sent again)
        fake.event(user_id)

    def seen(self) -> int:
        return len(self.fake.sent.get(self.user_id, {}))

    def bot_messages(self) -> list[dict]:
        return list(self.fake.sent.get(self.user_id, {}).values())

    async def _paced(self) -> None:
        wait = self.last_sent + self.pace - time.perf_counter()
        if wait > 0:
            await asyncio.sleep(wait)
        self.last_sent = time.perf_counter()

    async def wait_bot(self, after: int, match: Callable[[dict], bool] = lambda m: True,
                       failed_before: int | None = None) -> dict:
        """The first new bot message that matches; StepFailed when the bot answered with its error
        (a message, or for a press the callback answer: counted past `failed_before`)."""
        ev = self.fake.event(self.user_id)
        deadline = time.perf_counter() + self.timeout
        while True:
            ev.clear()
            for msg in self.bot_messages()[after:]:
                if match(msg):
                    self.waits.append(time.perf_counter() - self.last_sent)
                    return msg
                if (msg.get("plain_text") or "").startswith(ERROR_TEXT):
                    raise StepFailed(msg)
            if failed_before is not None and self.fake.failed_presses.get(self.user_id, 0) > failed_before:
                raise StepFailed("callback answered with the error text")
            remaining = deadline - time.perf_counter()
            if remaining <= 0:
                last = (self.bot_messages() or [None])[-1]
                raise TimeoutError(f"resident {self.user_id}: no expected answer after {self.stream[-1:]}; "
                                   f"last bot message: {(last or {}).get('plain_text')!r}")
            try:
                await asyncio.wait_for(ev.wait(), remaining)
            except TimeoutError:
                pass

    async def step(self, kind: str, value: Any, on: dict | None = None,
                   match: Callable[[dict], bool] = lambda m: True) -> tuple[dict, dict]:
        """Send one update and wait for its answer: (the update, the answer). When the bot answers
        with its error message ("try again in a moment") the resident does just that, and it counts."""
        for _attempt in range(5):
            n = self.seen()
            failed = self.fake.failed_presses.get(self.user_id, 0)
            update = await self.send(kind, value, on)
            try:
                return update, await self.wait_bot(n, match, failed)
            except StepFailed:
                self.errors += 1
        raise RuntimeError(f"resident {self.user_id}: the bot failed the same step 5 times")

    @staticmethod
    def button(msg: dict, label: str) -> str | None:
        for row in FakeBotAPI.buttons(msg):
            for text, data in row:
                if label.lower() in text.lower() and data:
                    return data
        return None

    def _has(self, text: str | None = None, button: str | None = None) -> Callable[[dict], bool]:
        def match(msg: dict) -> bool:
            if text is not None and text not in (msg.get("plain_text") or ""):
                return False
            return button is None or self.button(msg, button) is not None
        return match

    # --- sending one update ------------------------------------------------------------------------
    async def send(self, kind: str, value: Any, on: dict | None = None) -> dict:
        await self._paced()
        self.stream.append((kind, value))
        if kind == "text":
            return self.fake.user_text(self.user_id, value)
        if kind == "location":
            return self.fake.user_location(self.user_id, *value, horizontal_accuracy=10)
        assert on is not None
        return self.fake.user_press(self.user_id, self.user_id, on["message_id"], value)

    # --- the whole report through the real bot ---------------------------------------------------------
    async def report_up_to_review(self, point: tuple[float, float], text: str, *,
                                  think: float = 0.0) -> dict:
        _, menu = await self.step("text", "/start", match=self._has(button=LABELS["category"]))
        await asyncio.sleep(think)
        await self.step("press", self.button(menu, LABELS["category"]), menu, self._has(text=LABELS["location"]))
        await asyncio.sleep(think)
        await self.step("location", point, match=self._has(text=LABELS["description"]))
        await asyncio.sleep(think)
        _, prompt = await self.step("text", text, match=self._has(button=LABELS["skip"]))
        await asyncio.sleep(think)
        _, review = await self.step("press", self.button(prompt, LABELS["skip"]), prompt,
                                    self._has(button=LABELS["submit"]))
        return review

    async def submit(self, review: dict) -> tuple[dict, str]:
        """Press Submit: (the update, the report number from the confirmation)."""
        update, confirmation = await self.step("press", self.button(review, LABELS["submit"]), review,
                                               lambda m: NUMBER.search(m.get("plain_text") or "") is not None)
        return update, NUMBER.search(confirmation["plain_text"]).group(0)

    # --- the same updates to any bot that answers each with one message ---------------------------------
    async def replay(self, stream: list[tuple[str, Any]]) -> None:
        last: dict | None = None
        for kind, value in stream:
            _, last = await self.step(kind, value, last)


# --- processes ------------------------------------------------------------------------------------------


def toml(data: dict[str, dict[str, Any]]) -> str:
    def value(v: Any) -> str:
        if isinstance(v, bool):
            return "true" if v else "false"
        if isinstance(v, (int, float)):
            return repr(v)
        if isinstance(v, str):
            return '"' + v.replace("\\", "\\\\").replace('"', '\\"') + '"'
        if isinstance(v, list):
            return "[" + ", ".join(value(x) for x in v) + "]"
        raise TypeError(v)

    lines: list[str] = []
    for section, values in data.items():
        lines.append(f"[{section}]")
        lines += [f"{k} = {value(v)}" for k, v in values.items()]
        lines.append("")
    return "\n".join(lines)


def write_config(folder: Path, base_url: str, base_file_url: str, **sections: dict[str, Any]) -> Path:
    """A config as an operator writes it: production defaults, only the fake's address, the group,
    the database file and the sections a benchmark names."""
    body: dict[str, dict[str, Any]] = {
        "telegram": {"token": TOKEN, "base_url": base_url, "base_file_url": base_file_url},
        "officers": {"group_chat_id": GROUP_ID, "supervisor_ids": [SUPERVISOR_ID], "officer_ids": [OFFICER_ID]},
        "storage": {"url": "sqlite+aiosqlite:///data/sipoa.db"},
    }
    for name, values in sections.items():
        body.setdefault(name, {}).update(values)
    path = folder / "config.toml"
    path.write_text(toml(body), encoding="utf-8")
    return path


class Process:
    """A bot in a child process (the real `python -m bot run --config`, or another command), with
    its log in a file and its CPU time readable from /proc."""

    def __init__(self, argv: list[str], log_path: Path):
        self.argv, self.log_path = argv, log_path
        self.popen: subprocess.Popen | None = None

    def start(self) -> "Process":
        env = {k: v for k, v in os.environ.items() if not k.startswith("SIPOA_")}
        env["PYTHONUNBUFFERED"] = "1"
        with open(self.log_path, "a", encoding="utf-8") as log:
            self.popen = subprocess.Popen(self.argv, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
                                          stdin=subprocess.DEVNULL)
        return self

    def cpu_seconds(self) -> float:
        """User + system CPU time of the process so far."""
        assert self.popen is not None
        fields = Path(f"/proc/{self.popen.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def alive(self) -> bool:
        return self.popen is not None and self.popen.poll() is None

    def stop(self, timeout: float = 30.0) -> int | None:
        if self.popen is None:
            return None
        if self.popen.poll() is None:
            self.popen.send_signal(signal.SIGTERM)
            try:
                return self.popen.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.popen.kill()
                self.popen.wait(timeout=10)
        return self.popen.returncode

    def log_tail(self, lines: int = 30) -> str:
        try:
            text = self.log_path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return "(no log)"
        return "\n".join(text.splitlines()[-lines:])


def sipoa_run(config: Path, log_path: Path, *, profile_to: Path | None = None) -> Process:
    """`sipoa run --config` (as `python -m bot run`), optionally under pyinstrument (profile_to ending
    in .pyisession) or cProfile (.prof)."""
    argv = [sys.executable]
    if profile_to is not None:
        if profile_to.suffix == ".pyisession":
            argv += ["-m", "pyinstrument", "--renderer", "session", "-o", str(profile_to)]
        else:
            argv += ["-m", "cProfile", "-o", str(profile_to)]
    argv += ["-m", "bot", "run", "--config", str(config)]
    return Process(argv, log_path)


def pyinstrument_available() -> bool:
    import importlib.util

    return importlib.util.find_spec("pyinstrument") is not None


async def wait_until(predicate: Callable[[], Any], *, timeout: float, what: str,
                     proc: Process | None = None) -> Any:
    deadline = time.perf_counter() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if proc is not None and not proc.alive():
            raise RuntimeError(f"the bot exited while waiting for {what}:\n{proc.log_tail()}")
        if time.perf_counter() > deadline:
            tail = proc.log_tail() if proc else ""
            raise TimeoutError(f"timed out after {timeout:.0f} s waiting for {what}\n{tail}")
        await asyncio.sleep(0.01)


# --- output ---------------------------------------------------------------------------------------------


def table(headers: list[str], rows: list[list[Any]]) -> str:
    cells = [[str(h) for h in headers]] + [[str(c) for c in row] for row in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(headers))]

    def line(r: list[str]) -> str:
        return "| " + " | ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(r, widths))) + " |"

    sep = "|" + "|".join("-" * (w + 2) for w in widths) + "|"
    return "\n".join([line(cells[0]), sep] + [line(r) for r in cells[1:]])


def machine() -> str:
    model = "?"
    try:
        for text in Path("/proc/cpuinfo").read_text().splitlines():
            if text.startswith("model name"):
                model = text.split(":", 1)[1].strip()
                break
        mem_kb = next(int(t.split()[1]) for t in Path("/proc/meminfo").read_text().splitlines()
                      if t.startswith("MemTotal"))
        ram = f"{mem_kb / 1024 / 1024:.1f} GiB RAM"
    except (OSError, StopIteration):
        ram = "? RAM"
    return f"{os.cpu_count()} CPUs ({model}), {ram}, Python {sys.version.split()[0]}"


def percentile(values: list[float], p: float) -> float:
    """Nearest rank (a value that occurred)."""
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * p // 100))
    return ordered[int(rank) - 1]
