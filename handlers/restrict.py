"""/restrict and /unrestrict <report number|reporter alias> [reason], supervisors only, in private
chats. Every change is audited (ReporterEvent with the supervisor's id and name).

With several offices these stay open to every supervisor, of any office: a restriction is on a
person, not on an office's reports, and one account flooding the bot floods every office it reaches,
so the supervisor who notices it may stop it. Nothing of another office's report is shown (the reply
names only the reporter's alias), and there is no listing of reporters to scope: the argument is a
number or alias the supervisor already has (from /review, which is scoped to their offices, or an
alert in their group). The restriction's end is shown on the supervisor's own clock."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.constants import ChatType
from telegram.ext import Application, ApplicationHandlerStop, CommandHandler, filters

from bot import scope as scopes
from bot.clock import format_local
from bot.officers import officer_name
from bot.screening.review import parse_ref
from bot.services import SipoaContext
from bot.texts import language_for, t
from storage import screening as store

log = logging.getLogger("sipoa.review")

HANDLER_GROUP = -10


def register(app: Application) -> None:
    for name, callback in (("restrict", on_restrict), ("unrestrict", on_unrestrict)):
        app.add_handler(CommandHandler(name, callback, filters=filters.UpdateType.MESSAGE), group=HANDLER_GROUP)


async def on_restrict(update: Update, context: SipoaContext) -> None:
    await _change(update, context, lift=False)


async def on_unrestrict(update: Update, context: SipoaContext) -> None:
    await _change(update, context, lift=True)


async def _change(update: Update, context: SipoaContext, *, lift: bool) -> None:
    message, user, chat = update.effective_message, update.effective_user, update.effective_chat
    if message is None or user is None or chat is None:
        raise ApplicationHandlerStop
    services, lang = context.services, language_for(user.language_code)
    if not services.is_supervisor(user.id):
        await message.reply_text(t(lang, "not_allowed"))
        log.info("event=restrict_refused user=%s", user.id)
        raise ApplicationHandlerStop
    if chat.type != ChatType.PRIVATE:
        await message.reply_text(t(lang, "private_only"))
        raise ApplicationHandlerStop
    parsed = parse_ref(list(context.args or []))
    if parsed is None:
        await message.reply_text(t(lang, "scr_unrestrict_usage" if lift else "scr_restrict_usage"))
        raise ApplicationHandlerStop
    ref, note = parsed
    name, now = officer_name(user.first_name, user.last_name), services.now()
    async with services.db.transaction() as session:
        found = await store.reporter_by_ref(session, ref=ref)
        if found is None:
            reply = t(lang, "scr_reporter_unknown", ref=ref)
        elif lift:
            who = await store.unrestrict_reporter(session, reporter_id=found[0].id, now=now, actor_id=user.id,
                                                  actor_name=name, note=note)
            key = "scr_unrestricted_done" if who is not None else "scr_not_restricted"
            reply = t(lang, key, alias=found[0].alias)
        else:
            report = found[1]
            who = await store.restrict_reporter(
                session, reporter_id=found[0].id, now=now, ladder_days=services.config.screening.restriction_days,
                actor_id=user.id, actor_name=name, report_id=report.id if report else None, note=note,
            )
            tz = scopes.zone_of(services.offices, scopes.scope_of(services.offices, user.id), services.tz)
            until = format_local(who.restricted_until, tz)
            reply = t(lang, "scr_restricted_done", alias=who.alias, until=until, level=who.restriction_level)
    await message.reply_text(reply)
    log.info("event=%s by=%s ref=%s", "unrestrict" if lift else "restrict", user.id, ref)
    raise ApplicationHandlerStop
