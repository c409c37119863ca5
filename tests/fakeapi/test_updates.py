"""Playing users: generated updates, long polling, callbacks and a real Application."""

from __future__ import annotations

import asyncio
import time

import pytest
from telegram import Bot, Update
from telegram.error import BadRequest, Conflict
from telegram.ext import ApplicationBuilder, CallbackQueryHandler, CommandHandler, ContextTypes

from bot.fakeapi import FakeBotAPI, FakeRequest

from .conftest import ALICE, BUDI, GROUP

pytestmark = pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")


async def test_generated_updates_parse_in_ptb(bot: Bot, api: FakeBotAPI) -> None:
    makers = [
        api.user_text(ALICE, "/lapor@sipoa_test_bot sekarang", chat_id=GROUP),
        api.user_location(ALICE, -6.17, 106.63, horizontal_accuracy=20, live_period=900),
        api.user_venue(ALICE, -6.17, 106.63, "Kantor", "Jl. Satria"),
        api.user_contact(ALICE, "+628123", contact_user_id=ALICE, first_name="Alice"),
        api.user_photo(ALICE, media_group_id="g1", forwarded=True),
        api.user_document(ALICE, file_name="a.pdf", mime_type="application/pdf", content=b"%PDF"),
        api.user_sticker(ALICE), api.user_voice(ALICE), api.user_video(ALICE),
        api.user_poll(ALICE), api.user_dice(ALICE, value=3),
        api.bot_added_to_group(-1009, "Grup baru", BUDI),
        api.push_update({"channel_post": {"message_id": 7, "date": 1, "text": "kanal",
                                          "chat": {"id": -1007, "type": "channel", "title": "K"}}}),
    ]
    updates = [Update.de_json(u, bot) for u in makers]
    ids = [u.update_id for u in updates]
    assert ids == sorted(ids) and len(set(ids)) == len(ids)
    text = updates[0].message
    assert text.chat.id == GROUP and text.entities[0].type == "bot_command"
    assert text.entities[0].length == len("/lapor@sipoa_test_bot")
    assert updates[1].message.location.live_period == 900
    assert updates[4].message.forward_origin is not None and updates[4].message.media_group_id
    assert updates[10].message.dice.value == 3
    assert updates[11].my_chat_member.new_chat_member.status == "member"
    assert updates[12].channel_post.text == "kanal"
    await bot.send_message(-1007, "the channel is now a known chat")
    # message_id increases per chat
    assert [u.message.message_id for u in updates[1:4]] == [1, 2, 3]


async def test_live_location_edit(bot: Bot, api: FakeBotAPI) -> None:
    first = api.user_location(ALICE, -6.1, 106.6, live_period=600)["message"]
    edited = Update.de_json(api.user_edit_location(ALICE, first["message_id"], -6.2, 106.7), bot)
    assert edited.edited_message.location.latitude == -6.2
    assert edited.edited_message.message_id == first["message_id"]
    assert len(api.messages(ALICE)[0]["history"]) == 1


async def test_get_updates_long_poll_and_offsets(bot: Bot, api: FakeBotAPI) -> None:
    assert await bot.get_updates(timeout=0) == ()
    poll = asyncio.create_task(bot.get_updates(timeout=5))
    await asyncio.sleep(0.05)
    started = time.monotonic()
    api.user_text(ALICE, "halo")
    (update,) = await poll
    assert time.monotonic() - started < 1 and update.message.text == "halo"
    # Not confirmed yet: delivered again.
    assert [u.update_id for u in await bot.get_updates()] == [update.update_id]
    assert await bot.get_updates(offset=update.update_id + 1) == ()
    assert api.pending_updates() == []
    for word in ("a", "b", "c"):
        api.user_text(ALICE, word)
    (last,) = await bot.get_updates(offset=-1)
    assert last.message.text == "c" and len(api.pending_updates()) == 1
    assert len(await bot.get_updates(limit=1)) == 1


async def test_long_poll_times_out_empty(bot: Bot, api: FakeBotAPI) -> None:
    started = time.monotonic()
    assert await bot.get_updates(timeout=1) == ()
    assert 0.9 < time.monotonic() - started < 3


async def test_a_second_poller_terminates_the_first(api: FakeBotAPI) -> None:
    first = asyncio.create_task(api.handle("getUpdates", {"timeout": "5"}))
    await asyncio.sleep(0.05)
    assert await api.handle("getUpdates", {"timeout": "0"}) == (200, {"ok": True, "result": []})
    status, body = await asyncio.wait_for(first, 1)
    assert status == 409 and "terminated by other getUpdates" in body["description"]


async def test_webhook_excludes_polling(bot: Bot, api: FakeBotAPI) -> None:
    assert await bot.set_webhook("http://127.0.0.1:9/hook", secret_token="s3cret")
    with pytest.raises(Conflict):
        await bot.get_updates()
    api.user_text(ALICE, "x")
    info = await bot.get_webhook_info()
    assert info.url == "http://127.0.0.1:9/hook" and info.pending_update_count == 1
    with pytest.raises(BadRequest, match="(?i)https url must be provided"):
        await bot.set_webhook("http://example.com/hook")
    assert await bot.delete_webhook(drop_pending_updates=True)
    assert await bot.get_updates() == ()


async def test_allowed_updates_filter_new_updates(bot: Bot, api: FakeBotAPI) -> None:
    await bot.get_updates(allowed_updates=["message"])
    api.user_text(ALICE, "x")
    api.user_press(ALICE, ALICE, 1, "forged")  # callback_query: not allowed, dropped
    assert [next(k for k in u if k != "update_id") for u in api.pending_updates()] == ["message"]


async def test_callback_press_and_answer(bot: Bot, api: FakeBotAPI) -> None:
    msg = await bot.send_message(ALICE, "Pilih", reply_markup={
        "inline_keyboard": [[{"text": "Ya", "callback_data": "yes"}]]})
    raw = api.user_press(ALICE, ALICE, msg.message_id, "not-on-the-keyboard")
    query = Update.de_json(raw, bot).callback_query
    assert query.data == "not-on-the-keyboard" and query.message.message_id == msg.message_id
    assert query.message.reply_markup.inline_keyboard[0][0].callback_data == "yes"
    assert await query.answer("Oke", show_alert=True)
    assert api.answered_callbacks == [{"callback_query_id": query.id, "text": "Oke",
                                       "show_alert": True, "url": None, "cache_time": None}]
    with pytest.raises(BadRequest, match="(?i)query is too old"):
        await query.answer()


async def test_application_processes_fake_updates(api: FakeBotAPI) -> None:
    async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        await update.effective_message.reply_html(
            "<b>Selamat datang</b>", reply_markup={"inline_keyboard": [[
                {"text": "Lapor", "callback_data": "report"}]]})

    async def press(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        await update.callback_query.answer()
        await update.callback_query.edit_message_text("Laporan dimulai")

    app = (ApplicationBuilder().token(api.token).request(FakeRequest(api))
           .get_updates_request(FakeRequest(api)).updater(None).build())
    app.add_handler(CommandHandler("start", start))
    app.add_handler(CallbackQueryHandler(press))
    async with app:
        await app.process_update(Update.de_json(api.user_text(ALICE, "/start"), app.bot))
        await app.process_update(
            Update.de_json(api.user_text(BUDI, "/start@sipoa_test_bot", chat_id=GROUP), app.bot))
        welcome = api.last_bot_message(ALICE)
        assert welcome["plain_text"] == "Selamat datang"
        assert api.last_bot_message(GROUP)["reply_to_message"]["from"]["id"] == BUDI
        data = api.buttons(welcome)[0][0][1]
        await app.process_update(Update.de_json(
            api.user_press(ALICE, ALICE, welcome["message_id"], data), app.bot))
    assert api.last_bot_message(ALICE)["plain_text"] == "Laporan dimulai"
    assert len(api.answered_callbacks) == 1 and api.rejected == []
