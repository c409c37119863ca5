"""/review with two offices (Tangerang TNG, Jakarta Selatan JKS): an office's supervisor sees and acts
on that office's held reports only, a button for another office's report changes nothing; the
national supervisor sees every office's, each named; a forwarded report reaches its own office's
group. /restrict acts on a person and stays open to any supervisor."""

from __future__ import annotations

from typing import Any

import pytest
from sqlmodel import select

from bot.callbacks import Action, encode
from storage.models import Report, Reporter, ReporterEvent, ReportStatus
from tests import factories
from tests.conftest import GROUP_ID, OFFICER2_ID, start_harness
from tests.handlers.test_stats_offices import (
    JKS_GROUP,
    JKS_NAME,
    JKS_SUPERVISOR,
    NATIONAL_ID,
    TNG_NAME,
    TNG_SUPERVISOR,
    two_offices,
)

JAKSEL = {"lat": -6.2615, "lon": 106.8106, "area_label": "Kebayoran Baru, Kota Jakarta Selatan"}
OTHER_OFFICE = "Laporan ini milik kantor lain; supervisor kantor tersebut yang memeriksanya."


async def start(tmp_path, database_url, fake, clock, vtime, **kw: Any):
    """The two offices of tests/handlers/test_stats_offices.py; `kw` as its two_offices'."""
    fake.add_user(TNG_SUPERVISOR, "Tono")
    fake.add_user(JKS_SUPERVISOR, "Joko")
    fake.add_group(JKS_GROUP, "Petugas Imigrasi Jakarta Selatan", members=[JKS_SUPERVISOR, OFFICER2_ID])
    return await start_harness(two_offices(tmp_path, database_url, **kw), fake, clock, vtime)


@pytest.fixture
async def h(tmp_path, database_url, fake, clock, vtime):
    harness = await start(tmp_path, database_url, fake, clock, vtime,
                          screening={"enabled": True, "review_by_officers": True})
    yield harness
    from bot.app import stop_services

    await stop_services(harness.app)
    await harness.app.shutdown()


async def held(h, office: str, seq: int, telegram_id: int, **fields: Any) -> Report:
    """A report screening held for review, of `office`."""
    where = JAKSEL if office == "JKS" else {}
    async with h.services.db.transaction() as s:
        return await factories.report(
            s, telegram_id=telegram_id, now=h.now(), prefix=office, number=f"{office}-2026-{seq:06d}", seq=seq,
            status=ReportStatus.HELD, decision="hold", trust_score=0.3, reasons=[], **where, **fields)


async def one_held_in_each(h) -> tuple[Report, Report]:
    tng = await held(h, "TNG", 1, 5_000_000_301)
    h.clock.now = h.now().replace(minute=5)
    jks = await held(h, "JKS", 1, 5_000_000_302)
    return tng, jks


async def review(h, user_id: int) -> dict:
    await h.text(user_id, "/review")
    return h.last(user_id)


async def press(h, user_id: int, message: dict, data: str) -> str:
    """Press `data` on `message`; the toast the presser saw."""
    h.vtime.value += 1
    await h.press(user_id, message, data)
    await h.drain()
    return h.fake.answered_callbacks[-1]["text"] or ""


async def status_of(h, report_id: int) -> str:
    async with h.services.db.read() as s:
        return (await s.get(Report, report_id)).status


async def test_an_office_supervisor_reviews_only_their_offices_held_reports(h):
    tng, jks = await one_held_in_each(h)
    page = await review(h, JKS_SUPERVISOR)
    text = page["plain_text"]
    assert text.splitlines()[:3] == ["Laporan ditahan: 1 (terlama dulu)", "", f"🏢 {JKS_NAME} (JKS)"]
    assert "JKS-2026-000001" in text and "TNG-2026-000001" not in text
    assert [label for row in h.fake.buttons(page) for label, _ in row] == [
        "Teruskan 000001", "Tolak 000001", "Batasi pelapor 000001"]
    # Tangerang's supervisor: Tangerang's only.
    text = (await review(h, TNG_SUPERVISOR))["plain_text"]
    assert f"🏢 {TNG_NAME} (TNG)" in text and "TNG-2026-000001" in text and "JKS-2026-000001" not in text


async def test_the_national_supervisor_sees_every_office_each_named(h):
    await one_held_in_each(h)
    text = (await review(h, NATIONAL_ID))["plain_text"]
    assert text.startswith("Laporan ditahan: 2 (terlama dulu)")
    # Oldest first, each under its office's name.
    assert text.index(f"🏢 {TNG_NAME} (TNG)\nTNG-2026-000001") < text.index(f"🏢 {JKS_NAME} (JKS)\nJKS-2026-000001")


async def test_an_office_with_nothing_held_reads_empty_though_another_office_has_some(h):
    await held(h, "JKS", 1, 5_000_000_302)
    assert (await review(h, TNG_SUPERVISOR))["plain_text"] == "Tidak ada laporan yang ditahan."


async def test_a_forged_button_for_another_offices_report_is_refused_and_changes_nothing(h):
    tng, jks = await one_held_in_each(h)
    page = await review(h, JKS_SUPERVISOR)
    for action, value in ((Action.REVIEW_FORWARD, None), (Action.REVIEW_REJECT_MENU, None),
                          (Action.REVIEW_REJECT, "false"), (Action.REVIEW_RESTRICT, None)):
        assert await press(h, JKS_SUPERVISOR, page, encode(action, tng.id, value)) == OTHER_OFFICE
    assert await status_of(h, tng.id) == ReportStatus.HELD
    assert h.fake.bot_messages(GROUP_ID) == [] and h.fake.bot_messages(JKS_GROUP) == []
    async with h.services.db.read() as s:
        assert (await s.exec(select(ReporterEvent))).all() == []
        assert all(r.restriction_level == 0 for r in (await s.exec(select(Reporter))).all())
    # Their own page was left as it was (no edit): the only message in the chat is the list.
    assert h.last(JKS_SUPERVISOR)["plain_text"] == page["plain_text"]
    assert not [c for c in h.fake.calls if c.method == "editMessageText"]


async def test_forwarding_puts_the_report_in_its_own_offices_group(h):
    tng, jks = await one_held_in_each(h)
    page = await review(h, NATIONAL_ID)
    toast = await press(h, NATIONAL_ID, page, encode(Action.REVIEW_FORWARD, jks.id))
    assert toast == "JKS-2026-000001 diteruskan ke grup."
    assert [m for m in h.fake.bot_messages(JKS_GROUP) if "JKS-2026-000001" in (m["plain_text"] or "")]
    assert h.fake.bot_messages(GROUP_ID) == []
    # The JKS supervisor's own page, and their own report's buttons, work as before.
    page = await review(h, TNG_SUPERVISOR)
    toast = await press(h, TNG_SUPERVISOR, page, h.button_data(page, "Teruskan 000001"))
    assert toast == "TNG-2026-000001 diteruskan ke grup."
    assert await status_of(h, tng.id) == ReportStatus.NEW
    assert [m for m in h.fake.bot_messages(GROUP_ID) if "TNG-2026-000001" in (m["plain_text"] or "")]


async def test_listed_officers_review_their_own_offices_reports_when_allowed(h):
    await one_held_in_each(h)
    text = (await review(h, OFFICER2_ID))["plain_text"]
    assert "JKS-2026-000001" in text and "TNG-2026-000001" not in text


async def test_any_supervisor_may_restrict_a_reporter_by_another_offices_number(h):
    # A restriction is on the person (who may flood every office); the reply names only the alias.
    tng, _ = await one_held_in_each(h)
    await h.text(JKS_SUPERVISOR, "/restrict TNG-2026-000001 banjir laporan")
    reply = h.last(JKS_SUPERVISOR)["plain_text"]
    async with h.services.db.read() as s:
        reporter = await s.get(Reporter, tng.reporter_id)
    assert reply.startswith(f"Pelapor {reporter.alias} dibatasi sampai ") and reporter.restriction_level == 1
    assert "Tangerang" not in reply
