"""The officers' group as officers use it: buttons on the alert, who may press what, what the
resident hears, and the bot refusing to live in any other group."""

from __future__ import annotations

import logging

import pytest
from sqlmodel import select

from bot.callbacks import Action, encode
from bot.app import stop_services
from storage.models import Outbox, Report, ReportEvent, Setting
from tests import factories
from tests.conftest import (
    GROUP_ID,
    OFFICER2_ID,
    OFFICER_ID,
    OUTSIDER_ID,
    RESIDENT2_ID,
    RESIDENT_ID,
    SUPERVISOR_ID,
    make_config,
    start_harness,
)


async def alert_for(h, *, telegram_id=RESIDENT_ID, language="id", **kw) -> tuple[Report, dict]:
    async with h.services.db.transaction() as s:
        report = await factories.report_with_alert(s, group_chat_id=h.services.group_chat_id, now=h.now(),
                                                   telegram_id=telegram_id, language=language, **kw)
    await h.drain()
    return report, h.last(h.services.group_chat_id)


async def press(h, user_id: int, message: dict, label: str) -> str:
    """Press the button whose label contains `label`; returns the toast the presser saw."""
    return await press_data(h, user_id, message, h.button_data(message, label))


async def press_data(h, user_id: int, message: dict, data: str) -> str:
    before = len(h.fake.answered_callbacks)
    await h.press(user_id, message, data)
    # Every press is answered, exactly once (a second answer would be refused by the fake).
    assert len(h.fake.answered_callbacks) == before + 1
    return h.fake.answered_callbacks[-1]["text"] or ""


async def snapshot(h):
    async with h.services.db.read() as s:
        reports = [(r.id, r.status, r.taken_by, r.closed_by) for r in (await s.exec(select(Report))).all()]
        events = len((await s.exec(select(ReportEvent))).all())
        rows = len((await s.exec(select(Outbox))).all())
    return reports, events, rows, len(h.fake.calls_to("editMessageText") + h.fake.calls_to("editMessageCaption"))


def current(h, message: dict) -> dict:
    return next(m for m in h.fake.bot_messages(message["chat"]["id"]) if m["message_id"] == message["message_id"])


async def test_take_edits_the_alert_and_tells_the_resident_in_english(h):
    report, alert = await alert_for(h, telegram_id=RESIDENT2_ID, language="en")
    toast = await press(h, OFFICER_ID, alert, "Tangani")
    assert toast == f"Anda menangani {report.number}."
    await h.drain()
    edited = current(h, alert)
    assert "🟡 Ditangani oleh Agus · 09:00 WIB" in edited["plain_text"]
    assert [t for row in h.fake.buttons(edited) for t, _ in row] == [
        "✅ Selesai / Resolved", "⛔ Palsu / False", "❓ Tanya pelapor / Ask reporter"]
    note = h.last(RESIDENT2_ID)["plain_text"]
    assert note.startswith(f"🟡 Your report {report.number} is being handled") and "Agus" not in note
    async with h.services.db.read() as s:
        [event] = (await s.exec(select(ReportEvent))).all()
    assert (event.actor_id, event.from_status, event.to_status) == (OFFICER_ID, "new", "taken")


async def test_a_second_officer_is_told_who_has_it_and_nothing_changes(h):
    report, alert = await alert_for(h)
    await press(h, OFFICER_ID, alert, "Tangani")
    await h.drain()
    before = await snapshot(h)
    # The alert as the second officer still saw it, with its Take button.
    toast = await press_data(h, OFFICER2_ID, alert, encode(Action.TAKE, report.id))
    assert toast == "Sudah ditangani oleh Agus."
    await h.drain()
    assert await snapshot(h) == before
    toast = await press_data(h, OFFICER_ID, alert, encode(Action.TAKE, report.id))
    assert toast == f"Anda sudah menangani {report.number}."


async def test_only_the_taker_or_a_supervisor_may_close(h):
    report, alert = await alert_for(h)
    await press(h, OFFICER_ID, alert, "Tangani")
    await h.drain()
    taken = current(h, alert)
    before = await snapshot(h)
    toast = await press(h, OFFICER2_ID, taken, "Selesai")
    assert toast == "Hanya Agus (yang menangani) atau supervisor yang dapat menutup laporan ini."
    assert await snapshot(h) == before
    assert await press(h, SUPERVISOR_ID, taken, "Selesai") == f"{report.number} ditandai selesai."
    await h.drain()
    closed = current(h, alert)
    assert "✅ Selesai oleh Siti" in closed["plain_text"] and h.fake.buttons(closed) == []
    assert "telah selesai ditindaklanjuti" in h.last(RESIDENT_ID)["plain_text"]
    # A press on the old buttons of a closed report changes nothing more.
    assert await press(h, OFFICER_ID, taken, "Palsu") == f"Laporan {report.number} sudah ditutup."


async def test_the_taker_marks_a_false_report_and_the_resident_is_not_accused(h):
    report, alert = await alert_for(h)
    await press(h, OFFICER_ID, alert, "Tangani")
    await h.drain()
    toast = await press(h, OFFICER_ID, current(h, alert), "Palsu")
    assert toast == f"{report.number} ditandai laporan palsu."
    await h.drain()
    assert "⛔ Laporan palsu (Agus" in current(h, alert)["plain_text"]
    note = h.last(RESIDENT_ID)["plain_text"]
    assert "ditutup setelah pemeriksaan" in note and "palsu" not in note.lower()


async def test_resolve_before_anyone_took_it_is_refused(h):
    report, alert = await alert_for(h)
    before = await snapshot(h)
    toast = await press_data(h, SUPERVISOR_ID, alert, encode(Action.RESOLVE, report.id))
    assert toast == "Laporan ini belum ditangani. Tekan Tangani dulu."
    assert await snapshot(h) == before


@pytest.fixture
async def listed(tmp_path, database_url, fake, clock, vtime):
    """A harness whose config lists the officers: a group member not listed is not an officer."""
    config = make_config(tmp_path, database_url=database_url, officers={"officer_ids": [OFFICER_ID]})
    harness = await start_harness(config, fake, clock, vtime)
    yield harness
    await stop_services(harness.app)
    await harness.app.shutdown()


async def test_a_group_member_who_is_not_an_officer_is_refused(listed, caplog):
    h = listed
    _, alert = await alert_for(h)
    before = await snapshot(h)
    caplog.set_level(logging.INFO, logger="sipoa.officers")
    toast = await press(h, OUTSIDER_ID, alert, "Tangani")
    assert toast == "Maaf, Anda tidak terdaftar sebagai petugas."
    await h.drain()
    assert await snapshot(h) == before
    assert "press_refused" in caplog.text
    # Supervisors are officers even when not listed.
    assert (await press(h, SUPERVISOR_ID, alert, "Tangani")).startswith("Anda menangani")


async def test_a_press_in_a_private_chat_is_refused(h):
    report, _ = await alert_for(h)
    message = await h.app.bot.send_message(OFFICER_ID, "x")
    private = h.fake.last_bot_message(OFFICER_ID)
    assert private["message_id"] == message.message_id
    before = await snapshot(h)
    toast = await press_data(h, OFFICER_ID, private, encode(Action.TAKE, report.id))
    assert toast == "Tombol ini hanya berlaku di grup petugas."
    assert await snapshot(h) == before


@pytest.mark.parametrize("data", ["1:t:", "1:t", "2:t:1", "1:t:1:x", "1:c:overstay:1", "1:zz:1", "", "x" * 70])
async def test_forged_truncated_or_foreign_data_is_refused(h, data):
    _, alert = await alert_for(h)
    before = await snapshot(h)
    toast = await press_data(h, OFFICER_ID, alert, data)
    assert toast == "Tombol ini sudah tidak berlaku."
    assert await snapshot(h) == before


async def test_a_button_for_a_report_that_does_not_exist(h):
    _, alert = await alert_for(h)
    assert await press_data(h, OFFICER_ID, alert, encode(Action.TAKE, 987654)) == "Laporan tidak ditemukan."


async def test_photos_button_sends_the_rest_once(h):
    ids = [h.fake.user_photo(RESIDENT_ID)["message"]["photo"][-1]["file_id"] for _ in range(3)]
    _, alert = await alert_for(h, photo_file_ids=ids)
    assert await press(h, OFFICER_ID, alert, "Foto (2)") == "Foto sedang dikirim."
    await h.drain()
    assert len(h.fake.calls_to("sendMediaGroup")) == 1
    assert await press(h, OFFICER2_ID, alert, "Foto (2)") == "Foto sudah dikirim di grup."
    await h.drain()
    assert len(h.fake.calls_to("sendMediaGroup")) == 1
    assert len(h.fake.bot_messages(GROUP_ID)) == 3


async def test_the_bot_leaves_any_other_group_it_is_added_to(h, caplog):
    caplog.set_level(logging.WARNING, logger="sipoa.officers")
    await h.feed(h.fake.bot_added_to_group(-1005555, "Grup lain", OUTSIDER_ID))
    [leave] = h.fake.calls_to("leaveChat")
    assert leave.params["chat_id"] == -1005555
    assert "left_foreign_chat" in caplog.text
    # Being (re)added to the officers' group is fine.
    await h.feed(h.fake.bot_added_to_group(GROUP_ID, "Petugas Imigrasi Tangerang", SUPERVISOR_ID))
    assert len(h.fake.calls_to("leaveChat")) == 1


async def test_a_resident_blocking_the_bot_is_not_the_groups_business(h):
    await h.feed(h.fake.block_bot(RESIDENT_ID))
    assert not h.fake.calls_to("leaveChat")


async def test_the_migration_message_moves_the_group_at_once(tmp_path, database_url, fake, clock, vtime):
    old, new = -4002, -1008888
    fake.add_group(old, "Petugas", type="group", members=[OFFICER_ID])
    config = make_config(tmp_path, database_url=database_url, officers={"group_chat_id": old})
    h = await start_harness(config, fake, clock, vtime)
    try:
        for update in fake.group_migrated(old, new):
            await h.feed(update)
        assert h.services.group_chat_id == new
        async with h.services.db.read() as s:
            assert (await s.get(Setting, "group_chat_id")).value == str(new)
        assert not fake.calls_to("leaveChat")
        report, alert = await alert_for(h)
        assert alert["chat"]["id"] == new
        assert (await press(h, OFFICER_ID, alert, "Tangani")).startswith("Anda menangani")
    finally:
        await stop_services(h.app)
        await h.app.shutdown()

