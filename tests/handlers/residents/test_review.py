"""The review: submit to a report number (once), edit a step and come back, stale and forged buttons."""

from __future__ import annotations

import copy

from bot.callbacks import Action, encode
from storage.outbox import OutboxKind
from tests.conftest import GROUP_ID, IN_AREA, RESIDENT2_ID, RESIDENT_ID
from tests.handlers.residents.helpers import (
    DESCRIPTION,
    draft_of,
    feed,
    outbox,
    press,
    press_data,
    reports,
    say,
    snapshot,
    to_photos,
    to_review,
)


async def test_happy_path_ends_with_a_report_number_and_one_alert_for_the_group(h):
    review = await to_review(h, RESIDENT_ID)
    draft = await draft_of(h, RESIDENT_ID)
    assert "Kategori: Bekerja tanpa izin" in review["plain_text"]
    assert "Foto: tidak ada" in review["plain_text"] and DESCRIPTION in review["plain_text"]
    confirmation = await press(h, RESIDENT_ID, review, "Kirim")
    [report] = await reports(h)
    assert report.number == "TNG-2026-000001"
    text = confirmation["plain_text"]
    assert "TNG-2026-000001" in text and "/laporanku" in text and "Petugas imigrasi sudah diberi tahu" in text
    assert (report.category, report.lat, report.lon, report.location_source) == (
        "illegal_work", IN_AREA[0], IN_AREA[1], "gps")
    assert (report.description, report.language, report.channel, report.status) == (
        DESCRIPTION, "id", "telegram", "new")
    assert report.draft_started_at == draft.started_at and report.photo_count == 0
    alerts = [o for o in await outbox(h) if o.kind == OutboxKind.ALERT]
    assert [(o.chat_id, o.report_id) for o in alerts] == [(GROUP_ID, report.id)]
    assert await draft_of(h, RESIDENT_ID) is None


async def test_english_resident_gets_english_all_the_way(h):
    review = await to_review(h, RESIDENT2_ID)
    assert review["plain_text"].startswith("5/5 · Check your report")
    confirmation = await press(h, RESIDENT2_ID, review, "Submit")
    assert "Your report number: TNG-2026-000001" in confirmation["plain_text"]
    assert "/myreports" in confirmation["plain_text"]
    assert (await reports(h))[0].language == "en"


async def test_submit_pressed_twice_gives_the_same_number_and_one_report(h):
    review = await to_review(h, RESIDENT_ID)
    first = await press(h, RESIDENT_ID, review, "Kirim")
    second = await press(h, RESIDENT_ID, review, "Kirim")
    assert "TNG-2026-000001" in first["plain_text"] and "TNG-2026-000001" in second["plain_text"]
    assert len(await reports(h)) == 1
    assert len([o for o in await outbox(h) if o.kind == OutboxKind.ALERT]) == 1


async def test_a_redelivered_update_is_applied_once(h):
    await to_photos(h, RESIDENT_ID)
    update = h.fake.user_photo(RESIDENT_ID)
    await feed(h, update, RESIDENT_ID)
    await feed(h, copy.deepcopy(update), RESIDENT_ID)  # Telegram sends it again after a crash
    assert (await snapshot(h, RESIDENT_ID))["photos"] == 1
    assert h.last(RESIDENT_ID)["plain_text"].startswith("4/5 · Foto")  # the question again


async def test_a_redelivered_submit_returns_the_same_report(h):
    review = await to_review(h, RESIDENT_ID)
    press_update = h.fake.user_press(RESIDENT_ID, RESIDENT_ID, review["message_id"], h.button_data(review, "Kirim"))
    h.vtime.value += 1
    await h.feed(press_update)
    h.vtime.value += 1
    await h.feed(copy.deepcopy(press_update))
    assert len(await reports(h)) == 1
    assert "TNG-2026-000001" in h.last(RESIDENT_ID)["plain_text"]


async def test_edit_a_step_from_the_review_and_come_straight_back(h):
    review = await to_review(h, RESIDENT_ID)
    before = await snapshot(h, RESIDENT_ID)
    menu = await press(h, RESIDENT_ID, review, "Ubah")
    assert [t for row in h.fake.buttons(menu) for t, _ in row] == ["Kategori", "Lokasi", "Uraian", "Foto", "Kembali"]
    prompt = await press(h, RESIDENT_ID, menu, "Uraian")
    assert prompt["plain_text"].startswith("3/5 · Uraian")
    assert (await draft_of(h, RESIDENT_ID)).return_to == "review"
    new_review = await say(h, RESIDENT_ID, "Uraian yang diperbaiki: mereka bekerja di pabrik.")
    assert new_review["plain_text"].startswith("5/5")
    assert "Uraian yang diperbaiki" in new_review["plain_text"]
    after = await snapshot(h, RESIDENT_ID)
    assert after["step"] == "review" and after["return_to"] == ""
    for kept in ("category", "lat", "lon", "location_source", "area_label"):
        assert after[kept] == before[kept]


async def test_edit_location_removes_the_location_keyboard_and_returns(h):
    review = await to_review(h, RESIDENT_ID)
    menu = await press(h, RESIDENT_ID, review, "Ubah")
    prompt = await press(h, RESIDENT_ID, menu, "Lokasi")
    assert prompt["reply_markup"]["keyboard"][0][0]["request_location"] is True
    await say(h, RESIDENT_ID, "Jl. Raden Fatah No. 10, Ciledug")
    saved, new_review = h.fake.bot_messages(RESIDENT_ID)[-2:]
    assert saved["reply_markup"] == {"remove_keyboard": True}
    assert new_review["plain_text"].startswith("5/5") and "(tanpa koordinat)" in new_review["plain_text"]
    draft = await draft_of(h, RESIDENT_ID)
    assert (draft.lat, draft.description) == (None, DESCRIPTION)


async def test_edit_photos_replaces_them(h):
    await to_photos(h, RESIDENT_ID)
    await feed(h, h.fake.user_photo(RESIDENT_ID), RESIDENT_ID)
    review = await press(h, RESIDENT_ID, h.last(RESIDENT_ID), "Selesai")
    menu = await press(h, RESIDENT_ID, review, "Ubah")
    prompt = await press(h, RESIDENT_ID, menu, "Foto")
    assert "foto sebelumnya sudah dihapus" in prompt["plain_text"]
    assert (await snapshot(h, RESIDENT_ID))["photos"] == 0
    for _ in range(2):
        await feed(h, h.fake.user_photo(RESIDENT_ID), RESIDENT_ID)
    new_review = await press(h, RESIDENT_ID, h.last(RESIDENT_ID), "Selesai")
    assert "Foto: 2 foto" in new_review["plain_text"]


async def test_back_from_the_edit_menu_shows_the_review(h):
    review = await to_review(h, RESIDENT_ID)
    menu = await press(h, RESIDENT_ID, review, "Ubah")
    again = await press(h, RESIDENT_ID, menu, "Kembali")
    assert again["plain_text"] == review["plain_text"]


async def test_invalid_button_data_changes_nothing(h):
    review = await to_review(h, RESIDENT_ID)
    before = await snapshot(h, RESIDENT_ID)
    for data in ("garbage", "1:s:", "2:s:1", "1:zz:1", "1:c:1:NOT-A-CODE", "1:s:" + "9" * 30):
        await press_data(h, RESIDENT_ID, review, data)
        assert h.fake.answered_callbacks[-1]["text"] == "Tombol ini sudah tidak berlaku."
    assert await snapshot(h, RESIDENT_ID) == before
    assert await reports(h) == []


async def test_a_button_naming_another_draft_is_refused(h):
    review = await to_review(h, RESIDENT_ID)
    draft = await draft_of(h, RESIDENT_ID)
    before = await snapshot(h, RESIDENT_ID)
    await press_data(h, RESIDENT_ID, review, encode(Action.SUBMIT, draft.id + 1))
    assert h.fake.answered_callbacks[-1]["text"] == "Tombol ini sudah tidak berlaku."
    # Another resident pressing a button with this resident's draft id.
    await to_review(h, RESIDENT2_ID)
    other = h.last(RESIDENT2_ID)
    await press_data(h, RESIDENT2_ID, other, encode(Action.SUBMIT, draft.id))
    assert h.fake.answered_callbacks[-1]["text"] == "This button is no longer valid."
    assert await snapshot(h, RESIDENT_ID) == before
    assert await reports(h) == []


async def test_a_button_of_an_earlier_step_asks_the_current_question_again(h):
    review = await to_review(h, RESIDENT_ID)
    draft = await draft_of(h, RESIDENT_ID)
    before = await snapshot(h, RESIDENT_ID)
    reply = await press_data(h, RESIDENT_ID, review, encode(Action.PHOTOS_SKIP, draft.id))
    assert reply["plain_text"].startswith("5/5")
    assert h.fake.answered_callbacks[-1]["text"] is None
    assert await snapshot(h, RESIDENT_ID) == before


async def test_every_callback_query_is_answered(h):
    review = await to_review(h, RESIDENT_ID)
    await press(h, RESIDENT_ID, review, "Kirim")
    presses = [c for c in h.fake.calls if c.method == "answerCallbackQuery"]
    assert len(presses) == 3 and all(c.ok for c in presses)  # category, skip, submit
