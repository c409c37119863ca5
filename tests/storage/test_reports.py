"""Reports from drafts: numbering per prefix and WIB year, one transaction with photos, event, alert
and the draft's deletion; idempotent for a redelivered or repeated Submit."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from sqlmodel import select

from storage import drafts, reporters, reports
from storage.models import Draft, Outbox, Photo, ReportEvent
from storage.outbox import OutboxKind

NOW = datetime(2026, 3, 2, 2, 0, tzinfo=timezone.utc)
GROUP = -100123
TIMEOUT = timedelta(minutes=30)


async def complete_draft(db, telegram_id: int = 501, photos: int = 2, language: str = "en") -> int:
    async with db.transaction() as s:
        reporter = await reporters.get_or_create(s, telegram_id=telegram_id, now=NOW, language=language)
        draft = await drafts.create(
            s, reporter_id=reporter.id, chat_id=telegram_id, step="review", now=NOW, timeout=TIMEOUT, update_id=1
        )
        await drafts.apply(s, draft=draft, now=NOW, timeout=TIMEOUT, update_id=2, changes={
            "category": "overstay", "lat": -6.2, "lon": 106.7, "accuracy_m": 8.0, "location_source": "gps",
            "area_label": "Ciledug, Kota Tangerang", "description": "<b>x</b> & verbatim text here",
            "extra": {"_album_rejected": 1, "walk_in": True},
        })
        for n in range(photos):
            await drafts.add_photo(s, draft_id=draft.id, file_id=f"F{n}", file_unique_id=f"U{n}", now=NOW)
        return draft.id


async def submit(db, draft_id: int, update_id: int, now: datetime = NOW):
    async with db.transaction() as s:
        draft = await s.get(Draft, draft_id)
        if draft is None:  # already submitted: the repository finds the report by the draft id
            draft = Draft(id=draft_id, reporter_id=0, chat_id=0, step="review", started_at=now, updated_at=now,
                          expires_at=now)
        return await reports.create_from_draft(
            s, draft=draft, update_id=update_id, prefix="TNG", now=now, group_chat_id=GROUP
        )


async def test_submit_makes_one_numbered_report_with_everything_in_one_go(db):
    draft_id = await complete_draft(db)
    report = await submit(db, draft_id, update_id=900)
    assert report.number == "TNG-2026-000001" and (report.year, report.seq) == (2026, 1)
    assert (report.category, report.lat, report.lon, report.accuracy_m) == ("overstay", -6.2, 106.7, 8.0)
    assert report.description == "<b>x</b> & verbatim text here"
    assert (report.language, report.channel, report.photo_count, report.status) == ("en", "telegram", 2, "new")
    assert report.draft_started_at == NOW and report.submit_update_id == 900
    assert report.extra == {"walk_in": True}  # the conversation's own bookkeeping stays behind
    async with db.read() as s:
        assert (await s.exec(select(Draft))).all() == []
        photos = (await s.exec(select(Photo))).all()
        events = (await s.exec(select(ReportEvent))).all()
        outbox = (await s.exec(select(Outbox))).all()
    assert [(p.report_id, p.draft_id) for p in photos] == [(report.id, None)] * 2
    assert [(e.action, e.to_status) for e in events] == [("created", "new")]
    assert [(o.kind, o.chat_id, o.report_id, o.dedupe_key) for o in outbox] == [
        (OutboxKind.ALERT, GROUP, report.id, f"alert:{report.id}")
    ]


async def test_redelivered_or_repeated_submit_returns_the_first_report(db):
    draft_id = await complete_draft(db)
    first = await submit(db, draft_id, update_id=900)
    assert (await submit(db, draft_id, update_id=900)).id == first.id
    assert (await submit(db, draft_id, update_id=901)).id == first.id  # pressed again: a new update
    async with db.read() as s:
        assert len((await s.exec(select(Outbox))).all()) == 1
        assert (await reports.get_report_by_submit_update(s, update_id=900)).id == first.id


async def test_numbers_count_up_per_year_in_wib(db):
    a = await submit(db, await complete_draft(db, 501), update_id=1)
    b = await submit(db, await complete_draft(db, 502), update_id=2)
    assert (a.number, b.number) == ("TNG-2026-000001", "TNG-2026-000002")
    # 31 Dec 2026 17:30 UTC is already 1 Jan 2027 in Jakarta: a new year, a new sequence.
    new_year = datetime(2026, 12, 31, 17, 30, tzinfo=timezone.utc)
    c = await submit(db, await complete_draft(db, 503), update_id=3, now=new_year)
    assert c.number == "TNG-2027-000001"


async def test_an_incomplete_draft_cannot_be_submitted(db):
    async with db.transaction() as s:
        reporter = await reporters.get_or_create(s, telegram_id=9, now=NOW, language="id")
        draft = await drafts.create(s, reporter_id=reporter.id, chat_id=9, step="review", now=NOW,
                                    timeout=TIMEOUT, update_id=1)
        with pytest.raises(ValueError):
            await reports.create_from_draft(s, draft=draft, update_id=5, prefix="TNG", now=NOW, group_chat_id=GROUP)


async def test_list_for_reporter_is_newest_first_and_only_theirs(db):
    mine = [await submit(db, await complete_draft(db, 501), update_id=n) for n in (1, 2)]
    theirs = await submit(db, await complete_draft(db, 502), update_id=3)
    async with db.read() as s:
        listed = await reports.list_for_reporter(s, reporter_id=mine[0].reporter_id, limit=10)
        one = await reports.list_for_reporter(s, reporter_id=mine[0].reporter_id, limit=1)
        got = await reports.get_report(s, report_id=theirs.id)
    assert [r.id for r in listed] == [mine[1].id, mine[0].id]
    assert [r.id for r in one] == [mine[1].id]
    assert got.number == theirs.number
