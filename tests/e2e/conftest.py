"""End-to-end harness: the fake Bot API served over HTTP in this test process, and the real
`python -m bot run` in a subprocess long-polling it, with a SQLite file the test can read.

Both sides use real time here (the process cannot share a virtual clock), so waits are bounded
polls with deadlines, never fixed sleeps.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from bot.config import TOKEN_ENV
from bot.fakeapi import FakeBotAPI
from tests.conftest import (
    GROUP_ID,
    OFFICER2_ID,
    OFFICER_ID,
    OUTSIDER_ID,
    RESIDENT2_ID,
    RESIDENT_ID,
    SUPERVISOR_ID,
)

ROOT = Path(__file__).resolve().parents[2]
TOKEN = "123456:TEST-TOKEN-not-real"


class StampedCalls(list):
    """The fake's call log, each record stamped with the monotonic time it was answered: the
    e2e tests measure latencies (update fetched → alert sent) from these stamps."""

    def append(self, record: Any) -> None:
        record.at = time.monotonic()
        super().append(record)


def make_fake() -> FakeBotAPI:
    fake = FakeBotAPI(token=TOKEN)
    fake.calls = StampedCalls()
    fake.add_user(SUPERVISOR_ID, "Siti", username="siti_spv")
    fake.add_user(OFFICER_ID, "Agus", username="agus_petugas")
    fake.add_user(OFFICER2_ID, "Bayu")
    fake.add_user(RESIDENT_ID, "Budi", username="budi_warga", language_code="id")
    fake.add_user(RESIDENT2_ID, "Alice", username="alice_en", language_code="en")
    fake.add_user(OUTSIDER_ID, "Orang", username="orang_luar")
    fake.add_group(GROUP_ID, "Petugas Imigrasi Tangerang", members=[SUPERVISOR_ID, OFFICER_ID, OFFICER2_ID])
    return fake


def wait_for(predicate: Callable[[], Any], *, timeout: float = 15.0, what: str = "condition",
             proc: "BotProcess | None" = None) -> Any:
    """Poll until predicate() is truthy; return its value. Fails with the bot's log on timeout."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if proc is not None and proc.popen is not None and proc.popen.poll() is not None:
            pytest.fail(f"the bot exited ({proc.popen.returncode}) while waiting for {what}\n{proc.log_tail()}")
        if time.monotonic() > deadline:
            pytest.fail(f"timed out after {timeout}s waiting for {what}\n{proc.log_tail() if proc else ''}")
        time.sleep(0.005)


class BotProcess:
    """`python -m bot run --config …` against the fake; restartable (same config, same database)."""

    def __init__(self, folder: Path, base_url: str, base_file_url: str, **sections: dict[str, Any]):
        self.folder = folder
        self.db_path = folder / "data" / "sipoa.db"
        self.config_path = folder / "config.toml"
        self.log_path = folder / "bot.log"
        self.popen: subprocess.Popen | None = None
        self.starts = 0
        # More arguments of `run` (e.g. --webhook).
        self.args: list[str] = []
        body = {
            "telegram": {"token": TOKEN, "base_url": base_url, "base_file_url": base_file_url,
                         "poll_timeout_seconds": 2},
            "officers": {"group_chat_id": GROUP_ID, "supervisor_ids": [SUPERVISOR_ID]},
            # Relative: resolved against the config's folder, as an operator would write it.
            "storage": {"url": "sqlite+aiosqlite:///data/sipoa.db"},
            "logging": {"level": "INFO"},
            # Off unless a test turns it on, as in tests/conftest.py: these scripted residents type a
            # whole report in a second and reuse one description, which screening rightly holds.
            "screening": {"enabled": False},
        }
        for name, values in sections.items():
            body.setdefault(name, {}).update(values)
        self.config_path.write_text(_toml(body), encoding="utf-8")

    def start(self) -> "BotProcess":
        assert self.popen is None or self.popen.poll() is not None
        self.starts += 1
        env = {k: v for k, v in os.environ.items() if k != TOKEN_ENV}
        env["PYTHONUNBUFFERED"] = "1"
        log = open(self.log_path, "a", encoding="utf-8")
        log.write(f"\n===== start #{self.starts} =====\n")
        log.flush()
        self.popen = subprocess.Popen(
            [sys.executable, "-m", "bot", "run", "--config", str(self.config_path), *self.args],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
        )
        log.close()
        return self

    def kill(self) -> None:
        """SIGKILL: no shutdown code runs, as in a power cut of the process (not of the disk)."""
        assert self.popen is not None
        self.popen.send_signal(signal.SIGKILL)
        self.popen.wait(timeout=10)

    def terminate(self, timeout: float = 20.0) -> int:
        assert self.popen is not None
        self.popen.send_signal(signal.SIGTERM)
        return self.popen.wait(timeout=timeout)

    def stop(self) -> None:
        if self.popen is not None and self.popen.poll() is None:
            self.popen.kill()
            self.popen.wait(timeout=10)

    def log_tail(self, lines: int = 60) -> str:
        try:
            text = self.log_path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return "(no log)"
        return "----- bot log (tail) -----\n" + "\n".join(text.splitlines()[-lines:])

    def query(self, sql: str, *args: Any) -> list[tuple]:
        """Read the bot's SQLite file directly (WAL: a reader beside the running writer is fine)."""
        conn = sqlite3.connect(f"file:{self.db_path}?mode=ro", uri=True, timeout=10)
        try:
            return conn.execute(sql, args).fetchall()
        finally:
            conn.close()


def _toml(data: dict[str, dict[str, Any]]) -> str:
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

    out = []
    for section, values in data.items():
        out.append(f"[{section}]")
        out += [f"{k} = {value(v)}" for k, v in values.items()]
        out.append("")
    return "\n".join(out)


@pytest.fixture
def fake_server() -> Iterator[Any]:
    from bot.fakeapi import ThreadedFakeBotServer

    server = ThreadedFakeBotServer(make_fake()).start()
    yield server
    server.stop()


@pytest.fixture
def bot_process(tmp_path: Path, fake_server: Any) -> Iterator[Callable[..., BotProcess]]:
    """A factory: `bot_process(dispatcher={...})` writes the config; call .start() on it."""
    made: list[BotProcess] = []

    def make(**sections: dict[str, Any]) -> BotProcess:
        proc = BotProcess(tmp_path, fake_server.base_url, fake_server.base_file_url, **sections)
        made.append(proc)
        return proc

    yield make
    for proc in made:
        proc.stop()
