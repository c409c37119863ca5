"""Supervisors' commands, in private chats: /stats.

Registered in a handler group BEFORE the residents' (see bot/app.py), and every /stats update ends
here with ApplicationHandlerStop: the residents' catch-all would otherwise take "/stats" as a step of
a draft.
"""

from __future__ import annotations

import logging

from telegram import Update
from telegram.ext import Application, ApplicationHandlerStop, CommandHandler, filters

from bot import stats as domain
from bot.services import SipoaContext
from storage import stats as repo
from handlers.gates import supervisor_in_private

log = logging.getLogger("sipoa.supervisors")

# Lower numbers run first: before the residents' handlers (group 0) and the officers'.
HANDLER_GROUP = -10


def register(app: Application) -> None:
    # Edited "/stats" messages are not commands a person expects an answer to.
    app.add_handler(CommandHandler("stats", on_stats, filters=filters.UpdateType.MESSAGE), group=HANDLER_GROUP)


async def on_stats(update: Update, context: SipoaContext) -> None:
    message, lang = await supervisor_in_private(update, context, command="stats")
    services, user = context.services, update.effective_user
    now = services.now()
    periods = domain.periods(now, services.tz)
    async with services.db.read() as session:
        results = [(p, await repo.period_stats(session, since=p.since, until=p.until)) for p in periods]
    await message.reply_text(domain.render(lang, results, config=services.config, now=now, tz=services.tz))
    log.info("event=stats_shown user=%s", user.id)
    raise ApplicationHandlerStop
