"""The one error handler: log first, then a short apology to the person (never a traceback)."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.error import TelegramError

from bot.services import SipoaContext
from bot.texts import language_for, t

log = logging.getLogger("sipoa.errors")


async def on_error(update: object, context: SipoaContext) -> None:
    log.error("unhandled error while handling %s", _describe(update), exc_info=context.error)
    if not isinstance(update, Update) or update.effective_chat is None:
        return
    if update.effective_chat.type != "private":
        return
    lang = language_for(update.effective_user.language_code if update.effective_user else None)
    try:
        if update.callback_query is not None:
            await update.callback_query.answer(t(lang, "error_generic"))
        else:
            await context.bot.send_message(update.effective_chat.id, t(lang, "error_generic"))
    except TelegramError:
        log.warning("could not tell the user about the error", exc_info=True)


def _describe(update: object) -> str:
    if isinstance(update, Update):
        kind = next((k for k, v in update.to_dict().items() if k != "update_id" and v), "?")
        return f"update {update.update_id} ({kind})"
    return repr(update)[:200]
