"""bot/config.py: the TOML file becomes typed sections, and every mistake an operator can make
becomes a sentence naming the key. Also: config.example.toml parses and documents every key."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from pydantic import BaseModel

from bot.config import DEFAULT_CATEGORIES, TOKEN_ENV, Config, ConfigError, load_config, parse_config

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "config.example.toml"
TOKEN = "123456:ABC-not-a-real-token"
MINIMAL = 'telegram.token = "123456:ABC-not-a-real-token"\nofficers.group_chat_id = -1001\n'


def write(tmp_path: Path, text: str, name: str = "config.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def problems_of(path: Path, env: dict[str, str] | None = None) -> list[str]:
    with pytest.raises(ConfigError) as err:
        load_config(path, env=env or {})
    return err.value.problems


# --- the example ----------------------------------------------------------------------------------


def test_example_parses_with_the_token_from_the_environment():
    config = load_config(EXAMPLE, env={TOKEN_ENV: TOKEN})
    assert config.telegram.token == TOKEN
    assert config.telegram.base_url == "https://api.telegram.org/bot"
    assert config.telegram.base_file_url == "https://api.telegram.org/file/bot"
    assert config.officers.group_chat_id == -1001234567890
    assert config.officers.supervisor_ids == [123456789]
    assert config.officers.officer_ids == []
    assert config.storage.url == "sqlite+aiosqlite:///data/sipoa.db"
    # The relative path is the example's folder's data/.
    assert config.storage.sqlite_path() == ROOT / "data" / "sipoa.db"
    # Its other values are the defaults: the example documents, it does not change behaviour.
    defaults = Config.model_validate({"officers": {"group_chat_id": -1}})
    for section in Config.model_fields:
        if section not in ("telegram", "officers", "storage"):
            assert getattr(config, section) == getattr(defaults, section), section
    assert config.telegram.poll_timeout_seconds == defaults.telegram.poll_timeout_seconds


def test_example_without_a_token_says_where_to_get_one():
    (problem,) = problems_of(EXAMPLE)
    assert problem.startswith("telegram.token: missing")
    assert "@BotFather" in problem and TOKEN_ENV in problem


def _fields(model: type[BaseModel], prefix: str = ""):
    for name, info in model.model_fields.items():
        yield prefix + name
        annotation = info.annotation
        inner = getattr(annotation, "__args__", (annotation,))[0]
        if isinstance(inner, type) and issubclass(inner, BaseModel):
            yield from _fields(inner, prefix + name + ".")


def test_example_mentions_every_field_of_every_section():
    data = tomllib.loads(EXAMPLE.read_text(encoding="utf-8"))
    text = EXAMPLE.read_text(encoding="utf-8")
    missing = []
    for dotted in _fields(Config):
        parts = dotted.split(".")
        node = data
        for part in parts:
            node = node[0] if isinstance(node, list) and node else node
            node = node.get(part) if isinstance(node, dict) else None
        # storage.base_dir is filled in by load_config: the example explains it in a comment.
        if node is None and not (dotted == "storage.base_dir" and "base_dir" in text):
            # [[offices]] is shown commented out: uncommented, it would make the example multi-office.
            leaf = parts[-1]
            if not (parts[0] == "offices" and (f"# {leaf} = " in text or f"# [[{leaf}]]" in text)):
                missing.append(dotted)
    assert missing == []


def test_the_readme_reference_names_every_key():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    missing = [dotted for dotted in _fields(Config) if f"`{dotted.rsplit('.', 1)[-1]}`" not in readme
               and f"[{dotted}]" not in readme]
    assert missing == []


def test_every_key_of_the_example_carries_a_comment():
    """On its line or in the comment block right above it (the categories share one block)."""
    undocumented = []
    previous = ""
    for line in EXAMPLE.read_text(encoding="utf-8").splitlines():
        stripped = line.strip()
        is_key = bool(stripped) and not stripped.startswith(("#", "[")) and "=" in stripped
        if is_key and "#" not in stripped and not previous.startswith("#"):
            in_category = previous.startswith(("code", "id ", "[[intake.categories]]", "id="))
            if not in_category:
                undocumented.append(stripped)
        previous = stripped
    assert undocumented == []


# --- loading ------------------------------------------------------------------------------------


def test_minimal_config_gets_defaults(tmp_path):
    config = load_config(write(tmp_path, MINIMAL), env={})
    assert config.officers.supervisor_ids == [] and config.officers.show_reporter_identity is False
    assert [c.code for c in config.intake.categories] == [c.code for c in DEFAULT_CATEGORIES]
    assert config.category("overstay").en == "Overstaying / expired permit"
    assert config.category("nope") is None
    assert config.storage.base_dir == str(tmp_path.resolve())


def test_environment_token_wins_over_the_file(tmp_path):
    config = load_config(write(tmp_path, MINIMAL), env={TOKEN_ENV: "999:from-env"})
    assert config.telegram.token == "999:from-env"


def test_blank_token_is_missing(tmp_path):
    path = write(tmp_path, 'telegram.token = "   "\nofficers.group_chat_id = -1\n')
    assert problems_of(path)[0].startswith("telegram.token: missing")


@pytest.mark.parametrize(
    "extra, expected",
    [
        ("officers.group_chat_id = 42\n", "officers.group_chat_id: must be a negative number"),
        ("officers.supervisor_id = [1]\n", "officers.supervisor_id: unknown key; check its spelling"),
        ("[telegrm]\ntoken = 'x'\n", "telegrm: unknown key"),
        ("storage.url = 'mysql://x/y'\n", "storage.url: must start with sqlite+aiosqlite:///"),
        ("office.timezone = 'Mars/Olympus'\n", "office.timezone: unknown time zone 'Mars/Olympus'"),
        ("office.report_prefix = 'tng'\n", "office.report_prefix:"),
        ("telegram.poll_timeout_seconds = 90\n", "telegram.poll_timeout_seconds:"),
        ("logging.level = 'LOUD'\n", "logging.level:"),
        ("dispatcher.group_messages_per_minute = 30\n", "dispatcher.group_messages_per_minute:"),
        ("intake.description_min_chars = 500\nintake.description_max_chars = 400\n",
         "intake: description_min_chars must be below description_max_chars"),
        ("[[intake.categories]]\ncode='a'\nid='A'\nen='A'\n[[intake.categories]]\ncode='a'\nid='B'\nen='B'\n",
         "intake: categories have a duplicate code"),
        ("[[intake.categories]]\ncode='Bad Code'\nid='A'\nen='A'\n", "intake.categories.0.code:"),
    ],
)
def test_each_mistake_names_its_key(tmp_path, extra, expected):
    base = MINIMAL if "group_chat_id" not in extra else 'telegram.token = "1:x"\n'
    problems = problems_of(write(tmp_path, base + extra))
    assert any(p.startswith(expected) for p in problems), problems


def test_every_problem_is_reported_at_once(tmp_path):
    path = write(tmp_path, 'telegram.token = "1:x"\n[officers]\nsupervisor_ids = ["x"]\n[office]\nhotlin = "1"\n')
    problems = problems_of(path)
    assert any(p == "officers.group_chat_id: required, but missing" for p in problems)
    assert any(p.startswith("officers.supervisor_ids.0:") for p in problems)
    assert any(p.startswith("office.hotlin: unknown key") for p in problems)


def test_malformed_toml_unreadable_and_binary_files(tmp_path):
    (p,) = problems_of(write(tmp_path, "[telegram\ntoken = 1\n"))
    assert "is not valid TOML" in p and "line 1" in p
    (p,) = problems_of(tmp_path / "absent.toml")
    assert "absent.toml: cannot be read" in p
    bad = tmp_path / "bin.toml"
    bad.write_bytes(b"\xff\xfe\x00")
    (p,) = problems_of(bad)
    assert "is not UTF-8 text" in p


# --- paths --------------------------------------------------------------------------------------


def test_storage_urls_resolve_relative_sqlite_paths_against_the_config_folder(tmp_path):
    def storage(url: str):
        return parse_config(
            {"telegram": {"token": "1:x"}, "officers": {"group_chat_id": -1}, "storage": {"url": url}},
            base_dir=tmp_path,
            env={},
        ).storage

    rel = storage("sqlite+aiosqlite:///data/x.db")
    assert rel.resolved_url() == f"sqlite+aiosqlite:///{tmp_path.resolve() / 'data' / 'x.db'}"
    assert rel.sqlite_path() == tmp_path.resolve() / "data" / "x.db"
    absolute = storage("sqlite+aiosqlite:////srv/sipoa.db")
    assert absolute.resolved_url() == "sqlite+aiosqlite:////srv/sipoa.db"
    memory = storage("sqlite+aiosqlite:///:memory:")
    assert memory.resolved_url() == "sqlite+aiosqlite:///:memory:" and memory.sqlite_path() is None
    pg = storage("postgresql+asyncpg://u:p@db/sipoa")
    assert pg.resolved_url() == "postgresql+asyncpg://u:p@db/sipoa" and pg.sqlite_path() is None


def test_jurisdiction_path_is_relative_to_the_config_folder(tmp_path):
    config = load_config(write(tmp_path, MINIMAL + 'office.jurisdiction = "areas/x.geojson"\n'), env={})
    assert config.jurisdiction_path() == tmp_path.resolve() / "areas" / "x.geojson"
    assert load_config(write(tmp_path, MINIMAL), env={}).jurisdiction_path() is None


def test_sections_are_frozen():
    config = Config.model_validate({"officers": {"group_chat_id": -1}})
    with pytest.raises(Exception):
        config.officers.group_chat_id = -2  # type: ignore[misc]
