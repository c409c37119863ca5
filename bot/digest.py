"""The daily digest to supervisors: yesterday's flow, what is open, SLA misses, taken reports nobody
closed in time.

`build_digest` is pure; `produce_digest` is idempotent per day (a Setting row `digest:<day>` written
in the same transaction as the outbox rows), so the 07:00 job, a late run within the misfire grace
time and the catch-up at start-up together send it once.
"""

from __future__ import annotations

import logging
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.exc import IntegrityError

from bot.clock import format_local, to_local
from bot.config import SlaSection
from bot.dispatcher import notify_new_outbox
from bot.periods import utc_midnight
from bot.services import Services
from bot.stats import format_duration
from bot.texts import DEFAULT_LANGUAGE, Html, t
from storage import digest as repo
from storage import settings
from storage.digest import DigestFacts
from storage.models import ReportStatus
from storage.outbox import OutboxKind, enqueue

log = logging.getLogger("sipoa.digest")


class Produced:
    SENT = "sent"
    # Nothing happened and nothing waits: the day is marked done, nobody is messaged.
    EMPTY = "empty"
    ALREADY = "already"


def setting_key(day: date) -> str:
    return f"digest:{day.isoformat()}"


def build_digest(facts: DigestFacts, day: date, *, lang: str, sla: SlaSection, tz: ZoneInfo) -> Html:
    """The digest about `day` (a calendar day of the office), as one message."""
    lines = [
        t(lang, "digest_title", day=day.strftime("%d/%m/%Y")),
        t(lang, "digest_received", total=facts.received, held=facts.held),
        t(lang, "digest_handled", taken=facts.taken, resolved=facts.resolved, false_reports=facts.false_reports),
        t(lang, "digest_to_taken", median=format_duration(facts.to_taken.median, lang),
          p90=format_duration(facts.to_taken.p90, lang), n=facts.to_taken.count),
        t(lang, "digest_sla", reminded=facts.reminded, escalated=facts.escalated,
          remind=format_duration(sla.remind_after_minutes * 60, lang),
          escalate=format_duration(sla.escalate_after_minutes * 60, lang)),
        "",
        t(lang, "digest_open", new=facts.open_now.get(ReportStatus.NEW, 0),
          taken=facts.open_now.get(ReportStatus.TAKEN, 0), held=facts.open_now.get(ReportStatus.HELD, 0)),
    ]
    hours = sla.close_within_hours
    if not facts.overdue_total:
        lines.append(t(lang, "digest_overdue_none", hours=hours))
    else:
        lines.append(t(lang, "digest_overdue_title", hours=hours, count=facts.overdue_total))
        lines += [t(lang, "digest_overdue_item", number=o.number, name=o.taken_by_name or "?",
                    time=format_local(o.taken_at, tz)) for o in facts.overdue]
        if facts.overdue_total > len(facts.overdue):
            lines.append(t(lang, "digest_overdue_more", n=facts.overdue_total - len(facts.overdue)))
    return Html("\n".join(lines))


def digest_day(now: datetime, tz: ZoneInfo) -> date:
    """The day a digest produced now reports on: yesterday, on the office's calendar."""
    return to_local(now, tz).date() - timedelta(days=1)


async def produce_digest(services: Services, day: date) -> str:
    """Queue the digest about `day` to every supervisor, once per day whoever calls it."""
    key = setting_key(day)
    now, tz, cfg = services.now(), services.tz, services.config.sla
    async with services.db.read() as s:
        if await settings.get(s, key=key) is not None:
            return Produced.ALREADY
        facts = await repo.digest_facts(
            s, since=utc_midnight(day, tz), until=utc_midnight(day + timedelta(days=1), tz), now=now,
            overdue_before=now - timedelta(hours=cfg.close_within_hours),
        )
    outcome = Produced.EMPTY if facts.empty else Produced.SENT
    supervisors = list(dict.fromkeys(services.config.officers.supervisor_ids))
    text = build_digest(facts, day, lang=DEFAULT_LANGUAGE, sla=cfg, tz=tz)
    try:
        async with services.db.transaction() as s:
            if await settings.get(s, key=key) is not None:
                return Produced.ALREADY
            await settings.set_value(s, key=key, value=outcome, now=now)
            if outcome == Produced.SENT:
                for supervisor_id in supervisors:
                    await enqueue(s, kind=OutboxKind.TEXT, chat_id=supervisor_id, now=now,
                                  payload={"text": text, "reply_markup": None},
                                  dedupe_key=f"digest:{day.isoformat()}:{supervisor_id}")
    except IntegrityError:
        # Another process (a replica, the catch-up beside the job) wrote the day's row first.
        return Produced.ALREADY
    log.info("event=digest day=%s outcome=%s supervisors=%d", day, outcome, len(supervisors))
    if outcome == Produced.SENT:
        notify_new_outbox(services)
    return outcome


async def catch_up(services: Services) -> str | None:
    """At start-up: today's digest when its hour has passed and it was not produced (the process
    was down at that hour; APScheduler cannot keep PTB jobs across a restart). None: not due yet."""
    local = to_local(services.now(), services.tz)
    if local.time() < time(services.config.sla.digest_hour):
        return None
    return await produce_digest(services, digest_day(services.now(), services.tz))
