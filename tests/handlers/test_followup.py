"""Anonymous follow-up through the fake Bot API: the officer who took a report asks, the reporter
answers (or adds information), the bot relays both ways, and neither side learns who the other is."""

from __future__ import annotations

import json

from sqlmodel import select, update

from bot.app import stop_services
from bot.callbacks import Action, encode
from storage.models import FollowUp, FollowUpWait, Outbox, Report, ReportEvent
from tests.conftest import GROUP_ID, OFFICER2_ID, OFFICER_ID, RESIDENT2_ID, RESIDENT_ID, SUPERVISOR_ID, start_harness
from tests.handlers.residents.helpers import all_rows, feed, press, say, to_review

QUESTION = "Apakah orang tersebut masih ada di lokasi sore ini?"
ANSWER = "Masih ada, biasanya sampai jam enam sore di bengkel itu."


async def reported(h, user_id: int = RESIDENT_ID) -> tuple[Report, dict]:
    """A resident's report, through the whole conversation, and its alert in the group."""
    review = await to_review(h, user_id)
    await press(h, user_id, review, "Kirim" if user_id == RESIDENT_ID else "Submit")
    await h.drain()
    report = (await all_rows(h, Report))[-1]
    return report, h.last(GROUP_ID)


async def toast_of(h, user_id: int, message: dict, data: str) -> str:
    h.vtime.value += 1
    before = len(h.fake.answered_callbacks)
    await h.press(user_id, message, data)
    assert len(h.fake.answered_callbacks) == before + 1  # answered, exactly once
    return h.fake.answered_callbacks[-1]["text"] or ""


def current(h, message: dict) -> dict:
    return next(m for m in h.fake.bot_messages(message["chat"]["id"]) if m["message_id"] == message["message_id"])


async def taken(h, user_id: int = RESIDENT_ID, officer: int = OFFICER_ID) -> tuple[Report, dict]:
    report, alert = await reported(h, user_id)
    assert await toast_of(h, officer, alert, encode(Action.TAKE, report.id)) == f"Anda menangani {report.number}."
    await h.drain()
    return report, current(h, alert)


async def ask(h, report: Report, alert: dict, officer: int = OFFICER_ID, question: str = QUESTION) -> None:
    toast = await toast_of(h, officer, alert, h.button_data(alert, "Tanya pelapor"))
    assert toast == "Tulis pertanyaan Anda di chat pribadi dengan bot."
    prompt = h.last(officer)
    assert report.number in prompt["plain_text"] and prompt["reply_markup"]["force_reply"] is True
    sent = await say(h, officer, question)
    assert sent["plain_text"].startswith(f"✅ Pertanyaan dikirim ke pelapor {report.number}")
    await h.drain()


def everything_in(h, chat_id: int) -> str:
    """Every message the bot left in a chat, as raw JSON: text, captions, buttons, entities."""
    return json.dumps(h.fake.bot_messages(chat_id), ensure_ascii=False)


async def test_officer_asks_resident_answers_and_no_identity_crosses(h):
    report, alert = await taken(h)
    await ask(h, report, alert)

    question = h.last(RESIDENT_ID)
    assert question["plain_text"].startswith(f"❓ Petugas bertanya tentang laporan {report.number}:")
    assert QUESTION in question["plain_text"]
    group_q = h.last(GROUP_ID)
    assert QUESTION in group_q["plain_text"] and group_q["reply_to_message"]["message_id"] == alert["message_id"]

    assert await toast_of(h, RESIDENT_ID, question, h.button_data(question, "Jawab")) == ""
    assert "Tulis jawaban Anda" in h.last(RESIDENT_ID)["plain_text"]
    thanks = await say(h, RESIDENT_ID, ANSWER)
    assert thanks["plain_text"] == f"✅ Terima kasih, jawaban Anda diteruskan ke petugas (laporan {report.number})."
    await h.drain()

    answer = h.last(GROUP_ID)
    assert answer["plain_text"].startswith("💬 Jawaban pelapor P-") and ANSWER in answer["plain_text"]
    assert report.number in answer["plain_text"]
    assert answer["reply_to_message"]["message_id"] == alert["message_id"]

    group, resident = everything_in(h, GROUP_ID), everything_in(h, RESIDENT_ID)
    for secret in (str(RESIDENT_ID), "Budi", "budi_warga"):
        assert secret not in group, secret
    for secret in (str(OFFICER_ID), "Agus", "agus_petugas"):
        assert secret not in resident, secret
    async with h.services.db.read() as s:
        events = (await s.exec(select(ReportEvent).where(ReportEvent.action.in_(["question", "answer"])))).all()
    assert [(e.action, e.actor_id, e.note) for e in events] == [
        ("question", OFFICER_ID, QUESTION), ("answer", RESIDENT_ID, ANSWER)]
    assert events[1].actor_name is None  # the reporter's name is never written next to what they said


async def test_a_reply_to_the_question_is_the_answer_and_a_photo_goes_to_the_group_as_a_photo(h):
    report, alert = await taken(h)
    await ask(h, report, alert)
    question = h.last(RESIDENT_ID)
    h.vtime.value += 1
    await h.text(RESIDENT_ID, "Ya, masih ada.", reply_to_message_id=question["message_id"])
    assert "jawaban Anda diteruskan" in h.last(RESIDENT_ID)["plain_text"]
    await press(h, RESIDENT_ID, question, "Jawab")
    await feed(h, h.fake.user_photo(RESIDENT_ID, caption="Ini fotonya tadi pagi"), RESIDENT_ID)
    await h.drain()
    texts = [m for m in h.fake.bot_messages(GROUP_ID)][-2:]
    assert "Ya, masih ada." in texts[0]["plain_text"]
    assert texts[1]["photo"] and "Ini fotonya tadi pagi" in texts[1]["plain_text"]
    assert texts[1]["reply_to_message"]["message_id"] == alert["message_id"]
    assert h.fake.calls_to("forwardMessage") == [] and h.fake.calls_to("copyMessage") == []


async def test_who_may_ask(h):
    report, alert = await reported(h)
    assert await toast_of(h, OFFICER_ID, alert, encode(Action.ASK, report.id)) == \
        "Laporan ini belum ditangani. Tekan Tangani dulu."
    await toast_of(h, OFFICER_ID, alert, encode(Action.TAKE, report.id))
    await h.drain()
    alert = current(h, alert)
    assert await toast_of(h, OFFICER2_ID, alert, h.button_data(alert, "Tanya")) == \
        "Hanya Agus (yang menangani) atau supervisor yang dapat bertanya ke pelapor."
    assert await toast_of(h, SUPERVISOR_ID, alert, h.button_data(alert, "Tanya")) == \
        "Tulis pertanyaan Anda di chat pribadi dengan bot."
    # Pressed outside the group (forged), or for a report that does not exist.
    await h.app.bot.send_message(OFFICER_ID, "x")
    assert await toast_of(h, OFFICER_ID, h.last(OFFICER_ID), encode(Action.ASK, report.id)) == \
        "Tombol ini hanya berlaku di grup petugas."
    assert await toast_of(h, OFFICER_ID, alert, encode(Action.ASK, 987654)) == "Laporan tidak ditemukan."
    async with h.services.db.read() as s:
        waits = (await s.exec(select(FollowUpWait))).all()
    assert [w.user_id for w in waits] == [SUPERVISOR_ID]


async def test_an_officer_who_never_started_the_bot_is_told_to(h):
    report, alert = await taken(h)
    h.fake.block_bot(OFFICER_ID)
    toast = await toast_of(h, OFFICER_ID, alert, h.button_data(alert, "Tanya"))
    assert toast == "Buka chat pribadi dengan bot, tekan /start, lalu tekan tombol ini lagi."
    assert await all_rows(h, FollowUpWait) == []


async def test_closing_the_report_ends_the_thread(h):
    report, alert = await taken(h)
    await ask(h, report, alert)
    question = h.last(RESIDENT_ID)
    await press(h, RESIDENT_ID, question, "Jawab")  # waiting for the answer...
    await toast_of(h, OFFICER_ID, alert, encode(Action.RESOLVE, report.id))  # ...when it is closed
    await h.drain()
    late = await say(h, RESIDENT_ID, ANSWER)
    assert late["plain_text"] == f"Laporan {report.number} sudah ditutup; pesan ini tidak diteruskan."
    h.vtime.value += 1
    await h.text(RESIDENT_ID, "Satu lagi", reply_to_message_id=question["message_id"])
    assert "sudah ditutup" in h.last(RESIDENT_ID)["plain_text"]
    assert await toast_of(h, RESIDENT_ID, question, h.button_data(question, "Jawab")) == \
        f"Laporan {report.number} sudah ditutup; pesan ini tidak diteruskan."
    closed = current(h, alert)
    assert h.fake.buttons(closed) == []
    async with h.services.db.read() as s:
        answers = (await s.exec(select(FollowUp).where(FollowUp.kind == "answer"))).all()
    assert answers == []


async def test_add_info_from_myreports(h):
    report, alert = await reported(h)
    listing = await say(h, RESIDENT_ID, "/laporanku")
    assert [label for row in h.fake.buttons(listing) for label, _ in row] == [f"➕ Tambah info {report.number}"]
    await press(h, RESIDENT_ID, listing, "Tambah info")
    assert "informasi tambahan" in h.last(RESIDENT_ID)["plain_text"]
    thanks = await say(h, RESIDENT_ID, "Mobilnya Avanza hitam, plat B 1234 XYZ.")
    assert "informasi Anda diteruskan" in thanks["plain_text"]
    await h.drain()
    info = h.last(GROUP_ID)
    assert info["plain_text"].startswith("ℹ️ Info tambahan dari pelapor P-") and "Avanza" in info["plain_text"]
    assert info["reply_to_message"]["message_id"] == alert["message_id"]
    # Closed reports get no button; another resident cannot press this one.
    async with h.services.db.transaction() as s:
        await s.exec(update(Report).where(Report.id == report.id).values(status="resolved"))
    assert h.fake.buttons(await say(h, RESIDENT_ID, "/laporanku")) == []
    await h.app.bot.send_message(RESIDENT2_ID, "x")
    assert await toast_of(h, RESIDENT2_ID, h.last(RESIDENT2_ID), encode(Action.ADD_INFO, report.id)) == \
        "This button is no longer valid."


async def test_a_reporter_cannot_flood_the_group(h):
    report, _ = await reported(h)
    listing = await say(h, RESIDENT_ID, "/laporanku")
    for n in range(10):
        await press(h, RESIDENT_ID, listing, "Tambah info")
        assert "diteruskan" in (await say(h, RESIDENT_ID, f"Info nomor {n} untuk petugas"))["plain_text"]
    await press(h, RESIDENT_ID, listing, "Tambah info")
    refused = await say(h, RESIDENT_ID, "Info nomor sebelas")
    assert refused["plain_text"] == "Anda sudah mengirim banyak pesan dalam satu jam terakhir. Coba lagi nanti."
    assert len(await all_rows(h, FollowUp)) == 10


async def test_a_pending_question_survives_a_restart(h, config, fake, clock, vtime):
    report, alert = await taken(h)
    await toast_of(h, OFFICER_ID, alert, h.button_data(alert, "Tanya"))
    await stop_services(h.app)
    await h.app.shutdown()
    h2 = await start_harness(config, fake, clock, vtime)
    try:
        sent = await say(h2, OFFICER_ID, QUESTION)
        assert "Pertanyaan dikirim" in sent["plain_text"]
        await h2.drain()
        assert QUESTION in h2.last(RESIDENT_ID)["plain_text"]
    finally:
        await stop_services(h2.app)
        await h2.app.shutdown()


async def test_cancel_other_commands_and_wrong_kinds_of_message(h):
    report, alert = await taken(h)
    await toast_of(h, OFFICER_ID, alert, h.button_data(alert, "Tanya"))
    photo = await feed(h, h.fake.user_photo(OFFICER_ID), OFFICER_ID)
    assert "Tulis pertanyaan sebagai teks" in photo["plain_text"]  # still waiting for the question
    long = await say(h, OFFICER_ID, "x" * 2001)
    assert "terlalu panjang (2001 karakter" in long["plain_text"]
    assert (await say(h, OFFICER_ID, "/batal"))["plain_text"] == "Dibatalkan; tidak ada yang diteruskan."
    assert "Ketik /start" in (await say(h, OFFICER_ID, QUESTION))["plain_text"]  # a draft's answer again
    await toast_of(h, OFFICER_ID, alert, h.button_data(alert, "Tanya"))
    await say(h, OFFICER_ID, "/start")  # moved on: the next message is the draft's
    assert "Kategori" in h.last(OFFICER_ID)["plain_text"]
    assert await all_rows(h, FollowUp) == []


async def test_a_redelivered_question_is_relayed_once(h):
    report, alert = await taken(h)
    await toast_of(h, OFFICER_ID, alert, h.button_data(alert, "Tanya"))
    update_dict = h.fake.user_text(OFFICER_ID, QUESTION)
    await h.feed(update_dict)
    await h.feed(update_dict)  # Telegram sends it again after a crash
    await h.drain()
    assert len(await all_rows(h, FollowUp)) == 1
    kinds = [r.kind for r in await all_rows(h, Outbox)]
    assert kinds.count("relay_to_resident") == 1 and kinds.count("relay_to_group") == 1
    assert sum(QUESTION in (m["plain_text"] or "") for m in h.fake.bot_messages(RESIDENT_ID)) == 1


async def test_an_album_is_one_answer_and_what_follows_is_the_draft_s_again(h):
    report, alert = await taken(h)
    await ask(h, report, alert)
    await press(h, RESIDENT_ID, h.last(RESIDENT_ID), "Jawab")
    before = len(h.fake.bot_messages(RESIDENT_ID))
    for _ in range(2):
        h.vtime.value += 1
        await h.feed(h.fake.user_photo(RESIDENT_ID, media_group_id="album-1"))
    assert [m["plain_text"] for m in h.fake.bot_messages(RESIDENT_ID)[before:]] == [
        f"✅ Terima kasih, jawaban Anda diteruskan ke petugas (laporan {report.number})."]
    after = await say(h, RESIDENT_ID, "halo")
    assert after["plain_text"] == "Ketik /start untuk membuat laporan."
    await h.drain()
    photos = [m for m in h.fake.bot_messages(GROUP_ID) if m["photo"] and "Jawaban pelapor" in m["plain_text"]]
    assert len(photos) == 2 and len(await all_rows(h, FollowUp)) == 3


async def test_a_question_to_a_reporter_who_blocked_the_bot_is_reported_under_the_alert(h):
    report, alert = await taken(h)
    h.fake.block_bot(RESIDENT_ID)
    await ask(h, report, alert)
    note = h.last(GROUP_ID)
    assert note["plain_text"] == (f"⚠️ Pertanyaan untuk pelapor laporan {report.number} tidak terkirim: "
                                  "pelapor memblokir bot.")
    assert note["reply_to_message"]["message_id"] == alert["message_id"]
    async with h.services.db.read() as s:
        rows = (await s.exec(select(Outbox).where(Outbox.kind == "relay_to_resident"))).all()
    assert [(r.status, r.message_id) for r in rows] == [("sent", None)]
