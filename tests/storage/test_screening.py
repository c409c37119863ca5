"""Screening's queries: counts, neighbours, texts, photos, incidents, restrictions, the hold."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from sqlmodel import select

from storage import screening as store
from storage.models import Incident, Photo, Report, Reporter, ReporterEvent, ReportEvent, ReportStatus
from tests import factories

NOW = datetime(2026, 3, 2, 2, 0, tzinfo=timezone.utc)
HERE = (-6.1783, 106.6319)
LADDER = [1.0, 7.0, 30.0]


async def add(s, telegram_id=501, *, at=NOW, **kw) -> Report:
    return await factories.report(s, telegram_id=telegram_id, now=at, **{"created_at": at, **kw})


async def test_reporter_facts_count_hour_day_outcomes_and_strikes(db):
    async with db.transaction() as s:
        await add(s, at=NOW - timedelta(minutes=10))
        await add(s, at=NOW - timedelta(hours=5))
        await add(s, at=NOW - timedelta(days=3), status=ReportStatus.RESOLVED)
        await add(s, at=NOW - timedelta(days=4), status=ReportStatus.FALSE_REPORT)
        await add(s, 777, at=NOW - timedelta(minutes=1))  # someone else
        me = await add(s, at=NOW)
        await store.add_reporter_event(s, reporter_id=me.reporter_id, action=store.ReporterAction.RATE_LIMITED,
                                       now=NOW - timedelta(hours=2))
        await store.add_reporter_event(s, reporter_id=me.reporter_id, action=store.ReporterAction.RATE_LIMITED,
                                       now=NOW - timedelta(days=2))
        facts = await store.reporter_facts(s, reporter_id=me.reporter_id, now=NOW, exclude_report_id=me.id)
    assert (facts.reports_last_hour, facts.reports_last_day) == (1, 2)
    assert (facts.confirmed, facts.false_reports, facts.rate_strikes) == (1, 1, 1)


async def test_nearby_reports_within_radius_and_time_with_newness_and_photos(db):
    async with db.transaction() as s:
        near = await add(s, 601, at=NOW - timedelta(hours=1), lat=HERE[0] + 0.0005, lon=HERE[1], photos=2)
        await add(s, 602, at=NOW - timedelta(hours=1), lat=HERE[0] + 0.01, lon=HERE[1])  # ~1.1 km
        await add(s, 603, at=NOW - timedelta(days=40), lat=HERE[0], lon=HERE[1])  # too old
        await add(s, 604, at=NOW - timedelta(hours=2), lat=None, lon=None)  # no place
        vouched = await add(s, 605, at=NOW - timedelta(days=20), lat=HERE[0], lon=HERE[1] + 0.0003,
                            status=ReportStatus.RESOLVED)
        me = await add(s, 501, lat=HERE[0], lon=HERE[1])
        rows = await store.nearby_reports(s, lat=HERE[0], lon=HERE[1], radius_m=150, now=NOW,
                                          since=NOW - timedelta(days=30), new_account_days=7, exclude_report_id=me.id)
    by_id = {r.report_id: r for r in rows}
    assert set(by_id) == {near.id, vouched.id}
    assert 50 < by_id[near.id].distance_m < 60
    assert by_id[near.id].reporter_new and by_id[near.id].own_photos == 2 and len(by_id[near.id].photo_uids) == 2
    assert not by_id[vouched.id].reporter_new  # created 20 days ago and has a confirmed report


async def test_recent_texts_newest_first_excluding_the_candidate(db):
    async with db.transaction() as s:
        old = await add(s, 601, at=NOW - timedelta(days=9), description="Lama sekali")
        a = await add(s, 602, at=NOW - timedelta(hours=3), description="Tiga WNA, Jl. Melati!")
        b = await add(s, 603, at=NOW - timedelta(hours=1), description="Dua WNA di pabrik")
        me = await add(s, 501)
        peers = await store.recent_texts(s, since=NOW - timedelta(days=7), exclude_report_id=me.id)
    assert [p.report_id for p in peers] == [b.id, a.id]
    assert peers[1].text == "tiga wna jl melati" and old.id not in {p.report_id for p in peers}


async def test_photo_peers_same_file_any_time_and_hashed_in_window(db):
    async with db.transaction() as s:
        old = await add(s, 601, at=NOW - timedelta(days=200))
        s.add(Photo(report_id=old.id, file_id="f1", file_unique_id="SAME", created_at=NOW))
        recent = await add(s, 602, at=NOW - timedelta(days=2))
        s.add(Photo(report_id=recent.id, file_id="f2", file_unique_id="OTHER", phash="ffff0000ffff0000", created_at=NOW))
        stale = await add(s, 603, at=NOW - timedelta(days=100))
        s.add(Photo(report_id=stale.id, file_id="f3", file_unique_id="STALE", phash="0000ffff0000ffff", created_at=NOW))
        me = await add(s, 501)
        s.add(Photo(report_id=me.id, file_id="f4", file_unique_id="SAME", created_at=NOW))
        await s.flush()
        only_files = await store.photo_peers(s, file_unique_ids=["SAME"], since=NOW - timedelta(days=60),
                                             with_hashes=False, exclude_report_id=me.id)
        with_hashes = await store.photo_peers(s, file_unique_ids=["SAME"], since=NOW - timedelta(days=60),
                                              with_hashes=True, exclude_report_id=me.id)
    assert [p.report_id for p in only_files] == [old.id]
    assert {p.report_id for p in with_hashes} == {old.id, recent.id}


async def test_open_join_and_find_incidents(db):
    async with db.transaction() as s:
        first = await add(s, 601, lat=HERE[0], lon=HERE[1])
        incident = await store.open_incident(s, report=first, now=NOW)
        second = await add(s, 602, lat=HERE[0], lon=HERE[1])
        primary, count = await store.join_incident(s, report=second, incident_id=incident.id, now=NOW)
        found = await store.open_incidents_near(s, lat=HERE[0], lon=HERE[1], radius_m=150, since=NOW - timedelta(hours=48))
        members = await store.incident_reports(s, incident_id=incident.id)
    assert incident.id == first.id and (primary, count) == (first.id, 2)
    assert [(f.incident_id, f.report_count, f.open) for f in found] == [(incident.id, 2, True)]
    assert [r.id for r in members] == [first.id, second.id] and second.incident_id == incident.id


async def test_incident_closes_with_its_first_report(db):
    async with db.transaction() as s:
        first = await add(s, 601, lat=HERE[0], lon=HERE[1])
        incident = await store.open_incident(s, report=first, now=NOW)
        first.status = ReportStatus.RESOLVED
        await s.flush()
        found = await store.incidents_by_id(s, incident_ids=[incident.id])
    assert [f.open for f in found] == [False]


async def test_restrictions_escalate_and_lift_with_audit(db):
    async with db.transaction() as s:
        r = await add(s, 601)
        one = await store.restrict_reporter(s, reporter_id=r.reporter_id, now=NOW, ladder_days=LADDER, note="rate")
        assert (one.restriction_level, one.restricted_until) == (1, NOW + timedelta(days=1))
        lifted = await store.unrestrict_reporter(s, reporter_id=r.reporter_id, now=NOW, actor_id=9, actor_name="Siti")
        assert lifted.restricted_until is None and lifted.restriction_level == 1
        assert await store.unrestrict_reporter(s, reporter_id=r.reporter_id, now=NOW) is None  # nothing to lift
        two = await store.restrict_reporter(s, reporter_id=r.reporter_id, now=NOW, ladder_days=LADDER)
        assert two.restricted_until == NOW + timedelta(days=7)
        await store.restrict_reporter(s, reporter_id=r.reporter_id, now=NOW, ladder_days=LADDER)
        four = await store.restrict_reporter(s, reporter_id=r.reporter_id, now=NOW, ladder_days=LADDER)
        assert (four.restriction_level, four.restricted_until) == (4, NOW + timedelta(days=30))
        audit = (await s.exec(select(ReporterEvent).order_by(ReporterEvent.id))).all()
    assert [(e.action, e.level, e.actor_name) for e in audit] == [
        ("restricted", 1, None), ("unrestricted", 1, "Siti"), ("restricted", 2, None),
        ("restricted", 3, None), ("restricted", 4, None),
    ]


async def test_leave_hold_once(db):
    async with db.transaction() as s:
        r = await add(s, 601, status=ReportStatus.HELD)
        moved = await store.leave_hold(s, report_id=r.id, to_status=ReportStatus.NEW, now=NOW, actor_id=9, actor_name="Siti")
        again = await store.leave_hold(s, report_id=r.id, to_status=ReportStatus.REJECTED, now=NOW, actor_id=9, actor_name="Siti")
        events = (await s.exec(select(ReportEvent).where(ReportEvent.report_id == r.id))).all()
    assert moved.status == ReportStatus.NEW and again is None
    assert [(e.action, e.from_status, e.to_status) for e in events] == [("forwarded", "held", "new")]


async def test_held_reports_oldest_first_with_total(db):
    async with db.transaction() as s:
        newer = await add(s, 601, at=NOW - timedelta(hours=1), status=ReportStatus.HELD)
        older = await add(s, 602, at=NOW - timedelta(hours=5), status=ReportStatus.HELD)
        await add(s, 603, at=NOW - timedelta(hours=9))  # not held
        rows, total = await store.held_reports(s, limit=1)
    assert [r.id for r in rows] == [older.id] and total == 2 and newer.id != older.id


async def test_reporter_by_report_number_or_alias(db):
    async with db.transaction() as s:
        r = await add(s, 601)
        who = await s.get(Reporter, r.reporter_id)
        by_number = await store.reporter_by_ref(s, ref=r.number.lower())
        by_alias = await store.reporter_by_ref(s, ref=who.alias)
        nobody = await store.reporter_by_ref(s, ref="P-NOPE")
    assert by_number == (who, r) and by_alias == (who, None) and nobody is None


async def test_verify_phone_audits_once(db):
    async with db.transaction() as s:
        r = await add(s, 601)
        await store.verify_phone(s, reporter_id=r.reporter_id, phone_hash="h1", now=NOW)
        who = await store.verify_phone(s, reporter_id=r.reporter_id, phone_hash="h1", now=NOW)
        events = (await s.exec(select(ReporterEvent.action))).all()
    assert who.phone_verified and who.phone_hash == "h1" and events == ["phone_verified"]


async def test_record_decision_moves_held_and_rejected_out_of_officers_statuses(db):
    async with db.transaction() as s:
        held = await add(s, 601)
        await store.record_decision(s, report=held, outcome="review", score=0.3, reasons=[{"key": "scr_r_vague"}])
        refused = await add(s, 602)
        await store.record_decision(s, report=refused, outcome="reject", score=0.6, reasons=[])
        fine = await add(s, 603)
        await store.record_decision(s, report=fine, outcome="accept", score=0.8, reasons=[])
    async with db.read() as s:
        rows = {r.id: r for r in (await s.exec(select(Report))).all()}
    assert rows[held.id].status == "held" and rows[held.id].reasons == [{"key": "scr_r_vague"}]
    assert rows[refused.id].status == "rejected" and rows[fine.id].status == "new"
    assert rows[fine.id].trust_score == 0.8


async def test_incident_table_has_no_rows_until_a_report_opens_one(db):
    async with db.read() as s:
        assert (await s.exec(select(Incident))).all() == []


async def test_incident_summary_counts_and_names_the_newest(db):
    async with db.transaction() as s:
        first = await add(s, 601, lat=HERE[0], lon=HERE[1])
        incident = await store.open_incident(s, report=first, now=NOW)
        assert await store.incident_summary(s, report_id=first.id) is None  # alone
        second = await add(s, 602, at=NOW + timedelta(minutes=5), lat=HERE[0], lon=HERE[1])
        await store.join_incident(s, report=second, incident_id=incident.id, now=NOW)
        third = await add(s, 603, at=NOW + timedelta(minutes=9), lat=HERE[0], lon=HERE[1])
        await store.join_incident(s, report=third, incident_id=incident.id, now=NOW)
        summary = await store.incident_summary(s, report_id=first.id)
        assert await store.incident_summary(s, report_id=second.id) is None  # not an incident's first
    assert summary.count == 3 and summary.newest.id == third.id
