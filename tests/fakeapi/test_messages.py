"""Sending, validating, editing and deleting messages through a real PTB Bot (in-process)."""

from __future__ import annotations

import re
import warnings

import pytest
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, InputMediaPhoto, Update
from telegram.error import BadRequest, ChatMigrated, EndPointNotFound, Forbidden, RetryAfter

from bot.fakeapi import FakeBotAPI
from bot.fakeapi.files import make_jpeg

from .conftest import ALICE, BUDI, GROUP, VClock

pytestmark = [
    # do_api_request is used on purpose to bypass PTB's own argument handling.
    pytest.mark.filterwarnings("ignore:Please use 'Bot:telegram.warnings.PTBUserWarning"),
    pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning"),
]


def retry_seconds(exc: RetryAfter) -> float:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        value = exc.retry_after
    return value if isinstance(value, int | float) else value.total_seconds()


def keyboard(*data: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[InlineKeyboardButton(d.upper(), callback_data=d) for d in data]])


async def test_get_me(bot: Bot, api: FakeBotAPI) -> None:
    me = await bot.get_me()
    assert (me.id, me.username, me.is_bot) == (api.bot_id, "sipoa_test_bot", True)


async def test_sent_message_is_stored_with_raw_and_plain_text(bot: Bot, api: FakeBotAPI) -> None:
    msg = await bot.send_message(ALICE, "<b>Halo</b> &amp; selamat", parse_mode="HTML",
                                 reply_markup=keyboard("ya", "tidak"))
    assert msg.text == "Halo & selamat" and msg.text_html == "<b>Halo</b> &amp; selamat"
    (stored,) = api.bot_messages(ALICE)
    assert stored["text"] == "<b>Halo</b> &amp; selamat"
    assert stored["plain_text"] == "Halo & selamat"
    assert stored["from"]["id"] == api.bot_id and stored["message_id"] == msg.message_id
    assert api.buttons(stored) == [[("YA", "ya"), ("TIDAK", "tidak")]]
    assert api.last_bot_message(ALICE) == stored and api.rejected == []


@pytest.mark.parametrize(
    "text, error",
    [
        ("<script>x</script>", "can't parse entities: Unsupported start tag"),
        ("<b>open", "can't parse entities"),
        ("<b><i>x</b></i>", "Unmatched end tag"),
        ("a < b", "can't parse entities"),
        ("&bogus;", "can't parse entities"),
        ("   \n ", "message text is empty"),
        ("<b></b>", "message text is empty"),
        ("&amp;" * 4097, "message is too long"),
        ("😀" * 2049, "message is too long"),  # 2049 code points but 4098 UTF-16 units
    ],
)
async def test_invalid_text_is_rejected_and_nothing_sent(
    bot: Bot, api: FakeBotAPI, text: str, error: str
) -> None:
    with pytest.raises(BadRequest, match="(?i)" + re.escape(error)):
        await bot.send_message(ALICE, text, parse_mode="HTML")
    assert api.bot_messages(ALICE) == []
    assert [c.method for c in api.rejected] == ["sendMessage"]


async def test_length_is_counted_after_parsing(bot: Bot, api: FakeBotAPI) -> None:
    msg = await bot.send_message(ALICE, "&amp;" * 4096, parse_mode="HTML")
    assert len(msg.text) == 4096
    await bot.send_message(ALICE, "Tom & Jerry <i>ok</i>", parse_mode="HTML")  # bare & is fine
    with pytest.raises(BadRequest, match="(?i)parse_mode"):
        await bot.send_message(ALICE, "*x*", parse_mode="MarkdownV2")


async def test_caption_limit(bot: Bot, api: FakeBotAPI) -> None:
    photo_id = api.user_photo(ALICE)["message"]["photo"][-1]["file_id"]
    await bot.send_photo(ALICE, photo_id, caption="<b>x</b>" + "y" * 1023, parse_mode="HTML")
    with pytest.raises(BadRequest, match="(?i)message caption is too long"):
        await bot.send_photo(ALICE, photo_id, caption="y" * 1025)
    assert len(api.bot_messages(ALICE)) == 1


async def test_callback_data_limit_is_in_bytes(bot: Bot, api: FakeBotAPI) -> None:
    await bot.send_message(ALICE, "ok", reply_markup=keyboard("a" * 64))
    for data in ("a" * 65, "é" * 33):  # 65 bytes; 33 characters but 66 bytes
        with pytest.raises(BadRequest, match="(?i)BUTTON_DATA_INVALID"):
            await bot.do_api_request("sendMessage", api_kwargs={
                "chat_id": ALICE, "text": "x",
                "reply_markup": {"inline_keyboard": [[{"text": "t", "callback_data": data}]]}})
    assert len(api.bot_messages(ALICE)) == 1


async def test_reply_keyboards_are_accepted(bot: Bot, api: FakeBotAPI) -> None:
    markup = {"keyboard": [[{"text": "Kirim lokasi", "request_location": True}]],
              "resize_keyboard": True, "one_time_keyboard": True}
    msg = await bot.do_api_request("sendMessage", api_kwargs={
        "chat_id": ALICE, "text": "Lokasi?", "reply_markup": markup})
    assert msg["message_id"] and "reply_markup" not in msg  # only inline keyboards come back
    assert api.last_bot_message(ALICE)["reply_markup"] == markup
    await bot.send_message(ALICE, "x", reply_markup={"remove_keyboard": True})
    await bot.send_message(ALICE, "y", reply_markup={"force_reply": True})


async def test_unknown_parameter_method_and_missing_parameter(bot: Bot, api: FakeBotAPI) -> None:
    with pytest.raises(BadRequest, match="(?i)unknown parameter bogus"):
        await bot.do_api_request("sendMessage", api_kwargs={"chat_id": ALICE, "text": "x",
                                                            "bogus": 1})
    with pytest.raises(BadRequest, match='(?i)parameter "text" is required'):
        await bot.do_api_request("sendMessage", api_kwargs={"chat_id": ALICE})
    with pytest.raises(EndPointNotFound):  # a 404 "Not Found" answer, as PTB reports it
        await bot.do_api_request("sendMessag", api_kwargs={"chat_id": ALICE})
    assert api.bot_messages(ALICE) == []


async def test_group_limit_gives_retry_after(bot: Bot, api: FakeBotAPI, vclock: VClock) -> None:
    for i in range(20):
        sent = await bot.send_message(GROUP, f"pesan {i}")
        vclock.advance(1)
    await bot.edit_message_text("diubah", chat_id=GROUP, message_id=sent.message_id)  # free
    with pytest.raises(RetryAfter) as exc:
        await bot.send_message(GROUP, "pesan 21")
    assert retry_seconds(exc.value) == 40  # the first send leaves the window at t0 + 60
    vclock.advance(40)
    await bot.send_message(GROUP, "pesan 21")
    assert len(api.bot_messages(GROUP)) == 21


async def test_private_chat_burst_limit(bot: Bot, api: FakeBotAPI, vclock: VClock) -> None:
    for i in range(5):
        await bot.send_message(ALICE, f"{i}")
    with pytest.raises(RetryAfter) as exc:
        await bot.send_message(ALICE, "6")
    assert retry_seconds(exc.value) == 1
    await bot.send_message(BUDI, "another chat is fine")
    vclock.advance(1)
    await bot.send_message(ALICE, "6")


async def test_chat_errors(bot: Bot, api: FakeBotAPI) -> None:
    with pytest.raises(BadRequest, match="(?i)chat not found"):
        await bot.send_message(42, "x")
    api.block_bot(ALICE)
    with pytest.raises(Forbidden, match="(?i)bot was blocked by the user"):
        await bot.send_message(ALICE, "x")
    api.unblock_bot(ALICE)
    await bot.send_message(ALICE, "x")


async def test_group_migration_raises_chat_migrated(bot: Bot, api: FakeBotAPI) -> None:
    api.add_group(-555, "Grup lama", type="group", members=[ALICE])
    old_msg, _new_msg = api.group_migrated(-555, -1000000000555)
    assert old_msg["message"]["migrate_to_chat_id"] == -1000000000555
    with pytest.raises(ChatMigrated) as exc:
        await bot.send_message(-555, "x")
    assert exc.value.new_chat_id == -1000000000555
    await bot.send_message(exc.value.new_chat_id, "x")


async def test_photo_round_trip(bot: Bot, api: FakeBotAPI) -> None:
    update = Update.de_json(api.user_photo(ALICE, caption="lihat"), bot)
    sizes = update.message.photo
    assert [(p.width, p.height) for p in sizes][-1] == (1280, 960) and len(sizes) == 4
    tg_file = await sizes[-1].get_file()
    data = await tg_file.download_as_bytearray()
    assert bytes(data) == api.file_bytes(tg_file.file_path.split("/bot" + api.token + "/")[1])
    assert data[:2] == b"\xff\xd8"  # a JPEG


async def test_send_photo_upload_and_resend(bot: Bot, api: FakeBotAPI) -> None:
    msg = await bot.send_photo(ALICE, make_jpeg(640, 480), caption="unggah")
    assert msg.photo[-1].width == 640 and msg.caption == "unggah"
    again = await bot.send_photo(BUDI, msg.photo[-1].file_id)
    assert again.photo[-1].file_id != msg.photo[-1].file_id
    assert again.photo[-1].file_unique_id == msg.photo[-1].file_unique_id
    with pytest.raises(BadRequest, match="(?i)IMAGE_PROCESS_FAILED"):
        await bot.send_photo(ALICE, b"not an image")
    with pytest.raises(BadRequest, match="(?i)wrong file identifier"):
        await bot.send_photo(ALICE, "AgACnope")
    doc = api.user_document(ALICE, file_name="a.pdf", mime_type="application/pdf", content=b"%PDF")
    with pytest.raises(BadRequest, match="(?i)can't use file of type Document as Photo"):
        await bot.send_photo(ALICE, doc["message"]["document"]["file_id"])


async def test_documents_media_groups_and_big_files(bot: Bot, api: FakeBotAPI) -> None:
    sent = await bot.send_document(ALICE, b"a,b\n1,2\n", filename="data.csv")
    assert sent.document.file_name == "data.csv" and sent.document.mime_type == "text/csv"
    assert await (await sent.document.get_file()).download_as_bytearray() == b"a,b\n1,2\n"
    album = await bot.send_media_group(GROUP, [
        InputMediaPhoto(make_jpeg(100, 100), caption="<b>satu</b>", parse_mode="HTML"),
        InputMediaPhoto(make_jpeg(120, 100))])
    assert len(album) == 2 and album[0].media_group_id == album[1].media_group_id
    assert album[0].caption == "satu" and len(api.bot_messages(GROUP)) == 2
    with pytest.raises(BadRequest, match="(?i)2-10"):
        await bot.send_media_group(GROUP, [InputMediaPhoto(make_jpeg(10, 10))])
    big = api.user_document(ALICE, file_name="big.zip", mime_type="application/zip",
                            content=b"PK", file_size=20 * 1024 * 1024 + 1)
    with pytest.raises(BadRequest, match="(?i)file is too big"):
        await bot.get_file(big["message"]["document"]["file_id"])


async def test_edits_keep_history_and_refuse_no_ops(bot: Bot, api: FakeBotAPI) -> None:
    msg = await bot.send_message(ALICE, "v1", reply_markup=keyboard("a"))
    await bot.edit_message_text("v2", chat_id=ALICE, message_id=msg.message_id,
                                reply_markup=keyboard("a"))
    with pytest.raises(BadRequest, match="(?i)message is not modified"):
        await bot.edit_message_text("v2", chat_id=ALICE, message_id=msg.message_id,
                                    reply_markup=keyboard("a"))
    # Omitting reply_markup removes the keyboard, as on Telegram.
    await bot.edit_message_text("v2", chat_id=ALICE, message_id=msg.message_id)
    await bot.edit_message_reply_markup(ALICE, msg.message_id, reply_markup=keyboard("b"))
    stored = api.last_bot_message(ALICE)
    assert stored["plain_text"] == "v2" and api.buttons(stored) == [[("B", "b")]]
    assert [h["plain_text"] for h in stored["history"]] == ["v1", "v2", "v2"]
    with pytest.raises(BadRequest, match="(?i)message to edit not found"):
        await bot.edit_message_text("x", chat_id=ALICE, message_id=999)
    user_msg = api.user_text(ALICE, "halo")["message"]
    with pytest.raises(BadRequest, match="(?i)message can't be edited"):
        await bot.edit_message_text("x", chat_id=ALICE, message_id=user_msg["message_id"])
    photo = await bot.send_photo(ALICE, make_jpeg(50, 50), caption="a")
    await bot.edit_message_caption(ALICE, photo.message_id, caption="<i>b</i>", parse_mode="HTML")
    assert api.last_bot_message(ALICE)["plain_text"] == "b"


async def test_delete_rules(bot: Bot, api: FakeBotAPI) -> None:
    msg = await bot.send_message(GROUP, "hapus aku")
    assert await bot.delete_message(GROUP, msg.message_id)
    assert api.bot_messages(GROUP)[0]["deleted"] is True
    with pytest.raises(BadRequest, match="(?i)message to delete not found"):
        await bot.delete_message(GROUP, msg.message_id)
    theirs = api.user_text(ALICE, "pesan warga", chat_id=GROUP)["message"]["message_id"]
    with pytest.raises(BadRequest, match="(?i)message can't be deleted"):
        await bot.delete_message(GROUP, theirs)  # the bot is not an admin there


async def test_copy_forward_and_reply(bot: Bot, api: FakeBotAPI) -> None:
    src = api.user_photo(ALICE, caption="asli")["message"]
    copied = await bot.copy_message(GROUP, ALICE, src["message_id"], caption="<b>salinan</b>",
                                    parse_mode="HTML")
    stored = api.bot_messages(GROUP)[-1]
    assert stored["message_id"] == copied.message_id and stored["plain_text"] == "salinan"
    assert stored["photo"] == src["photo"]
    fwd = await bot.forward_message(GROUP, ALICE, src["message_id"])
    assert fwd.forward_origin.sender_user.id == ALICE
    reply = await bot.send_message(ALICE, "balas", reply_to_message_id=src["message_id"])
    assert reply.reply_to_message.message_id == src["message_id"]
    with pytest.raises(BadRequest, match="(?i)message to be replied not found"):
        await bot.send_message(ALICE, "x", reply_to_message_id=999)
    with pytest.raises(BadRequest, match="(?i)message to copy not found"):
        await bot.copy_message(GROUP, ALICE, 999)


async def test_chat_info_members_and_commands(bot: Bot, api: FakeBotAPI) -> None:
    chat = await bot.get_chat(GROUP)
    assert chat.title == "Petugas" and chat.type == "supergroup"
    assert (await bot.get_chat_member(GROUP, ALICE)).status == "creator"
    assert (await bot.get_chat_member(GROUP, BUDI)).status == "member"
    assert (await bot.get_chat_member(GROUP, api.bot_id)).status == "member"
    assert [m.user.id for m in await bot.get_chat_administrators(GROUP)] == [ALICE]
    await bot.send_chat_action(GROUP, "typing")
    with pytest.raises(BadRequest, match="(?i)action"):
        await bot.do_api_request("sendChatAction", api_kwargs={"chat_id": GROUP, "action": "x"})
    await bot.set_my_commands([("start", "Mulai"), ("lapor", "Buat laporan")],
                              language_code="id")
    assert [c.command for c in await bot.get_my_commands(language_code="id")] == ["start", "lapor"]
    assert await bot.get_my_commands() == ()
    with pytest.raises(BadRequest, match="(?i)BOT_COMMAND_INVALID"):
        await bot.set_my_commands([("Start!", "x")])
    assert await bot.leave_chat(GROUP)
    with pytest.raises(Forbidden, match="(?i)not a member"):
        await bot.send_message(GROUP, "x")
    assert api.pending_updates()[-1]["my_chat_member"]["new_chat_member"]["status"] == "left"
