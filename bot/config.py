"""Configuration: a TOML file read into validated, typed sections.

Every problem is collected and reported as a sentence an operator can act on; nothing here raises a
traceback at a person who mistyped a key. `load_config` is the only way the CLI reads a file; tests
build a `Config` directly with `Config.model_validate`.
"""

from __future__ import annotations

import os
import re
import tomllib
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

TOKEN_ENV = "SIPOA_TELEGRAM_TOKEN"
# `jurisdiction = "packaged:jakarta_selatan"` names an area shipped in bot/data/.
PACKAGED_AREA = "packaged:"
WEBHOOK_SECRET_ENV = "SIPOA_WEBHOOK_SECRET"


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
    # Required without [[offices]]; with them, optional and unused (each office names its group).
    group_chat_id: int | None = None
    # With [[offices]]: the NATIONAL supervisors (every office); each office lists its own too.
    supervisor_ids: list[int] = Field(default_factory=list)
    officer_ids: list[int] = Field(default_factory=list)
    show_reporter_identity: bool = False

    @field_validator("group_chat_id")
    @classmethod
    def _group_is_negative(cls, v: int | None) -> int | None:
        if v is not None and v >= 0:
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


class OfficeEntry(_Section):
    """One office of a national deployment ([[offices]]); bot/offices.py turns these into `Office`s."""

    name: str = Field(min_length=1)
    # The office's key everywhere (report numbers, stored reports, settings): unique, never renamed.
    report_prefix: str = Field(pattern=r"^[A-Z]{2,6}$")
    # GeoJSON of its area, relative to the config file; empty means the packaged Tangerang area.
    jurisdiction: str = ""
    group_chat_id: int
    supervisor_ids: list[int] = Field(default_factory=list)
    officer_ids: list[int] = Field(default_factory=list)
    # More names a typed address may use for the area (besides its kecamatan and kabupaten/kota).
    area_names: list[str] = Field(default_factory=list)
    hotline: str = ""
    # The office's own clock (WIB, WITA or WIT across Indonesia): the times its group, its residents and
    # its supervisors read, and where its days begin. Unset: [office].timezone.
    timezone: str | None = None

    _group_is_negative = field_validator("group_chat_id")(OfficersSection._group_is_negative.__func__)

    @field_validator("timezone")
    @classmethod
    def _known_timezone(cls, v: str | None) -> str | None:
        return None if v is None else OfficeSection._known_timezone(v)


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
    # Telegram's ~30 a second over all chats (replies and outbox together). Raised only by
    # bench/throughput.py, which lifts the fake's cap too: it measures the bot, not Telegram's limit.
    global_messages_per_second: int = Field(default=30, ge=1)
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


class WebhookSection(_Section):
    """`sipoa run --webhook`: Telegram pushes updates to this address instead of the bot polling."""

    # Where this replica's HTTP server listens (a reverse proxy or load balancer forwards to it).
    listen: str = "127.0.0.1"
    port: int = Field(default=8443, ge=1, le=65535)
    url_path: str = "/telegram"
    # The HTTPS URL Telegram posts to (the load balancer's, the same for every replica).
    public_url: str = ""
    # Telegram sends it in X-Telegram-Bot-Api-Secret-Token; other requests get 403. Required in
    # webhook mode; $SIPOA_WEBHOOK_SECRET overrides it (keep it out of the file).
    secret_token: str = ""
    # Simultaneous HTTPS connections Telegram opens to the webhook (Telegram allows 1-100).
    max_connections: int = Field(default=40, ge=1, le=100)
    # Whether this replica calls setWebhook at start-up; behind one load balancer, one replica
    # (or all, with identical settings) may: the URL is the same.
    set_webhook: bool = True

    @field_validator("secret_token")
    @classmethod
    def _telegram_secret(cls, v: str) -> str:
        if v and not re.fullmatch(r"[A-Za-z0-9_-]{1,256}", v):
            raise ValueError("Telegram allows 1-256 characters A-Z, a-z, 0-9, _ and - only")
        return v

    @field_validator("url_path")
    @classmethod
    def _path(cls, v: str) -> str:
        if not re.fullmatch(r"/?[A-Za-z0-9_./-]*", v):
            raise ValueError("must be a URL path such as /telegram (letters, digits, _ - . /)")
        return v if v.startswith("/") else "/" + v


class LoggingSection(_Section):
    level: str = Field(default="INFO", pattern=r"^(DEBUG|INFO|WARNING|ERROR)$")


class Config(_Section):
    telegram: TelegramSection = Field(default_factory=TelegramSection)
    officers: OfficersSection = Field(default_factory=OfficersSection)
    storage: StorageSection = Field(default_factory=StorageSection)
    office: OfficeSection = Field(default_factory=OfficeSection)
    intake: IntakeSection = Field(default_factory=IntakeSection)
    dispatcher: DispatcherSection = Field(default_factory=DispatcherSection)
    logging: LoggingSection = Field(default_factory=LoggingSection)
    screening: ScreeningSection = Field(default_factory=ScreeningSection)
    sla: SlaSection = Field(default_factory=SlaSection)
    retention: RetentionSection = Field(default_factory=RetentionSection)
    webhook: WebhookSection = Field(default_factory=WebhookSection)
    # Several offices in one bot (issue 6); absent: one office from [office] + [officers].
    offices: list[OfficeEntry] = Field(default_factory=list)

    @model_validator(mode="after")
    def _offices_consistent(self) -> "Config":
        problems = _office_problems(self)
        if problems:
            raise ValueError("\n".join(problems))
        return self

    def category(self, code: str) -> Category | None:
        return next((c for c in self.intake.categories if c.code == code), None)

    def jurisdiction_path(self, value: str | None = None) -> Path | None:
        """The GeoJSON file of [office] (or of `value`, an office's entry), None for the packaged area."""
        value = self.office.jurisdiction if value is None else value
        if not value:
            return None
        if value.startswith(PACKAGED_AREA):
            # An area shipped with the bot (bot/data/<name>.geojson): no machine path in the config.
            return Path(__file__).parent / "data" / f"{Path(value[len(PACKAGED_AREA):]).name}.geojson"
        p = Path(value)
        return p if p.is_absolute() else Path(self.storage.base_dir) / p


def _office_problems(config: Config) -> list[str]:
    """Operator-facing sentences for an inconsistent office setup (each names its key)."""
    if not config.offices:
        if config.officers.group_chat_id is None:
            return ["officers.group_chat_id: required, but missing"]
        return []
    problems = []
    if config.officers.officer_ids:
        problems.append("officers.officer_ids: with [[offices]], list officers in each office's officer_ids")
    set_in_office = sorted({"name", "report_prefix", "jurisdiction"} & config.office.model_fields_set)
    for key in set_in_office:
        problems.append(f"office.{key}: with [[offices]], set {key} in each [[offices]] entry instead")
    seen_prefix: dict[str, int] = {}
    seen_group: dict[int, int] = {}
    for i, entry in enumerate(config.offices):
        where = f"offices.{i}"
        if entry.report_prefix in seen_prefix:
            problems.append(f"{where}.report_prefix: {entry.report_prefix} is already the prefix of "
                            f"offices.{seen_prefix[entry.report_prefix]}; each office needs its own")
        seen_prefix.setdefault(entry.report_prefix, i)
        if entry.group_chat_id in seen_group:
            problems.append(f"{where}.group_chat_id: {entry.group_chat_id} is already the group of "
                            f"offices.{seen_group[entry.group_chat_id]}; each office needs its own group")
        seen_group.setdefault(entry.group_chat_id, i)
        path = config.jurisdiction_path(entry.jurisdiction)
        if path is not None and not path.is_file():
            problems.append(f"{where}.jurisdiction: file not found: {path}")
    return problems


def _describe(err: ValidationError) -> list[str]:
    problems = []
    for e in err.errors():
        where = ".".join(str(p) for p in e["loc"]) or "(top level)"
        if not e["loc"] and e["type"] == "value_error":
            # Config-wide checks (offices) already name their keys, one problem a line.
            problems.extend(e["msg"].removeprefix("Value error, ").splitlines())
        elif e["type"] == "extra_forbidden":
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
    if env.get(WEBHOOK_SECRET_ENV):
        hook = data.setdefault("webhook", {})
        if isinstance(hook, dict):
            hook["secret_token"] = env[WEBHOOK_SECRET_ENV]
    try:
        config = Config.model_validate(data)
    except ValidationError as err:
        problems = _describe(err)
        # The config-wide check runs only once every section is valid: say this one anyway, with the rest.
        officers = data.get("officers")
        missing = "officers.group_chat_id: required, but missing"
        if not data.get("offices") and not (isinstance(officers, dict) and "group_chat_id" in officers):
            problems = problems if missing in problems else [missing, *problems]
        raise ConfigError(problems) from None
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
