"""/myreports (/laporanku): the resident's own reports, newest first."""

from __future__ import annotations

from telegram import Update

from bot import alerts, followup
from bot.draft import ReportLine, format_my_reports
from bot.services import SipoaContext
from bot.texts import language_for
from handlers.residents import replies
from handlers.residents.common import user_facts
from storage import reporters, reports

MAX_LISTED = 10


async def on_myreports(update: Update, context: SipoaContext) -> None:
    user = user_facts(update)
    if user is None:
        return
    services = context.services
    async with services.db.read() as s:
        reporter = await reporters.get_by_telegram_id(s, telegram_id=user.telegram_id)
        rows = [] if reporter is None else await reports.list_for_reporter(s, reporter_id=reporter.id, limit=MAX_LISTED)
    lang = reporter.language if reporter is not None and reporter.language_chosen else language_for(user.language_code)
    lines = [
        ReportLine(
            number=r.number,
            created_at=r.created_at,
            category=replies.category_label(services, r.category, lang),
            status=r.status,
            tz=services.tz_of(r.prefix),
        )
        for r in rows
    ]
    # One "Add info" button per open report (handlers/followup.py relays it to the officers).
    open_reports = [(r.id, r.number) for r in rows if followup.is_open(r.status) and r.channel != "walk_in"]
    markup = alerts.markup(followup.add_info_rows(lang, open_reports))
    await replies.send(context.bot, services, user.chat_id, format_my_reports(lang, lines, tz=services.tz), markup)
