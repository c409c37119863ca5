"""Sweeps on a timer (PTB JobQueue): small job functions, each reading its work from the database,
so whatever was due while the bot was down is done after a restart."""

from __future__ import annotations

import logging
import os
import socket

from bot.dispatcher import notify_new_outbox
from bot.services import Services, SipoaContext
from bot.texts import t
from storage import drafts, leases
from storage.models import Reporter
from storage.outbox import OutboxKind, enqueue

log = logging.getLogger("sipoa.jobs")

# Drafts expired per transaction; the rest wait for the next sweep, keeping the write lock short.
EXPIRE_BATCH = 200
# Retention runs this often (bot/app.py schedules it); its lease period is the same.
PURGE_INTERVAL_SECONDS = 6 * 3600
# Who took a job's lease, for the operator reading the job_lease table.
HOLDER = f"{socket.gethostname()}:{os.getpid()}"[:128]


async def expire_drafts(services: Services) -> int:
    """Mark idle drafts expired and queue a notice for each resident, in one transaction.
    Returns how many drafts expired."""
    now = services.now()
    async with services.db.transaction() as s:
        due = await drafts.due_for_expiry(s, now=now, limit=EXPIRE_BATCH)
        for draft in due:
            reporter = await s.get(Reporter, draft.reporter_id)
            lang = reporter.language if reporter is not None else "id"
            await drafts.mark_expired(s, draft=draft)
            await enqueue(
                s,
                kind=OutboxKind.TEXT,
                chat_id=draft.chat_id,
                now=now,
                payload={"text": t(lang, "draft_expired"), "reply_markup": None},
                # One notice per idle period: updated_at moves only when the resident acts again.
                dedupe_key=f"draft-expired:{draft.id}:{draft.updated_at.isoformat()}",
            )
    if due:
        log.info("event=drafts_expired count=%d", len(due))
        notify_new_outbox(services)
    return len(due)


async def once_per_period(services: Services, name: str, *, period_seconds: float) -> bool:
    """Replicas each run the same timers: True on the one that takes this period of `name` first
    (storage/leases.py). Periods are counted from the epoch, so replicas agree on their bounds."""
    now = services.now()
    period = str(int(now.timestamp() // period_seconds))
    async with services.db.transaction() as s:
        taken = await leases.take(s, name=name, period=period, holder=HOLDER, now=now)
    if not taken:
        log.debug("event=job_skipped job=%s period=%s: another replica runs it", name, period)
    return taken


async def sweep_drafts(context: SipoaContext) -> None:
    services = context.services
    interval = services.config.dispatcher.sweep_interval_seconds
    if await once_per_period(services, "sweep_drafts", period_seconds=interval):
        await expire_drafts(services)


# --- office: SLA, digest, retention ---


async def sweep_sla(context: SipoaContext) -> None:
    """Remind the group of untaken reports and escalate to supervisors (bot/reminders.py)."""
    from bot import reminders

    services = context.services
    interval = services.config.dispatcher.sweep_interval_seconds
    if await once_per_period(services, "sweep_sla", period_seconds=interval):
        await reminders.sweep(services)


async def send_daily_digest(context: SipoaContext) -> None:
    """Yesterday's digest to supervisors (bot/digest.py); once per day however often it runs, and
    however many replicas run it: the day's Setting row, written with the outbox rows in one
    transaction, is the lease (a lease taken before a crash would lose the day; this row cannot)."""
    from zoneinfo import ZoneInfo

    from bot import digest

    services = context.services
    # One job per clock (bot/app.py): its data names the zone (None: the national clock).
    zone = context.job.data if context.job is not None else None
    tz = ZoneInfo(zone) if zone else services.tz
    await digest.produce_digest(services, digest.digest_day(services.now(), tz), tz)


async def purge_old_data(context: SipoaContext) -> None:
    """Photos and phone numbers past the retention period (bot/retention.py)."""
    from bot import retention

    services = context.services
    if await once_per_period(services, "purge_old_data", period_seconds=PURGE_INTERVAL_SECONDS):
        await retention.purge(services)
