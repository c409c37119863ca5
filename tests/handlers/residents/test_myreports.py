"""/myreports (/laporanku): only the caller's reports, newest first, statuses in their language."""

from __future__ import annotations

from sqlmodel import update

from storage.models import Report
from tests.conftest import GROUP_ID, RESIDENT2_ID, RESIDENT_ID
from tests.handlers.residents.helpers import press, reports, say, to_review


async def submit_one(h, user_id: int) -> None:
    review = await to_review(h, user_id)
    await press(h, user_id, review, "Kirim" if user_id == RESIDENT_ID else "Submit")


async def test_no_reports_yet(h):
    reply = await say(h, RESIDENT_ID, "/laporanku")
    assert "belum pernah mengirim laporan" in reply["plain_text"]


async def test_lists_only_the_callers_reports_newest_first_with_neutral_closed(h):
    await submit_one(h, RESIDENT_ID)
    h.clock.advance(hours=2)
    await submit_one(h, RESIDENT2_ID)
    h.clock.advance(hours=1)
    await submit_one(h, RESIDENT_ID)
    first, other, last = sorted(await reports(h), key=lambda r: r.id)
    async with h.services.db.transaction() as s:
        await s.exec(update(Report).where(Report.id == first.id).values(status="false_report"))
    reply = await say(h, RESIDENT_ID, "/laporanku")
    text = reply["plain_text"]
    assert text.index(last.number) < text.index(first.number)
    assert other.number not in text
    assert f"{last.number} · 02/03/2026 12:00 WIB\nBekerja tanpa izin · Baru" in text
    assert f"{first.number} · 02/03/2026 09:00 WIB\nBekerja tanpa izin · Ditutup" in text
    english = await say(h, RESIDENT2_ID, "/myreports")
    assert f"{other.number} · 02/03/2026 11:00 WIB\nWorking without a permit · New" in english["plain_text"]


async def test_myreports_in_a_group_is_ignored(h):
    h.vtime.value += 1
    await h.text(RESIDENT_ID, "/myreports", chat_id=GROUP_ID)
    assert h.fake.bot_messages(GROUP_ID) == []
