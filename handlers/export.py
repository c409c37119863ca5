"""/export [period]: supervisors, in a private chat, get the period's reports as a CSV and a GeoJSON
document (bot/export.py). The files are written to a temporary folder and sent from there: the
reply to the supervisor's own command, so it goes inline, not through the outbox.

Registered in handler group -10 with the supervisors' commands, before the residents' catch-all;
every /export ends here with ApplicationHandlerStop.
"""

from __future__ import annotations

import asyncio
import logging
import tempfile
from pathlib import Path

from telegram import Message, Update
from telegram.constants import ChatAction
from telegram.ext import Application, ApplicationHandlerStop, CommandHandler, filters

from bot import export as domain
from bot import scope as scopes
from bot.periods import PeriodError, parse_span
from bot.retry import sleep_of, with_retries
from bot.services import SipoaContext
from bot.texts import Html, t
from handlers.gates import supervised_scope, supervisor_in_private

log = logging.getLogger("sipoa.export")

HANDLER_GROUP = -10
# A 50 MB upload on a slow office line takes a while; PTB's default write timeout is 20 s.
UPLOAD_TIMEOUT_SECONDS = 300


def register(app: Application) -> None:
    app.add_handler(CommandHandler("export", on_export, filters=filters.UpdateType.MESSAGE), group=HANDLER_GROUP)


async def on_export(update: Update, context: SipoaContext) -> None:
    message, lang = await supervisor_in_private(update, context, command="export")
    # "/export JKS 7d": one office's (several offices only); an office supervisor's are always theirs.
    scope, rest = await supervised_scope(message, lang, context, args=list(context.args or []), command="export")
    services, chat, user = context.services, update.effective_chat, update.effective_user
    try:
        span = parse_span(rest[0] if rest else None, now=services.now(),
                          tz=scopes.zone_of(services.offices, scope, services.tz))
    except PeriodError as err:
        await message.reply_text(scopes.period_error(lang, err.key, services.offices, scope, "/export"))
        raise ApplicationHandlerStop from None
    await context.bot.send_chat_action(chat.id, ChatAction.UPLOAD_DOCUMENT)
    with tempfile.TemporaryDirectory(prefix="sipoa-export-") as tmp:
        result = await domain.write_export(services, span, Path(tmp), scope=scope)
        if result.count == 0:
            await message.reply_text(t(lang, "export_empty", period=span.label()))
            raise ApplicationHandlerStop
        for path, kind in ((result.csv_path, "CSV"), (result.geojson_path, "GeoJSON")):
            for upload in await asyncio.to_thread(domain.prepare_upload, path):
                await _send(message, upload, _caption(lang, kind, span.label(), result.count, upload), services)
    log.info("event=export user=%s period=%s count=%d", user.id, span.slug(), result.count)
    raise ApplicationHandlerStop


def _caption(lang: str, kind: str, period: str, count: int, upload: domain.Upload) -> Html:
    # 100.000 in Indonesian, 100,000 in English.
    number = f"{count:,}".replace(",", "." if lang == "id" else ",")
    lines = [t(lang, "export_caption", kind=kind, period=period, count=number)]
    if upload.note == "gzip":
        lines.append(t(lang, "export_gzip"))
    elif upload.note == "part":
        lines.append(t(lang, "export_part", part=upload.part, parts=upload.parts))
    return Html("\n".join(lines))


async def _send(message: Message, upload: domain.Upload, caption: Html, services) -> None:
    async def send():
        with upload.path.open("rb") as f:
            return await message.reply_document(document=f, filename=upload.filename, caption=caption,
                                                write_timeout=UPLOAD_TIMEOUT_SECONDS)

    await with_retries(send, sleep=sleep_of(services))
