"""`sipoa check-config` / `sipoa run` as an operator meets them: each mistake is a readable
paragraph and exit code 2, never a traceback; a good config says OK and creates its database."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot import cli
from bot.config import TOKEN_ENV

ROOT = Path(__file__).resolve().parents[2]
GOOD = """
[telegram]
token = "123456:ABC-not-a-real-token"
[officers]
group_chat_id = -1001234567890
supervisor_ids = [11]
[storage]
url = "sqlite+aiosqlite:///data/sipoa.db"
"""


@pytest.fixture(autouse=True)
def no_env_token(monkeypatch):
    monkeypatch.delenv(TOKEN_ENV, raising=False)


def write(folder: Path, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "config.toml"
    path.write_text(text, encoding="utf-8")
    return path


def check(capsys, path: Path, command: str = "check-config") -> tuple[int, str]:
    code = cli.main([command, "--config", str(path)])
    out = capsys.readouterr()
    text = out.out + out.err
    assert "Traceback" not in text
    return code, text


def test_valid_config_is_ok_and_creates_the_database_beside_the_config(tmp_path, capsys, monkeypatch):
    elsewhere = tmp_path / "cwd"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)  # the relative path must not follow the working directory
    path = write(tmp_path / "etc", GOOD)
    code, text = check(capsys, path)
    assert code == 0
    assert text.startswith(f"OK: {path}: group -1001234567890, 1 supervisor(s), every group member is an officer")
    db_file = tmp_path / "etc" / "data" / "sipoa.db"
    assert f"database SQLite {db_file.resolve()} opens" in text
    assert db_file.exists()
    assert not (elsewhere / "data").exists()


def test_token_from_the_environment_is_enough(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv(TOKEN_ENV, "42:from-env")
    code, text = check(capsys, write(tmp_path, GOOD.replace('"123456:ABC-not-a-real-token"', '""')))
    assert code == 0 and text.startswith("OK:")


@pytest.mark.parametrize(
    "text, expected",
    [
        (GOOD.replace('token = "123456:ABC-not-a-real-token"', ""), "telegram.token: missing; get one from @BotFather"),
        (GOOD.replace("[officers]", "[officers"), "is not valid TOML"),
        (GOOD + "[logging]\nlevl = 'INFO'\n", "logging.levl: unknown key; check its spelling against config.example.toml"),
        (GOOD.replace("-1001234567890", "1001234567890"), "officers.group_chat_id: must be a negative number"),
        (GOOD + "[office]\njurisdiction = 'nowhere.geojson'\n", "office.jurisdiction: Jurisdiction file not found"),
    ],
    ids=["missing-token", "malformed-toml", "unknown-key", "positive-group-id", "missing-jurisdiction"],
)
def test_each_mistake_is_a_paragraph_and_exit_2(tmp_path, capsys, text, expected):
    path = write(tmp_path, text)
    code, output = check(capsys, path)
    assert code == 2
    assert output.startswith(f"{path}: 1 problem(s) — nothing was started.")
    assert expected in output


def test_a_database_that_cannot_be_opened_is_explained(tmp_path, capsys):
    (tmp_path / "data").write_text("a file where the database folder should be")
    path = write(tmp_path, GOOD)
    code, text = check(capsys, path)
    assert code == 2
    assert "storage.url: the database sqlite+aiosqlite:///data/sipoa.db cannot be opened" in text
    assert f"Check that the folder {tmp_path.resolve() / 'data'} can be created and written" in text


def test_several_problems_are_listed_together(tmp_path, capsys):
    path = write(tmp_path, GOOD.replace("-1001234567890", "5") + "[intake]\nmax_photo = 3\n")
    code, text = check(capsys, path)
    assert code == 2
    assert "2 problem(s)" in text
    assert "officers.group_chat_id" in text and "intake.max_photo" in text


def test_run_refuses_a_bad_config_before_touching_the_network(tmp_path, capsys):
    code, text = check(capsys, write(tmp_path, GOOD.replace("-1001234567890", "7")), command="run")
    assert code == 2
    assert "officers.group_chat_id: must be a negative number" in text


def test_postgres_password_is_not_printed(tmp_path, capsys):
    bad = GOOD.replace("sqlite+aiosqlite:///data/sipoa.db", "postgresql+asyncpg://sipoa:s3cret@127.0.0.1:1/sipoa")
    code, text = check(capsys, write(tmp_path, bad))
    assert code == 2
    assert "postgresql+asyncpg://sipoa:***@127.0.0.1:1/sipoa cannot be opened" in text
    assert "s3cret" not in text
    assert "Check the host, port, user, password and database name" in text


def test_module_entry_point_exits_2_without_traceback(tmp_path):
    path = write(tmp_path, "[telegram\n")
    env = {k: v for k, v in os.environ.items() if k != TOKEN_ENV}
    proc = subprocess.run(
        [sys.executable, "-m", "bot", "check-config", "--config", str(path)],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=60,
    )
    assert proc.returncode == 2
    assert "is not valid TOML" in proc.stderr
    assert "Traceback" not in proc.stderr + proc.stdout


def test_no_command_prints_help_and_exit_2(capsys):
    assert cli.main([]) == 2
    assert "check-config" in capsys.readouterr().out


def _run_process(config: Path, timeout: float = 60) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != TOKEN_ENV}
    return subprocess.run(
        [sys.executable, "-m", "bot", "run", "--config", str(config)],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout,
    )


def test_run_with_an_unreachable_bot_api_explains_and_exits_1(tmp_path):
    import socket

    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    url = f"http://127.0.0.1:{port}"
    path = write(tmp_path, GOOD.replace("[officers]", f'base_url = "{url}/bot"\nbase_file_url = "{url}/file/bot"\n[officers]'))
    proc = _run_process(path)
    assert proc.returncode == 1
    assert f"Could not start talking to the Bot API at {url}/bot" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_run_with_a_token_telegram_refuses_exits_2(tmp_path):
    from bot.fakeapi import FakeBotAPI, ThreadedFakeBotServer

    with ThreadedFakeBotServer(FakeBotAPI(token="999:the-real-one")) as server:
        path = write(tmp_path, GOOD.replace(
            "[officers]", f'base_url = "{server.base_url}"\nbase_file_url = "{server.base_file_url}"\n[officers]'))
        proc = _run_process(path)
    assert proc.returncode == 2
    assert "telegram.token: Telegram refused the token" in proc.stderr
    assert "Traceback" not in proc.stderr
    # The token never appears in the log (httpx would log it in every URL).
    assert "123456:ABC-not-a-real-token" not in proc.stderr


def test_log_lines_hold_one_event_each_tracebacks_folded_in(capsys):
    import logging

    root = logging.getLogger()
    saved = (root.handlers[:], root.level)
    try:
        cli.setup_logging("INFO")
        try:
            raise ValueError("boom\nsecond line")
        except ValueError:
            logging.getLogger("sipoa.test").exception("event=failed report=%s", 7)
    finally:
        root.handlers[:] = saved[0]
        root.setLevel(saved[1])
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "event=failed report=7 ⏎ Traceback (most recent call last): ⏎ " in err
    assert err.rstrip().endswith("ValueError: boom ⏎ second line")


def test_screening_evaluate_is_reachable_from_the_cli(tmp_path, capsys):
    assert cli.main(["screening", "evaluate", str(tmp_path / "missing.jsonl")]) == 2
    assert "missing.jsonl: no such file" in capsys.readouterr().err


def test_health_reports_a_bot_that_never_ran_then_a_live_one(tmp_path, capsys):
    import asyncio

    from bot.clock import utcnow
    from bot.health import HEARTBEAT_KEY
    from storage.db import Database
    from storage.models import Setting

    path = write(tmp_path, GOOD)
    assert cli.main(["check-config", "--config", str(path)]) == 0
    capsys.readouterr()
    # No bot ever ran against this database: not even its tables exist.
    assert cli.main(["health", "--config", str(path)]) == 1
    assert capsys.readouterr().out.startswith("UNHEALTHY: the database cannot be read")

    async def beat() -> None:
        db = Database(f"sqlite+aiosqlite:///{tmp_path / 'data' / 'sipoa.db'}")
        await db.create_schema()
        async with db.transaction() as s:
            s.add(Setting(key=HEARTBEAT_KEY, value=utcnow().isoformat(), updated_at=utcnow()))
        await db.dispose()

    asyncio.run(beat())
    assert cli.main(["health", "--config", str(path)]) == 0
    assert capsys.readouterr().out.startswith("OK: dispatcher alive")
    assert cli.main(["health", "--config", str(write(tmp_path / "bad", "[telegram\n"))]) == 2


def test_migrate_upgrades_once_and_check_config_reports_the_revision(tmp_path, capsys):
    from storage import migrations

    head = migrations.head()
    previous = migrations.script_directory().get_revision(head).down_revision
    path = write(tmp_path, GOOD)
    code, text = check(capsys, path)  # opens (creates) the database, changes no schema
    upgrades = f"`sipoa migrate` (or the bot at start) upgrades it to {head}"
    assert (code, text.splitlines()[-1]) == (0, f"schema: empty; {upgrades}")
    assert check(capsys, path, "migrate") == (0, f"Schema migrated: empty -> {head}.\n")
    assert check(capsys, path, "migrate") == (0, f"Schema already at {head}: nothing to do.\n")
    assert f"schema: at revision {head} (current)" in check(capsys, path)[1]
    # Rolling a release back: `--to` the previous revision, which check-config then reports; never
    # to nothing at all.
    code = cli.main(["migrate", "--config", str(path), "--to", previous])
    assert (code, capsys.readouterr().out) == (0, f"Schema migrated: {head} -> {previous}.\n")
    assert f"schema: revision {previous}; {upgrades}" in check(capsys, path)[1]
    assert check(capsys, path, "migrate") == (0, f"Schema migrated: {previous} -> {head}.\n")
    assert cli.main(["migrate", "--config", str(path), "--to", "base"]) == 2
    assert "would drop every table" in capsys.readouterr().err


def test_migrate_explains_a_database_newer_than_the_code(tmp_path, capsys):
    import sqlite3

    path = write(tmp_path, GOOD)
    assert check(capsys, path, "migrate")[0] == 0
    with sqlite3.connect(tmp_path / "data" / "sipoa.db") as conn:
        conn.execute("UPDATE alembic_version SET version_num = '9999'")
    code, text = check(capsys, path, "migrate")
    assert code == 1
    assert "revision 9999, which this version of Sipoa does not know" in text
