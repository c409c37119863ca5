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
    # `sipoa health` fails when a message has waited in the outbox longer than this (Telegram down,
    # the bot removed from the group, a backlog beyond the group's 20-a-minute limit).
    health_max_outbox_age_minutes: float = Field(default=10, gt=0)


class ScreeningWeights(_Section):
    """What each signal adds to (positive) or takes from (negative) the trust score."""

    # A phone number shared through the request_contact button, the sender's own.
    phone_verified: float = Field(default=0.1, ge=0, le=1)
    # Taken at the desk by an officer: the reporter stood in front of them.
    walk_in: float = Field(default=0.3, ge=0, le=1)
    # Scale of the outcome history: (Beta mean − 0.5) × 2 × this, so a long clean record adds up to it.
    reputation: float = Field(default=0.4, ge=0, le=1)
    # No concrete who/what/where/when in the text.
    vague: float = Field(default=-0.25, ge=-1, le=0)
    gibberish: float = Field(default=-0.4, ge=-1, le=0)
    # Insults or slurs aimed at a nationality: the mark of a grudge more than of a sighting.
    slur: float = Field(default=-0.3, ge=-1, le=0)
    # Nearly the same text as another account's recent report.
    near_duplicate: float = Field(default=-0.35, ge=-1, le=0)
    # Nearly the same text as the reporter's own recent report (a resend, or a flood).
    own_duplicate: float = Field(default=-0.15, ge=-1, le=0)
    # A photo already attached to another report (same file, or a re-encoded copy).
    photo_reused: float = Field(default=-0.35, ge=-1, le=0)
    photo_forwarded: float = Field(default=-0.1, ge=-1, le=0)
    # At least one photo of the reporter's own that no other report has.
    own_photo: float = Field(default=0.05, ge=0, le=1)
    live_location: float = Field(default=0.1, ge=0, le=1)
    gps_location: float = Field(default=0.05, ge=0, le=1)
    forwarded_location: float = Field(default=-0.2, ge=-1, le=0)
    typed_address: float = Field(default=-0.05, ge=-1, le=0)
    poor_accuracy: float = Field(default=-0.1, ge=-1, le=0)
    outside_jurisdiction: float = Field(default=-0.3, ge=-1, le=0)
    too_fast: float = Field(default=-0.3, ge=-1, le=0)
    # Reaching the hourly/daily count is refused outright; one below it already costs this.
    rate_high: float = Field(default=-0.1, ge=-1, le=0)
    new_account_burst: float = Field(default=-0.2, ge=-1, le=0)
    # The very same hand-placed map pin (to ~1 m) as another account's recent report: one hand
    # behind several accounts (real fixes and pins of different people never coincide).
    shared_pin: float = Field(default=-0.15, ge=-1, le=0)
    repeat_target: float = Field(default=-0.2, ge=-1, le=0)
    # Each independent witness of the same place and time (another account, own words, own photos).
    witness: float = Field(default=0.1, ge=0, le=1)
    witness_max: float = Field(default=0.2, ge=0, le=1)


def _default_related() -> list[list[str]]:
    return [["overstay", "illegal_work", "document_misuse"], ["suspicious", "public_order", "other"]]


class ScreeningSection(_Section):
    enabled: bool = True
    # Where every report starts before its signals: a plain, concrete report from a newcomer.
    base_score: float = Field(default=0.6, ge=0, le=1)
    # Score at or above: to the group now; below: held for a human. Reject is never by score alone.
    accept_threshold: float = Field(default=0.5, ge=0, le=1)
    # Reports a reporter may submit; reaching either count refuses the next one (walk-ins exempt).
    max_reports_per_hour: int = Field(default=3, ge=1)
    max_reports_per_day: int = Field(default=6, ge=1)
    # Refusals for rate within 24 h that restrict the reporter; each restriction lasts the next
    # duration in the ladder (the last repeats) until a supervisor lifts it.
    restrict_after_strikes: int = Field(default=2, ge=1)
    restriction_days: list[float] = Field(default_factory=lambda: [1.0, 7.0, 30.0], min_length=1)
    # Beta prior of the outcome history (confirmed, false): a newcomer sits at 0.5, neither side.
    reputation_prior: float = Field(default=2.0, gt=0)
    # A reporter seen for less than this, unverified and without a confirmed report, is "new".
    new_account_days: float = Field(default=7.0, ge=0)
    # Fewer words than this, or fewer than `concrete_min_facets` of who/what/where/when/number: vague.
    vague_min_words: int = Field(default=5, ge=1)
    concrete_min_facets: int = Field(default=2, ge=1, le=5)
    # rapidfuzz similarity (0-100) from which two texts count as a copy; shorter texts are not compared.
    near_duplicate_ratio: float = Field(default=88.0, ge=50, le=100)
    duplicate_min_chars: int = Field(default=25, ge=1)
    duplicate_window_days: float = Field(default=7.0, gt=0)
    # Hamming distance between 64-bit perceptual hashes up to which two photos are the same picture.
    phash_max_distance: int = Field(default=6, ge=0, le=32)
    photo_window_days: float = Field(default=60.0, gt=0)
    good_accuracy_m: float = Field(default=50.0, gt=0)
    poor_accuracy_m: float = Field(default=1000.0, gt=0)
    # A whole conversation (category, place, story, photos) faster than this is not typed by hand.
    min_seconds_to_complete: float = Field(default=20.0, ge=0)
    # Faster than this many characters of description per second of conversation is pasted, not
    # typed (fast thumbs manage about 4).
    max_chars_per_second: float = Field(default=6.0, gt=0)
    # New accounts reporting one place within the window: from this many, each goes to review.
    burst_radius_m: float = Field(default=150.0, gt=0)
    burst_window_hours: float = Field(default=6.0, gt=0)
    burst_min_accounts: int = Field(default=4, ge=2)
    # ... or from this many when none of those accounts brought evidence of being there (a GPS or
    # live fix, or a photo of their own): hand-placed pins from fresh accounts.
    burst_min_without_evidence: int = Field(default=3, ge=2)
    # One reporter's earlier reports about the same spot within the window: from this many, the next
    # goes to review (grudges against a neighbour), unless officers confirmed one of them.
    repeat_target_radius_m: float = Field(default=100.0, gt=0)
    repeat_target_window_days: float = Field(default=30.0, gt=0)
    repeat_target_min_previous: int = Field(default=1, ge=1)
    # A report joins an open incident this near (to its first report) and recent (to its last one).
    incident_radius_m: float = Field(default=150.0, gt=0)
    incident_window_hours: float = Field(default=48.0, gt=0)
    # Category codes that may share an incident (a code always relates to itself).
    related_categories: list[list[str]] = Field(default_factory=_default_related)
    # Held reports are listed by /review to supervisors; also to officers when true.
    review_by_officers: bool = False
    # Reasons shown on the group alert's score line and in /review.
    reasons_on_alert: int = Field(default=2, ge=0, le=5)
    reasons_in_review: int = Field(default=3, ge=1, le=8)
    weights: ScreeningWeights = Field(default_factory=ScreeningWeights)


class SlaSection(_Section):
    # An alert nobody took for this long gets a reminder in the group, as a reply to the alert.
    remind_after_minutes: int = Field(default=15, ge=1, le=24 * 60)
    # Nobody took it for this long: each supervisor is told in a private message.
    escalate_after_minutes: int = Field(default=60, ge=1, le=7 * 24 * 60)
    # A taken report still open after this is listed in the daily digest.
    close_within_hours: int = Field(default=24, ge=1, le=90 * 24)
    # Hour (office time zone) of the daily digest to supervisors.
    digest_hour: int = Field(default=7, ge=0, le=23)

    @model_validator(mode="after")
    def _escalate_after_remind(self) -> "SlaSection":
        if self.escalate_after_minutes <= self.remind_after_minutes:
            raise ValueError("escalate_after_minutes must be above remind_after_minutes")
        return self


class RetentionSection(_Section):
    # Photos of reports older than this are deleted (the report keeps its photo count).
    photos_days: int = Field(default=180, ge=1)
    # Reporters' phone hashes stored longer than this are deleted ("verified" stays).
    phones_days: int = Field(default=365, ge=1)


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
    screening: ScreeningSection = Field(default_factory=ScreeningSection)
    sla: SlaSection = Field(default_factory=SlaSection)
    retention: RetentionSection = Field(default_factory=RetentionSection)

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
