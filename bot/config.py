"""Configuration: a TOML file read into validated, typed sections.

Every problem is collected and reported as a sentence an operator can act on; nothing here raises a
traceback at a person who mistyped a key. `load_config` is the only way the CLI reads a file; tests
build a `Config` directly with `Config.model_validate`.
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

TOKEN_ENV = "SIPOA_TELEGRAM_TOKEN"


class ConfigError(Exception):
    """The config cannot be used; `problems` are operator-facing sentences."""

    def __init__(self, problems: list[str]):
        super().__init__("\n".join(problems))
        self.problems = problems


class _Section(BaseModel):
    # An unknown key is almost always a typo of a known one; refusing it beats silently ignoring it.
    model_config = ConfigDict(extra="forbid", frozen=True)


class TelegramSection(_Section):
    token: str = ""
    base_url: str = "https://api.telegram.org/bot"
    base_file_url: str = "https://api.telegram.org/file/bot"
    # Long-polling timeout handed to getUpdates.
    poll_timeout_seconds: int = Field(default=10, ge=0, le=50)


class OfficersSection(_Section):
    group_chat_id: int
    supervisor_ids: list[int] = Field(default_factory=list)
    officer_ids: list[int] = Field(default_factory=list)
    show_reporter_identity: bool = False

    @field_validator("group_chat_id")
    @classmethod
    def _group_is_negative(cls, v: int) -> int:
        if v >= 0:
            raise ValueError(
                "must be a negative number: Telegram group ids start with '-' "
                "(supergroups with -100…). Add the bot to the officers' group, send a message there, "
                "and read the id from the bot's log"
            )
        return v


class StorageSection(_Section):
    url: str = "sqlite+aiosqlite:///data/sipoa.db"
    # Filled in by load_config: the folder relative SQLite paths are resolved against.
    base_dir: str = "."

    @field_validator("url")
    @classmethod
    def _supported_driver(cls, v: str) -> str:
        if not (v.startswith("sqlite+aiosqlite://") or v.startswith("postgresql+asyncpg://")):
            raise ValueError("must start with sqlite+aiosqlite:/// or postgresql+asyncpg://")
        return v

    def resolved_url(self) -> str:
        """The URL with a relative SQLite path made relative to the config file's folder."""
        prefix = "sqlite+aiosqlite:///"
        if not self.url.startswith(prefix):
            return self.url
        path = self.url[len(prefix):]
        if path in ("", ":memory:") or path.startswith("/"):
            return self.url
        return prefix + str((Path(self.base_dir) / path).resolve())

    def sqlite_path(self) -> Path | None:
        url = self.resolved_url()
        prefix = "sqlite+aiosqlite:///"
        if url.startswith(prefix) and url[len(prefix):] not in ("", ":memory:"):
            return Path(url[len(prefix):])
        return None


class Category(_Section):
    code: str = Field(pattern=r"^[a-z][a-z0-9_]{0,23}$")
    id: str
    en: str


DEFAULT_CATEGORIES = [
    Category(code="overstay", id="Izin tinggal habis / overstay", en="Overstaying / expired permit"),
    Category(code="illegal_work", id="Bekerja tanpa izin", en="Working without a permit"),
    Category(code="suspicious", id="Aktivitas mencurigakan", en="Suspicious activity"),
    Category(code="public_order", id="Mengganggu ketertiban umum", en="Disturbing public order"),
    Category(code="document_misuse", id="Penyalahgunaan dokumen", en="Misuse of documents"),
    Category(code="other", id="Lainnya", en="Other"),
]


class OfficeSection(_Section):
    name: str = "Kantor Imigrasi Kelas I TPI Tangerang"
    # Report numbers read aloud at the desk: PREFIX-YEAR-000123.
    report_prefix: str = Field(default="TNG", pattern=r"^[A-Z]{2,6}$")
    timezone: str = "Asia/Jakarta"
    # GeoJSON of the jurisdiction; empty means the packaged Tangerang area.
    jurisdiction: str = ""
    hotline: str = ""

    @field_validator("timezone")
    @classmethod
    def _known_timezone(cls, v: str) -> str:
        from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

        try:
            ZoneInfo(v)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown time zone {v!r}; use an IANA name such as Asia/Jakarta") from None
        return v


class IntakeSection(_Section):
    draft_timeout_minutes: int = Field(default=30, ge=1, le=24 * 60)
    description_min_chars: int = Field(default=20, ge=1, le=500)
    description_max_chars: int = Field(default=2000, ge=50, le=3000)
    max_photos: int = Field(default=5, ge=1, le=10)
    # Seconds to wait for the rest of an album before answering it once.
    album_settle_seconds: float = Field(default=1.5, gt=0, le=10)
    categories: list[Category] = Field(default_factory=lambda: list(DEFAULT_CATEGORIES))

    @model_validator(mode="after")
    def _bounds(self) -> "IntakeSection":
        if self.description_min_chars >= self.description_max_chars:
            raise ValueError("description_min_chars must be below description_max_chars")
        codes = [c.code for c in self.categories]
        if not codes:
            raise ValueError("categories must list at least one category")
        if len(set(codes)) != len(codes):
            raise ValueError("categories have a duplicate code")
        return self


class DispatcherSection(_Section):
    # Telegram allows about 20 messages a minute into one group; stay under it.
    group_messages_per_minute: int = Field(default=19, ge=1, le=20)
    private_messages_per_second: float = Field(default=1.0, gt=0, le=30)
    poll_interval_seconds: float = Field(default=0.5, gt=0, le=30)
    max_backoff_seconds: float = Field(default=300, ge=1)
    # Sweeps of expired drafts and stuck rows.
    sweep_interval_seconds: float = Field(default=30, ge=1, le=3600)


class LoggingSection(_Section):
    level: str = Field(default="INFO", pattern=r"^(DEBUG|INFO|WARNING|ERROR)$")


class Config(_Section):
    telegram: TelegramSection = Field(default_factory=TelegramSection)
    officers: OfficersSection
    storage: StorageSection = Field(default_factory=StorageSection)
    office: OfficeSection = Field(default_factory=OfficeSection)
    intake: IntakeSection = Field(default_factory=IntakeSection)
    dispatcher: DispatcherSection = Field(default_factory=DispatcherSection)
    logging: LoggingSection = Field(default_factory=LoggingSection)

    def category(self, code: str) -> Category | None:
        return next((c for c in self.intake.categories if c.code == code), None)

    def jurisdiction_path(self) -> Path | None:
        if not self.office.jurisdiction:
            return None
        p = Path(self.office.jurisdiction)
        return p if p.is_absolute() else Path(self.storage.base_dir) / p


def _describe(err: ValidationError) -> list[str]:
    problems = []
    for e in err.errors():
        where = ".".join(str(p) for p in e["loc"]) or "(top level)"
        if e["type"] == "extra_forbidden":
            problems.append(f"{where}: unknown key; check its spelling against config.example.toml")
        elif e["type"] == "missing":
            problems.append(f"{where}: required, but missing")
        else:
            msg = e["msg"].removeprefix("Value error, ")
            problems.append(f"{where}: {msg}")
    return problems


def parse_config(data: dict[str, Any], *, base_dir: Path, env: dict[str, str] | None = None) -> Config:
    """Validate already-parsed TOML. Raises ConfigError with every problem found."""
    env = os.environ if env is None else env
    data = {k: (dict(v) if isinstance(v, dict) else v) for k, v in data.items()}
    storage = data.setdefault("storage", {})
    if isinstance(storage, dict):
        storage["base_dir"] = str(base_dir)
    if env.get(TOKEN_ENV):
        tg = data.setdefault("telegram", {})
        if isinstance(tg, dict):
            tg["token"] = env[TOKEN_ENV]
    try:
        config = Config.model_validate(data)
    except ValidationError as err:
        raise ConfigError(_describe(err)) from None
    if not config.telegram.token.strip():
        raise ConfigError(
            [f"telegram.token: missing; get one from @BotFather and put it in the config or in ${TOKEN_ENV}"]
        )
    return config


def load_config(path: Path, *, env: dict[str, str] | None = None) -> Config:
    try:
        raw = path.read_bytes()
    except OSError as err:
        raise ConfigError([f"{path}: cannot be read ({err.strerror or err})"]) from None
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise ConfigError([f"{path}: is not UTF-8 text"]) from None
    except tomllib.TOMLDecodeError as err:
        raise ConfigError([f"{path}: is not valid TOML ({err})"]) from None
    return parse_config(data, base_dir=path.resolve().parent, env=env)
