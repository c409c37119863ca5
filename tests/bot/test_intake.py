"""The draft's rules without Telegram: classification of what was sent, and each step's answer."""

from __future__ import annotations

import pytest

from bot import intake
from bot.callbacks import Action
from bot.draft import DraftView
from bot.intake import Effect, Kind, MessageFacts, PhotoFacts, Rules, button, classify, decide

AREA = "Ciledug, Kota Tangerang"


def rules(**kw) -> Rules:
    defaults = dict(
        description_min=20,
        description_max=2000,
        max_photos=5,
        categories={"overstay": ("Izin tinggal habis / overstay", "Overstaying"), "other": ("Lainnya", "Other")},
        # Inside: a box around Tangerang; outside: anything else.
        locate=lambda lat, lon: AREA if -6.4 < lat < -6.0 and 106.4 < lon < 106.75 else None,
    )
    return Rules(**{**defaults, **kw})


def view(step: str, **kw) -> DraftView:
    return DraftView(id=7, step=step, **kw)


PHOTO = PhotoFacts(file_id="F1", file_unique_id="U1", width=1280, height=960, file_size=1000)


def photo_input(group: str | None = None):
    return classify(MessageFacts(photo=PHOTO, media_group_id=group))


def text(s: str):
    return classify(MessageFacts(text=s))


# ------------------------------------------------------------------ classify


@pytest.mark.parametrize(
    ("facts", "kind", "source"),
    [
        (MessageFacts(lat=-6.2, lon=106.6, horizontal_accuracy=15.0), Kind.LOCATION, "gps"),
        (MessageFacts(lat=-6.2, lon=106.6), Kind.LOCATION, "pin"),
        (MessageFacts(lat=-6.2, lon=106.6, horizontal_accuracy=15.0, live_period=900), Kind.LOCATION, "live"),
        (MessageFacts(lat=-6.2, lon=106.6, horizontal_accuracy=5.0, forwarded=True), Kind.LOCATION, "forwarded"),
        (MessageFacts(lat=-6.2, lon=106.6, venue_title="Warung", venue_address="Jl. A 1"), Kind.VENUE, "venue"),
    ],
)
def test_locations_are_told_apart_by_what_telegram_sends(facts, kind, source):
    inp = classify(facts)
    assert (inp.kind, inp.source) == (kind, source)


def test_venue_address_joins_title_and_address():
    inp = classify(MessageFacts(lat=-6.2, lon=106.6, venue_title="Warung Bu Ani", venue_address="Jl. Merdeka 5"))
    assert inp.address == "Warung Bu Ani, Jl. Merdeka 5"


@pytest.mark.parametrize(
    ("mime", "size", "kind", "problem"),
    [
        ("image/jpeg", 2_000_000, Kind.PHOTO, None),
        ("image/png", None, Kind.PHOTO, None),
        ("image/webp", 10, Kind.PHOTO, None),
        ("application/pdf", 10_000, Kind.BAD_FILE, "not_an_image"),
        ("image/gif", 10_000, Kind.BAD_FILE, "not_an_image"),
        (None, 10, Kind.BAD_FILE, "not_an_image"),
        ("image/jpeg", 20 * 1024 * 1024 + 1, Kind.BAD_FILE, "image_too_big"),
    ],
)
def test_documents_are_images_only_when_jpeg_png_webp_up_to_20_mb(mime, size, kind, problem):
    doc = PhotoFacts(file_id="D", file_unique_id="DU", kind="document", mime_type=mime, file_size=size)
    inp = classify(MessageFacts(document=doc))
    assert (inp.kind, inp.problem) == (kind, problem)


def test_commands_text_and_other_messages():
    assert classify(MessageFacts(text="/foo")).kind is Kind.COMMAND
    assert classify(MessageFacts(text="halo")).kind is Kind.TEXT
    assert classify(MessageFacts()).kind is Kind.OTHER


def test_clean_text_drops_control_characters_but_keeps_newlines_tabs_and_markup():
    raw = "  \x00<b>x</b>\x07 & baris\n\tdua\x1b  "
    assert intake.clean_text(raw) == "<b>x</b> & baris\n\tdua"


# ------------------------------------------------------------------ transitions


def test_the_table_walks_every_step_and_an_edit_returns_to_the_review():
    assert [intake.next_step(s) for s in intake.STEPS[:-1]] == list(intake.STEPS[1:])
    for step in intake.EDITABLE_STEPS:
        assert intake.next_step(step, return_to="review") == "review"


def test_category_button_and_typed_label_advance_to_location():
    out = decide("category", button(Action.CATEGORY, "overstay"), view("category"), rules())
    assert (out.step, out.changes["category"], out.accepted, out.prompt) == ("location", "overstay", True, True)
    out = decide("category", text("lainnya"), view("category"), rules())
    assert (out.step, out.changes["category"]) == ("location", "other")


def test_unknown_category_code_is_refused_and_nothing_changes():
    out = decide("category", button(Action.CATEGORY, "piracy"), view("category"), rules())
    assert (out.step, out.notice, out.accepted, out.changes) == ("category", "button_unknown", False, {})


@pytest.mark.parametrize("step", ["category", "location", "description", "photos", "review"])
@pytest.mark.parametrize("inp", [classify(MessageFacts()), text("/foo")], ids=["other", "command"])
def test_wrong_kind_of_message_is_refused_with_the_steps_hint(step, inp):
    out = decide(step, inp, view(step), rules())
    assert out.accepted is False and out.changes == {} and out.step == step
    assert out.notice == f"expect_{step}"


def test_gps_location_inside_is_stored_with_area_and_accuracy():
    inp = classify(MessageFacts(lat=-6.2, lon=106.7, horizontal_accuracy=9.0))
    out = decide("location", inp, view("location"), rules())
    assert out.step == "description" and out.notice == "location_saved"
    assert out.changes == {
        "lat": -6.2, "lon": 106.7, "accuracy_m": 9.0, "location_source": "gps", "address_text": None,
        "area_label": AREA, "step": "description", "return_to": "",
    }


def test_location_outside_the_area_or_invalid_is_refused():
    out = decide("location", classify(MessageFacts(lat=-6.1754, lon=106.8272)), view("location"), rules())
    assert (out.step, out.notice, out.changes) == ("location", "location_outside", {})
    out = decide("location", classify(MessageFacts(lat=123.0, lon=106.6)), view("location"), rules())
    assert (out.step, out.notice) == ("location", "location_invalid")
    out = decide("location", classify(MessageFacts(lat=float("nan"), lon=106.6)), view("location"), rules())
    assert out.notice == "location_invalid"


def test_typed_address_has_no_coordinates_and_must_be_10_to_300_chars():
    out = decide("location", text("  Jl. Merdeka No. 5, Ciledug  "), view("location", lat=-6.2, lon=106.7), rules())
    assert out.changes["address_text"] == "Jl. Merdeka No. 5, Ciledug"
    assert out.changes["location_source"] == "text"
    assert out.changes["lat"] is None and out.changes["lon"] is None  # an earlier fix does not linger
    assert decide("location", text("Jl. A"), view("location"), rules()).notice == "address_too_short"
    assert decide("location", text("x" * 301), view("location"), rules()).notice == "address_too_long"


def test_description_limits_count_characters_after_cleaning():
    ok = decide("description", text("  " + "a" * 20 + "\x00 "), view("description"), rules())
    assert ok.changes["description"] == "a" * 20 and ok.step == "photos"
    short = decide("description", text("a" * 19), view("description"), rules())
    assert (short.notice, short.values["length"], short.values["min"]) == ("description_too_short", 19, 20)
    long = decide("description", text("a" * 2001), view("description"), rules())
    assert long.notice == "description_too_long" and long.step == "description"
    assert decide("description", text("a" * 2000), view("description"), rules()).accepted


def test_a_photo_where_text_is_expected_is_refused():
    out = decide("description", photo_input(), view("description"), rules())
    assert out.notice == "expect_description" and not out.accepted


def test_single_photo_is_added_and_acknowledged_with_the_count():
    out = decide("photos", photo_input(), view("photos", photo_count=2), rules())
    assert (out.effect, out.notice, out.values["count"], out.step) == (Effect.ADD_PHOTO, "photo_received", 3, "photos")


def test_album_photos_are_added_silently_and_mark_the_album():
    out = decide("photos", photo_input("G1"), view("photos"), rules())
    assert out.effect is Effect.ADD_PHOTO and out.notice is None
    assert out.changes == {"album_id": "G1", "extra": {"_album_rejected": 0}}
    again = decide("photos", photo_input("G1"), view("photos", photo_count=1, album_id="G1"), rules())
    assert again.effect is Effect.ADD_PHOTO and again.changes == {}


def test_photos_beyond_the_maximum_are_refused_singly_or_counted_once_per_album():
    full = view("photos", photo_count=5)
    out = decide("photos", photo_input(), full, rules())
    assert (out.notice, out.effect, out.accepted) == ("photos_max", Effect.NONE, False)
    out = decide("photos", photo_input("G2"), view("photos", photo_count=5, album_id="G2",
                                                       extra={"_album_rejected": 1}), rules())
    assert out.notice is None and out.changes["extra"]["_album_rejected"] == 2


def test_done_needs_a_photo_skip_does_not_and_keeps_photos():
    assert decide("photos", button(Action.PHOTOS_DONE), view("photos"), rules()).notice == "expect_photos"
    assert decide("photos", button(Action.PHOTOS_DONE), view("photos", photo_count=1), rules()).step == "review"
    skip = decide("photos", button(Action.PHOTOS_SKIP), view("photos", photo_count=2), rules())
    assert skip.step == "review" and skip.effect is Effect.NONE
    assert decide("photos", text("Selesai"), view("photos", photo_count=1), rules()).step == "review"
    assert decide("photos", text("skip"), view("photos"), rules()).step == "review"
    assert decide("photos", text("ini fotonya"), view("photos"), rules()).notice == "expect_photos"


def test_non_image_document_at_the_photo_step_says_why():
    doc = PhotoFacts(file_id="D", file_unique_id="DU", kind="document", mime_type="application/pdf")
    out = decide("photos", classify(MessageFacts(document=doc)), view("photos"), rules())
    assert out.notice == "not_an_image" and not out.accepted


def test_review_buttons():
    review = view("review", category="other", description="x" * 20)
    assert decide("review", button(Action.SUBMIT), review, rules()).effect is Effect.SUBMIT
    assert decide("review", button(Action.EDIT), review, rules()).effect is Effect.EDIT_MENU
    edit = decide("review", button(Action.EDIT_STEP, "description"), review, rules())
    assert (edit.step, edit.changes["return_to"], edit.prompt) == ("description", "review", True)
    photos = decide("review", button(Action.EDIT_STEP, "photos"), review, rules())
    assert photos.effect is Effect.CLEAR_PHOTOS
    assert decide("review", button(Action.EDIT_STEP, "bogus"), review, rules()).notice == "button_unknown"
    assert decide("review", text("kirim"), review, rules()).notice == "expect_review"


def test_after_an_edit_the_step_returns_to_the_review():
    out = decide("description", text("b" * 30), view("description", return_to="review"), rules())
    assert out.step == "review" and out.changes["return_to"] == ""


def test_a_button_of_another_step_asks_the_current_question_again():
    out = decide("description", button(Action.SUBMIT), view("description"), rules())
    assert (out.step, out.prompt, out.accepted, out.notice) == ("description", True, False, None)
    out = decide("review", button(Action.CATEGORY, "other"), view("review"), rules())
    assert (out.step, out.prompt, out.accepted) == ("review", True, False)


def test_cancel_works_at_every_step():
    for step in intake.STEPS:
        assert decide(step, button(Action.CANCEL), view(step), rules()).effect is Effect.CANCEL


def test_has_content():
    assert not intake.has_content(view("category"))
    assert intake.has_content(view("location", category="other"))
    assert intake.has_content(view("photos", photo_count=1))


def test_continue_wakes_the_draft_and_start_over_restarts_at_any_step():
    out = decide("photos", button(Action.RESUME), view("photos", status="expired"), rules())
    assert (out.step, out.changes, out.prompt, out.accepted) == ("photos", {"status": "active"}, True, True)
    assert decide("review", button(Action.DISCARD), view("review"), rules()).effect is Effect.RESTART
    assert intake.ACTS_ON_EXPIRED == {Action.RESUME, Action.DISCARD, Action.CANCEL}


# --- several offices: the location step records which office the report goes to ---


def two_offices(**kw) -> Rules:
    return rules(office_at=lambda lat, lon: "TNG" if lon < 106.7 else "JKS",
                 office_named=lambda t: "JKS" if "Kebayoran" in t else None, **kw)


def test_a_point_records_its_office_and_keeps_the_rest_of_extra():
    v = view("location", extra={"_album_rejected": 0})
    out = decide("location", classify(MessageFacts(lat=-6.2, lon=106.6, horizontal_accuracy=9.0)), v, two_offices())
    assert out.accepted and out.changes["extra"] == {"_album_rejected": 0, intake.OFFICE: "TNG"}
    # One office (no routing rules): the draft's extra is left alone.
    out = decide("location", classify(MessageFacts(lat=-6.2, lon=106.6)), v, rules())
    assert out.accepted and "extra" not in out.changes


def test_a_typed_address_needs_an_office_s_area_name_unless_a_desk_takes_it():
    out = decide("location", text("Jl. Wolter Monginsidi 12, Kebayoran Baru"), view("location"), two_offices())
    assert out.accepted and out.changes["extra"] == {intake.OFFICE: "JKS"}
    out = decide("location", text("Jl. Sudirman No. 1 dekat pasar"), view("location"), two_offices())
    assert (out.accepted, out.notice, out.changes) == (False, "address_no_office", {})
    desk = view("location", extra={intake.DESK_OFFICE: "TNG"})
    out = decide("location", text("Jl. Sudirman No. 1 dekat pasar"), desk, two_offices())
    assert out.accepted and out.changes["extra"] == {intake.DESK_OFFICE: "TNG", intake.OFFICE: "TNG"}
