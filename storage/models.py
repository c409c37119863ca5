"""SQLModel tables: the durable truth of the bot.

Conventions, because the same code runs on SQLite and PostgreSQL:
- Telegram ids (users, chats, messages) are 64-bit: `BigInteger` columns.
- Timestamps are timezone-aware UTC (`bot.clock.utcnow()`): sqlmodel maps `datetime` fields to its
  UTCDateTime (timestamptz on PostgreSQL) and refuses naive values. They are shown in Asia/Jakarta.
- Durations that statistics need (seconds to taken, to closed) are stored as integers at the moment
  of the transition, so percentiles are plain window functions on both engines.
- JSON columns use SQLAlchemy's portable `JSON` type.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, Index, Text, UniqueConstraint
from sqlmodel import Field, SQLModel


class ReportStatus:
    NEW = "new"
    TAKEN = "taken"
    RESOLVED = "resolved"
    FALSE_REPORT = "false_report"
    # Screening (bot/screening): held for a human in /review, or refused; neither reached the group.
    HELD = "held"
    REJECTED = "rejected"
    SCREENED_OUT = (HELD, REJECTED)
    OPEN = (NEW, TAKEN)
    CLOSED = (RESOLVED, FALSE_REPORT)
    ALL = (NEW, TAKEN, RESOLVED, FALSE_REPORT)


class DraftStatus:
    ACTIVE = "active"
    EXPIRED = "expired"


class OutboxStatus:
    PENDING = "pending"
    SENT = "sent"
    # Telegram refused it for good (and the fallback too); kept for the operator, never retried.
    FAILED = "failed"


class Reporter(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    # NULL for a walk-in complainant (kind "walk_in"): not a Telegram user, nobody to message.
    # (Unique allows many NULLs on SQLite and PostgreSQL.)
    telegram_id: int | None = Field(default=None, sa_type=BigInteger, unique=True, index=True)
    # Shown to officers instead of any identity: a stable pseudonym such as "P-7F3A2C".
    alias: str = Field(unique=True, max_length=16)
    # Identity is stored for the office (walk-in follow-up, abuse) but never shown by default.
    first_name: str | None = Field(default=None, max_length=128)
    username: str | None = Field(default=None, max_length=64)
    language: str = Field(default="id", max_length=8)
    # True once the language was chosen with /bahasa; Telegram's language_code no longer overrides it.
    language_chosen: bool = False
    phone_hash: str | None = Field(default=None, max_length=128)
    phone_verified: bool = False
    created_at: datetime
    restricted_until: datetime | None = None
    # How many times screening/supervisors restricted them: the next restriction lasts longer.
    restriction_level: int = 0
    # telegram | walk_in: one row per walk-in complainant (own alias, own history; bot/walkin.py).
    kind: str = Field(default="telegram", max_length=16)
    # A walk-in complainant's phone as given at the desk: for the office only, purged by retention.
    phone: str | None = Field(default=None, max_length=32)


class Draft(SQLModel, table=True):
    """A report being written. One per resident; the row and its step are the conversation state."""

    # Ids never reused (SQLite would hand a deleted max id out again): a stale button names one draft.
    __table_args__ = {"sqlite_autoincrement": True}

    id: int | None = Field(default=None, primary_key=True)
    reporter_id: int = Field(foreign_key="reporter.id", unique=True)
    chat_id: int = Field(sa_type=BigInteger)
    channel: str = Field(default="telegram", max_length=16)
    step: str = Field(max_length=32)
    status: str = Field(default=DraftStatus.ACTIVE, max_length=16, index=True)
    # The step to return to after an edit from the review ("" = none).
    return_to: str = Field(default="", max_length=32)
    category: str | None = Field(default=None, max_length=24)
    lat: float | None = None
    lon: float | None = None
    accuracy_m: float | None = None
    # gps | live | venue | pin | forwarded | text
    location_source: str | None = Field(default=None, max_length=16)
    address_text: str | None = Field(default=None, sa_type=Text)
    area_label: str | None = Field(default=None, max_length=128)
    description: str | None = Field(default=None, sa_type=Text)
    # Walk-in extras and later fields, without a schema change for each.
    extra: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)
    # The media_group_id whose album answer is still pending (answered once, after it settles).
    album_id: str | None = Field(default=None, max_length=64)
    started_at: datetime
    updated_at: datetime
    expires_at: datetime = Field(index=True)
    # Telegram redelivers updates that were not confirmed before a crash: skip what was applied.
    last_update_id: int | None = Field(default=None, sa_type=BigInteger)
    # The officer typing a walk-in draft (channel "walk_in"): their messages go to it, one at a time.
    officer_id: int | None = Field(default=None, sa_type=BigInteger, unique=True)


class Report(SQLModel, table=True):
    __table_args__ = (
        UniqueConstraint("year", "seq", "prefix", name="uq_report_year_seq"),
        Index("ix_report_status_created", "status", "created_at"),
        # Covers every column /stats <period> groups or ranks (storage/period_stats.py): its queries
        # read this index alone, never the rows with their long descriptions (a year of 100,000
        # reports in well under a second).
        # prefix last: an office's /stats (WHERE prefix IN …) reads this index alone too.
        Index("ix_report_stats", "created_at", "status", "category", "channel", "area_label", "taken_by",
              "taken_by_name", "seconds_to_taken", "seconds_to_closed", "lat", "lon", "prefix"),
        # The SLA sweep (storage/sla.py) looks among new reports only, not every past deadline.
        Index("ix_report_sla_remind", "status", "remind_at"),
        Index("ix_report_sla_escalate", "status", "escalate_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    number: str = Field(unique=True, max_length=32)
    prefix: str = Field(max_length=8)
    year: int
    seq: int
    reporter_id: int = Field(foreign_key="reporter.id", index=True)
    channel: str = Field(default="telegram", max_length=16)
    language: str = Field(default="id", max_length=8)
    category: str = Field(max_length=24, index=True)
    status: str = Field(default=ReportStatus.NEW, max_length=16)
    lat: float | None = None
    lon: float | None = None
    accuracy_m: float | None = None
    location_source: str | None = Field(default=None, max_length=16)
    address_text: str | None = Field(default=None, sa_type=Text)
    area_label: str | None = Field(default=None, max_length=128)
    description: str = Field(sa_type=Text)
    photo_count: int = 0
    extra: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)
    draft_started_at: datetime | None = None
    created_at: datetime = Field(index=True)
    taken_at: datetime | None = None
    taken_by: int | None = Field(default=None, sa_type=BigInteger)
    taken_by_name: str | None = Field(default=None, max_length=128)
    closed_at: datetime | None = None
    closed_by: int | None = Field(default=None, sa_type=BigInteger)
    closed_by_name: str | None = Field(default=None, max_length=128)
    seconds_to_taken: int | None = None
    seconds_to_closed: int | None = None
    # The update that confirmed it: a redelivered Submit finds this row instead of making another.
    submit_update_id: int | None = Field(default=None, sa_type=BigInteger, unique=True)
    # The draft it came from (deleted since): a second press of that draft's Submit finds this report.
    draft_id: int | None = Field(default=None, index=True)
    # Where the alert landed, recorded by the dispatcher from Telegram's answer.
    alert_chat_id: int | None = Field(default=None, sa_type=BigInteger)
    alert_message_id: int | None = Field(default=None, sa_type=BigInteger)
    alert_is_photo: bool = False
    # Screening: the incident it belongs to, the trust score, accept|review|reject, and the reasons
    # as [{"key", "values", "contribution"}] rendered in the reader's language when shown.
    incident_id: int | None = Field(default=None, foreign_key="incident.id", index=True)
    trust_score: float | None = None
    decision: str | None = Field(default=None, max_length=16)
    reasons: list[dict[str, Any]] = Field(default_factory=list, sa_type=JSON)
    # SLA (bot/sla.py): when an untaken report is reminded in the group and escalated to supervisors,
    # set when it reaches the group; the *_ed stamps make each fire once (conditional UPDATEs).
    remind_at: datetime | None = None
    escalate_at: datetime | None = None
    reminded_at: datetime | None = None
    escalated_at: datetime | None = None


class Photo(SQLModel, table=True):
    """A photo of a draft, then of the report it became (draft_id cleared, report_id set)."""

    id: int | None = Field(default=None, primary_key=True)
    draft_id: int | None = Field(default=None, foreign_key="draft.id", index=True, ondelete="CASCADE")
    report_id: int | None = Field(default=None, foreign_key="report.id", index=True)
    position: int = 0
    # photo | document (an image sent as a file: re-encoded without EXIF before officers see it)
    kind: str = Field(default="photo", max_length=16)
    file_id: str = Field(max_length=256)
    file_unique_id: str = Field(max_length=128, index=True)
    mime_type: str | None = Field(default=None, max_length=64)
    width: int | None = None
    height: int | None = None
    file_size: int | None = None
    forwarded: bool = False
    media_group_id: str | None = Field(default=None, max_length=64)
    # A file_id of the EXIF-free copy the bot uploaded, so it is re-encoded once.
    clean_file_id: str | None = Field(default=None, max_length=256)
    # Perceptual hash (16 hex digits) of the downloaded image: catches re-encoded recycled photos.
    phash: str | None = Field(default=None, max_length=32, index=True)
    created_at: datetime


class ReportEvent(SQLModel, table=True):
    """The audit trail: every status change and every notable act on a report."""

    id: int | None = Field(default=None, primary_key=True)
    report_id: int = Field(foreign_key="report.id", index=True)
    at: datetime
    action: str = Field(max_length=32)
    actor_id: int | None = Field(default=None, sa_type=BigInteger)
    actor_name: str | None = Field(default=None, max_length=128)
    from_status: str | None = Field(default=None, max_length=16)
    to_status: str | None = Field(default=None, max_length=16)
    note: str | None = Field(default=None, sa_type=Text)


class Incident(SQLModel, table=True):
    """Reports near each other in place and time, shown to officers as one group message."""

    id: int | None = Field(default=None, primary_key=True)
    # The report whose alert is the incident's group message (no FK: Report points here too).
    primary_report_id: int = Field(index=True)
    category: str = Field(max_length=24)
    lat: float | None = None
    lon: float | None = None
    report_count: int = 1
    opened_at: datetime
    last_report_at: datetime = Field(index=True)


class ReporterEvent(SQLModel, table=True):
    """Audit of acts on a reporter: restricted, unrestricted, rate-limited, phone verified."""

    id: int | None = Field(default=None, primary_key=True)
    reporter_id: int = Field(foreign_key="reporter.id", index=True)
    at: datetime = Field(index=True)
    action: str = Field(max_length=32)
    actor_id: int | None = Field(default=None, sa_type=BigInteger)
    actor_name: str | None = Field(default=None, max_length=128)
    report_id: int | None = Field(default=None, foreign_key="report.id")
    level: int | None = None
    until: datetime | None = None
    note: str | None = Field(default=None, sa_type=Text)


class Outbox(SQLModel, table=True):
    """A message to send. Written in the same transaction as the change that causes it.

    `kind` says how the dispatcher renders it at send time from the current rows (so an alert sent
    late shows the report's current status), `payload` carries what the kind needs.
    """

    __table_args__ = (Index("ix_outbox_due", "status", "next_attempt_at"),)

    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=32)
    chat_id: int = Field(sa_type=BigInteger)
    report_id: int | None = Field(default=None, foreign_key="report.id", index=True)
    payload: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)
    status: str = Field(default=OutboxStatus.PENDING, max_length=16)
    attempts: int = 0
    next_attempt_at: datetime
    # A claim: the dispatcher that holds it until then; another may take it after (crash, replicas).
    lease_until: datetime | None = None
    last_error: str | None = Field(default=None, sa_type=Text)
    created_at: datetime
    sent_at: datetime | None = None
    message_id: int | None = Field(default=None, sa_type=BigInteger)
    # Makes enqueueing idempotent: the same logical message is queued once.
    dedupe_key: str | None = Field(default=None, max_length=128, unique=True)


class OfficerDuty(SQLModel, table=True):
    """Who is on duty (/duty on|off): SLA reminders in the group mention them by name."""

    id: int | None = Field(default=None, primary_key=True)
    officer_id: int = Field(sa_type=BigInteger, unique=True)
    # The name the reminder's mention shows (Telegram's first/last name at the last /duty).
    name: str = Field(max_length=128)
    on_duty: bool = False
    updated_at: datetime
    # The office (key) they are on duty for: its reminders mention them. NULL (rows from before
    # several offices): the first office's.
    office: str | None = Field(default=None, max_length=8)


class FollowUp(SQLModel, table=True):
    """One message relayed by the bot between the officers and a reporter about a report (a question,
    an answer, added information): neither side sees the other's identity. Audited by a ReportEvent
    written with it."""

    __table_args__ = (Index("ix_followup_delivered", "delivered_chat_id", "delivered_message_id"),)

    id: int | None = Field(default=None, primary_key=True)
    report_id: int = Field(foreign_key="report.id", index=True)
    # question (officer → reporter) | answer | info (reporter → officers)
    kind: str = Field(max_length=16)
    # Telegram id of who wrote it: stored for the office, never shown to the other side.
    author_id: int = Field(sa_type=BigInteger, index=True)
    text: str | None = Field(default=None, sa_type=Text)
    photo_file_id: str | None = Field(default=None, max_length=256)
    # photo | document (an image file: re-encoded without EXIF before officers see it)
    photo_kind: str | None = Field(default=None, max_length=16)
    created_at: datetime
    # The update it came from: a redelivered update relays nothing twice.
    update_id: int | None = Field(default=None, sa_type=BigInteger, unique=True)
    # Where the reporter's copy of a question landed: a reply to that message answers it.
    delivered_chat_id: int | None = Field(default=None, sa_type=BigInteger)
    delivered_message_id: int | None = Field(default=None, sa_type=BigInteger)


class FollowUpWait(SQLModel, table=True):
    """Whose next private message is a follow-up, after pressing Ask / Answer / Add info. In the
    database, not in memory: a restart between the press and the message loses nothing."""

    user_id: int = Field(sa_type=BigInteger, primary_key=True, sa_column_kwargs={"autoincrement": False})
    report_id: int = Field(foreign_key="report.id")
    kind: str = Field(max_length=16)
    created_at: datetime
    expires_at: datetime
    # The album being taken as one answer: its later parts belong to it, anything else ends the wait.
    media_group_id: str | None = Field(default=None, max_length=64)


class Setting(SQLModel, table=True):
    """Small operational facts that must outlive the process (the group id after a migration)."""

    key: str = Field(primary_key=True, max_length=64)
    value: str = Field(sa_type=Text)
    updated_at: datetime


class Counter(SQLModel, table=True):
    """Gap-tolerant sequences, e.g. report numbers per prefix and year."""

    name: str = Field(primary_key=True, max_length=64)
    value: int = 0


class JobLease(SQLModel, table=True):
    """Replicas share the timers: a sweep or daily job runs for a period on the replica that takes
    its lease first (storage/leases.py); the others skip that period."""

    name: str = Field(primary_key=True, max_length=64)
    # The replica that ran it last (host:pid), for the operator reading the table.
    holder: str = Field(max_length=128)
    # The period it ran for (e.g. the sweep interval's number since the epoch): taken once each.
    period: str = Field(max_length=64)
    taken_at: datetime


class GroupSend(SQLModel, table=True):
    """Messages sent (or about to be) into a group, shared by replicas: Telegram's ~20 a minute per
    group holds across processes only if they count together (storage/group_sends.py)."""

    __table_args__ = (Index("ix_groupsend_chat_at", "chat_id", "at"),)

    id: int | None = Field(default=None, primary_key=True)
    chat_id: int = Field(sa_type=BigInteger)
    # The outbox row it is for: its stamp moves from the claim to the moment Telegram answered.
    outbox_id: int | None = Field(default=None, index=True)
    cost: int = 1
    at: datetime


class GroupWindow(SQLModel, table=True):
    """One row per group, locked (FOR UPDATE) while a replica counts and reserves its sends, so two
    replicas never both take the last free places of the same minute."""

    chat_id: int = Field(sa_type=BigInteger, primary_key=True, sa_column_kwargs={"autoincrement": False})
