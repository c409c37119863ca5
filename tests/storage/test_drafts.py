"""Draft rows: one per reporter, step changes that record the update and push the expiry, photos,
and the expiry query the sweep uses."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from sqlmodel import select

from storage import drafts, reporters
from storage.models import Draft, DraftStatus, Photo

NOW = datetime(2026, 3, 2, 2, 0, tzinfo=timezone.utc)
TIMEOUT = timedelta(minutes=30)


async def new_draft(db, telegram_id: int = 501) -> Draft:
    async with db.transaction() as s:
        reporter = await reporters.get_or_create(s, telegram_id=telegram_id, now=NOW, language="id")
        return await drafts.create(
            s, reporter_id=reporter.id, chat_id=telegram_id, step="category", now=NOW, timeout=TIMEOUT, update_id=10
        )


async def test_create_replaces_the_reporters_earlier_draft_and_its_photos(db):
    first = await new_draft(db)
    async with db.transaction() as s:
        await drafts.add_photo(s, draft_id=first.id, file_id="F", file_unique_id="U", now=NOW)
    second = await new_draft(db)
    async with db.read() as s:
        rows = (await s.exec(select(Draft))).all()
        photos = (await s.exec(select(Photo))).all()
    assert [d.id for d in rows] == [second.id]
    assert photos == []
    assert second.id != first.id  # ids are never handed out twice: old buttons stay stale


async def test_apply_sets_fields_records_the_update_and_pushes_expiry(db):
    draft = await new_draft(db)
    later = NOW + timedelta(minutes=10)
    async with db.transaction() as s:
        draft = await drafts.get(s, draft_id=draft.id)
        await drafts.apply(s, draft=draft, changes={"step": "location", "category": "other"}, now=later,
                           timeout=TIMEOUT, update_id=11)
    async with db.read() as s:
        row = await drafts.get(s, draft_id=draft.id)
    assert (row.step, row.category, row.last_update_id) == ("location", "other", 11)
    assert row.expires_at == later + TIMEOUT and row.updated_at == later


async def test_apply_refuses_unknown_fields(db):
    draft = await new_draft(db)
    async with db.transaction() as s:
        draft = await drafts.get(s, draft_id=draft.id)
        with pytest.raises(ValueError):
            await drafts.apply(s, draft=draft, changes={"reporter_id": 99}, now=NOW, timeout=TIMEOUT, update_id=12)


async def test_photos_keep_their_order_and_can_be_cleared(db):
    draft = await new_draft(db)
    async with db.transaction() as s:
        for n in range(3):
            await drafts.add_photo(s, draft_id=draft.id, file_id=f"F{n}", file_unique_id=f"U{n}", now=NOW)
    async with db.read() as s:
        assert [p.file_id for p in await drafts.photos_of(s, draft_id=draft.id)] == ["F0", "F1", "F2"]
        assert [p.position for p in await drafts.photos_of(s, draft_id=draft.id)] == [0, 1, 2]
    async with db.transaction() as s:
        await drafts.clear_photos(s, draft_id=draft.id)
    async with db.read() as s:
        assert await drafts.count_photos(s, draft_id=draft.id) == 0


async def test_due_for_expiry_is_active_drafts_past_their_time(db):
    a = await new_draft(db, 501)
    b = await new_draft(db, 502)
    async with db.transaction() as s:
        row = await drafts.get(s, draft_id=b.id)
        await drafts.mark_expired(s, draft=row)
    async with db.read() as s:
        assert await drafts.due_for_expiry(s, now=NOW + TIMEOUT - timedelta(seconds=1)) == []
        due = await drafts.due_for_expiry(s, now=NOW + TIMEOUT)
    assert [d.id for d in due] == [a.id]
    async with db.read() as s:
        assert (await drafts.get(s, draft_id=b.id)).status == DraftStatus.EXPIRED


async def test_reporter_alias_language_and_identity(db):
    async with db.transaction() as s:
        r = await reporters.get_or_create(s, telegram_id=7, now=NOW, language="en", first_name="Ann", username="ann")
        other = await reporters.get_or_create(s, telegram_id=8, now=NOW, language="id")
    assert r.alias.startswith("P-") and len(r.alias) == 8 and r.alias != other.alias
    async with db.transaction() as s:
        again = await reporters.get_or_create(s, telegram_id=7, now=NOW, language="id", first_name="Ann B")
        assert (again.id, again.alias, again.language, again.first_name) == (r.id, r.alias, "id", "Ann B")
        await reporters.set_language(s, reporter=again, language="en")
    async with db.transaction() as s:
        chosen = await reporters.get_or_create(s, telegram_id=7, now=NOW, language="id")
    assert (chosen.language, chosen.language_chosen) == ("en", True)  # a choice outlives language_code
