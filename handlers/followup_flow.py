"""The follow-up's transactions: one short write each, deciding with bot/followup.py and returning
plain values the reply is rendered from after the commit (handlers/followup.py). No Telegram call
happens in here."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from bot import followup
from bot.followup import ANSWER, FROM_REPORTER, QUESTION, Incoming, ReportFacts, Refusal
from bot.intake import clean_text
from bot.services import Services
from bot.texts import language_for
from storage import followups, reporters, reports
from storage.models import Report, Reporter


@dataclass(frozen=True)
class Said:
    """What to tell the person who wrote (nothing when `silent`)."""

    key: str
    values: dict[str, Any] = field(default_factory=dict)
    lang: str = "id"
    relayed: bool = False  # outbox rows were committed: wake the dispatcher
    silent: bool = False  # a later part of an album taken as one answer, or a redelivered update


async def _facts(s, report: Report | None) -> ReportFacts | None:
    if report is None:
        return None
    reporter = await s.get(Reporter, report.reporter_id)
    return ReportFacts(number=report.number, status=report.status, channel=report.channel, taken_by=report.taken_by,
                       taken_by_name=report.taken_by_name,
                       reporter_telegram_id=reporter.telegram_id if reporter is not None else None)


async def _lang(s, user_id: int, code: str | None) -> str:
    """A reporter's language as the bot knows it (their /bahasa choice), else Telegram's."""
    reporter = await reporters.get_by_telegram_id(s, telegram_id=user_id)
    return reporter.language if reporter is not None else language_for(code)


async def open_question(services: Services, *, report_id: int, officer_id: int,
                        office_key: str | None = None) -> Refusal | str:
    """Ask was pressed: the officer's next private text is the question. Returns the report number.
    `office_key`: the office whose group it was pressed in (several offices): another's report is refused."""
    now = services.now()
    async with services.db.transaction() as s:
        report = await reports.get_report(s, report_id=report_id)
        if report is not None and office_key is not None and report.prefix != office_key:
            return Refusal("officer_toast_other_office")
        refusal = followup.ask_refusal(await _facts(s, report), user_id=officer_id,
                                       is_supervisor=services.offices.supervises(report.prefix, officer_id)
                                       if report is not None else services.is_supervisor(officer_id))
        if refusal is not None:
            return refusal
        await followups.set_wait(s, user_id=officer_id, report_id=report_id, kind=QUESTION, now=now,
                                 expires_at=now + followup.WAIT)
        return report.number


async def open_reply(
    services: Services, *, report_id: int, user_id: int, kind: str, code: str | None
) -> tuple[Refusal | None, str, str]:
    """Answer / Add info was pressed: (refusal or None, report number, the reporter's language)."""
    now = services.now()
    async with services.db.transaction() as s:
        lang = await _lang(s, user_id, code)
        report = await reports.get_report(s, report_id=report_id)
        refusal = followup.reporter_refusal(await _facts(s, report), user_id=user_id)
        if refusal is not None:
            return refusal, report.number if report is not None else "", lang
        await followups.set_wait(s, user_id=user_id, report_id=report_id, kind=kind, now=now,
                                 expires_at=now + followup.WAIT)
        return None, report.number, lang


async def cancel_wait(services: Services, *, user_id: int) -> bool:
    # Looked up first in a read: every private command passes here, and a write would queue it
    # behind the other writers for nothing.
    async with services.db.read(quick=True) as s:
        if await followups.get_wait(s, user_id=user_id, now=services.now()) is None:
            return False  # none, or expired: nothing is waiting any more
    async with services.db.transaction() as s:
        return await followups.clear_wait(s, user_id=user_id)


async def take_message(
    services: Services,
    *,
    user_id: int,
    chat_id: int,
    update_id: int,
    code: str | None,
    msg: Incoming,
    reply_to: int | None,
    officer_name: str | None,
) -> Said | None:
    """A private message: a follow-up (relayed, or refused with a reason), or None when it is not
    one and the residents' handlers should have it. A reply to a relayed question is its answer;
    otherwise the person's live wait (from a press) says what the message is."""
    now = services.now()
    # Every private message passes here: most are a draft's, told apart in a read, so that they do
    # not take the write lock twice.
    async with services.db.read(quick=True) as s:
        if not await followups.may_concern(s, user_id=user_id, chat_id=chat_id, update_id=update_id,
                                           reply_to=reply_to, now=now):
            return None
    async with services.db.transaction() as s:
        if await followups.find_by_update(s, update_id=update_id) is not None:
            return Said("", silent=True)  # redelivered after a crash: relayed the first time
        target: tuple[int, str] | None = None
        if reply_to is not None:
            asked = await followups.find_delivered(s, chat_id=chat_id, message_id=reply_to)
            if asked is not None and asked.kind == QUESTION:
                target = (asked.report_id, ANSWER)
        wait = await followups.get_wait(s, user_id=user_id, now=now)
        album_part = False
        if wait is not None and wait.media_group_id is not None:
            album_part = msg.media_group_id == wait.media_group_id
            if not album_part:  # the album was the answer; this message is something else
                await followups.clear_wait(s, user_id=user_id)
                wait = None
        if target is None and wait is not None:
            target = (wait.report_id, wait.kind)
        if target is None:
            return None
        report_id, kind = target
        owns_wait = wait is not None and (wait.report_id, wait.kind) == target
        lang = await _lang(s, user_id, code)
        report = await reports.get_report(s, report_id=report_id)
        facts = await _facts(s, report)
        recent = 0
        if kind in FROM_REPORTER:
            recent = await followups.count_recent(s, author_id=user_id, kinds=FROM_REPORTER,
                                                  since=now - timedelta(hours=1))
        refusal = followup.message_refusal(kind, facts, msg, author_id=user_id,
                                           is_supervisor=services.offices.supervises(report.prefix, user_id)
                                           if report is not None else services.is_supervisor(user_id), recent=recent)
        if refusal is not None:
            if refusal.ends_wait and owns_wait:
                await followups.clear_wait(s, user_id=user_id)
            return Said(refusal.key, refusal.values, lang, silent=album_part)
        text = clean_text(msg.text or "") or None
        await followups.relay(
            s, report=report, kind=kind, author_id=user_id, author_name=officer_name if kind == QUESTION else None,
            text=text, photo_file_id=msg.photo_file_id, photo_kind=msg.photo_kind, update_id=update_id, now=now,
            group_chat_id=services.group_of(report.prefix),
            resident_chat_id=facts.reporter_telegram_id if kind == QUESTION else None,
        )
        if owns_wait:
            if msg.media_group_id is not None:
                await followups.keep_wait_for_album(s, user_id=user_id, media_group_id=msg.media_group_id)
            else:
                await followups.clear_wait(s, user_id=user_id)
        return Said(followup.sent_key(kind), {"number": report.number}, lang, relayed=True, silent=album_part)
