"""/walkin: an officer types a complaint made at the desk; it reaches the group flagged as a walk-in,
with the complainant's identity kept for the office only."""

from __future__ import annotations

from sqlmodel import select

from bot.callbacks import Action, encode, parse
from storage.models import Draft, Outbox, Report, Reporter
from tests.conftest import (
    GROUP_ID,
    IN_AREA,
    OFFICER2_ID,
    OFFICER_ID,
    OUTSIDER_ID,
    RESIDENT_ID,
    SUPERVISOR_ID,
    make_config,
    start_harness,
)
from tests.handlers.residents.helpers import (
    DESCRIPTION,
    all_rows,
    feed,
    find_with_buttons,
    press,
    press_data,
    say,
    to_description,
)

ADDRESS = "Jl. Merdeka No. 5, Kelurahan Sukasari, Tangerang"


async def to_category(h, user_id: int = OFFICER_ID, *, name: str = "Siti Aminah", phone: str = "0812-3456 7890") -> dict:
    """/walkin → name → phone → "interviewed by me": the category question."""
    await say(h, user_id, "/walkin")
    await say(h, user_id, name)
    msg = await say(h, user_id, phone)
    return await press(h, user_id, msg, "👤")


async def walk_in_review(h, user_id: int = OFFICER_ID, *, description: str = DESCRIPTION, **kw) -> dict:
    msg = await to_category(h, user_id, **kw)
    data = next(d for row in h.fake.buttons(msg) for _, d in row if d.endswith(":illegal_work"))
    await press_data(h, user_id, msg, data)
    await say(h, user_id, ADDRESS)
    msg = await say(h, user_id, description)
    return await press(h, user_id, msg, "Lewati")


async def submit_walk_in(h, user_id: int = OFFICER_ID, **kw) -> dict:
    review = await walk_in_review(h, user_id, **kw)
    return await press(h, user_id, review, "Kirim")


def group_texts(h) -> list[str]:
    return [m["plain_text"] or "" for m in h.fake.bot_messages(GROUP_ID)]


async def test_a_walk_in_reaches_the_group_flagged_with_the_complainant_kept_for_the_office(h):
    first = await say(h, OFFICER_ID, "/walkin")
    intro = h.fake.bot_messages(OFFICER_ID)[-2]
    assert "Laporan walk-in" in intro["plain_text"] and "Nama pelapor" in first["plain_text"]
    await say(h, OFFICER_ID, "Siti Aminah")
    msg = await say(h, OFFICER_ID, "0812-3456 7890")
    assert "Diwawancarai oleh" in msg["plain_text"] and h.fake.buttons(msg) == [
        [("👤 Agus", encode(Action.WALKIN_DEFAULT, parse(h.fake.buttons(msg)[0][0][1]).target_id))]]
    category = await press(h, OFFICER_ID, msg, "👤")
    data = next(d for row in h.fake.buttons(category) for _, d in row if d.endswith(":illegal_work"))
    location = await press_data(h, OFFICER_ID, category, data)
    # No "send my location" button: the officer's own position is the office's.
    assert "Jangan kirim lokasi Anda sendiri" in location["plain_text"]
    assert (location.get("reply_markup") or {}).get("keyboard") is None
    await say(h, OFFICER_ID, ADDRESS)
    photos = await say(h, OFFICER_ID, DESCRIPTION)
    review = await press(h, OFFICER_ID, photos, "Lewati")
    text = review["plain_text"]
    for expected in ("Walk-in", "Pelapor: Siti Aminah", "HP: 081234567890", "Diwawancarai oleh: Agus", ADDRESS):
        assert expected in text, expected
    done = await press(h, OFFICER_ID, review, "Kirim")
    [report] = await all_rows(h, Report)
    assert done["plain_text"] == f"✅ Laporan walk-in {report.number} tercatat dan dikirim ke grup petugas."
    assert not any("Bagikan nomor" in (m["plain_text"] or "") for m in h.fake.bot_messages(OFFICER_ID))

    await h.drain()
    alert = h.last(GROUP_ID)["plain_text"]
    assert "🏢 Walk-in" in alert and "🗣 Diwawancarai oleh: Agus" in alert and report.number in alert
    for secret in ("Siti", "Aminah", "0812", "081234567890"):
        assert secret not in alert
    assert report.channel == "walk_in"
    assert report.extra == {"recorded_by_id": OFFICER_ID, "interviewed_by_name": "Agus",
                            "interviewed_by_id": OFFICER_ID}
    complainant = [r for r in await all_rows(h, Reporter) if r.id == report.reporter_id][0]
    assert (complainant.kind, complainant.telegram_id, complainant.first_name, complainant.phone) == (
        "walk_in", None, "Siti Aminah", "081234567890")
    assert complainant.alias in alert
    assert await all_rows(h, Draft) == []


async def test_taking_a_walk_in_tells_nobody_on_telegram_and_offers_no_ask_button(h):
    await submit_walk_in(h)
    await h.drain()
    alert = h.last(GROUP_ID)
    await h.press(OFFICER_ID, alert, h.button_data(alert, "Tangani"))
    await h.drain()
    edited = next(m for m in h.fake.bot_messages(GROUP_ID) if m["message_id"] == alert["message_id"])
    assert [label for row in h.fake.buttons(edited) for label, _ in row] == [
        "✅ Selesai / Resolved", "⛔ Palsu / False"]
    kinds = [row.kind for row in await all_rows(h, Outbox)]
    assert "notify" not in kinds


async def test_optional_fields_can_be_skipped_and_a_bad_phone_is_refused(h):
    await say(h, OFFICER_ID, "/walkin")
    name = h.last(OFFICER_ID)
    phone = await press(h, OFFICER_ID, name, "Lewati")
    assert "Nomor HP pelapor" in phone["plain_text"]
    refused = await say(h, OFFICER_ID, "nomor saya rahasia")
    assert "Nomor HP tidak valid" in refused["plain_text"]
    sticker = await feed(h, h.fake.user_sticker(OFFICER_ID), OFFICER_ID)
    assert "Ketik jawabannya sebagai teks" in sticker["plain_text"]
    interviewer = await say(h, OFFICER_ID, "lewati")
    other = await say(h, OFFICER_ID, "Bripka Yusuf")
    assert "Kategori" in other["plain_text"] and "Diwawancarai oleh" in interviewer["plain_text"]
    [draft] = await all_rows(h, Draft)
    assert draft.extra["interviewed_by_name"] == "Bripka Yusuf" and draft.extra["interviewed_by_id"] is None
    assert draft.extra["_complainant_name"] is None and draft.extra["_complainant_phone"] is None


async def test_the_review_edits_the_walk_in_fields_too(h):
    review = await walk_in_review(h)
    menu = await press(h, OFFICER_ID, review, "Ubah")
    again = await press(h, OFFICER_ID, menu, "Nama pelapor")
    assert "Nama pelapor" in again["plain_text"]
    back = await say(h, OFFICER_ID, "Siti Rahma")
    assert "Pelapor: Siti Rahma" in back["plain_text"] and "Kirim" in str(h.fake.buttons(back))


async def test_officers_only_and_only_in_a_private_chat(h):
    # No officer_ids configured: membership of the officers' group decides (asked once, cached).
    refused = await say(h, OUTSIDER_ID, "/walkin")
    assert refused["plain_text"] == "Perintah ini hanya untuk petugas (anggota grup petugas)."
    assert await all_rows(h, Draft) == []
    await say(h, OFFICER2_ID, "/walkin")
    await say(h, OFFICER2_ID, "/walkin")
    assert [c.params["user_id"] for c in h.fake.calls_to("getChatMember")] == [OUTSIDER_ID, OFFICER2_ID]
    h.vtime.value += 1
    await h.text(OFFICER_ID, "/walkin", chat_id=GROUP_ID)
    assert h.last(GROUP_ID)["plain_text"] == "Silakan gunakan perintah ini dalam chat pribadi dengan bot."


async def test_a_configured_officer_list_decides_without_asking_telegram(tmp_path, database_url, fake, clock, vtime):
    config = make_config(tmp_path, database_url=database_url, officers={"officer_ids": [OFFICER_ID]})
    h = await start_harness(config, fake, clock, vtime)
    try:
        assert "hanya untuk petugas" in (await say(h, OFFICER2_ID, "/walkin"))["plain_text"]
        assert "Nama pelapor" in (await say(h, OFFICER_ID, "/walkin"))["plain_text"]
        assert "Nama pelapor" in (await say(h, SUPERVISOR_ID, "/walkin"))["plain_text"]
        assert h.fake.calls_to("getChatMember") == []
    finally:
        from bot.app import stop_services

        await stop_services(h.app)
        await h.app.shutdown()


async def test_the_office_may_show_the_complainant_like_any_reporter(tmp_path, database_url, fake, clock, vtime):
    config = make_config(tmp_path, database_url=database_url, officers={"show_reporter_identity": True})
    h = await start_harness(config, fake, clock, vtime)
    try:
        await submit_walk_in(h)
        await h.drain()
        assert "Identitas pelapor: Siti Aminah" in h.last(GROUP_ID)["plain_text"]
    finally:
        from bot.app import stop_services

        await stop_services(h.app)
        await h.app.shutdown()


STORIES = [
    "Tiga pria asing bekerja sebagai buruh bangunan di proyek ruko sejak Januari tanpa izin kerja.",
    "Seorang wanita asing membuka salon di rumah kontrakan blok C dan melayani pelanggan setiap hari.",
    "Dua warga asing tinggal di kos Pak Darto lebih dari setahun, katanya visa turis sudah habis.",
    "Ada orang asing mengajar les bahasa di ruko dekat pasar, muridnya banyak, setiap sore jam empat.",
]


async def test_walk_ins_are_screened_as_trusted_and_never_rate_limited(tmp_path, database_url, fake, clock, vtime):
    config = make_config(tmp_path, database_url=database_url, screening={"enabled": True})
    h = await start_harness(config, fake, clock, vtime)
    try:
        for n, story in enumerate(STORIES):  # one over screening's hourly limit for a resident
            await submit_walk_in(h, name=f"Warga Nomor {n}", description=story)
            h.clock.advance(minutes=5)
        await h.drain()
        reports = await all_rows(h, Report)
        assert [r.decision for r in reports] == ["accept"] * 4
        assert all(any(x["key"] == "scr_r_walk_in" for x in r.reasons) for r in reports)
        assert len({r.reporter_id for r in reports}) == 4  # one complainant row each
        assert sum("Walk-in" in text for text in group_texts(h)) == 4
    finally:
        from bot.app import stop_services

        await stop_services(h.app)
        await h.app.shutdown()


async def test_the_walk_in_comes_before_the_officers_own_draft_and_cancel_drops_its_complainant(h):
    await to_description(h, OFFICER_ID)  # the officer's own resident draft, at the description step
    await to_category(h)
    cancelled = await say(h, OFFICER_ID, "/batal")
    assert "dibatalkan" in cancelled["plain_text"]
    async with h.services.db.read() as s:
        drafts = (await s.exec(select(Draft))).all()
        walk_ins = (await s.exec(select(Reporter).where(Reporter.kind == "walk_in"))).all()
    assert [d.channel for d in drafts] == ["telegram"] and walk_ins == []
    reply = await say(h, OFFICER_ID, DESCRIPTION)  # the officer's own draft continues where it was
    assert "Foto" in reply["plain_text"]


async def test_an_unfinished_walk_in_is_offered_back_and_start_over_keeps_who_types(h):
    await to_category(h)
    offer = await say(h, OFFICER_ID, "/walkin")
    assert "belum selesai" in offer["plain_text"] and "kategori" in offer["plain_text"]
    fresh = await press(h, OFFICER_ID, offer, "Mulai baru")
    assert "Nama pelapor" in fresh["plain_text"]
    [draft] = await all_rows(h, Draft)
    assert draft.channel == "walk_in" and draft.officer_id == OFFICER_ID
    assert draft.extra == {"recorded_by_id": OFFICER_ID, "_officer_name": "Agus"}
    assert len([r for r in await all_rows(h, Reporter) if r.kind == "walk_in"]) == 1


async def test_a_resident_cannot_press_a_walk_in_button(h):
    await say(h, OFFICER_ID, "/walkin")
    draft_id = parse(find_with_buttons(h, OFFICER_ID)["reply_markup"]["inline_keyboard"][0][0]["callback_data"]).target_id
    await h.app.bot.send_message(RESIDENT_ID, "x")
    h.vtime.value += 1
    await h.press(RESIDENT_ID, h.last(RESIDENT_ID), encode(Action.WALKIN_DEFAULT, draft_id))
    assert h.fake.answered_callbacks[-1]["text"] == "Tombol ini sudah tidak berlaku."
    [draft] = await all_rows(h, Draft)
    assert draft.step == "wi_name"


async def test_a_walk_in_at_a_map_point_is_located(h):
    msg = await to_category(h)
    data = next(d for row in h.fake.buttons(msg) for _, d in row if d.endswith(":overstay"))
    await press_data(h, OFFICER_ID, msg, data)
    saved = await feed(h, h.fake.user_location(OFFICER_ID, *IN_AREA), OFFICER_ID)
    assert "Lokasi diterima" in saved["plain_text"]
