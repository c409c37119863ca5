"""The daily digest to supervisors: yesterday's flow, what is open, SLA misses, taken reports nobody
closed in time.

`build_digest` is pure; `produce_digest` is idempotent per day (a Setting row `digest:<day>` written
in the same transaction as the outbox rows), so the 07:00 job, a late run within the misfire grace
time and the catch-up at start-up together send it once.

With several offices each office's supervisors get their office's digest, and the national
supervisors one national digest: the totals and a line per office.

Offices in other time zones (WITA, WIT) get theirs at the digest hour of their own clock, about their
own calendar day: one daily job per zone (`zones`), each producing the digests of the audiences on
that clock, once per day and zone (the Setting row `digest:<day>:<zone>`; the national clock's row
keeps the plain `digest:<day>`, so a bot on one clock is exactly as before).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from telegram.constants import MessageLimit

from sqlalchemy.exc import IntegrityError

from bot.clock import format_local, to_local
from bot.config import SlaSection
from bot.dispatcher import notify_new_outbox
from bot.periods import utc_midnight
from bot.services import Services
from bot.stats import OfficeLine, format_duration, office_lines, offices_block
from bot.texts import DEFAULT_LANGUAGE, Html, t
from storage import digest as repo
from storage import settings
from storage.digest import DigestFacts
from storage.stats import Offices
from storage.models import ReportStatus
from storage.outbox import OutboxKind, enqueue

log = logging.getLogger("sipoa.digest")


class Produced:
    SENT = "sent"
    # Nothing happened and nothing waits: the day is marked done, nobody is messaged.
    EMPTY = "empty"
    ALREADY = "already"


def setting_key(day: date, zone: str | None = None) -> str:
    """The once-per-day row; `zone` only for a clock other than the national one."""
    return f"digest:{day.isoformat()}" + (f":{zone}" if zone else "")


@dataclass(frozen=True)
class Audience:
    """Who gets one digest and what it covers."""

    supervisors: list[int]
    offices: Offices  # None: every office
    # The title's office name (None: a single office's digest, titled as it always was).
    label: str | None
    # "TNG", "national" or "" (single office): part of each outbox row's dedupe key.
    tag: str
    # The clock of its day and times: the office's, or the national one.
    tz: ZoneInfo


def audiences(services: Services) -> list[Audience]:
    """Single office: one digest to every supervisor. Several: one per office that has supervisors of
    its own, and the national one to the national supervisors."""
    offices = services.offices
    if offices.single:
        return [Audience(list(dict.fromkeys(services.config.officers.supervisor_ids)), None, None, "", services.tz)]
    result = [Audience(sorted(o.supervisor_ids), frozenset({o.key}), o.name, o.key, o.tz)
              for o in offices if o.supervisor_ids]
    if offices.national_supervisor_ids:
        result.append(Audience(sorted(offices.national_supervisor_ids), None,
                               t(DEFAULT_LANGUAGE, "scope_national"), "national", services.tz))
    return result


def zones(services: Services) -> list[ZoneInfo]:
    """The clocks digests follow, the national one first: one daily job each (bot/app.py)."""
    found = {services.tz.key: services.tz}
    for audience in audiences(services):
        found.setdefault(audience.tz.key, audience.tz)
    return list(found.values())


def build_digest(facts: DigestFacts, day: date, *, lang: str, sla: SlaSection, tz: ZoneInfo,
                 office: str | None = None, by_office: Sequence[OfficeLine] = ()) -> Html:
    """The digest about `day` (a calendar day of the office), as one message; with several offices,
    titled with the office (`office`) and, national, a line per office."""
    day_text = day.strftime("%d/%m/%Y")
    lines = [
        t(lang, "digest_title_office", day=day_text, office=office) if office
        else t(lang, "digest_title", day=day_text),
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
    if by_office:
        lines += ["", offices_block(lang, "digest_offices_title", by_office, command="/stats",
                                    room=MessageLimit.MAX_TEXT_LENGTH - sum(len(line) + 1 for line in lines),
                                    values={"hours": hours})]
    return Html("\n".join(lines))


def digest_day(now: datetime, tz: ZoneInfo) -> date:
    """The day a digest produced now reports on: yesterday, on the office's calendar."""
    return to_local(now, tz).date() - timedelta(days=1)


async def produce_digest(services: Services, day: date, tz: ZoneInfo | None = None) -> str:
    """Queue the digest about `day` (of clock `tz`, default the national one) to every supervisor
    whose digest follows that clock, once per day and clock whoever calls it."""
    tz = tz or services.tz
    national = tz.key == services.tz.key
    key = setting_key(day, None if national else tz.key)
    now, cfg = services.now(), services.config.sla
    since, until = utc_midnight(day, tz), utc_midnight(day + timedelta(days=1), tz)
    overdue_before = now - timedelta(hours=cfg.close_within_hours)
    messages: list[tuple[int, Html, str]] = []  # (chat, text, dedupe key)
    news = False
    async with services.db.read() as s:
        if await settings.get(s, key=key) is not None:
            return Produced.ALREADY
        for audience in (a for a in audiences(services) if a.tz.key == tz.key):
            facts = await repo.digest_facts(s, since=since, until=until, now=now, overdue_before=overdue_before,
                                            offices=audience.offices)
            if facts.empty:
                continue
            news = True
            lines: list[OfficeLine] = []
            if audience.tag == "national":
                counts = await repo.counts_by_office(s, since=since, until=until, overdue_before=overdue_before)
                # Most received first, then most open.
                lines = office_lines(services.offices, None, counts, size=3, rank_by=(0, 1))
            text = build_digest(facts, day, lang=DEFAULT_LANGUAGE, sla=cfg, tz=tz, office=audience.label,
                                by_office=lines)
            tag = f"{audience.tag}:" if audience.tag else ""
            messages += [(sid, text, f"digest:{day.isoformat()}:{tag}{sid}") for sid in audience.supervisors]
    outcome = Produced.SENT if news else Produced.EMPTY
    try:
        async with services.db.transaction() as s:
            if await settings.get(s, key=key) is not None:
                return Produced.ALREADY
            await settings.set_value(s, key=key, value=outcome, now=now)
            for chat_id, text, dedupe_key in messages:
                await enqueue(s, kind=OutboxKind.TEXT, chat_id=chat_id, now=now,
                              payload={"text": text, "reply_markup": None}, dedupe_key=dedupe_key)
    except IntegrityError:
        # Another process (a replica, the catch-up beside the job) wrote the day's row first.
        return Produced.ALREADY
    log.info("event=digest day=%s zone=%s outcome=%s messages=%d", day, tz.key, outcome, len(messages))
    if outcome == Produced.SENT:
        notify_new_outbox(services)
    return outcome


async def catch_up(services: Services, tz: ZoneInfo | None = None) -> str | None:
    """At start-up: today's digest of clock `tz` (default the national one; bot/app.py calls it for
    each of `zones`) when its hour has passed and it was not produced (the process was down at that
    hour; APScheduler cannot keep PTB jobs across a restart). None: not due yet."""
    tz = tz or services.tz
    local = to_local(services.now(), tz)
    if local.time() < time(services.config.sla.digest_hour):
        return None
    return await produce_digest(services, digest_day(services.now(), tz), tz)
