"""Screening end to end, through the fake Bot API: residents talk to the bot as people do (seconds
between steps), the officers' group sees what screening lets through, supervisors use /review,
/restrict and /unrestrict."""

from __future__ import annotations

import io

import pytest
from PIL import Image, ImageDraw
from sqlmodel import select

from bot.callbacks import Action, encode
from storage.models import Report, Reporter, ReporterEvent, ReportStatus
from tests.conftest import GROUP_ID, IN_AREA, OFFICER_ID, RESIDENT2_ID, RESIDENT_ID, SUPERVISOR_ID, make_config, start_harness

STORY = "Tiga WNA Korea bekerja sebagai tukang las di bengkel Jl. Kenanga No. 12 setiap hari sejak Januari"
WITNESSES = [
    "Di bengkel las Jl. Kenanga ada orang Korea kerja ngelas tiap hari, saya lihat tadi pagi jam 7",
    "Pekerja asing (3 orang, kelihatannya Korea) mengelas pagar di bengkel dekat pasar Kenanga",
    "Saya tetangga bengkel las itu: orang asing kerja di sana sejak awal tahun, pakai mobil Avanza putih",
]
RESIDENTS = [5_000_000_101 + i for i in range(8)]


@pytest.fixture
async def h(tmp_path, database_url, fake, clock, vtime):
    for i, uid in enumerate(RESIDENTS):
        fake.add_user(uid, f"Warga{i}", language_code="id")
    config = make_config(tmp_path, database_url=database_url, screening={"enabled": True})
    harness = await start_harness(config, fake, clock, vtime)
    yield harness
    from bot.app import stop_services

    await stop_services(harness.app)
    await harness.app.shutdown()


def picture(seed: int) -> bytes:
    img = Image.new("RGB", (320, 240), (seed * 40 % 255, 120, 200))
    draw = ImageDraw.Draw(img)
    for i in range(6):
        x, y = (seed * 31 + i * 53) % 280, (seed * 17 + i * 37) % 200
        draw.ellipse([x, y, x + 40, y + 30], fill=((i * 60) % 255, (seed * 90) % 255, 30))
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=85)
    return buf.getvalue()


def resaved(data: bytes) -> bytes:
    """The same picture saved again: smaller and recompressed (a new file for Telegram)."""
    img = Image.open(io.BytesIO(data)).convert("RGB").resize((280, 210))
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=55)
    return buf.getvalue()


async def step(h, update: dict, seconds: float = 15) -> dict:
    """A person's next message, some seconds after the last."""
    h.clock.advance(seconds=seconds)
    h.vtime.value += seconds
    user_id = update["message"]["from"]["id"] if "message" in update else update["callback_query"]["from"]["id"]
    await h.feed(update)
    return h.last(user_id)


async def press(h, user_id: int, message: dict, label: str, seconds: float = 5) -> dict:
    return await step(h, h.fake.user_press(user_id, user_id, message["message_id"], h.button_data(message, label)),
                      seconds)


async def report(h, user_id: int, description: str, *, point=IN_AREA, accuracy: float | None = 12.0,
                 photo: bytes | None = None) -> dict:
    """The whole conversation, as a resident types it; returns the bot's confirmation."""
    start = await step(h, h.fake.user_text(user_id, "/start"), 5)
    menu = next(m for m in reversed(h.fake.bot_messages(user_id)) if h.fake.buttons(m))
    data = next(d for row in h.fake.buttons(menu) for _, d in row if d.endswith(":illegal_work"))
    assert start is not None
    await step(h, h.fake.user_press(user_id, user_id, menu["message_id"], data), 5)
    await step(h, h.fake.user_location(user_id, *point, horizontal_accuracy=accuracy), 10)
    photos_prompt = await step(h, h.fake.user_text(user_id, description), 60)
    if photo is not None:
        photos_prompt = await step(h, h.fake.user_photo(user_id, content=photo), 10)
        review = await press(h, user_id, photos_prompt, "Selesai")
    else:
        review = await press(h, user_id, photos_prompt, "Lewati")
    return await press(h, user_id, review, "Kirim")


async def rows(h, model, *where):
    async with h.services.db.read() as s:
        return list((await s.exec(select(model).where(*where))).all())


def group_texts(h) -> list[str]:
    return [m.get("plain_text") or "" for m in h.fake.bot_messages(GROUP_ID)]


async def review_page(h) -> dict:
    return await step(h, h.fake.user_text(SUPERVISOR_ID, "/review"), 5)


# --- acceptance: a flood from one account is restricted ---


async def test_flood_from_one_account_is_refused_then_restricted(h):
    replies = []
    for k in range(5):
        replies.append(await report(h, RESIDENT_ID, f"{STORY}. Laporan ke-{k + 1}, tolong segera dicek",
                                    point=(IN_AREA[0] + 0.01 * k, IN_AREA[1])))
    await h.drain()
    texts = [r["plain_text"] for r in replies]
    assert "terlalu banyak laporan" in texts[3]  # the 4th in an hour: refused for its rate
    assert "dibatasi sampai" in texts[4]  # the 5th: a second strike restricts the account
    [who] = await rows(h, Reporter, Reporter.telegram_id == RESIDENT_ID)
    assert who.restriction_level == 1 and who.restricted_until is not None
    statuses = [r.status for r in await rows(h, Report)]
    assert statuses.count(ReportStatus.REJECTED) == 2
    # Copies of one's own story are held, not posted: at most the first reached the group.
    assert len([t for t in group_texts(h) if "Laporan" in t or "TNG-" in t]) <= 1
    events = [e.action for e in await rows(h, ReporterEvent)]
    assert events == ["rate_limited", "rate_limited", "restricted"]


# --- acceptance: recycled photo and copy-pasted story are held, the reason shown ---


async def test_recycled_photo_and_copied_story_are_held_with_the_reason_in_review(h):
    original = picture(3)
    first = await report(h, RESIDENTS[0], STORY, photo=original)
    assert "TNG-2026-000001" in first["plain_text"]
    await h.drain()
    recycled = await report(h, RESIDENTS[1], WITNESSES[0].replace("Kenanga", "Melati"), photo=resaved(original),
                            point=(IN_AREA[0] + 0.05, IN_AREA[1]))
    copied = await report(h, RESIDENTS[2], STORY + " Tolong ditindak!", point=(IN_AREA[0] + 0.04, IN_AREA[1]))
    # The resident is told "received" either way: nothing that helps tune an abuse.
    assert "TNG-2026-000002" in recycled["plain_text"] and "Laporan terkirim" in recycled["plain_text"]
    assert "Laporan terkirim" in copied["plain_text"]
    await h.drain()
    assert not any("TNG-2026-000002" in t or "TNG-2026-000003" in t for t in group_texts(h))
    held = await rows(h, Report, Report.status == ReportStatus.HELD)
    assert {r.number for r in held} == {"TNG-2026-000002", "TNG-2026-000003"}
    page = await review_page(h)
    text = page["plain_text"]
    assert "Laporan ditahan: 2 (terlama dulu)" in text
    assert "foto salinan (disimpan ulang) dari laporan TNG-2026-000001" in text
    assert "sama dengan laporan TNG-2026-000001 dari akun lain" in text
    assert text.index("TNG-2026-000002") < text.index("TNG-2026-000003")  # oldest first
    labels = [label for row in h.fake.buttons(page) for label, _ in row]
    assert "Teruskan 000002" in labels and "Tolak 000003" in labels and "Batasi pelapor 000002" in labels


# --- acceptance: three witnesses, one group message that says 3 reports ---


async def test_three_witnesses_become_one_group_message_saying_three_reports(h):
    confirmations = []
    for i, text in enumerate(WITNESSES):
        point = (IN_AREA[0] + 0.0003 * i, IN_AREA[1] + 0.0002 * i)
        confirmations.append(await report(h, RESIDENTS[i], text, point=point, photo=picture(10 + i)))
        await h.drain()
    alerts = [m for m in h.fake.bot_messages(GROUP_ID) if "TNG-2026-000001" in (m.get("plain_text") or "")]
    assert len(alerts) == 1 and len(h.fake.bot_messages(GROUP_ID)) == 1
    text = alerts[0]["plain_text"]
    assert "3 laporan / 3 reports" in text and "Terbaru: TNG-2026-000003" in text
    assert "Skor kepercayaan" in text
    assert "digabungkan dengan kasus" in confirmations[1]["plain_text"]
    assert "digabungkan dengan kasus" in confirmations[2]["plain_text"]
    assert all(r.incident_id == 1 for r in await rows(h, Report))


# --- acceptance: a supervisor forwards a held report from /review, it reaches the group once ---


async def test_supervisor_forwards_a_held_report_once(h):
    await report(h, RESIDENTS[0], "Ada orang asing mencurigakan di sini, tolong dicek pak")
    await h.drain()
    assert h.fake.bot_messages(GROUP_ID) == []
    page = await review_page(h)
    assert "isi terlalu umum" in page["plain_text"]
    forward = h.button_data(page, "Teruskan")
    after = await step(h, h.fake.user_press(SUPERVISOR_ID, SUPERVISOR_ID, page["message_id"], forward), 3)
    await step(h, h.fake.user_press(SUPERVISOR_ID, SUPERVISOR_ID, page["message_id"], forward), 1)
    await h.drain()
    alerts = [m for m in h.fake.bot_messages(GROUP_ID) if "TNG-2026-000001" in (m.get("plain_text") or "")]
    assert len(alerts) == 1
    assert "Tidak ada laporan yang ditahan" in after["plain_text"]
    [row] = await rows(h, Report)
    assert row.status == ReportStatus.NEW


async def test_reject_with_a_reason_and_restrict_from_review(h):
    await report(h, RESIDENTS[0], "Ada orang asing mencurigakan di sini, tolong dicek pak")
    await report(h, RESIDENTS[1], "Banyak WNA di daerah saya, mohon ditindak segera", point=(IN_AREA[0] + 0.03, IN_AREA[1]))
    page = await review_page(h)
    menu = await step(h, h.fake.user_press(SUPERVISOR_ID, SUPERVISOR_ID, page["message_id"],
                                           h.button_data(page, "Tolak 000001")), 3)
    assert menu["plain_text"] == "Alasan menolak TNG-2026-000001:"
    page = await step(h, h.fake.user_press(SUPERVISOR_ID, SUPERVISOR_ID, menu["message_id"],
                                           h.button_data(menu, "Palsu")), 3)
    assert "TNG-2026-000001" not in page["plain_text"] and "TNG-2026-000002" in page["plain_text"]
    page = await step(h, h.fake.user_press(SUPERVISOR_ID, SUPERVISOR_ID, page["message_id"],
                                           h.button_data(page, "Batasi pelapor 000002")), 3)
    statuses = {r.number: r.status for r in await rows(h, Report)}
    assert statuses == {"TNG-2026-000001": ReportStatus.REJECTED, "TNG-2026-000002": ReportStatus.HELD}
    [restricted] = await rows(h, Reporter, Reporter.telegram_id == RESIDENTS[1])
    assert restricted.restriction_level == 1
    [audit] = await rows(h, ReporterEvent)
    assert (audit.action, audit.actor_id) == ("restricted", SUPERVISOR_ID)


async def test_review_is_for_supervisors_in_private(h):
    refused = await step(h, h.fake.user_text(RESIDENT_ID, "/review"), 3)
    assert "tidak berwenang" in refused["plain_text"]
    forged = encode(Action.REVIEW_FORWARD, 1)
    reply = await step(h, h.fake.user_text(RESIDENT2_ID, "/start"), 3)
    await step(h, h.fake.user_press(RESIDENT2_ID, RESIDENT2_ID, reply["message_id"], forged), 1)
    answer = [c for c in h.fake.calls if c.method == "answerCallbackQuery"][-1]
    assert answer.params.get("text") == "Sorry, you are not allowed to do this."
    assert h.fake.bot_messages(GROUP_ID) == []


async def test_restrict_and_unrestrict_by_report_number_audited(h):
    await report(h, RESIDENTS[0], STORY)
    done = await step(h, h.fake.user_text(SUPERVISOR_ID, "/restrict TNG-2026-000001 laporan palsu berulang"), 3)
    assert "dibatasi sampai" in done["plain_text"] and "(tingkat 1)" in done["plain_text"]
    refused = await report(h, RESIDENTS[0], WITNESSES[1], point=(IN_AREA[0] + 0.05, IN_AREA[1]))
    assert "dibatasi sampai" in refused["plain_text"]
    [who] = await rows(h, Reporter, Reporter.telegram_id == RESIDENTS[0])
    lifted = await step(h, h.fake.user_text(SUPERVISOR_ID, f"/unrestrict {who.alias}"), 3)
    assert f"Pembatasan pelapor {who.alias} dicabut" in lifted["plain_text"]
    again = await step(h, h.fake.user_text(SUPERVISOR_ID, f"/unrestrict {who.alias}"), 3)
    assert "tidak sedang dibatasi" in again["plain_text"]
    officer = await step(h, h.fake.user_text(OFFICER_ID, "/restrict TNG-2026-000001"), 3)
    assert "tidak berwenang" in officer["plain_text"]
    usage = await step(h, h.fake.user_text(SUPERVISOR_ID, "/restrict"), 3)
    assert "/restrict" in usage["plain_text"]
    audit = [(e.action, e.actor_id, e.note) for e in await rows(h, ReporterEvent)]
    assert audit == [("restricted", SUPERVISOR_ID, "laporan palsu berulang"), ("unrestricted", SUPERVISOR_ID, None)]


# --- phone verification: offered at the end, never demanded ---


async def test_phone_offer_after_submit_and_only_own_contact_verifies(h):
    confirmation = await report(h, RESIDENTS[0], STORY)
    assert "bagikan nomor HP Anda" in confirmation["plain_text"]
    keyboard = confirmation["reply_markup"]["keyboard"]
    assert keyboard[0][0]["request_contact"] is True
    await step(h, h.fake.user_contact(RESIDENTS[0], "+62 812 0000 1111", contact_user_id=RESIDENTS[1]), 5)
    [who] = await rows(h, Reporter, Reporter.telegram_id == RESIDENTS[0])
    assert not who.phone_verified
    thanks = await step(h, h.fake.user_contact(RESIDENTS[0], "+62 812 0000 2222", contact_user_id=RESIDENTS[0]), 5)
    assert "terverifikasi" in thanks["plain_text"]
    [who] = await rows(h, Reporter, Reporter.telegram_id == RESIDENTS[0])
    assert who.phone_verified and "81200002222" not in (who.phone_hash or "")
    second = await report(h, RESIDENTS[0], WITNESSES[2], point=(IN_AREA[0] + 0.05, IN_AREA[1]))
    assert "bagikan nomor" not in second["plain_text"]  # offered once verified: never again


async def test_declining_the_offer_removes_the_keyboard(h):
    await report(h, RESIDENTS[0], STORY)
    reply = await step(h, h.fake.user_text(RESIDENTS[0], "Tidak, terima kasih"), 5)
    assert reply["plain_text"] == "Baik, tanpa nomor HP."
    assert reply["reply_markup"] == {"remove_keyboard": True}


async def test_alert_shows_the_trust_score_and_two_reasons(h):
    await report(h, RESIDENTS[0], STORY, photo=picture(1))
    h.clock.advance(seconds=1)
    await h.drain()
    [alert] = h.fake.bot_messages(GROUP_ID)
    text = alert.get("plain_text") or alert.get("caption") or ""
    line = next(l for l in text.splitlines() if l.startswith("Skor kepercayaan"))
    assert line.count(";") == 1 and "foto asli dari pelapor" in line


async def test_held_report_is_not_an_officers_report_to_take(h):
    from storage import report_actions

    await report(h, RESIDENTS[0], "Ada orang asing mencurigakan di sini, tolong dicek pak")
    [held] = await rows(h, Report)
    async with h.services.db.transaction() as s:
        result = await report_actions.take(s, report_id=held.id, officer_id=OFFICER_ID, officer_name="Agus",
                                           now=h.now(), group_chat_id=GROUP_ID)
    assert not result.changed
    [still] = await rows(h, Report)
    assert still.status == ReportStatus.HELD and still.taken_by is None
