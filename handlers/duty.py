"""/duty on|off: officers say when they are on duty, in the group or in a private chat; SLA
reminders mention the officers on duty by name. `/duty` alone shows who is on duty.

Registered in handler group -5 with the officers' handlers, before the residents' catch-all
(group 0); every /duty ends here with ApplicationHandlerStop.
"""

from __future__ import annotations

import logging

from telegram import Update
from telegram.constants import ChatMemberStatus
from telegram.error import TelegramError
from telegram.ext import Application, ApplicationHandlerStop, CommandHandler, filters

from bot import sla
from bot.officers import officer_name
from bot.services import SipoaContext
from bot.texts import language_for, t
from storage import duty as repo

log = logging.getLogger("sipoa.duty")

HANDLER_GROUP = -5
_MEMBER = (ChatMemberStatus.MEMBER, ChatMemberStatus.ADMINISTRATOR, ChatMemberStatus.OWNER)
_ON, _OFF = ("on", "ya", "masuk"), ("off", "tidak", "keluar")


def register(app: Application) -> None:
    app.add_handler(CommandHandler("duty", on_duty, filters=filters.UpdateType.MESSAGE), group=HANDLER_GROUP)


async def _is_officer(context: SipoaContext, user_id: int, chat_id: int) -> bool:
    """An officer by the config; with no officer list, a member of the officers' group (asked of
    Telegram in a private chat, since there anyone could type /duty)."""
    services = context.services
    if not services.is_officer(user_id):
        return False
    if services.config.officers.officer_ids or services.is_supervisor(user_id) or chat_id == services.group_chat_id:
        return True
    try:
        member = await context.bot.get_chat_member(services.group_chat_id, user_id)
    except TelegramError as err:
        log.warning("event=duty_member_check_failed user=%s error=%r", user_id, str(err))
        return False
    return member.status in _MEMBER


async def on_duty(update: Update, context: SipoaContext) -> None:
    message, user, chat = update.effective_message, update.effective_user, update.effective_chat
    if message is None or user is None or chat is None or user.is_bot:
        raise ApplicationHandlerStop
    services = context.services
    lang = language_for(user.language_code)
    in_group = chat.id == services.group_chat_id
    if chat.type != "private" and not in_group:
        raise ApplicationHandlerStop  # another group: the bot leaves those (handlers/officers.py)
    if not await _is_officer(context, user.id, chat.id):
        log.info("event=duty_refused user=%s", user.id)
        if not in_group:  # in the group a stranger's command is ignored, not answered for all to see
            await message.reply_text(t(lang, "not_allowed"))
        raise ApplicationHandlerStop
    arg = (context.args[0].lower() if context.args else "")
    if arg in _ON or arg in _OFF:
        on = arg in _ON
        async with services.db.transaction() as s:
            await repo.set_duty(s, officer_id=user.id, name=officer_name(user.first_name, user.last_name),
                                on_duty=on, now=services.now())
        log.info("event=duty user=%s on=%s", user.id, on)
        await message.reply_text(t(lang, "duty_on_done" if on else "duty_off_done"))
        raise ApplicationHandlerStop
    async with services.db.read() as s:
        roster = [sla.OnDuty(d.officer_id, d.name) for d in await repo.on_duty(s)]
    me = any(o.officer_id == user.id for o in roster)
    await message.reply_text(t(lang, "duty_status", state=t(lang, "duty_state_on" if me else "duty_state_off"),
                               officers=sla.officers_line(lang, roster, links=False)))
    raise ApplicationHandlerStop
