"""Each step's answers: what is accepted, and every wrong kind of message refused without touching
the draft."""

from __future__ import annotations

import pytest

from tests.conftest import GROUP_ID, IN_AREA, OUT_OF_AREA, RESIDENT2_ID, RESIDENT_ID
from tests.handlers.residents.helpers import (
    DESCRIPTION,
    draft_of,
    feed,
    say,
    snapshot,
    to_description,
    to_location,
    to_photos,
    to_review,
)

PDF = b"%PDF-1.4 fake"

# A message of each wrong kind, as the fake makes it.
WRONG = {
    "sticker": lambda f: f.user_sticker(RESIDENT_ID),
    "voice": lambda f: f.user_voice(RESIDENT_ID),
    "video": lambda f: f.user_video(RESIDENT_ID),
    "contact": lambda f: f.user_contact(RESIDENT_ID, "+628123456789"),
    "poll": lambda f: f.user_poll(RESIDENT_ID),
    "dice": lambda f: f.user_dice(RESIDENT_ID),
    "pdf": lambda f: f.user_document(RESIDENT_ID, file_name="a.pdf", mime_type="application/pdf", content=PDF),
    "unknown_command": lambda f: f.user_text(RESIDENT_ID, "/foo"),
    "photo": lambda f: f.user_photo(RESIDENT_ID),
    "text": lambda f: f.user_text(RESIDENT_ID, "halo pak, ini laporan saya tentang orang asing"),
    "location": lambda f: f.user_location(RESIDENT_ID, *IN_AREA, horizontal_accuracy=5.0),
}

# What each step says to a message it cannot use (and which wrong kinds apply there).
STEPS = {
    "category": (lambda h, user_id: say(h, user_id, "/start"), "Pilih salah satu kategori",
                 ["sticker", "voice", "video", "contact", "poll", "dice", "pdf", "unknown_command", "photo", "text",
                  "location"]),
    "location": (to_location, "Kirim lokasi kejadian",
                 ["sticker", "voice", "video", "contact", "poll", "dice", "pdf", "unknown_command", "photo"]),
    "description": (to_description, "Tulis uraian kejadian sebagai teks (20–2000 karakter)",
                    ["sticker", "voice", "video", "contact", "poll", "dice", "pdf", "unknown_command", "photo",
                     "location"]),
    "photos": (to_photos, "Kirim foto (paling banyak 5)",
               ["sticker", "voice", "video", "contact", "poll", "dice", "unknown_command", "text", "location"]),
    "review": (to_review, "Tekan Kirim, Ubah, atau Batal",
               ["sticker", "voice", "video", "contact", "poll", "dice", "pdf", "unknown_command", "photo", "text",
                "location"]),
}

CASES = [(step, kind) for step, (_, _, kinds) in STEPS.items() for kind in kinds]


@pytest.mark.parametrize(("step", "kind"), CASES, ids=[f"{s}-{k}" for s, k in CASES])
async def test_wrong_message_leaves_the_draft_untouched_and_says_what_is_expected(h, step, kind):
    driver, hint, _ = STEPS[step]
    await driver(h, RESIDENT_ID)
    before = await snapshot(h, RESIDENT_ID)
    assert before["step"] == step
    reply = await feed(h, WRONG[kind](h.fake), RESIDENT_ID)
    assert hint in reply["plain_text"]
    assert await snapshot(h, RESIDENT_ID) == before


async def test_pdf_at_the_photo_step_is_not_an_image(h):
    await to_photos(h, RESIDENT_ID)
    before = await snapshot(h, RESIDENT_ID)
    reply = await feed(h, WRONG["pdf"](h.fake), RESIDENT_ID)
    assert "bukan gambar" in reply["plain_text"]
    assert await snapshot(h, RESIDENT_ID) == before


async def test_no_draft_and_a_random_message_hints_at_start(h):
    reply = await say(h, RESIDENT_ID, "halo")
    assert reply["plain_text"] == "Ketik /start untuk membuat laporan."
    reply = await feed(h, h.fake.user_sticker(RESIDENT_ID), RESIDENT_ID)
    assert "/start" in reply["plain_text"]


async def test_group_messages_are_not_the_residents_business(h):
    await to_description(h, RESIDENT_ID)
    before = await snapshot(h, RESIDENT_ID)
    h.vtime.value += 1
    await h.text(RESIDENT_ID, DESCRIPTION, chat_id=GROUP_ID)
    assert h.fake.bot_messages(GROUP_ID) == []
    assert await snapshot(h, RESIDENT_ID) == before


# ------------------------------------------------------------------ location


async def test_location_prompt_has_a_request_location_button(h):
    prompt = await to_location(h, RESIDENT_ID)
    assert "pilih titik di peta" in prompt["plain_text"] and "ketik alamatnya" in prompt["plain_text"]
    button = prompt["reply_markup"]["keyboard"][0][0]
    assert button == {"text": "📍 Kirim lokasi saya", "request_location": True}


async def test_gps_location_is_stored_with_area_and_the_keyboard_removed(h):
    await to_location(h, RESIDENT_ID)
    reply = await feed(h, h.fake.user_location(RESIDENT_ID, *IN_AREA, horizontal_accuracy=12.5), RESIDENT_ID)
    assert reply["plain_text"].startswith("📍 Lokasi diterima: ")
    assert "3/5 · Uraian" in reply["plain_text"]
    assert reply["reply_markup"] == {"remove_keyboard": True}
    draft = await draft_of(h, RESIDENT_ID)
    assert (draft.step, draft.lat, draft.lon, draft.accuracy_m, draft.location_source) == (
        "description", IN_AREA[0], IN_AREA[1], 12.5, "gps")
    assert draft.area_label == h.services.jurisdiction.locate(*IN_AREA).label()


@pytest.mark.parametrize(
    ("kwargs", "source"),
    [({}, "pin"), ({"horizontal_accuracy": 30.0, "live_period": 900}, "live"),
     ({"forwarded": True}, "forwarded")],
)
async def test_location_sources(h, kwargs, source):
    await to_location(h, RESIDENT_ID)
    await feed(h, h.fake.user_location(RESIDENT_ID, *IN_AREA, **kwargs), RESIDENT_ID)
    assert (await draft_of(h, RESIDENT_ID)).location_source == source


async def test_venue_is_stored_with_its_name(h):
    await to_location(h, RESIDENT_ID)
    await feed(h, h.fake.user_venue(RESIDENT_ID, *IN_AREA, "Warung Bu Ani", "Jl. Merdeka 5"), RESIDENT_ID)
    draft = await draft_of(h, RESIDENT_ID)
    assert (draft.location_source, draft.address_text) == ("venue", "Warung Bu Ani, Jl. Merdeka 5")


async def test_live_location_updates_are_ignored_first_fix_wins(h):
    await to_location(h, RESIDENT_ID)
    live = h.fake.user_location(RESIDENT_ID, *IN_AREA, horizontal_accuracy=20.0, live_period=900)
    await feed(h, live, RESIDENT_ID)
    before = await snapshot(h, RESIDENT_ID)
    sent = len(h.fake.bot_messages(RESIDENT_ID))
    await feed(h, h.fake.user_edit_location(RESIDENT_ID, live["message"]["message_id"], -6.20, 106.65), RESIDENT_ID)
    assert len(h.fake.bot_messages(RESIDENT_ID)) == sent  # no reply at all
    assert await snapshot(h, RESIDENT_ID) == before


async def test_location_outside_the_area_is_refused_naming_the_area(h):
    await to_location(h, RESIDENT_ID)
    before = await snapshot(h, RESIDENT_ID)
    reply = await feed(h, h.fake.user_location(RESIDENT_ID, *OUT_OF_AREA, horizontal_accuracy=5.0), RESIDENT_ID)
    assert "di luar wilayah kerja Kantor Imigrasi Kelas I TPI Tangerang" in reply["plain_text"]
    assert "Kota Tangerang" in reply["plain_text"] and "Kabupaten Tangerang" in reply["plain_text"]
    assert reply["reply_markup"]["keyboard"][0][0]["request_location"] is True  # the button stays at hand
    assert await snapshot(h, RESIDENT_ID) == before


async def test_invalid_coordinates_are_refused(h):
    await to_location(h, RESIDENT_ID)
    before = await snapshot(h, RESIDENT_ID)
    reply = await feed(h, h.fake.user_location(RESIDENT_ID, 95.0, 106.6), RESIDENT_ID)
    assert "tidak dapat dibaca" in reply["plain_text"]
    assert await snapshot(h, RESIDENT_ID) == before


async def test_typed_address_is_accepted_without_coordinates(h):
    await to_location(h, RESIDENT_ID)
    reply = await say(h, RESIDENT_ID, "Jl. Jend. Sudirman No. 1, Ciledug")
    assert "Jl. Jend. Sudirman No. 1, Ciledug (tanpa koordinat)" in reply["plain_text"]
    draft = await draft_of(h, RESIDENT_ID)
    assert (draft.location_source, draft.lat, draft.lon, draft.step) == ("text", None, None, "description")


async def test_typed_address_in_english_says_no_coordinates(h):
    await to_location(h, RESIDENT2_ID, category="other")
    reply = await say(h, RESIDENT2_ID, "Jl. Jend. Sudirman No. 1, Ciledug")
    assert "(no coordinates)" in reply["plain_text"]


async def test_too_short_address_is_refused(h):
    await to_location(h, RESIDENT_ID)
    before = await snapshot(h, RESIDENT_ID)
    reply = await say(h, RESIDENT_ID, "Ciledug")
    assert "Alamat terlalu pendek" in reply["plain_text"] and "10–300" in reply["plain_text"]
    assert await snapshot(h, RESIDENT_ID) == before


# ------------------------------------------------------------------ description


@pytest.mark.parametrize(("text", "says"), [("terlalu pendek", "Uraian terlalu pendek (14 karakter)"),
                                             ("x" * 2001, "Uraian terlalu panjang (2001 karakter)")])
async def test_description_out_of_limits_says_why_and_the_limits(h, text, says):
    await to_description(h, RESIDENT_ID)
    before = await snapshot(h, RESIDENT_ID)
    reply = await say(h, RESIDENT_ID, text)
    assert says in reply["plain_text"] and "20 dan 2000" in reply["plain_text"]
    assert await snapshot(h, RESIDENT_ID) == before


async def test_2000_characters_of_html_are_stored_verbatim_and_shown_escaped(h):
    hostile = "<b>x</b> & <script>alert(1)</script>"
    text = (hostile + " ") * (2000 // (len(hostile) + 1))
    text = (text + "y" * 2000)[:2000]
    review = await to_review(h, RESIDENT_ID, description=text)
    assert (await draft_of(h, RESIDENT_ID)).description == text
    # The fake refuses invalid HTML: a sent review proves the escaping; it shows the text literally.
    assert text in review["plain_text"]
    assert review["plain_text"].startswith("5/5")


async def test_control_characters_are_dropped_from_the_description(h):
    await to_description(h, RESIDENT_ID)
    await say(h, RESIDENT_ID, "Orang asing\x00 bekerja\ttanpa izin\x1b di sini\n setiap hari")
    assert (await draft_of(h, RESIDENT_ID)).description == "Orang asing bekerja\ttanpa izin di sini\n setiap hari"


async def test_another_audiences_command_is_left_to_it_and_the_draft_untouched(h):
    await to_description(h, RESIDENT_ID)
    before = await snapshot(h, RESIDENT_ID)
    sent = len(h.fake.bot_messages(RESIDENT_ID))
    reply = await say(h, RESIDENT_ID, "/stats")
    assert len(h.fake.bot_messages(RESIDENT_ID)) == sent + 1  # the supervisors' refusal, nothing of ours
    assert "Tulis uraian" not in reply["plain_text"]
    assert await snapshot(h, RESIDENT_ID) == before


async def test_messages_from_bots_are_ignored(h):
    h.fake.add_user(8_000_000_001, "Robot", is_bot=True)
    h.vtime.value += 1
    await h.text(8_000_000_001, "/start")
    await h.text(8_000_000_001, "halo")
    assert h.fake.bot_messages(8_000_000_001) == []


async def test_a_well_formed_but_unknown_category_is_refused(h):
    await say(h, RESIDENT_ID, "/start")
    draft = await draft_of(h, RESIDENT_ID)
    before = await snapshot(h, RESIDENT_ID)
    h.vtime.value += 1
    await h.press(RESIDENT_ID, h.last(RESIDENT_ID), f"1:c:{draft.id}:piracy")
    assert h.fake.answered_callbacks[-1]["text"] == "Tombol ini sudah tidak berlaku."
    assert await snapshot(h, RESIDENT_ID) == before
