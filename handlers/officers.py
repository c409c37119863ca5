"""The officers' group: the alert's buttons, the bot's own membership, the group's migration.

Registered in handler group -5, after the supervisors' commands (-10) and before the residents'
catch-all (group 0); every update handled here ends with ApplicationHandlerStop.
"""

from __future__ import annotations

import logging

from telegram import CallbackQuery, ChatMember, Update
from telegram.constants import ChatType
from telegram.error import TelegramError
from telegram.ext import (
    Application,
    ApplicationHandlerStop,
    CallbackQueryHandler,
    ChatMemberHandler,
    MessageHandler,
    filters,
)

from bot import officers as domain
from bot.callbacks import Action
from bot.dispatcher import adopt_migrated_group, notify_new_outbox
from bot.retry import answer_callback, sleep_of
from bot.services import SipoaContext
from bot.texts import language_for, t
from storage import report_actions, reports
from storage.report_actions import Outcome

log = logging.getLogger("sipoa.officers")

HANDLER_GROUP = -5
_JOINED = (ChatMember.MEMBER, ChatMember.ADMINISTRATOR, ChatMember.RESTRICTED)


class _GroupButtons(CallbackQueryHandler):
    """Every press in a group, and the alert's buttons wherever they are pressed (forged ones too):
    whatever is pressed there is ours to answer or refuse."""

    def check_update(self, update: object):
        if not isinstance(update, Update) or update.callback_query is None:
            return None
        query = update.callback_query
        in_group = query.message is not None and query.message.chat.type != ChatType.PRIVATE
        return True if in_group or domain.is_officer_data(query.data) else None


def register(app: Application) -> None:
    app.add_handler(_GroupButtons(on_button), group=HANDLER_GROUP)
    app.add_handler(ChatMemberHandler(on_my_membership, ChatMemberHandler.MY_CHAT_MEMBER), group=HANDLER_GROUP)
    app.add_handler(MessageHandler(filters.StatusUpdate.MIGRATE, on_migration), group=HANDLER_GROUP)


async def on_button(update: Update, context: SipoaContext) -> None:
    query: CallbackQuery = update.callback_query
    services, user = context.services, query.from_user
    lang = language_for(user.language_code)
    chat_id = query.message.chat.id if query.message is not None else None
    # Each office's group acts on its own office's reports only.
    office = services.offices.for_group(chat_id)
    group = services.group_of(office.key) if office is not None else services.group_chat_id
    checked = domain.check_press(data=query.data, chat_id=chat_id, group_chat_id=group,
                                 is_officer=office is not None and services.offices.is_officer(office.key, user.id))
    if not isinstance(checked, domain.Refusal):
        # A button acts on the report whose alert carries it: another report's data pasted on this
        # message (a forged client) is refused before anything is touched.
        async with services.db.read() as session:
            report = await reports.get_report(session, report_id=checked.target_id)
        checked = domain.check_target(checked, report, chat_id=chat_id,
                                      message_id=query.message.message_id if query.message is not None else None,
                                      office_key=office.key if office is not None and len(services.offices) > 1
                                      else None)
    if isinstance(checked, domain.Refusal):
        await answer_callback(query, t(lang, checked.text_key), sleep=sleep_of(services))
        log.info("event=press_refused user=%s chat=%s reason=%s data=%r", user.id, chat_id, checked.reason,
                 (query.data or "")[:64])
        raise ApplicationHandlerStop
    name = domain.officer_name(user.first_name, user.last_name)
    try:
        async with services.db.transaction() as session:
            result = await _apply(session, checked.action, checked.target_id, user.id, name, services, office.key)
    except Exception:
        # The officer must not watch a spinner: tell them, then let the error handler log it.
        await answer_callback(query, t(lang, "error_generic"), sleep=sleep_of(services))
        raise
    # Retried through network failures; a redelivered press (answered the first time) is not an error.
    await answer_callback(query, domain.toast(checked.action, result, user_id=user.id, lang=lang),
                          sleep=sleep_of(services))
    if result.outcome in (Outcome.CHANGED, Outcome.QUEUED):
        notify_new_outbox(services)
    log.info("event=press action=%s report=%s user=%s outcome=%s", checked.action.name, checked.target_id,
             user.id, result.outcome)
    raise ApplicationHandlerStop


async def _apply(session, action: Action, report_id: int, user_id: int, name: str, services, office_key: str):
    now, group = services.now(), services.group_of(office_key)
    if action == Action.TAKE:
        return await report_actions.take(session, report_id=report_id, officer_id=user_id, officer_name=name,
                                         now=now, group_chat_id=group)
    if action == Action.PHOTOS:
        return await report_actions.request_photos(session, report_id=report_id, group_chat_id=group, now=now)
    # Named explicitly: an action added to the alert later must never fall through to a closing one.
    closers = {Action.RESOLVE: report_actions.resolve, Action.FALSE_REPORT: report_actions.mark_false}
    close = closers.get(action)
    if close is None:
        raise ValueError(f"no officer action for {action!r}")
    return await close(session, report_id=report_id, officer_id=user_id, officer_name=name,
                       is_supervisor=services.offices.supervises(office_key, user_id), now=now, group_chat_id=group)


async def on_my_membership(update: Update, context: SipoaContext) -> None:
    """The bot belongs in one group only: reports must not leak into any other it is added to."""
    change = update.my_chat_member
    chat = change.chat
    if chat.type == ChatType.PRIVATE:
        return  # a resident blocking or unblocking the bot is not the group's business
    services = context.services
    joined = change.new_chat_member.status in _JOINED
    if services.offices.for_group(chat.id) is not None:  # one of the offices' groups
        level = logging.INFO if joined else logging.ERROR
        log.log(level, "event=officers_group_membership status=%s chat=%s", change.new_chat_member.status, chat.id)
        raise ApplicationHandlerStop
    if joined:
        log.warning("event=left_foreign_chat chat=%s type=%s title=%r added_by=%s", chat.id, chat.type,
                    chat.title, change.from_user.id if change.from_user else None)
        try:
            await context.bot.leave_chat(chat.id)
        except TelegramError as err:
            log.warning("event=leave_failed chat=%s error=%s", chat.id, err)
    raise ApplicationHandlerStop


async def on_migration(update: Update, context: SipoaContext) -> None:
    """The officers' group became a supergroup: follow it to its new id at once."""
    message = update.effective_message
    if message.migrate_to_chat_id:
        old, new = message.chat.id, message.migrate_to_chat_id
    else:
        old, new = message.migrate_from_chat_id, message.chat.id
    services = context.services
    if services.offices.for_group(old) is not None and new != old:
        await adopt_migrated_group(services, old_chat_id=old, new_chat_id=new)
        notify_new_outbox(services)
    raise ApplicationHandlerStop
