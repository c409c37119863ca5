"""Sweeps on a timer (PTB JobQueue): small job functions, each reading its work from the database,
so whatever was due while the bot was down is done after a restart."""

from __future__ import annotations

import logging

from bot.dispatcher import notify_new_outbox
from bot.services import Services, SipoaContext
from bot.texts import t
from storage import drafts
from storage.models import Reporter
from storage.outbox import OutboxKind, enqueue

log = logging.getLogger("sipoa.jobs")

# Drafts expired per transaction; the rest wait for the next sweep, keeping the write lock short.
EXPIRE_BATCH = 200


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


async def sweep_drafts(context: SipoaContext) -> None:
    await expire_drafts(context.services)


# --- office: SLA, digest, retention ---


async def sweep_sla(context: SipoaContext) -> None:
    """Remind the group of untaken reports and escalate to supervisors (bot/reminders.py)."""
    from bot import reminders

    await reminders.sweep(context.services)


async def send_daily_digest(context: SipoaContext) -> None:
    """Yesterday's digest to supervisors (bot/digest.py); once per day however often it runs."""
    from bot import digest

    services = context.services
    await digest.produce_digest(services, digest.digest_day(services.now(), services.tz))


async def purge_old_data(context: SipoaContext) -> None:
    """Photos and phone numbers past the retention period (bot/retention.py)."""
    from bot import retention

    await retention.purge(context.services)
