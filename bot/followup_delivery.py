"""Sending the follow-up's outbox rows (RELAY_TO_RESIDENT, RELAY_TO_GROUP) for bot/deliveries.py.

Rendered from the FollowUp row at send time, in a read transaction closed before Telegram is
called, like every other kind. The reporter's copy of a question records where it landed, so a
reply to it is taken as the answer (handlers/followup.py).
"""

from __future__ import annotations

from sqlmodel.ext.asyncio.session import AsyncSession
from telegram import ReplyParameters
from telegram.error import BadRequest, Forbidden

from bot import alerts, followup
from bot.deliveries import NO_PREVIEW, Deliveries, Delivered, Permanent
from bot.texts import t
from storage import followups, outbox
from storage.followups import RelayBundle
from storage.models import Outbox, Photo
from storage.outbox import OutboxKind


async def _bundle(d: Deliveries, row: Outbox) -> RelayBundle:
    followup_id = (row.payload or {}).get("followup_id")
    if not isinstance(followup_id, int):
        raise Permanent(f"no followup_id in {row.payload!r}")
    async with d.services.db.read() as session:
        bundle = await followups.load_bundle(session, followup_id=followup_id)
    if bundle is None:
        raise Permanent(f"follow-up {followup_id} not found")
    return bundle


async def to_resident(d: Deliveries, row: Outbox) -> Delivered:
    """An officer's question, in the reporter's private chat, under the report number only."""
    bundle = await _bundle(d, row)
    report, item = bundle.report, bundle.followup
    if not followup.is_open(report.status):
        return Delivered(None, 0, note="the report was closed before the question went out")
    lang = report.language
    text = followup.resident_question(lang, number=report.number, question=item.text or "")
    keyboard = alerts.markup(followup.answer_rows(lang, report.id))
    try:
        msg = await d._call(row.chat_id, d.bot.send_message(
            row.chat_id, text, reply_markup=keyboard, link_preview_options=NO_PREVIEW))
    except Forbidden:
        return _undeliverable(d, bundle)
    except BadRequest as err:
        raise Permanent(str(err)) from err

    async def record(session: AsyncSession) -> None:
        await followups.record_delivery(session, followup_id=item.id, chat_id=msg.chat.id, message_id=msg.message_id)

    return Delivered(msg.message_id, 1, record)


def _undeliverable(d: Deliveries, bundle: RelayBundle) -> Delivered:
    """The reporter blocked the bot: the question will never reach them. Said under the alert, so the
    officer does not wait for an answer that cannot come (the row itself is done: nothing to retry)."""
    report = bundle.report
    text = t(alerts.GROUP_LANGUAGE, "fu_undeliverable", number=report.number)

    async def record(session: AsyncSession) -> None:
        await outbox.enqueue(
            session, kind=OutboxKind.TEXT, chat_id=bundle.reply_chat_id or d.services.group_of(report.prefix),
            now=d.services.now(), report_id=report.id,
            payload={"text": text, "reply_markup": None, "reply_to": bundle.reply_message_id},
            dedupe_key=f"relay:{bundle.followup.id}:undeliverable",
        )

    return Delivered(None, 0, record, note="the reporter blocked the bot")


async def to_group(d: Deliveries, row: Outbox) -> Delivered:
    """A question, answer or added information in the group, as a reply to the report's alert
    (sent anyway if the alert is gone). A photo is sent again by the bot, never forwarded: a
    forward would carry the reporter's name; an image file is re-encoded without its EXIF."""
    bundle = await _bundle(d, row)
    item = bundle.followup
    reply = None
    if bundle.reply_message_id is not None and bundle.reply_chat_id == row.chat_id:
        reply = ReplyParameters(message_id=bundle.reply_message_id, allow_sending_without_reply=True)
    source = None
    if item.photo_file_id is not None:
        source = await d._photo_source(Photo(file_id=item.photo_file_id, file_unique_id="", created_at=item.created_at,
                                             kind=item.photo_kind or "photo"))
    text = followup.group_text(item.kind, number=bundle.report.number, alias=bundle.alias, text=item.text,
                               officer=(row.payload or {}).get("officer"), photo=source is not None)
    try:
        if source is not None:
            msg = await d._call(row.chat_id, d.bot.send_photo(
                row.chat_id, photo=source, caption=text, reply_parameters=reply))
        else:
            msg = await d._call(row.chat_id, d.bot.send_message(
                row.chat_id, text, reply_parameters=reply, link_preview_options=NO_PREVIEW))
    except BadRequest as err:
        raise Permanent(str(err)) from err
    return Delivered(msg.message_id, 1)
