"""`/stats <period>` (today, 7d, 30d, YYYY-MM-DD..YYYY-MM-DD): supervisors, in a private chat, get
the period in detail and a chart as a photo. `/stats` alone stays the overview of handlers/supervisors.py.
With several offices an office key may come with it (`/stats JKS 7d`: that office only; `/stats JKS`:
its overview); a national supervisor's figures without one get a line per office.

Registered in handler group -11, just before the supervisors' /stats (group -10), for commands
with an argument only; every one ends here with ApplicationHandlerStop. The chart is drawn in a
worker thread, so other chats are served meanwhile.
"""

from __future__ import annotations

import asyncio
import logging

from telegram import Update
from telegram.constants import ChatAction
from telegram.ext import Application, ApplicationHandlerStop, CommandHandler, filters

from bot import period_stats as domain
from bot import scope as scopes
from bot.charts import render_png_async
from bot.periods import PeriodError, parse_span
from bot.retry import sleep_of, with_retries
from bot.scope import Scope
from bot.services import SipoaContext
from bot.texts import t
from storage import period_stats as repo
from handlers.gates import supervised_scope, supervisor_in_private
from handlers.supervisors import show_overview

log = logging.getLogger("sipoa.supervisors")

HANDLER_GROUP = -11
# "/stats 7d", "/stats@sipoa_bot 2026-03-01..2026-03-31": a command with an argument.
WITH_ARGUMENT = filters.Regex(r"^/stats(@\w+)?\s+\S")


async def _load(services, span, now, scope: Scope, breakdown: bool, tz):
    """The three groups of queries on three read connections at once: each is a scan of the period
    (sorted for percentiles), and SQLite and PostgreSQL run them in parallel on separate connections.
    The per-office counts (several offices only) are one more GROUP BY on the first connection."""

    async def read(query):
        async with services.db.read() as s:
            return await query(s)

    async def counts_and_offices(s):
        counts = await repo.period_counts(s, since=span.since, until=span.until, offices=scope)
        if not breakdown:
            return counts, {}
        return counts, await repo.status_by_office(s, since=span.since, until=span.until, offices=scope)

    (counts, by_office), times, facts = await asyncio.gather(
        read(counts_and_offices),
        read(lambda s: repo.period_times(s, since=span.since, until=span.until, offices=scope)),
        read(lambda s: repo.chart_facts(s, since=span.since, until=span.until, tz=tz, now=now,
                                        offices=scope)),
    )
    return repo.combine(counts, times), facts, by_office


def register(app: Application) -> None:
    app.add_handler(CommandHandler("stats", on_stats_period, filters=filters.UpdateType.MESSAGE & WITH_ARGUMENT),
                    group=HANDLER_GROUP)


async def on_stats_period(update: Update, context: SipoaContext) -> None:
    message, lang = await supervisor_in_private(update, context, command="stats")
    scope, rest = await supervised_scope(message, lang, context, args=list(context.args), command="stats")
    services, chat, user = context.services, update.effective_chat, update.effective_user
    if not rest:  # "/stats JKS": that office's overview
        await show_overview(message, lang, services, scope)
        raise ApplicationHandlerStop
    now = services.now()
    try:
        # An office's days begin at its own midnight (WITA, WIT); national figures keep [office].timezone.
        tz = scopes.zone_of(services.offices, scope, services.tz)
        span = parse_span(rest[0], now=now, tz=tz)
    except PeriodError as err:
        await message.reply_text(scopes.period_error(lang, err.key, services.offices, scope, "/stats"))
        raise ApplicationHandlerStop from None
    offices = services.offices
    breakdown = scopes.is_breakdown(offices, scope)
    detail, facts, by_office = await _load(services, span, now, scope, breakdown, tz)
    areas = [o.jurisdiction for o in scopes.offices_in(offices, scope)] or [services.jurisdiction]
    # The chart is drawn (in a worker thread) while the text goes out.
    chart = asyncio.ensure_future(
        render_png_async(domain.chart_data(lang, span, facts, detail, jurisdiction=areas)))
    try:
        await message.reply_text(domain.render(
            lang, span, detail, config=services.config, now=now, tz=tz,
            office=scopes.label(offices, scope, t(lang, "scope_national")),
            by_office=domain.office_lines(offices, scope, by_office) if breakdown else ()))
        await context.bot.send_chat_action(chat.id, ChatAction.UPLOAD_PHOTO)
    finally:
        png = await chart  # never left running unobserved, even when the text failed
    await with_retries(lambda: message.reply_photo(png, caption=t(lang, "chart_caption", period=span.label())),
                       sleep=sleep_of(services))
    log.info("event=stats_shown user=%s period=%s total=%d", user.id, span.slug(), detail.total)
    raise ApplicationHandlerStop
