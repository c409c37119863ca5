"""The SLA sweep: remind the group of untaken reports, then tell the supervisors.

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


async def sweep(services: Services) -> SweepResult:
    now = services.now()
    cfg = services.config.sla
    supervisors = list(dict.fromkeys(services.config.officers.supervisor_ids))
    reminded = escalated = 0
    async with services.db.transaction() as s:
        armed = await repo.arm(s, now=now, remind_after=timedelta(minutes=cfg.remind_after_minutes),
                               escalate_after=timedelta(minutes=cfg.escalate_after_minutes))
        on_duty = [sla.OnDuty(d.officer_id, d.name) for d in await duty_repo.on_duty(s)]
        for report in await repo.due_reminders(s, now=now, limit=BATCH):
            if not await repo.mark_reminded(s, report_id=report.id, now=now):
                continue
            text = sla.reminder_text(GROUP_LANGUAGE, number=report.number, waited_seconds=_waited(report, now),
                                     on_duty=on_duty)
            await enqueue(
                s, kind=OutboxKind.TEXT, chat_id=report.alert_chat_id or services.group_chat_id, now=now,
                report_id=report.id, dedupe_key=f"sla-remind:{report.id}",
                # A reply to the alert when it is in the group already; a plain message otherwise.
                payload={"text": text, "reply_markup": None, "reply_to": report.alert_message_id},
            )
            reminded += 1
        for report in await repo.due_escalations(s, now=now, limit=BATCH):
            if not await repo.mark_escalated(s, report_id=report.id, now=now):
                continue
            text = sla.escalation_text(
                DEFAULT_LANGUAGE, number=report.number,
                category=sla.category_label(services.config, report.category, DEFAULT_LANGUAGE),
                area=report.area_label, created_at=report.created_at, waited_seconds=_waited(report, now),
                on_duty=on_duty, link=sla.alert_link(report.alert_chat_id, report.alert_message_id), tz=services.tz,
            )
            for supervisor_id in supervisors:
                await enqueue(
                    s, kind=OutboxKind.TEXT, chat_id=supervisor_id, now=now, report_id=report.id,
                    dedupe_key=f"sla-escalate:{report.id}:{supervisor_id}",
                    payload={"text": text, "reply_markup": None},
                )
            escalated += 1
    if escalated and not supervisors:
        log.warning("event=sla_escalation_unsent reason=no supervisor_ids configured count=%d", escalated)
    if reminded or escalated:
        log.info("event=sla_sweep armed=%d reminded=%d escalated=%d", armed, reminded, escalated)
        notify_new_outbox(services)
    return SweepResult(armed, reminded, escalated)
