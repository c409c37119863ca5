"""/start, resume or start over, /cancel at every step, and the language choice."""

from __future__ import annotations

import pytest
from sqlmodel import select

from bot.callbacks import Action, encode
from storage.models import Reporter
from tests.conftest import GROUP_ID, IN_AREA, RESIDENT2_ID, RESIDENT_ID
from tests.handlers.residents.helpers import (
    draft_of,
    feed,
    find_with_buttons,
    press,
    say,
    to_description,
    to_location,
    to_photos,
    to_review,
)


async def test_start_shows_privacy_and_the_false_report_warning_then_the_categories(h):
    await say(h, RESIDENT_ID, "/start")
    welcome, prompt = h.fake.bot_messages(RESIDENT_ID)[-2:]
    text = welcome["plain_text"]
    assert "Privasi" in text and "ID Telegram" in text and "Hanya petugas imigrasi" in text
    assert "tidak melihat nama, username, atau nomor telepon" in text
    assert "Pasal 317 KUHP" in text
    assert prompt["plain_text"].startswith("1/5 · Kategori")
    labels = [row[0][0] for row in h.fake.buttons(prompt)]
    assert labels == [c.id for c in h.services.config.intake.categories]  # one per row
    draft = await draft_of(h, RESIDENT_ID)
    assert (draft.step, draft.status, draft.category) == ("category", "active", None)
    assert h.fake.buttons(prompt)[0][0][1] == encode(Action.CATEGORY, draft.id, "overstay")


async def test_english_user_gets_english(h):
    await say(h, RESIDENT2_ID, "/start")
    welcome, prompt = h.fake.bot_messages(RESIDENT2_ID)[-2:]
    assert "Art. 317 of the Criminal Code" in welcome["plain_text"]
    assert "Overstaying / expired permit" in [row[0][0] for row in h.fake.buttons(prompt)]


async def test_start_in_the_group_is_ignored(h):
    h.vtime.value += 1
    await h.text(RESIDENT_ID, "/start", chat_id=GROUP_ID)
    assert h.fake.bot_messages(GROUP_ID) == []
    assert await draft_of(h, RESIDENT_ID) is None


async def test_start_with_an_empty_draft_simply_starts_again(h):
    await say(h, RESIDENT_ID, "/start")
    first = await draft_of(h, RESIDENT_ID)
    await say(h, RESIDENT_ID, "/start")
    second = await draft_of(h, RESIDENT_ID)
    assert second.id != first.id and second.step == "category"
    assert h.last(RESIDENT_ID)["plain_text"].startswith("1/5")


async def test_start_with_a_draft_in_progress_offers_to_continue_it(h):
    await to_photos(h, RESIDENT_ID)
    offer = await say(h, RESIDENT_ID, "/start")
    assert "belum selesai" in offer["plain_text"] and "foto" in offer["plain_text"]
    prompt = await press(h, RESIDENT_ID, offer, "Lanjutkan")
    assert prompt["plain_text"].startswith("4/5 · Foto")
    assert (await draft_of(h, RESIDENT_ID)).description is not None


async def test_start_over_discards_the_draft(h):
    await to_photos(h, RESIDENT_ID)
    old = await draft_of(h, RESIDENT_ID)
    offer = await say(h, RESIDENT_ID, "/start")
    prompt = await press(h, RESIDENT_ID, offer, "Mulai baru")
    assert prompt["plain_text"].startswith("1/5 · Kategori")
    new = await draft_of(h, RESIDENT_ID)
    assert new.id != old.id and new.category is None and new.description is None
    # The old offer's buttons name a draft that is gone.
    await press(h, RESIDENT_ID, offer, "Lanjutkan")
    assert h.fake.answered_callbacks[-1]["text"] == "Tombol ini sudah tidak berlaku."


STEP_DRIVERS = {"category": None, "location": to_location, "description": to_description,
                "photos": to_photos, "review": to_review}


@pytest.mark.parametrize("step", list(STEP_DRIVERS))
@pytest.mark.parametrize("command", ["/cancel", "/batal"])
async def test_cancel_at_every_step_deletes_the_draft_and_removes_the_keyboard(h, step, command):
    driver = STEP_DRIVERS[step]
    if driver is None:
        await say(h, RESIDENT_ID, "/start")
    else:
        await driver(h, RESIDENT_ID)
    assert (await draft_of(h, RESIDENT_ID)).step == step
    reply = await say(h, RESIDENT_ID, command)
    assert reply["plain_text"].startswith("Laporan dibatalkan")
    assert reply["reply_markup"] == {"remove_keyboard": True}
    assert await draft_of(h, RESIDENT_ID) is None


async def test_cancel_button_on_the_review(h):
    review = await to_review(h, RESIDENT_ID)
    reply = await press(h, RESIDENT_ID, review, "Batal")
    assert reply["plain_text"].startswith("Laporan dibatalkan")
    assert await draft_of(h, RESIDENT_ID) is None


async def test_cancel_without_a_draft(h):
    assert "Tidak ada laporan" in (await say(h, RESIDENT_ID, "/cancel"))["plain_text"]


async def reporter(h, user_id: int) -> Reporter:
    async with h.services.db.read() as s:
        return (await s.exec(select(Reporter).where(Reporter.telegram_id == user_id))).first()


async def test_bahasa_buttons_switch_to_english_for_good(h):
    await to_location(h, RESIDENT_ID)
    choose = await say(h, RESIDENT_ID, "/bahasa")
    assert [text for text, _ in h.fake.buttons(choose)[0]] == ["Bahasa Indonesia", "English"]
    await press(h, RESIDENT_ID, choose, "English")
    confirm, prompt = h.fake.bot_messages(RESIDENT_ID)[-2:]
    assert confirm["plain_text"] == "Language set to English."
    # The question of the current step again, in English, with its English keyboard.
    assert prompt["plain_text"].startswith("2/5 · Location")
    assert prompt["reply_markup"]["keyboard"][0][0]["text"] == "📍 Send my location"
    r = await reporter(h, RESIDENT_ID)
    assert (r.language, r.language_chosen) == ("en", True)
    # Telegram still says "id" for this user; the choice wins.
    reply = await feed(h, h.fake.user_location(RESIDENT_ID, *IN_AREA, horizontal_accuracy=5.0), RESIDENT_ID)
    assert "3/5 · Description" in reply["plain_text"]


async def test_language_command_with_an_argument(h):
    reply = await say(h, RESIDENT2_ID, "/language id")
    assert reply["plain_text"] == "Bahasa diatur ke Bahasa Indonesia."
    await say(h, RESIDENT2_ID, "/start")
    assert "Pasal 317 KUHP" in h.fake.bot_messages(RESIDENT2_ID)[-2]["plain_text"]


async def test_language_button_with_forged_value_is_refused(h):
    choose = await say(h, RESIDENT_ID, "/bahasa")
    await h.press(RESIDENT_ID, choose, "1:l:0:fr")
    assert h.fake.answered_callbacks[-1]["text"] == "Tombol ini sudah tidak berlaku."
    assert (await reporter(h, RESIDENT_ID)) is None or not (await reporter(h, RESIDENT_ID)).language_chosen


async def test_category_message_shows_the_choice_and_loses_its_keyboard(h):
    await say(h, RESIDENT_ID, "/start")
    categories = find_with_buttons(h, RESIDENT_ID)
    await press(h, RESIDENT_ID, categories, "Bekerja")
    edited = next(m for m in h.fake.bot_messages(RESIDENT_ID) if m["message_id"] == categories["message_id"])
    assert edited["plain_text"] == "1/5 · Kategori: Bekerja tanpa izin"
    assert h.fake.buttons(edited) == []
