"""The SLA sweep: remind the group of untaken reports, then tell the supervisors.

With several offices each report is its office's: the reminder goes to that office's group and
mentions that office's officers on duty; the escalation goes to that office's supervisors and the
national ones (as every supervisor got every escalation before there were several offices).

Run by a repeating job (bot/jobs.py). It reads its work from the deadline columns, so whatever fell
due while the bot was down is done at the next sweep after a restart, and stamps each report in the
same transaction as the outbox rows, so nothing is sent twice.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta

from bot import sla
from bot.dispatcher import notify_new_outbox
from bot.offices import Office
from bot.services import Services
from bot.texts import DEFAULT_LANGUAGE
from storage import duty as duty_repo
from storage import sla as repo
from storage.models import Report
from storage.outbox import OutboxKind, enqueue

log = logging.getLogger("sipoa.sla")

# Reports handled per sweep and kind; the rest wait for the next sweep (a short write lock).
BATCH = 100
# The group reads Indonesian (as the alerts); supervisors' language is not known to a job.
GROUP_LANGUAGE = "id"


@dataclass(frozen=True)
class SweepResult:
    armed: int = 0
    reminded: int = 0
    escalated: int = 0


def _waited(report: Report, now) -> int:
    return max(0, int((now - report.created_at).total_seconds()))


async def roster(session, services: Services, office_key: str) -> list[sla.OnDuty]:
    """The officers on duty for an office (rows from before several offices count for the first)."""
    first = services.offices.primary.key
    rows = await duty_repo.on_duty(session, office=office_key, with_unassigned=office_key == first)
    return [sla.OnDuty(d.officer_id, d.name) for d in rows]


def escalation_recipients(services: Services, office: Office) -> list[int]:
    """The office's supervisors, then the national ones (a single office's are both: its list, in
    the config's order)."""
    if services.offices.single:
        return list(dict.fromkeys(services.config.officers.supervisor_ids))
    return [*sorted(office.supervisor_ids), *sorted(services.offices.national_supervisor_ids - office.supervisor_ids)]


async def sweep(services: Services) -> SweepResult:
    now = services.now()
    cfg = services.config.sla
    reminded = escalated = unsent = 0
    rosters: dict[str, list[sla.OnDuty]] = {}
    async with services.db.transaction() as s:
        armed = await repo.arm(s, now=now, remind_after=timedelta(minutes=cfg.remind_after_minutes),
                               escalate_after=timedelta(minutes=cfg.escalate_after_minutes))

        async def on_duty(office: Office) -> list[sla.OnDuty]:
            if office.key not in rosters:
                rosters[office.key] = await roster(s, services, office.key)
            return rosters[office.key]

        for report in await repo.due_reminders(s, now=now, limit=BATCH):
            if not await repo.mark_reminded(s, report_id=report.id, now=now):
                continue
            office = services.offices.of_report(report)
            text = sla.reminder_text(GROUP_LANGUAGE, number=report.number, waited_seconds=_waited(report, now),
                                     on_duty=await on_duty(office))
            await enqueue(
                s, kind=OutboxKind.TEXT, chat_id=report.alert_chat_id or services.group_of(office.key), now=now,
                report_id=report.id, dedupe_key=f"sla-remind:{report.id}",
                # A reply to the alert when it is in the group already; a plain message otherwise.
                payload={"text": text, "reply_markup": None, "reply_to": report.alert_message_id},
            )
            reminded += 1
        for report in await repo.due_escalations(s, now=now, limit=BATCH):
            if not await repo.mark_escalated(s, report_id=report.id, now=now):
                continue
            office = services.offices.of_report(report)
            supervisors = escalation_recipients(services, office)
            unsent += not supervisors
            text = sla.escalation_text(
                DEFAULT_LANGUAGE, number=report.number,
                category=sla.category_label(services.config, report.category, DEFAULT_LANGUAGE),
                area=report.area_label, created_at=report.created_at, waited_seconds=_waited(report, now),
                on_duty=await on_duty(office), link=sla.alert_link(report.alert_chat_id, report.alert_message_id),
                # The report's time on its office's clock (WITA for a Makassar report, even to a national reader).
                tz=services.tz_of(office.key),
            )
            for supervisor_id in supervisors:
                await enqueue(
                    s, kind=OutboxKind.TEXT, chat_id=supervisor_id, now=now, report_id=report.id,
                    dedupe_key=f"sla-escalate:{report.id}:{supervisor_id}",
                    payload={"text": text, "reply_markup": None},
                )
            escalated += 1
    if unsent:
        log.warning("event=sla_escalation_unsent reason=no supervisor_ids configured count=%d", unsent)
    if reminded or escalated:
        log.info("event=sla_sweep armed=%d reminded=%d escalated=%d", armed, reminded, escalated)
        notify_new_outbox(services)
    return SweepResult(armed, reminded, escalated)
