"""`/stats <period>` (today, 7d, 30d, YYYY-MM-DD..YYYY-MM-DD): supervisors, in a private chat, get
the period in detail and a chart as a photo. `/stats` alone stays the overview of handlers/supervisors.py.

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
from bot.charts import render_png_async
from bot.periods import PeriodError, parse_span
from bot.retry import sleep_of, with_retries
from bot.services import SipoaContext
from bot.texts import t
from storage import period_stats as repo
from handlers.gates import supervisor_in_private

log = logging.getLogger("sipoa.supervisors")

HANDLER_GROUP = -11
# "/stats 7d", "/stats@sipoa_bot 2026-03-01..2026-03-31": a command with an argument.
WITH_ARGUMENT = filters.Regex(r"^/stats(@\w+)?\s+\S")


async def _load(services, span, now):
    """The three groups of queries on three read connections at once: each is a scan of the period
    (sorted for percentiles), and SQLite and PostgreSQL run them in parallel on separate connections."""

    async def read(query):
        async with services.db.read() as s:
            return await query(s)

    counts, times, facts = await asyncio.gather(
        read(lambda s: repo.period_counts(s, since=span.since, until=span.until)),
        read(lambda s: repo.period_times(s, since=span.since, until=span.until)),
        read(lambda s: repo.chart_facts(s, since=span.since, until=span.until, tz=services.tz, now=now)),
    )
    return repo.combine(counts, times), facts


def register(app: Application) -> None:
    app.add_handler(CommandHandler("stats", on_stats_period, filters=filters.UpdateType.MESSAGE & WITH_ARGUMENT),
                    group=HANDLER_GROUP)


async def on_stats_period(update: Update, context: SipoaContext) -> None:
    message, lang = await supervisor_in_private(update, context, command="stats")
    services, chat, user = context.services, update.effective_chat, update.effective_user
    now = services.now()
    try:
        span = parse_span(context.args[0], now=now, tz=services.tz)
    except PeriodError as err:
        await message.reply_text(t(lang, err.key, command="/stats"))
        raise ApplicationHandlerStop from None
    detail, facts = await _load(services, span, now)
    # The chart is drawn (in a worker thread) while the text goes out.
    chart = asyncio.ensure_future(
        render_png_async(domain.chart_data(lang, span, facts, detail, jurisdiction=services.jurisdiction)))
    try:
        await message.reply_text(domain.render(lang, span, detail, config=services.config, now=now, tz=services.tz))
        await context.bot.send_chat_action(chat.id, ChatAction.UPLOAD_PHOTO)
    finally:
        png = await chart  # never left running unobserved, even when the text failed
    await with_retries(lambda: message.reply_photo(png, caption=t(lang, "chart_caption", period=span.label())),
                       sleep=sleep_of(services))
    log.info("event=stats_shown user=%s period=%s total=%d", user.id, span.slug(), detail.total)
    raise ApplicationHandlerStop
