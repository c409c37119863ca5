"""Anonymous two-way follow-up: who may ask, who may answer, what may be relayed, and how the relayed
message reads on the other side. Pure: no Telegram, no database.

    officer presses Ask on a taken alert ──► bot DMs the officer: "write your question"
    officer's next private text ──► "An officer asks about report TNG-…: …" to the reporter (+ the group)
    reporter presses Answer / replies to it ──► "Answer from reporter P-…": a reply to the group's alert
    reporter presses Add info in /myreports ──► "More information from reporter P-…": the same way

The bot is the only one who writes on either side, so neither sees the other's identity: the reporter
sees a report number, the group sees the report number and the pseudonym. Closing the report ends it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from telegram.constants import MessageLimit

from bot.alerts import GROUP_LANGUAGE, truncate, visible_length
from bot.callbacks import Action, encode
from bot.texts import Html, t
from storage.models import ReportStatus

QUESTION, ANSWER, INFO = "question", "answer", "info"
FROM_REPORTER = (ANSWER, INFO)
# The kind a button starts waiting for.
KIND_OF_ACTION = {Action.ANSWER: ANSWER, Action.ADD_INFO: INFO}

TEXT_MAX = 2000
# How long a press (Ask / Answer / Add info) waits for its message before the next message is the
# draft's again: long enough to think, short enough that a forgotten press does not swallow a
# later answer to the resident's draft.
WAIT = timedelta(minutes=20)
# Messages a reporter may relay in an hour (answers and added information): each one is a message
# in the officers' group, which takes about 20 a minute for everything.
REPORTER_RELAYS_PER_HOUR = 10
CAPTION_LIMIT = MessageLimit.CAPTION_LENGTH
TEXT_LIMIT = MessageLimit.MAX_TEXT_LENGTH

Keyboard = list[list[tuple[str, str]]]


@dataclass(frozen=True)
class ReportFacts:
    number: str
    status: str
    channel: str
    taken_by: int | None
    taken_by_name: str | None
    reporter_telegram_id: int | None


@dataclass(frozen=True)
class Incoming:
    """A private message, as plain values."""

    text: str | None = None  # the text, or a photo's caption
    photo_file_id: str | None = None
    photo_kind: str | None = None  # photo | document (an image sent as a file)
    media_group_id: str | None = None


@dataclass(frozen=True)
class Refusal:
    key: str
    values: dict[str, Any] = field(default_factory=dict)
    # False: the person is still expected to write (wrong kind of message); True: it is over.
    ends_wait: bool = True


def is_open(status: str) -> bool:
    return status in ReportStatus.OPEN


def ask_refusal(report: ReportFacts | None, *, user_id: int, is_supervisor: bool) -> Refusal | None:
    """Why this press of Ask does nothing (None: the officer may ask)."""
    if report is None:
        return Refusal("officer_toast_not_found")
    if report.channel == "walk_in" or report.reporter_telegram_id is None:
        return Refusal("fu_toast_walk_in")
    if report.status == ReportStatus.NEW:
        return Refusal("officer_toast_not_taken_yet")
    if report.status != ReportStatus.TAKEN:
        return Refusal("officer_toast_closed", {"number": report.number})
    if report.taken_by != user_id and not is_supervisor:
        return Refusal("fu_toast_not_taker", {"name": report.taken_by_name or "?"})
    return None


def reporter_refusal(report: ReportFacts | None, *, user_id: int) -> Refusal | None:
    """Why this reporter may not answer / add to the report (None: they may)."""
    if report is None or report.reporter_telegram_id != user_id or report.channel == "walk_in":
        return Refusal("button_unknown")
    if not is_open(report.status):
        return Refusal("fu_closed", {"number": report.number})
    return None


def message_refusal(
    kind: str, report: ReportFacts | None, msg: Incoming, *, author_id: int, is_supervisor: bool, recent: int
) -> Refusal | None:
    """Whether `msg` may be relayed as `kind` now (None: relay it)."""
    if kind == QUESTION:
        refusal = ask_refusal(report, user_id=author_id, is_supervisor=is_supervisor)
        if refusal is not None:
            # Told in a private chat now, not as a toast: the report's own words.
            if report is not None and not is_open(report.status):
                return Refusal("fu_closed", {"number": report.number})
            return Refusal("not_allowed") if refusal.key != "officer_toast_not_found" else refusal
        if msg.photo_file_id is not None or not (msg.text or "").strip():
            return Refusal("fu_expect_question", {"max": TEXT_MAX}, ends_wait=False)
    else:
        refusal = reporter_refusal(report, user_id=author_id)
        if refusal is not None:
            return refusal
        if msg.photo_file_id is None and not (msg.text or "").strip():
            return Refusal("fu_expect_answer", {"max": TEXT_MAX}, ends_wait=False)
        if recent >= REPORTER_RELAYS_PER_HOUR:
            return Refusal("fu_too_many")
    length = len(msg.text or "")
    if length > TEXT_MAX:
        return Refusal("fu_too_long", {"length": length, "max": TEXT_MAX}, ends_wait=False)
    return None


def sent_key(kind: str) -> str:
    return {QUESTION: "fu_question_sent", ANSWER: "fu_answer_sent", INFO: "fu_info_sent"}[kind]


def prompt_key(kind: str) -> str:
    return {QUESTION: "fu_ask_prompt", ANSWER: "fu_answer_prompt", INFO: "fu_info_prompt"}[kind]


# -- what each side reads --


def resident_question(lang: str, *, number: str, question: str) -> Html:
    """The officer's question as the reporter reads it: the report number, never who asks."""
    return t(lang, "fu_question", number=number, question=question)


def answer_rows(lang: str, report_id: int) -> Keyboard:
    return [[(t(lang, "fu_btn_answer"), encode(Action.ANSWER, report_id))]]


def add_info_rows(lang: str, reports: list[tuple[int, str]]) -> Keyboard:
    """/myreports: one "Add info" button per open report (id, number)."""
    return [[(t(lang, "fu_btn_add_info", number=number), encode(Action.ADD_INFO, report_id))]
            for report_id, number in reports]


def group_text(kind: str, *, number: str, alias: str, text: str | None, officer: str | None, photo: bool) -> Html:
    """The relayed message in the officers' group (Indonesian, the group's language): the report
    number and the reporter's pseudonym, nothing else about them. Fits a caption when it goes
    under a photo, a message otherwise."""
    lang = GROUP_LANGUAGE
    key = {QUESTION: "fu_group_question", ANSWER: "fu_group_answer", INFO: "fu_group_info"}[kind]
    body = text if text and text.strip() else t(lang, "fu_photo_only")
    values = {"number": number, "alias": alias, "officer": officer or "?"}
    limit = CAPTION_LIMIT if photo else TEXT_LIMIT
    full = t(lang, key, text=body, **values)
    overflow = visible_length(full) - limit
    if overflow <= 0:
        return full
    room = max(0, len(body.encode("utf-16-le")) // 2 - overflow)
    return t(lang, key, text=truncate(body, room), **values)
