"""/duty on|off: officers say when they are on duty, in the group or in a private chat; SLA
reminders mention the officers on duty by name. `/duty` alone shows who is on duty. With several
offices, duty is for an office: the one whose group it is said in (in a private chat, the office the
officer works for), and its reminders and roster name only its officers.

Registered in handler group -5 with the officers' handlers, before the residents' catch-all
(group 0); every /duty ends here with ApplicationHandlerStop.
"""

from __future__ import annotations

import logging

from telegram import Update
from telegram.error import TelegramError
from telegram.ext import Application, ApplicationHandlerStop, CommandHandler, filters

from bot import sla
from bot.membership import member_office
from bot.offices import Office
from bot.officers import officer_name
from bot.reminders import roster
from bot.services import SipoaContext
from bot.texts import language_for, t
from storage import duty as repo

log = logging.getLogger("sipoa.duty")

HANDLER_GROUP = -5
_ON, _OFF = ("on", "ya", "masuk"), ("off", "tidak", "keluar")


def register(app: Application) -> None:
    app.add_handler(CommandHandler("duty", on_duty, filters=filters.UpdateType.MESSAGE), group=HANDLER_GROUP)


async def _office_of(context: SipoaContext, user_id: int, chat_id: int) -> Office | None:
    """The office this /duty is for, None for someone who is no officer. In an office's group: that
    office, for its officers by the config (anyone there, with no list). In a private chat, where
    anyone could type /duty: the office they work for (with no officer list, the one whose group
    has them, asked of Telegram: bot/membership.py)."""
    services = context.services
    office = services.offices.for_group(chat_id)
    if office is not None:
        return office if services.offices.is_officer(office.key, user_id) else None
    try:
        return await member_office(context.bot, services, user_id)
    except TelegramError as err:
        log.warning("event=duty_member_check_failed user=%s error=%r", user_id, str(err))
        return None


async def on_duty(update: Update, context: SipoaContext) -> None:
    message, user, chat = update.effective_message, update.effective_user, update.effective_chat
    if message is None or user is None or chat is None or user.is_bot:
        raise ApplicationHandlerStop
    services = context.services
    lang = language_for(user.language_code)
    in_group = services.offices.for_group(chat.id) is not None
    if chat.type != "private" and not in_group:
        raise ApplicationHandlerStop  # another group: the bot leaves those (handlers/officers.py)
    office = await _office_of(context, user.id, chat.id)
    if office is None:
        log.info("event=duty_refused user=%s", user.id)
        if not in_group:  # in the group a stranger's command is ignored, not answered for all to see
            await message.reply_text(t(lang, "not_allowed"))
        raise ApplicationHandlerStop
    arg = (context.args[0].lower() if context.args else "")
    if arg in _ON or arg in _OFF:
        on = arg in _ON
        async with services.db.transaction() as s:
            await repo.set_duty(s, officer_id=user.id, name=officer_name(user.first_name, user.last_name),
                                on_duty=on, now=services.now(), office=office.key)
        log.info("event=duty user=%s on=%s office=%s", user.id, on, office.key)
        await message.reply_text(t(lang, "duty_on_done" if on else "duty_off_done"))
        raise ApplicationHandlerStop
    async with services.db.read() as s:
        on_duty = await roster(s, services, office.key)
    me = any(o.officer_id == user.id for o in on_duty)
    await message.reply_text(t(lang, "duty_status", state=t(lang, "duty_state_on" if me else "duty_state_off"),
                               officers=sla.officers_line(lang, on_duty, links=False)))
    raise ApplicationHandlerStop
