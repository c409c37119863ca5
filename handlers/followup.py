"""Anonymous follow-up (bot/followup.py): Ask on the group's alert, Answer / Add info in the
reporter's private chat, and the private message that is the question or the answer.

Registered in handler group -6 (bot/app.py): before the officers' group buttons (-5), which refuse
any action they do not know, and before the residents' catch-all (0), which would take the question
or the answer as a step of a draft. A private message that is not a follow-up is left to them.
"""

from __future__ import annotations

import logging

from telegram import CallbackQuery, ForceReply, Message, Update
from telegram.constants import ChatType
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter
from telegram.ext import Application, ApplicationHandlerStop, CallbackQueryHandler, CommandHandler, MessageHandler, filters

from bot import followup, intake
from bot.callbacks import Action, CallbackData, InvalidCallback, parse
from bot.dispatcher import notify_new_outbox
from bot.followup import Incoming, Refusal
from bot.officers import officer_name
from bot.retry import answer_callback, sleep_of, with_retries
from bot.services import SipoaContext
from bot.texts import language_for, t
from handlers import followup_flow as flow
from handlers.residents import replies
from handlers.residents.common import message_facts

log = logging.getLogger("sipoa.followup")

HANDLER_GROUP = -6
PRIVATE = filters.ChatType.PRIVATE & filters.UpdateType.MESSAGE


def _data_of(*actions: Action):
    def check(data: object) -> bool:
        try:
            return isinstance(data, str) and parse(data).action in actions
        except InvalidCallback:
            return False

    return check


def _parsed(query: CallbackQuery) -> CallbackData | None:
    """PTB hands a press WITHOUT data to every pattern-filtered handler: such a press is not ours
    (returning lets the officers' or the residents' handlers refuse it)."""
    try:
        return parse(query.data)
    except InvalidCallback:
        return None


def register(app: Application) -> None:
    """Order matters inside the group: the first matching handler is the one that runs."""
    app.add_handler(CallbackQueryHandler(on_ask, pattern=_data_of(Action.ASK)), group=HANDLER_GROUP)
    app.add_handler(CallbackQueryHandler(on_reply_button, pattern=_data_of(Action.ANSWER, Action.ADD_INFO)),
                    group=HANDLER_GROUP)
    app.add_handler(CommandHandler(["cancel", "batal"], on_cancel, filters=PRIVATE), group=HANDLER_GROUP)
    app.add_handler(MessageHandler(PRIVATE & filters.COMMAND, on_other_command), group=HANDLER_GROUP)
    app.add_handler(MessageHandler(PRIVATE & ~filters.COMMAND & ~filters.StatusUpdate.ALL, on_message),
                    group=HANDLER_GROUP)


async def _toast(context: SipoaContext, query: CallbackQuery, text: str | None = None) -> None:
    await answer_callback(query, text, sleep=sleep_of(context.services))


async def on_ask(update: Update, context: SipoaContext) -> None:
    """Ask the reporter: the officer who took the report (or a supervisor) gets a private prompt."""
    query, services = update.callback_query, context.services
    data = _parsed(query)
    if data is None:
        return
    user, lang = query.from_user, language_for(query.from_user.language_code)
    chat_id = query.message.chat.id if query.message is not None else None
    office = services.offices.for_group(chat_id)  # each office's group asks about its own reports
    if office is None:
        await _toast(context, query, t(lang, "officer_toast_wrong_chat"))
        raise ApplicationHandlerStop
    if not services.offices.is_officer(office.key, user.id):
        await _toast(context, query, t(lang, "officer_toast_not_officer"))
        raise ApplicationHandlerStop
    result = await flow.open_question(services, report_id=data.target_id, officer_id=user.id,
                                      office_key=office.key if len(services.offices) > 1 else None)
    if isinstance(result, Refusal):
        await _toast(context, query, t(lang, result.key, **result.values))
        raise ApplicationHandlerStop
    prompt = t(lang, "fu_ask_prompt", number=result, max=followup.TEXT_MAX)
    try:
        await with_retries(lambda: context.bot.send_message(user.id, prompt, reply_markup=ForceReply()),
                           sleep=sleep_of(services))
    except (Forbidden, BadRequest) as err:
        # The officer never started the bot (or blocked it): no private chat to write the question in.
        await flow.cancel_wait(services, user_id=user.id)
        log.info("event=ask_dm_refused user=%s error=%s", user.id, err)
        await _toast(context, query, t(lang, "fu_toast_start_bot"))
        raise ApplicationHandlerStop from None
    except (RetryAfter, NetworkError):
        await _toast(context, query, t(lang, "error_generic"))
        raise ApplicationHandlerStop from None
    await _toast(context, query, t(lang, "fu_toast_dm"))
    log.info("event=ask_opened report=%s user=%s", result, user.id)
    raise ApplicationHandlerStop


async def on_reply_button(update: Update, context: SipoaContext) -> None:
    """Answer (under a relayed question) or Add info (/myreports): the reporter's next message."""
    query, services = update.callback_query, context.services
    data = _parsed(query)
    if data is None:
        return
    user = query.from_user
    message = query.message if isinstance(query.message, Message) else None
    if message is None or message.chat.type != ChatType.PRIVATE:
        await _toast(context, query, t(language_for(user.language_code), "button_unknown"))
        raise ApplicationHandlerStop
    kind = followup.KIND_OF_ACTION[data.action]
    refusal, number, lang = await flow.open_reply(services, report_id=data.target_id, user_id=user.id, kind=kind,
                                                  code=user.language_code)
    if refusal is not None:
        await _toast(context, query, t(lang, refusal.key, **refusal.values))
        raise ApplicationHandlerStop
    await _toast(context, query)
    await replies.send(context.bot, services, user.id, t(lang, followup.prompt_key(kind), number=number),
                       ForceReply())  # type: ignore[arg-type]
    raise ApplicationHandlerStop


async def on_cancel(update: Update, context: SipoaContext) -> None:
    """/batal while a follow-up is awaited cancels that; otherwise the residents' /batal runs."""
    user = update.effective_user
    if user is None or not await flow.cancel_wait(context.services, user_id=user.id):
        return
    await replies.send(context.bot, context.services, user.id, t(language_for(user.language_code), "fu_cancelled"))
    raise ApplicationHandlerStop


async def on_other_command(update: Update, context: SipoaContext) -> None:
    """Any other command means the person moved on: a pending follow-up must not swallow their next
    message (e.g. an answer to the draft /start begins). The command itself runs on."""
    user = update.effective_user
    if user is not None:
        await flow.cancel_wait(context.services, user_id=user.id)


def _incoming(message: Message) -> Incoming:
    inp = intake.classify(message_facts(message))
    if inp.kind is intake.Kind.PHOTO and inp.photo is not None:
        return Incoming(text=message.caption, photo_file_id=inp.photo.file_id, photo_kind=inp.photo.kind,
                        media_group_id=message.media_group_id)
    if inp.kind is intake.Kind.TEXT:
        return Incoming(text=message.text)
    return Incoming(media_group_id=message.media_group_id)  # a sticker, a voice note...: not relayed


async def on_message(update: Update, context: SipoaContext) -> None:
    message, user = update.message, update.effective_user
    if message is None or user is None or user.is_bot:
        return
    replied = message.reply_to_message
    reply_to = replied.message_id if replied is not None and replied.from_user is not None \
        and replied.from_user.id == context.bot.id else None
    said = await flow.take_message(
        context.services, user_id=user.id, chat_id=message.chat.id, update_id=update.update_id,
        code=user.language_code, msg=_incoming(message), reply_to=reply_to,
        officer_name=officer_name(user.first_name, user.last_name),
    )
    if said is None:
        return  # not a follow-up: the residents' handlers take it
    if said.relayed:
        notify_new_outbox(context.services)
        log.info("event=followup_relayed user=%s key=%s", user.id, said.key)
    if not said.silent:
        await replies.send(context.bot, context.services, message.chat.id, t(said.lang, said.key, **said.values))
    raise ApplicationHandlerStop
