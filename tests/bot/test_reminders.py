"""The SLA sweep through the fake Bot API: a report nobody takes is reminded in the group at N
minutes (a reply to its alert, mentioning the officers on duty) and escalated to every supervisor
at M minutes, each once, also when the bot restarts in between; a taken or held report is not."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import select

from bot import reminders
from bot.app import stop_services
from bot.jobs import sweep_sla
from storage.models import Report, ReportStatus
from tests import factories
from tests.conftest import GROUP_ID, OFFICER2_ID, OFFICER_ID, SUPERVISOR_ID, make_config, start_harness
from tests.handlers.residents.helpers import press, say, to_review

SUPERVISOR2_ID = 9_000_000_002


async def submit(h, user_id: int) -> Report:
    """A resident's report through the whole conversation, its alert sent to the group."""
    review = await to_review(h, user_id)
    await press(h, user_id, review, "Kirim")
    await h.drain()
    async with h.services.db.read() as s:
        report = (await s.exec(select(Report).order_by(Report.id.desc()))).first()
    assert report.status == ReportStatus.NEW and report.alert_message_id is not None
    return report


def reminders_in_group(h) -> list[dict]:
    return [m for m in h.fake.bot_messages(GROUP_ID) if (m.get("plain_text") or "").startswith("⏰")]


def escalations(h, chat_id: int) -> list[dict]:
    return [m for m in h.fake.bot_messages(chat_id) if (m.get("plain_text") or "").startswith("⚠️")]


async def sweep(h) -> reminders.SweepResult:
    result = await reminders.sweep(h.services)
    await h.drain()
    return result


async def two_supervisors(tmp_path, database_url, fake, clock, vtime):
    fake.add_user(SUPERVISOR2_ID, "Rina")
    config = make_config(tmp_path, database_url=database_url,
                         officers={"supervisor_ids": [SUPERVISOR_ID, SUPERVISOR2_ID]})
    return config, await start_harness(config, fake, clock, vtime)


async def shutdown(h) -> None:
    await stop_services(h.app)
    await h.app.shutdown()


async def test_reminded_at_n_then_escalated_at_m_each_once(tmp_path, database_url, fake, clock, vtime):
    _, h = await two_supervisors(tmp_path, database_url, fake, clock, vtime)
    try:
        await say(h, OFFICER_ID, "/duty on")
        h.vtime.value += 1
        await h.text(OFFICER2_ID, "/duty on", chat_id=GROUP_ID)
        start = h.now()
        report = await submit(h, 5_000_000_001)
        elapsed = h.now() - start

        h.clock.advance(seconds=15 * 60 - 1 - elapsed.total_seconds())
        assert (await sweep(h)).reminded == 0
        h.clock.advance(seconds=1)
        assert (await sweep(h)).reminded == 1
        [reminder] = reminders_in_group(h)
        assert reminder["reply_to_message"]["message_id"] == report.alert_message_id
        assert reminder["plain_text"] == (f"⏰ Laporan {report.number} belum ditangani (15 mnt).\n"
                                          "Petugas jaga: Agus, Bayu")
        # Mentions that notify them (Telegram turns tg://user?id= links into text_mention entities).
        mentioned = [e["user"]["id"] for e in reminder.get("entities", []) if e["type"] == "text_mention"]
        assert mentioned == [OFFICER_ID, OFFICER2_ID]
        assert escalations(h, SUPERVISOR_ID) == []

        h.clock.advance(minutes=44)
        assert (await sweep(h)) == reminders.SweepResult(reminded=0, escalated=0)
        h.clock.advance(minutes=1)  # 60 minutes
        assert (await sweep(h)).escalated == 1
        for supervisor in (SUPERVISOR_ID, SUPERVISOR2_ID):
            [message] = escalations(h, supervisor)
            assert message["plain_text"].startswith(f"⚠️ Laporan {report.number} belum ditangani selama 1 j.")
            assert "Petugas jaga: Agus, Bayu" in message["plain_text"]

        h.clock.advance(hours=5)
        assert (await sweep(h)) == reminders.SweepResult()
        assert len(reminders_in_group(h)) == 1
        assert [len(escalations(h, s)) for s in (SUPERVISOR_ID, SUPERVISOR2_ID)] == [1, 1]
    finally:
        await shutdown(h)


async def test_a_restart_between_the_reminder_and_the_escalation_repeats_neither(
    tmp_path, database_url, fake, clock, vtime
):
    config, h = await two_supervisors(tmp_path, database_url, fake, clock, vtime)
    try:
        report = await submit(h, 5_000_000_001)
        h.clock.advance(minutes=16)
        assert (await sweep(h)).reminded == 1
    finally:
        await shutdown(h)

    h = await start_harness(config, fake, clock, vtime)  # a new process on the same database
    try:
        assert (await sweep(h)) == reminders.SweepResult()
        h.clock.advance(minutes=44)  # 60 minutes after the report
        assert (await sweep(h)).escalated == 1
        assert (await sweep(h)) == reminders.SweepResult()
    finally:
        await shutdown(h)

    h = await start_harness(config, fake, clock, vtime)
    try:
        h.clock.advance(hours=3)
        assert (await sweep(h)) == reminders.SweepResult()
        assert len(reminders_in_group(h)) == 1
        assert [len(escalations(h, s)) for s in (SUPERVISOR_ID, SUPERVISOR2_ID)] == [1, 1]
        assert "Belum ada petugas jaga" in reminders_in_group(h)[0]["plain_text"]
        async with h.services.db.read() as s:
            row = await s.get(Report, report.id)
        assert row.reminded_at is not None and row.escalated_at is not None
    finally:
        await shutdown(h)


async def test_a_report_taken_in_time_is_neither_reminded_nor_escalated(h):
    report = await submit(h, 5_000_000_001)
    h.clock.advance(minutes=10)
    alert = next(m for m in h.fake.bot_messages(GROUP_ID) if m["message_id"] == report.alert_message_id)
    await h.press(OFFICER_ID, alert, h.button_data(alert, "Tangani"))
    h.clock.advance(hours=2)
    assert (await sweep(h)) == reminders.SweepResult()
    assert reminders_in_group(h) == [] and escalations(h, SUPERVISOR_ID) == []


async def test_held_reports_are_not_reminded_until_forwarded_then_from_the_forwarding(h):
    async with h.services.db.transaction() as s:
        held = await factories.report(s, telegram_id=5_000_000_003, now=h.now(), status=ReportStatus.HELD)
    h.clock.advance(hours=2)
    assert (await sweep(h)) == reminders.SweepResult()
    # A supervisor forwards it (held → new): its clock starts now, not at its creation.
    async with h.services.db.transaction() as s:
        row = await s.get(Report, held.id)
        row.status = ReportStatus.NEW
    assert (await sweep(h)).armed == 1
    h.clock.advance(minutes=14)
    assert (await sweep(h)).reminded == 0
    h.clock.advance(minutes=1)
    assert (await sweep(h)).reminded == 1
    # Not in the group yet (no alert message): the reminder is a plain message, not lost.
    [reminder] = reminders_in_group(h)
    assert "reply_to_message" not in reminder


async def test_the_sweep_runs_as_a_repeating_job(h):
    [job] = h.app.job_queue.get_jobs_by_name("sweep_sla")
    assert job.callback is sweep_sla
    assert job.trigger.interval.total_seconds() == h.services.config.dispatcher.sweep_interval_seconds
    async with h.services.db.transaction() as s:
        await factories.report(s, telegram_id=5_000_000_003, now=h.now(),
                               remind_at=h.now() - timedelta(minutes=1), escalate_at=h.now() + timedelta(hours=1))
    await job.run(h.app)
    await h.drain()
    assert len(reminders_in_group(h)) == 1
