"""SLA columns: arming, what is due, and stamps that succeed once."""

from __future__ import annotations

from datetime import timedelta

from storage import sla
from storage.models import Incident, Report, ReportStatus
from tests import factories

M15, M60 = timedelta(minutes=15), timedelta(minutes=60)


async def make(h, **fields) -> Report:
    async with h.services.db.transaction() as s:
        return await factories.report(s, telegram_id=5_000_000_009, now=h.now(), **fields)


async def test_arm_gives_deadlines_only_to_new_reports_without_them(h):
    now = h.now()
    fresh = await make(h)
    held = await make(h, status=ReportStatus.HELD)
    taken = await make(h, status=ReportStatus.TAKEN)
    armed_before = await make(h, remind_at=now - M15, escalate_at=now + M15)
    async with h.services.db.transaction() as s:
        assert await sla.arm(s, now=now, remind_after=M15, escalate_after=M60) == 1
        assert await sla.arm(s, now=now, remind_after=M15, escalate_after=M60) == 0
    async with h.services.db.read() as s:
        rows = {r.id: r for r in [await s.get(Report, x.id) for x in (fresh, held, taken, armed_before)]}
    assert (rows[fresh.id].remind_at, rows[fresh.id].escalate_at) == (now + M15, now + M60)
    assert rows[held.id].remind_at is None and rows[taken.id].remind_at is None
    assert rows[armed_before.id].remind_at == now - M15


async def test_due_lists_only_untaken_unstamped_reports_past_their_deadline(h):
    now = h.now()
    due = await make(h, remind_at=now, escalate_at=now)
    await make(h, remind_at=now + timedelta(seconds=1), escalate_at=now + M60)
    await make(h, remind_at=now - M15, escalate_at=now - M15, status=ReportStatus.TAKEN)
    await make(h, remind_at=now - M15, escalate_at=now - M15, reminded_at=now, escalated_at=now)
    async with h.services.db.read() as s:
        assert [r.id for r in await sla.due_reminders(s, now=now, limit=10)] == [due.id]
        assert [r.id for r in await sla.due_escalations(s, now=now, limit=10)] == [due.id]


async def test_a_report_that_joined_an_incident_is_reminded_through_its_first_report_only(h):
    now = h.now()
    first = await make(h, remind_at=now, escalate_at=now)
    joined = await make(h, remind_at=now, escalate_at=now)
    async with h.services.db.transaction() as s:
        incident = Incident(primary_report_id=first.id, category="overstay", opened_at=now, last_report_at=now,
                            report_count=2)
        s.add(incident)
        await s.flush()
        for report_id in (first.id, joined.id):
            (await s.get(Report, report_id)).incident_id = incident.id
    async with h.services.db.read() as s:
        assert [r.id for r in await sla.due_reminders(s, now=now, limit=10)] == [first.id]


async def test_stamps_succeed_once_and_not_after_the_report_was_taken(h):
    now = h.now()
    a = await make(h, remind_at=now, escalate_at=now)
    b = await make(h, remind_at=now, escalate_at=now)
    async with h.services.db.transaction() as s:
        assert await sla.mark_reminded(s, report_id=a.id, now=now) is True
        assert await sla.mark_reminded(s, report_id=a.id, now=now) is False
        assert await sla.mark_escalated(s, report_id=a.id, now=now) is True
        assert await sla.mark_escalated(s, report_id=a.id, now=now) is False
        (await s.get(Report, b.id)).status = ReportStatus.TAKEN
        await s.flush()
        assert await sla.mark_reminded(s, report_id=b.id, now=now) is False
        assert await sla.mark_escalated(s, report_id=b.id, now=now) is False
