"""The follow-up's rules: who may ask and answer, what is relayed, how it reads on the other side."""

from __future__ import annotations

import pytest

from bot import followup
from bot.alerts import CAPTION_LIMIT, TEXT_LIMIT, visible_length
from bot.callbacks import Action, parse
from bot.fakeapi import parse_html
from bot.followup import ANSWER, INFO, QUESTION, Incoming, ReportFacts

OFFICER, OTHER, RESIDENT = 7, 8, 5


def facts(**kw) -> ReportFacts:
    values = dict(number="TNG-2026-000042", status="taken", channel="telegram", taken_by=OFFICER,
                  taken_by_name="Agus", reporter_telegram_id=RESIDENT)
    values.update(kw)
    return ReportFacts(**values)


def refused(r) -> str | None:
    return None if r is None else r.key


def test_the_taker_or_a_supervisor_may_ask_a_taken_telegram_report():
    assert followup.ask_refusal(facts(), user_id=OFFICER, is_supervisor=False) is None
    assert followup.ask_refusal(facts(), user_id=OTHER, is_supervisor=True) is None
    other = followup.ask_refusal(facts(), user_id=OTHER, is_supervisor=False)
    assert other.key == "fu_toast_not_taker" and other.values == {"name": "Agus"}
    assert refused(followup.ask_refusal(facts(status="new"), user_id=OFFICER, is_supervisor=False)) == \
        "officer_toast_not_taken_yet"
    for closed in ("resolved", "false_report", "held", "rejected"):
        assert refused(followup.ask_refusal(facts(status=closed), user_id=OFFICER, is_supervisor=True)) == \
            "officer_toast_closed"
    assert refused(followup.ask_refusal(facts(channel="walk_in", reporter_telegram_id=None), user_id=OFFICER,
                                        is_supervisor=False)) == "fu_toast_walk_in"
    assert refused(followup.ask_refusal(None, user_id=OFFICER, is_supervisor=False)) == "officer_toast_not_found"


def test_only_the_reporter_of_an_open_report_may_answer():
    assert followup.reporter_refusal(facts(), user_id=RESIDENT) is None
    assert followup.reporter_refusal(facts(status="new"), user_id=RESIDENT) is None
    assert refused(followup.reporter_refusal(facts(), user_id=OTHER)) == "button_unknown"
    assert refused(followup.reporter_refusal(None, user_id=RESIDENT)) == "button_unknown"
    closed = followup.reporter_refusal(facts(status="resolved"), user_id=RESIDENT)
    assert closed.key == "fu_closed" and closed.values == {"number": "TNG-2026-000042"}


def check(kind, msg, *, author=RESIDENT, report=None, recent=0, supervisor=False):
    return followup.message_refusal(kind, report or facts(), msg, author_id=author, is_supervisor=supervisor,
                                    recent=recent)


def test_a_question_is_text_and_a_wrong_message_keeps_the_wait():
    assert check(QUESTION, Incoming(text="Masih di sana?"), author=OFFICER) is None
    photo = check(QUESTION, Incoming(photo_file_id="f", photo_kind="photo"), author=OFFICER)
    assert photo.key == "fu_expect_question" and not photo.ends_wait
    assert check(QUESTION, Incoming(text="   "), author=OFFICER).key == "fu_expect_question"
    long = check(QUESTION, Incoming(text="x" * (followup.TEXT_MAX + 1)), author=OFFICER)
    assert long.key == "fu_too_long" and long.values["length"] == followup.TEXT_MAX + 1 and not long.ends_wait
    # The report was closed (or handed over) meanwhile: said in the chat, and the wait ends.
    closed = check(QUESTION, Incoming(text="?"), author=OFFICER, report=facts(status="resolved"))
    assert closed.key == "fu_closed" and closed.ends_wait
    assert check(QUESTION, Incoming(text="?"), author=OTHER).key == "not_allowed"


@pytest.mark.parametrize("kind", [ANSWER, INFO])
def test_an_answer_is_text_or_a_photo_within_the_hourly_limit(kind):
    assert check(kind, Incoming(text="Ya")) is None
    assert check(kind, Incoming(photo_file_id="f", photo_kind="document")) is None
    assert check(kind, Incoming()).key == "fu_expect_answer"
    assert check(kind, Incoming(text="Ya"), recent=followup.REPORTER_RELAYS_PER_HOUR).key == "fu_too_many"
    assert check(kind, Incoming(text="Ya"), recent=followup.REPORTER_RELAYS_PER_HOUR - 1) is None
    assert check(kind, Incoming(text="Ya"), author=OTHER).key == "button_unknown"


def test_the_reporter_reads_the_number_only_and_the_group_the_alias():
    text = parse_html(followup.resident_question("id", number="TNG-1", question="<b>Siapa</b> & kapan?")).text
    assert "laporan TNG-1" in text and "<b>Siapa</b> & kapan?" in text
    group = parse_html(followup.group_text(ANSWER, number="TNG-1", alias="P-ABC123", text="Jam 6", officer=None,
                                           photo=False)).text
    assert group == "💬 Jawaban pelapor P-ABC123 (laporan TNG-1):\nJam 6"
    asked = parse_html(followup.group_text(QUESTION, number="TNG-1", alias="P-ABC123", text="?", officer="Agus",
                                           photo=False)).text
    assert asked.startswith("❓ Agus bertanya ke pelapor P-ABC123")
    photo_only = parse_html(followup.group_text(INFO, number="TNG-1", alias="P-1", text=None, officer=None,
                                                photo=True)).text
    assert photo_only.endswith("(foto)")


@pytest.mark.parametrize("photo,limit", [(True, CAPTION_LIMIT), (False, TEXT_LIMIT)])
def test_a_long_relay_is_cut_to_fit(photo, limit):
    rendered = followup.group_text(INFO, number="TNG-1", alias="P-1", text="<😀>" * 3000, officer=None, photo=photo)
    assert visible_length(rendered) <= limit and parse_html(rendered).text.endswith("…")


def test_buttons_name_the_report_and_fit_telegram():
    [[(label, data)]] = followup.answer_rows("en", 2**62)
    assert label == "✍️ Jawab / Answer" and parse(data).action is Action.ANSWER and len(data.encode()) <= 64
    rows = followup.add_info_rows("id", [(1, "TNG-2026-000001"), (2, "TNG-2026-000002")])
    assert [r[0][0] for r in rows] == ["➕ Tambah info TNG-2026-000001", "➕ Tambah info TNG-2026-000002"]
    assert [parse(r[0][1]).target_id for r in rows] == [1, 2]
    assert followup.KIND_OF_ACTION == {Action.ANSWER: ANSWER, Action.ADD_INFO: INFO}
