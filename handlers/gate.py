"""Before every audience's handlers: updates the bot answers nobody for.

- Anything from another bot (Telegram lets bots post in groups, and relays inline results "via" a
  bot): Telegram refuses our replies to bots, and no bot is a resident, an officer or a supervisor.
  (An officer who posts as the anonymous group admin is such a bot to us: they press buttons, which
  come from their own account, or write to the bot in private.)
- A command in the officers' group from someone who is not an officer: ignored, never answered for
  the whole group to see, and logged (with officer_ids empty every member of the group is one).
"""

from __future__ import annotations

import logging

from telegram import Update
from telegram.ext import Application, ApplicationHandlerStop, MessageHandler, TypeHandler, filters

from bot.services import SipoaContext

log = logging.getLogger("sipoa.gate")

# Lower numbers run first: before the supervisors' (-10), officers' (-5) and residents' (0) handlers.
HANDLER_GROUP = -20


def register(app: Application) -> None:
    app.add_handler(TypeHandler(Update, on_any), group=HANDLER_GROUP)
    app.add_handler(MessageHandler(filters.COMMAND & filters.ChatType.GROUPS, on_group_command), group=HANDLER_GROUP - 1)


async def on_any(update: Update, context: SipoaContext) -> None:
    user = update.effective_user
    if user is not None and user.is_bot:
        log.info("event=bot_update_ignored bot=%s chat=%s", user.id,
                 update.effective_chat.id if update.effective_chat else None)
        raise ApplicationHandlerStop


async def on_group_command(update: Update, context: SipoaContext) -> None:
    message, user, chat = update.effective_message, update.effective_user, update.effective_chat
    services = context.services
    office = services.offices.for_group(chat.id) if chat is not None else None
    if office is None:
        return  # not an office's group: every handler ignores it, and the bot leaves it
    if user is not None and not user.is_bot and services.offices.is_officer(office.key, user.id):
        return
    command = ((message.text or message.caption or "").split() or [""])[0][:40] if message is not None else ""
    log.info("event=group_command_ignored user=%s command=%r", user.id if user else None, command)
    raise ApplicationHandlerStop
