"""Who may use a supervisor's command, and where: checked in one place for every such command."""

from __future__ import annotations

import logging

from telegram import Message, Update
from telegram.constants import ChatType
from telegram.ext import ApplicationHandlerStop

from bot import scope as scopes
from bot.scope import Scope
from bot.services import SipoaContext
from bot.texts import language_for, t

log = logging.getLogger("sipoa.supervisors")


async def supervisor_in_private(update: Update, context: SipoaContext, *, command: str) -> tuple[Message, str]:
    """The message and the supervisor's language; anyone else, or any group, gets a short answer and
    the update stops here (ApplicationHandlerStop)."""
    message, user, chat = update.effective_message, update.effective_user, update.effective_chat
    if message is None or user is None or chat is None:
        raise ApplicationHandlerStop
    services = context.services
    lang = language_for(user.language_code)
    if chat.type != ChatType.PRIVATE:
        # Office figures are never posted in a group; a supervisor is told where to ask.
        if services.is_supervisor(user.id):
            await message.reply_text(t(lang, "private_only"))
        raise ApplicationHandlerStop
    if not services.is_supervisor(user.id):
        log.info("event=%s_refused user=%s", command, user.id)
        await message.reply_text(t(lang, "not_allowed"))
        raise ApplicationHandlerStop
    return message, lang


async def supervised_scope(message: Message, lang: str, context: SipoaContext, *, args: list[str],
                           command: str) -> tuple[Scope, list[str]]:
    """What this supervisor's command may cover (None: every office, national) and its arguments
    other than an office key. Naming an office they do not supervise gets a polite refusal and
    stops the update here."""
    offices, user_id = context.services.offices, message.from_user.id
    request = scopes.split_args(args, offices)
    try:
        scope = scopes.narrow(scopes.scope_of(offices, user_id), request.office)
    except scopes.NotYourOffice:
        log.info("event=%s_office_refused user=%s office=%s", command, user_id, request.office.key)
        mine = scopes.offices_in(offices, scopes.scope_of(offices, user_id))
        await message.reply_text(t(lang, "scope_not_yours", office=request.office.name,
                                   offices=", ".join(f"{o.name} ({o.key})" for o in mine)))
        raise ApplicationHandlerStop from None
    return scope, request.rest
