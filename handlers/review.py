"""The review queue, in private chats: /review lists held reports oldest first with their score and
reasons, and buttons Forward to group / Reject (with a reason) / Restrict reporter.

Registered in handler group -10 with the supervisors' commands, before the residents' catch-all;
every update handled here ends with ApplicationHandlerStop. Forwarding is one conditional UPDATE
(held → new), so a double press or two supervisors at once put one alert in the group.

With several offices an office's supervisor sees and acts on that office's held reports only (a
button for another office's report, forged or stale, gets a short refusal and changes nothing); a
national supervisor sees every office's, each item naming its office. Times are the report's
office's clock.
"""

from __future__ import annotations

import logging
from zoneinfo import ZoneInfo

from telegram import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.constants import ChatType
from telegram.error import BadRequest
from telegram.ext import Application, ApplicationHandlerStop, CallbackQueryHandler, CommandHandler, filters

from bot import scope as scopes
from bot.callbacks import Action, InvalidCallback, encode, parse
from bot.clock import format_local
from bot.dispatcher import notify_new_outbox
from bot.officers import officer_name
from bot.retry import answer_callback, sleep_of, with_retries
from bot.screening import review as domain
from bot.scope import Scope
from bot.screening.service import forward_held
from bot.services import Services, SipoaContext
from bot.texts import Html, language_for, t
from storage import screening as store
from storage.models import Report, Reporter, ReportStatus

log = logging.getLogger("sipoa.review")

HANDLER_GROUP = -10
REVIEW_ACTIONS = frozenset(
    {Action.REVIEW_FORWARD, Action.REVIEW_REJECT_MENU, Action.REVIEW_REJECT, Action.REVIEW_RESTRICT}
)
_COMMAND = filters.UpdateType.MESSAGE


def is_review_data(data: object) -> bool:
    try:
        return isinstance(data, str) and parse(data).action in REVIEW_ACTIONS
    except InvalidCallback:
        return False


def register(app: Application) -> None:
    app.add_handler(CommandHandler("review", on_review, filters=_COMMAND), group=HANDLER_GROUP)
    app.add_handler(CallbackQueryHandler(on_button, pattern=is_review_data), group=HANDLER_GROUP)


def reviewer_scope(services: Services, user_id: int) -> Scope:
    """None: every office's held reports; else those offices' (empty: not a reviewer)."""
    return domain.reviewer_scope(services.offices, user_id, officers_too=services.config.screening.review_by_officers)


def allowed(services: Services, user_id: int) -> bool:
    scope = reviewer_scope(services, user_id)
    return scope is None or bool(scope)


def _office_label(services: Services, prefix: str) -> str | None:
    """The report's office, named on each item when the bot serves several."""
    if services.offices.single:
        return None
    office = services.offices.get(prefix)
    return f"{office.name} ({office.key})" if office else prefix


async def page(services: Services, lang: str, scope: Scope = None) -> tuple[Html, InlineKeyboardMarkup | None]:
    """The held reports of the scope's offices, oldest first, as one message with three buttons per report."""
    async with services.db.read() as session:
        rows, total = await store.held_reports(session, limit=domain.PAGE_SIZE, offices=scope)
        aliases = {r.id: (await session.get(Reporter, r.reporter_id)).alias for r in rows}
    if not rows:
        return t(lang, "scr_review_empty"), None
    items, keyboard = [t(lang, "scr_review_header", count=total)], []
    for r in rows:
        category = services.config.category(r.category)
        items.append(domain.review_item(
            lang, number=r.number, category=(category.id if lang == "id" else category.en) if category else r.category,
            area=r.area_label or r.address_text, score=r.trust_score, created_at=r.created_at, alias=aliases[r.id],
            reasons=list(r.reasons or []), description=r.description, limit=services.config.screening.reasons_in_review,
            tz=services.tz_of(r.prefix), office=_office_label(services, r.prefix),
        ))
        n = domain.short_number(r.number)
        keyboard.append([
            InlineKeyboardButton(f"{t(lang, key)} {n}", callback_data=encode(action, r.id))
            for key, action in (("scr_btn_forward", Action.REVIEW_FORWARD), ("scr_btn_reject", Action.REVIEW_REJECT_MENU),
                                ("scr_btn_restrict", Action.REVIEW_RESTRICT))
        ])
    return Html("\n\n".join(items)), InlineKeyboardMarkup(keyboard)


async def on_review(update: Update, context: SipoaContext) -> None:
    message, user, chat = update.effective_message, update.effective_user, update.effective_chat
    if message is None or user is None or chat is None:
        raise ApplicationHandlerStop
    services, lang = context.services, language_for(user.language_code)
    if chat.type != ChatType.PRIVATE:
        # Held reports are not for the group's eyes: a reviewer is told where to ask.
        if allowed(services, user.id):
            await message.reply_text(t(lang, "private_only"))
        raise ApplicationHandlerStop
    if not allowed(services, user.id):
        await message.reply_text(t(lang, "not_allowed"))
        log.info("event=review_refused user=%s", user.id)
        raise ApplicationHandlerStop
    text, markup = await page(services, lang, reviewer_scope(services, user.id))
    await message.reply_text(text, reply_markup=markup)
    raise ApplicationHandlerStop


async def on_button(update: Update, context: SipoaContext) -> None:
    query: CallbackQuery = update.callback_query
    services, user = context.services, query.from_user
    try:
        data = parse(query.data)
    except InvalidCallback:
        return  # PTB lets empty data through a pattern: the other audiences refuse it
    if data.action not in REVIEW_ACTIONS:
        return
    lang = language_for(user.language_code)
    message = query.message if isinstance(query.message, Message) else None
    scope = reviewer_scope(services, user.id)
    if message is None or message.chat.type != ChatType.PRIVATE or not (scope is None or scope):
        await answer_callback(query, t(lang, "not_allowed"), sleep=sleep_of(services))
        log.info("event=review_press_refused user=%s action=%s", user.id, data.action.name)
        raise ApplicationHandlerStop
    report = await _report(services, data.target_id)
    if report is not None and not domain.in_scope(scope, report.prefix):
        # Another office's report (a forged or stale button): its supervisors decide, nothing changes.
        await answer_callback(query, t(lang, "scr_review_other_office"), sleep=sleep_of(services))
        log.info("event=review_press_refused user=%s action=%s report=%s reason=other_office",
                 user.id, data.action.name, data.target_id)
        raise ApplicationHandlerStop
    if data.action is Action.REVIEW_REJECT_MENU:
        await answer_callback(query, sleep=sleep_of(services))
        await _edit(services, query, t(lang, "scr_reject_choose", number=report.number if report else "?"),
                    _reasons_markup(lang, data.target_id))
        raise ApplicationHandlerStop
    toast = await _apply(services, data.action, data.target_id, data.value, user.id,
                         officer_name(user.first_name, user.last_name), lang,
                         scopes.zone_of(services.offices, scope, services.tz))
    await answer_callback(query, toast, sleep=sleep_of(services))
    text, markup = await page(services, lang, scope)
    await _edit(services, query, text, markup)
    raise ApplicationHandlerStop


async def _apply(services: Services, action: Action, report_id: int, value: str | None, user_id: int,
                 name: str, lang: str, tz: ZoneInfo) -> str:
    """Do what the button says; `tz` is the reviewer's clock (for the restriction's end)."""
    now = services.now()
    async with services.db.transaction() as session:
        report = await store.report_by_id(session, report_id=report_id)
        if report is None:
            return t(lang, "button_unknown")
        if action is Action.REVIEW_RESTRICT:
            who = await store.restrict_reporter(session, reporter_id=report.reporter_id, now=now, actor_id=user_id,
                                                actor_name=name, ladder_days=services.config.screening.restriction_days,
                                                report_id=report.id, note="review")
            log.info("event=reporter_restricted by=%s reporter=%s level=%s", user_id, who.id, who.restriction_level)
            until = format_local(who.restricted_until, tz) if who.restricted_until else "—"
            return t(lang, "scr_restricted_done", alias=who.alias, until=until, level=who.restriction_level)
        if action is Action.REVIEW_FORWARD:
            done = await forward_held(session, report_id=report_id, settings=services.config.screening, now=now,
                                      group_chat_id=services.group_of(report.prefix), actor_id=user_id,
                                      actor_name=name)
            key = "scr_review_forwarded"
        else:
            done = await store.leave_hold(session, report_id=report_id, to_status=ReportStatus.REJECTED, now=now,
                                          actor_id=user_id, actor_name=name, note=f"rejected: {value}")
            key = "scr_review_rejected"
        number = report.number
    if done is None:
        return t(lang, "scr_review_already", number=number)
    if action is Action.REVIEW_FORWARD:
        notify_new_outbox(services)
    log.info("event=review action=%s report=%s by=%s", action.name, report_id, user_id)
    return t(lang, key, number=number, reason=domain.reject_reason_label(lang, value or ""))


def _reasons_markup(lang: str, report_id: int) -> InlineKeyboardMarkup:
    codes = domain.REJECT_REASONS
    buttons = [
        InlineKeyboardButton(domain.reject_reason_label(lang, c), callback_data=encode(Action.REVIEW_REJECT, report_id, c))
        for c in codes
    ]
    return InlineKeyboardMarkup([buttons[:2], buttons[2:]])


async def _report(services: Services, report_id: int) -> Report | None:
    async with services.db.read() as session:
        return await store.report_by_id(session, report_id=report_id)


async def _edit(services: Services, query: CallbackQuery, text: str, markup: InlineKeyboardMarkup | None) -> None:
    try:
        await with_retries(lambda: query.edit_message_text(text, reply_markup=markup), sleep=sleep_of(services))
    except BadRequest as err:
        # The same list again (pressed twice): nothing to change.
        if "not modified" not in str(err).lower():
            raise
