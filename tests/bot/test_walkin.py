"""The walk-in draft's own steps, on top of the resident's rules."""

from __future__ import annotations

import pytest

from bot import intake, walkin
from bot.callbacks import Action, parse
from bot.draft import DraftView
from bot.fakeapi import parse_html
from bot.intake import Effect, Input, Kind, Rules, button

RULES = Rules(description_min=20, description_max=2000, max_photos=5,
              categories={"overstay": ("Izin tinggal habis", "Overstay")}, locate=lambda lat, lon: "Ciledug")
START = walkin.start_extra(officer_id=7, officer_name="Agus")


def view(step: str = walkin.NAME, **kw) -> DraftView:
    values = dict(id=3, step=step, channel=walkin.WALK_IN, extra=dict(START))
    values.update(kw)
    return DraftView(**values)


def text(value: str) -> Input:
    return Input(Kind.TEXT, text=value)


def decide(v: DraftView, inp: Input):
    return walkin.decide(v.step, inp, v, RULES)


def test_the_own_steps_come_first_then_the_residents():
    out = decide(view(), text("  Siti \n Aminah "))
    assert out.step == walkin.PHONE and out.changes["extra"][walkin.NAME_KEY] == "Siti Aminah" and out.prompt
    out = decide(view(walkin.PHONE), text("+62 812-3456-7890"))
    assert out.step == walkin.INTERVIEWER and out.changes["extra"][walkin.PHONE_KEY] == "+6281234567890"
    out = decide(view(walkin.INTERVIEWER), button(Action.WALKIN_DEFAULT))
    assert out.step == intake.CATEGORY
    assert (out.changes["extra"][walkin.INTERVIEWER_NAME], out.changes["extra"][walkin.INTERVIEWER_ID]) == ("Agus", 7)
    # From the category on, the resident's rules answer.
    assert decide(view(intake.CATEGORY), button(Action.CATEGORY, "overstay")).step == intake.LOCATION


@pytest.mark.parametrize("step,key", [(walkin.NAME, walkin.NAME_KEY), (walkin.PHONE, walkin.PHONE_KEY)])
def test_name_and_phone_are_optional(step, key):
    for inp in (button(Action.WALKIN_DEFAULT), text("lewati"), text("-"), text("Skip")):
        out = decide(view(step), inp)
        assert out.accepted and out.changes["extra"][key] is None


def test_bad_answers_are_refused_and_change_nothing():
    for step, inp, key in [
        (walkin.NAME, text("x"), "wi_name_invalid"),
        (walkin.NAME, text("y" * 81), "wi_name_invalid"),
        (walkin.NAME, Input(Kind.PHOTO), "wi_expect_text"),
        (walkin.PHONE, text("12345"), "wi_phone_invalid"),
        (walkin.PHONE, text("0812 abc 7890"), "wi_phone_invalid"),
        (walkin.PHONE, text("٠٨١٢٣٤٥٦٧٨٩"), "wi_phone_invalid"),  # digits, but not ASCII ones
        (walkin.INTERVIEWER, Input(Kind.LOCATION, lat=1.0, lon=1.0), "wi_expect_text"),
    ]:
        out = decide(view(step), inp)
        assert (out.notice, out.accepted, out.changes, out.step) == (key, False, {}, step), (step, inp)


def test_a_typed_interviewer_has_no_telegram_id():
    out = decide(view(walkin.INTERVIEWER), text("Bripka Yusuf"))
    assert out.changes["extra"][walkin.INTERVIEWER_NAME] == "Bripka Yusuf"
    assert out.changes["extra"][walkin.INTERVIEWER_ID] is None


def test_review_edits_the_own_steps_and_comes_back():
    out = decide(view(intake.REVIEW), button(Action.EDIT_STEP, walkin.PHONE))
    assert out.step == walkin.PHONE and out.changes["return_to"] == intake.REVIEW
    back = decide(view(walkin.PHONE, return_to=intake.REVIEW), text("081234567890"))
    assert back.step == intake.REVIEW and back.changes["return_to"] == ""


def test_start_over_returns_to_the_first_own_step():
    out = decide(view(intake.DESCRIPTION), button(Action.DISCARD))
    assert (out.step, out.effect) == (walkin.FIRST, Effect.RESTART)
    assert walkin.carried_extra({**START, walkin.NAME_KEY: "Siti", "x": 1}) == START


def test_what_the_officer_reads():
    v = view(intake.REVIEW, category="overstay", description="Orang asing tinggal di kos sejak lama.",
             extra={**START, walkin.NAME_KEY: "Siti <b>", walkin.INTERVIEWER_NAME: "Agus"})
    review = parse_html(walkin.prompt_text("id", v, category_label="Izin tinggal habis")).text
    assert review.startswith("🏢 Walk-in\nPelapor: Siti <b>\nHP: —\nDiwawancarai oleh: Agus\n\n5/5")
    [[(label, data)]] = walkin.step_rows("id", view(walkin.INTERVIEWER, extra=walkin.start_extra(
        officer_id=7, officer_name="A & B")))
    assert label == "👤 A & B" and parse(data).action is Action.WALKIN_DEFAULT
    assert walkin.step_rows("id", view(intake.LOCATION)) == []
    assert walkin.step_rows("id", view(intake.PHOTOS)) is None
    assert walkin.prompt_text("id", view(intake.DESCRIPTION), category_label="x") is None
    assert [d for row in walkin.edit_rows("en", view()) for _, d in row] == [
        "1:es:3:wi_name", "1:es:3:wi_phone", "1:es:3:wi_interviewer"]


def test_content_and_the_confirmation():
    assert not walkin.has_content(view())
    assert walkin.has_content(view(extra={**START, walkin.PHONE_KEY: "0812"}))
    assert walkin.submitted_reply(number="N", decision="accept") == ("wi_submitted", {"number": "N"})
    assert walkin.submitted_reply(number="N", decision=None)[0] == "wi_submitted"
    assert walkin.submitted_reply(number="N", decision="review")[0] == "wi_submitted_held"
