"""`sipoa run --webhook`: its config section, and what stops it before anything starts. The
webhook itself (403 without the secret, replicas) is served by real processes in
tests/e2e/test_replicas.py."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot import cli, webhook
from bot.config import TOKEN_ENV, WEBHOOK_SECRET_ENV, ConfigError, parse_config

BASE = {"telegram": {"token": "1:x"}, "officers": {"group_chat_id": -100123}}


@pytest.fixture(autouse=True)
def no_env(monkeypatch):
    monkeypatch.delenv(TOKEN_ENV, raising=False)
    monkeypatch.delenv(WEBHOOK_SECRET_ENV, raising=False)


def config(env: dict[str, str] | None = None, **hook):
    return parse_config({**BASE, "webhook": hook}, base_dir=Path("."), env=env or {})


def test_defaults_listen_on_this_machine_only_and_set_the_webhook():
    hook = config().webhook
    assert (hook.listen, hook.port, hook.url_path, hook.max_connections, hook.set_webhook) == (
        "127.0.0.1", 8443, "/telegram", 40, True)


def test_the_secret_is_required_for_webhook_mode_and_the_environment_wins():
    [problem] = webhook.problems(config())
    assert problem.startswith("webhook.secret_token: required") and WEBHOOK_SECRET_ENV in problem
    assert webhook.problems(config(secret_token="from-file")) == []
    assert config({WEBHOOK_SECRET_ENV: "from_env-1"}, secret_token="from-file").webhook.secret_token == "from_env-1"


@pytest.mark.parametrize("secret", ["has space", "ümlaut", "x" * 257, "semi;colon"])
def test_telegram_refuses_these_secrets_and_so_does_the_config(secret):
    with pytest.raises(ConfigError) as err:
        config(secret_token=secret)
    assert err.value.problems == ["webhook.secret_token: Telegram allows 1-256 characters A-Z, a-z, 0-9, _ and - only"]


def test_the_path_gets_its_slash_and_odd_paths_are_refused():
    assert config(url_path="hook").webhook.url_path == "/hook"
    with pytest.raises(ConfigError) as err:
        config(url_path="/a b")
    assert err.value.problems[0].startswith("webhook.url_path: must be a URL path")


def test_run_webhook_without_a_secret_starts_nothing(tmp_path, capsys):
    path = tmp_path / "config.toml"
    path.write_text('[telegram]\ntoken = "1:x"\n[officers]\ngroup_chat_id = -100123\n'
                    '[storage]\nurl = "sqlite+aiosqlite:///data/sipoa.db"\n', encoding="utf-8")
    assert cli.main(["run", "--webhook", "--config", str(path)]) == cli.EXIT_CONFIG
    err = capsys.readouterr().err
    assert "nothing was started" in err and "webhook.secret_token: required" in err
