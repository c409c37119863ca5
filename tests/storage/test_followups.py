"""Follow-up rows: waits (one per person, upserted, expiring), relayed messages with their audit
and outbox rows, and the walk-in complainant's reporter row."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from sqlmodel import select

from storage import followups, reporters
from storage.models import Draft, Incident, Outbox, Report, ReportEvent, Reporter
from tests import factories

NOW = datetime(2026, 3, 2, 2, 0, tzinfo=timezone.utc)
GROUP = -1001
RESIDENT = 501


async def new_report(db, **kw) -> Report:
    async with db.transaction() as s:
        return await factories.report(s, telegram_id=RESIDENT, now=NOW, **kw)


async def test_a_wait_is_one_per_person_replaced_by_the_next_press_and_expires(db):
    a, b = await new_report(db), await new_report(db)
    async with db.transaction() as s:
        await followups.set_wait(s, user_id=7, report_id=a.id, kind="question", now=NOW,
                                 expires_at=NOW + timedelta(minutes=20))
        await followups.set_wait(s, user_id=7, report_id=b.id, kind="question", now=NOW,
                                 expires_at=NOW + timedelta(minutes=20))
    async with db.transaction() as s:
        await followups.keep_wait_for_album(s, user_id=7, media_group_id="g1")
    async with db.read() as s:
        wait = await followups.get_wait(s, user_id=7, now=NOW)
        assert (wait.report_id, wait.media_group_id) == (b.id, "g1")
        assert await followups.get_wait(s, user_id=7, now=NOW + timedelta(minutes=20)) is None
        assert await followups.get_wait(s, user_id=8, now=NOW) is None
    async with db.transaction() as s:
        # A new press starts a new wait: the album mark does not carry over.
        await followups.set_wait(s, user_id=7, report_id=a.id, kind="question", now=NOW,
                                 expires_at=NOW + timedelta(minutes=20))
    async with db.transaction() as s:
        assert (await followups.get_wait(s, user_id=7, now=NOW)).media_group_id is None
        assert await followups.clear_wait(s, user_id=7) is True
        assert await followups.clear_wait(s, user_id=7) is False


async def test_a_question_is_audited_and_queued_for_both_sides_once(db):
    report = await new_report(db, alert_chat_id=GROUP, alert_message_id=77)
    async with db.transaction() as s:
        row = await followups.relay(
            s, report=report, kind="question", author_id=7, author_name="Agus", text="Masih ada?",
            photo_file_id=None, photo_kind=None, update_id=1001, now=NOW, group_chat_id=-999,
            resident_chat_id=RESIDENT,
        )
    async with db.read() as s:
        [event] = (await s.exec(select(ReportEvent))).all()
        rows = (await s.exec(select(Outbox).order_by(Outbox.id))).all()
        assert (await followups.find_by_update(s, update_id=1001)).id == row.id
    assert (event.action, event.actor_id, event.actor_name, event.note) == ("question", 7, "Agus", "Masih ada?")
    assert [(r.kind, r.chat_id, r.payload["followup_id"], r.dedupe_key) for r in rows] == [
        ("relay_to_group", GROUP, row.id, f"relay:{row.id}:group"),
        ("relay_to_resident", RESIDENT, row.id, f"relay:{row.id}:resident"),
    ]


async def test_an_answer_goes_to_the_group_only_and_keeps_no_reporter_name(db):
    report = await new_report(db)
    async with db.transaction() as s:
        await followups.relay(
            s, report=report, kind="answer", author_id=RESIDENT, author_name=None, text="Foto terlampir",
            photo_file_id="AgAC-x", photo_kind="photo", update_id=None, now=NOW, group_chat_id=GROUP,
            resident_chat_id=None,
        )
    async with db.read() as s:
        [event] = (await s.exec(select(ReportEvent))).all()
        [row] = (await s.exec(select(Outbox))).all()
    assert (event.actor_name, event.note) == (None, "[photo] Foto terlampir")
    assert (row.kind, row.chat_id) == ("relay_to_group", GROUP)  # no alert yet: the group's id


async def test_delivery_is_found_by_where_it_landed_and_recent_answers_are_counted(db):
    report = await new_report(db)
    async with db.transaction() as s:
        ids = []
        for n, kind in enumerate(["question", "answer", "info", "answer"]):
            row = await followups.relay(
                s, report=report, kind=kind, author_id=7 if kind == "question" else RESIDENT, author_name=None,
                text=str(n), photo_file_id=None, photo_kind=None, update_id=None,
                now=NOW + timedelta(minutes=40 * n), group_chat_id=GROUP, resident_chat_id=None,
            )
            ids.append(row.id)
        await followups.record_delivery(s, followup_id=ids[0], chat_id=RESIDENT, message_id=55)
    async with db.read() as s:
        assert (await followups.find_delivered(s, chat_id=RESIDENT, message_id=55)).id == ids[0]
        assert await followups.find_delivered(s, chat_id=GROUP, message_id=55) is None
        since = NOW + timedelta(minutes=120) - timedelta(hours=1)
        assert await followups.count_recent(s, author_id=RESIDENT, kinds=("answer", "info"), since=since) == 2
        assert await followups.count_recent(s, author_id=RESIDENT, kinds=("answer", "info"), since=NOW) == 3


async def test_a_report_of_an_incident_replies_to_the_incidents_message(db):
    primary = await new_report(db, alert_chat_id=GROUP, alert_message_id=10)
    async with db.transaction() as s:
        incident = Incident(primary_report_id=primary.id, category="overstay", opened_at=NOW, last_report_at=NOW)
        s.add(incident)
        await s.flush()
        joined = await factories.report(s, telegram_id=502, now=NOW, incident_id=incident.id)
        row = await followups.relay(
            s, report=joined, kind="info", author_id=502, author_name=None, text="x", photo_file_id=None,
            photo_kind=None, update_id=None, now=NOW, group_chat_id=GROUP, resident_chat_id=None,
        )
    async with db.read() as s:
        bundle = await followups.load_bundle(s, followup_id=row.id)
        assert (bundle.reply_chat_id, bundle.reply_message_id) == (GROUP, 10)
        assert bundle.alias == (await s.get(Reporter, joined.reporter_id)).alias
        assert await followups.load_bundle(s, followup_id=9999) is None


async def test_walk_in_complainants_have_no_telegram_id_and_go_when_unused(db):
    async with db.transaction() as s:
        a = await reporters.create_walk_in(s, now=NOW)
        b = await reporters.create_walk_in(s, now=NOW)  # NULL telegram ids do not collide
        await reporters.set_walk_in_identity(s, reporter_id=a.id, name="Siti", phone="0812345678")
        s.add(Report(number="W-1", prefix="W", year=2026, seq=1, reporter_id=a.id, channel="walk_in",
                     category="overstay", description="d", created_at=NOW))
        await s.flush()
    async with db.transaction() as s:
        await reporters.delete_unused_walk_in(s, reporter_id=a.id)  # a report names it: kept
        await reporters.delete_unused_walk_in(s, reporter_id=b.id)
        resident = await reporters.get_or_create(s, telegram_id=RESIDENT, now=NOW, language="id", first_name="Budi")
        await reporters.set_walk_in_identity(s, reporter_id=resident.id, name="X", phone="1")  # not a walk-in
        await reporters.delete_unused_walk_in(s, reporter_id=resident.id)
    async with db.read() as s:
        rows = {r.id: r for r in (await s.exec(select(Reporter))).all()}
    assert set(rows) == {a.id, resident.id}
    assert (rows[a.id].kind, rows[a.id].telegram_id, rows[a.id].first_name, rows[a.id].phone) == (
        "walk_in", None, "Siti", "0812345678")
    assert (rows[resident.id].first_name, rows[resident.id].phone) == ("Budi", None)
    assert rows[a.id].alias != b.alias


async def test_a_walk_in_draft_is_the_officers_one_at_a_time(db):
    from storage import drafts

    async with db.transaction() as s:
        first = await reporters.create_walk_in(s, now=NOW)
        second = await reporters.create_walk_in(s, now=NOW)
        d1 = await drafts.create(s, reporter_id=first.id, chat_id=7, step="wi_name", now=NOW,
                                 timeout=timedelta(hours=1), update_id=1, channel="walk_in", officer_id=7,
                                 extra={"recorded_by_id": 7})
        d2 = await drafts.create(s, reporter_id=second.id, chat_id=7, step="wi_name", now=NOW,
                                 timeout=timedelta(hours=1), update_id=2, channel="walk_in", officer_id=7)
    async with db.read() as s:
        assert [d.id for d in (await s.exec(select(Draft))).all()] == [d2.id]
        assert (await drafts.get_walk_in(s, officer_id=7)).id == d2.id != d1.id
        assert await drafts.get_walk_in(s, officer_id=8) is None
    assert d1.extra == {"recorded_by_id": 7}
