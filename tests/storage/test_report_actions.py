"""Status transitions as conditional UPDATEs: one winner when two officers press at once, only the
taker or a supervisor closes, and every change brings its event and outbox rows in the same
transaction."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta, timezone

from sqlmodel import select

from storage import report_actions
from storage.db import Database
from storage.models import Outbox, Report, ReportEvent, ReportStatus
from storage.outbox import OutboxKind
from storage.report_actions import Outcome
from tests import factories

NOW = datetime(2026, 3, 2, 2, 0, tzinfo=timezone.utc)
GROUP = -100123
RESIDENT, AGUS, BAYU, SITI = 501, 701, 702, 901


async def new_report(db, **kw) -> int:
    async with db.transaction() as s:
        return (await factories.report(s, telegram_id=RESIDENT, now=NOW, **kw)).id


async def take(db, report_id, officer_id=AGUS, name="Agus", at=NOW + timedelta(minutes=12)):
    async with db.transaction() as s:
        return await report_actions.take(s, report_id=report_id, officer_id=officer_id, officer_name=name,
                                         now=at, group_chat_id=GROUP)


async def close(db, report_id, fn=report_actions.resolve, officer_id=AGUS, name="Agus", supervisor=False,
                at=NOW + timedelta(hours=2)):
    async with db.transaction() as s:
        return await fn(s, report_id=report_id, officer_id=officer_id, officer_name=name,
                        is_supervisor=supervisor, now=at, group_chat_id=GROUP)


async def state(db, report_id):
    async with db.read() as s:
        report = await s.get(Report, report_id)
        events = (await s.exec(select(ReportEvent).where(ReportEvent.report_id == report_id))).all()
        rows = (await s.exec(select(Outbox).order_by(Outbox.id))).all()
    return report, list(events), list(rows)


async def test_take_changes_status_and_queues_refresh_and_notification(db):
    rid = await new_report(db)
    result = await take(db, rid)
    assert result.changed and result.report.status == ReportStatus.TAKEN
    report, events, rows = await state(db, rid)
    assert (report.status, report.taken_by, report.taken_by_name) == (ReportStatus.TAKEN, AGUS, "Agus")
    assert report.taken_at == NOW + timedelta(minutes=12)
    assert report.seconds_to_taken == 12 * 60
    [event] = events
    assert (event.actor_id, event.actor_name, event.from_status, event.to_status) == (
        AGUS, "Agus", ReportStatus.NEW, ReportStatus.TAKEN)
    assert [(r.kind, r.chat_id, r.payload, r.dedupe_key) for r in rows] == [
        (OutboxKind.ALERT_REFRESH, GROUP, {}, f"refresh:{rid}:taken"),
        (OutboxKind.NOTIFY, RESIDENT, {"event": "taken"}, f"notify:{rid}:taken"),
    ]


async def test_second_take_is_told_who_has_it_and_changes_nothing(db):
    rid = await new_report(db)
    await take(db, rid)
    result = await take(db, rid, officer_id=BAYU, name="Bayu")
    assert (result.outcome, result.holder_id, result.holder_name) == (Outcome.ALREADY_TAKEN, AGUS, "Agus")
    report, events, rows = await state(db, rid)
    assert report.taken_by == AGUS and len(events) == 1 and len(rows) == 2


async def test_two_officers_pressing_take_at_once_make_one_winner(db):
    rid = await new_report(db)
    other = Database(db.url)
    try:
        async def press(database, officer_id, name):
            async with database.transaction() as s:
                return await report_actions.take(s, report_id=rid, officer_id=officer_id, officer_name=name,
                                                 now=NOW, group_chat_id=GROUP)

        results = await asyncio.gather(press(db, AGUS, "Agus"), press(other, BAYU, "Bayu"))
    finally:
        await other.dispose()
    assert sorted(r.outcome for r in results) == [Outcome.ALREADY_TAKEN, Outcome.CHANGED]
    winner = next(r for r in results if r.changed)
    loser = next(r for r in results if not r.changed)
    assert loser.holder_id == winner.holder_id
    report, events, rows = await state(db, rid)
    assert report.taken_by == winner.holder_id
    assert len(events) == 1 and len(rows) == 2


async def test_only_the_taker_or_a_supervisor_closes(db):
    rid = await new_report(db)
    await take(db, rid)
    refused = await close(db, rid, officer_id=BAYU, name="Bayu")
    assert (refused.outcome, refused.holder_name) == (Outcome.NOT_ALLOWED, "Agus")
    assert (await state(db, rid))[0].status == ReportStatus.TAKEN

    done = await close(db, rid, fn=report_actions.mark_false, officer_id=SITI, name="Siti", supervisor=True)
    assert done.changed
    report, events, rows = await state(db, rid)
    assert (report.status, report.closed_by, report.closed_by_name) == (ReportStatus.FALSE_REPORT, SITI, "Siti")
    assert report.seconds_to_closed == 2 * 3600 and report.closed_at == NOW + timedelta(hours=2)
    assert [e.to_status for e in events] == [ReportStatus.TAKEN, ReportStatus.FALSE_REPORT]
    assert [r.dedupe_key for r in rows][-2:] == [f"refresh:{rid}:false_report", f"notify:{rid}:false_report"]


async def test_the_taker_resolves(db):
    rid = await new_report(db)
    await take(db, rid)
    assert (await close(db, rid)).changed
    report, events, rows = await state(db, rid)
    assert report.status == ReportStatus.RESOLVED and report.closed_by == AGUS
    assert rows[-1].payload == {"event": "resolved"}


async def test_wrong_state_and_not_found(db):
    rid = await new_report(db)
    early = await close(db, rid, supervisor=True)
    assert early.outcome == Outcome.WRONG_STATE and early.report.status == ReportStatus.NEW
    await take(db, rid)
    await close(db, rid)
    assert (await close(db, rid, supervisor=True)).outcome == Outcome.WRONG_STATE
    assert (await take(db, rid, officer_id=BAYU)).outcome == Outcome.WRONG_STATE
    assert (await take(db, 9999)).outcome == Outcome.NOT_FOUND
    assert (await close(db, 9999)).outcome == Outcome.NOT_FOUND
    _, events, rows = await state(db, rid)
    assert len(events) == 2 and len(rows) == 4


async def test_a_walk_in_reporter_gets_no_telegram_notification(db):
    rid = await new_report(db, channel="walk_in")
    await take(db, rid)
    _, _, rows = await state(db, rid)
    assert [r.kind for r in rows] == [OutboxKind.ALERT_REFRESH]


async def test_photos_are_queued_once_per_report(db):
    rid = await new_report(db, photos=3)
    async with db.transaction() as s:
        first = await report_actions.request_photos(s, report_id=rid, group_chat_id=GROUP, now=NOW)
        again = await report_actions.request_photos(s, report_id=rid, group_chat_id=GROUP, now=NOW)
        missing = await report_actions.request_photos(s, report_id=9999, group_chat_id=GROUP, now=NOW)
    assert (first.outcome, again.outcome, missing.outcome) == (
        Outcome.QUEUED, Outcome.ALREADY_QUEUED, Outcome.NOT_FOUND)
    _, _, rows = await state(db, rid)
    assert [(r.kind, r.chat_id, r.payload) for r in rows] == [(OutboxKind.PHOTOS, GROUP, {"count": 3})]


async def test_no_photos_to_send_when_the_alert_showed_the_only_one(db):
    rid = await new_report(db, photos=1, alert_is_photo=True)
    async with db.transaction() as s:
        result = await report_actions.request_photos(s, report_id=rid, group_chat_id=GROUP, now=NOW)
    assert result.outcome == Outcome.NO_PHOTOS
