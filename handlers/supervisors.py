"""Supervisors' commands, in private chats: /stats (`/stats JKS`: one office's, with several offices).

Registered in a handler group BEFORE the residents' (see bot/app.py), and every /stats update ends
here with ApplicationHandlerStop: the residents' catch-all would otherwise take "/stats" as a step of
a draft.
"""

from __future__ import annotations

import logging

from telegram import Message, Update
from telegram.ext import Application, ApplicationHandlerStop, CommandHandler, filters

from bot import scope as scopes
from bot import stats as domain
from bot.scope import Scope
from bot.services import Services, SipoaContext
from bot.texts import t
from storage import stats as repo
from handlers.gates import supervised_scope, supervisor_in_private

log = logging.getLogger("sipoa.supervisors")

# Lower numbers run first: before the residents' handlers (group 0) and the officers'.
HANDLER_GROUP = -10


def register(app: Application) -> None:
    # Edited "/stats" messages are not commands a person expects an answer to.
    app.add_handler(CommandHandler("stats", on_stats, filters=filters.UpdateType.MESSAGE), group=HANDLER_GROUP)


async def on_stats(update: Update, context: SipoaContext) -> None:
    message, lang = await supervisor_in_private(update, context, command="stats")
    scope, _rest = await supervised_scope(message, lang, context, args=[], command="stats")
    await show_overview(message, lang, context.services, scope)
    raise ApplicationHandlerStop


async def show_overview(message: Message, lang: str, services: Services, scope: Scope) -> None:
    """The four periods' figures of the scope's offices; with several offices, a line per office."""
    now, tz = services.now(), scopes.zone_of(services.offices, scope, services.tz)
    periods = domain.periods(now, tz)
    breakdown = scopes.is_breakdown(services.offices, scope)
    async with services.db.read() as session:
        results = [(p, await repo.period_stats(session, since=p.since, until=p.until, offices=scope)) for p in periods]
        per_office = (await repo.count_by_office(session, periods=[(p.since, p.until) for p in periods],
                                                 offices=scope) if breakdown else {})
    lines = domain.office_lines(services.offices, scope, per_office, size=len(periods)) if breakdown else []
    await message.reply_text(domain.render(lang, results, config=services.config, now=now, tz=tz,
                                           office=scopes.label(services.offices, scope, t(lang, "scope_national")),
                                           by_office=lines))
    log.info("event=stats_shown user=%s offices=%s", message.chat.id, "national" if scope is None else ",".join(scope))
