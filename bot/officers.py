"""Who may press what in the officers' group, and what the presser is told. Pure: no I/O.

The status rules themselves (new → taken by anyone; taken → resolved | false_report by the officer
who took it or a supervisor) are enforced by the conditional UPDATEs in storage/report_actions.py,
where two simultaneous presses are decided; this module decides everything that comes before
(is this press even one to consider) and after (the toast).
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.callbacks import Action, CallbackData, InvalidCallback, parse
from bot.texts import Html, t
from storage.models import Report, ReportStatus
from storage.report_actions import ActionResult, Outcome

OFFICER_ACTIONS = frozenset({Action.TAKE, Action.RESOLVE, Action.FALSE_REPORT, Action.PHOTOS})


@dataclass(frozen=True)
class Refusal:
    text_key: str
    # For the log: why nothing was done.
    reason: str


def is_officer_data(data: str | None) -> bool:
    """Button data of the group's alert (well-formed, current version)."""
    try:
        return parse(data).action in OFFICER_ACTIONS
    except InvalidCallback:
        return False


def check_press(
    *, data: str | None, chat_id: int | None, group_chat_id: int, is_officer: bool
) -> CallbackData | Refusal:
    """The parsed button, or why this press changes nothing. Anyone can send any data from any chat,
    so the chat, the person and the data are all checked before the database is touched."""
    if chat_id != group_chat_id:
        return Refusal("officer_toast_wrong_chat", "not the officers' group")
    if not is_officer:
        return Refusal("officer_toast_not_officer", "not an officer")
    try:
        parsed = parse(data)
    except InvalidCallback as err:
        return Refusal("button_unknown", f"invalid data: {err}")
    if parsed.action not in OFFICER_ACTIONS:
        return Refusal("button_unknown", f"not an officer action: {parsed.action.name}")
    return parsed


def check_target(pressed: CallbackData, report: Report | None, *, chat_id: int | None,
                 message_id: int | None, office_key: str | None = None) -> CallbackData | Refusal:
    """The press, or a refusal when the message pressed is not this report's alert (data of another
    report, or of a copy of the alert the bot never recorded), or the report is another office's
    (`office_key`: the office whose group was pressed in). A report that does not exist is left
    to the action, which says so."""
    if report is None:
        return pressed
    if office_key is not None and report.prefix != office_key:
        return Refusal("officer_toast_other_office", f"a report of office {report.prefix}")
    if (report.alert_chat_id, report.alert_message_id) != (chat_id, message_id):
        return Refusal("button_unknown", "not this report's alert")
    return pressed


def officer_name(first_name: str, last_name: str | None = None) -> str:
    """The name shown in the group's status line: what the officer's colleagues know them by."""
    name = " ".join(p for p in (first_name, last_name) if p).strip()
    return (name or "?")[:128]


def toast(action: Action, result: ActionResult, *, user_id: int, lang: str) -> Html:
    """The answer to the presser: what happened, or who has the report."""
    number = result.report.number if result.report is not None else ""
    outcome = result.outcome
    if outcome == Outcome.NOT_FOUND:
        return t(lang, "officer_toast_not_found")
    if action == Action.PHOTOS:
        key = {
            Outcome.QUEUED: "officer_toast_photos_queued",
            Outcome.ALREADY_QUEUED: "officer_toast_photos_already",
        }.get(outcome, "officer_toast_no_photos")
        return t(lang, key)
    if outcome == Outcome.CHANGED:
        key = {
            Action.TAKE: "officer_toast_taken",
            Action.RESOLVE: "officer_toast_resolved",
            Action.FALSE_REPORT: "officer_toast_false_report",
        }[action]
        return t(lang, key, number=number)
    if outcome == Outcome.ALREADY_TAKEN:
        if result.holder_id == user_id:
            return t(lang, "officer_toast_already_yours", number=number)
        return t(lang, "officer_toast_already_taken", name=result.holder_name or "?")
    if outcome == Outcome.NOT_ALLOWED:
        return t(lang, "officer_toast_not_taker", name=result.holder_name or "?")
    # Wrong state: closed already, or Resolved/False on a report nobody took.
    if result.report is not None and result.report.status == ReportStatus.NEW:
        return t(lang, "officer_toast_not_taken_yet")
    return t(lang, "officer_toast_closed", number=number)
