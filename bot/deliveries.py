"""How each kind of outbox row is rendered and sent (the dispatcher decides when, and what an error means).

Every kind reads the current rows in a short read transaction that is CLOSED before Telegram is
called, so a late alert shows the current status and no transaction ever waits on the network.
What has to be written after a send (where the alert landed, the EXIF-free photo's file_id) is
returned as a `record` callback that the dispatcher runs in the same transaction as `mark_sent`.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from sqlmodel.ext.asyncio.session import AsyncSession
from telegram import InlineKeyboardMarkup, InputMediaPhoto, LinkPreviewOptions, Message, ReplyParameters
from telegram.error import BadRequest, ChatMigrated

from bot import alerts
from bot.alert_media import clean_image
from bot.services import Services
from storage import alert_data
from storage.alert_data import ReportBundle
from storage.models import Outbox, Photo
from storage.outbox import OutboxKind

log = logging.getLogger("sipoa.dispatcher")

NO_PREVIEW = LinkPreviewOptions(is_disabled=True)
MEDIA_GROUP_MAX = 10

Record = Callable[[AsyncSession], Awaitable[None]]


@dataclass
class Delivered:
    # Telegram's message id (None: nothing had to be sent).
    message_id: int | None
    # Messages that count against the chat's flood limit.
    cost: int
    record: Record | None = None
    note: str | None = None


class Permanent(Exception):
    """Telegram (or the data) refuses this row for good: mark it failed, never retry."""


class Migrated(Exception):
    """A group became a supergroup: `old` is the id we used, `new` the one to use from now on."""

    def __init__(self, old: int, new: int):
        super().__init__(f"chat {old} migrated to {new}")
        self.old, self.new = old, new


def cost_of(row: Outbox) -> int:
    """Messages a row will put into its chat (an album counts each photo)."""
    if row.kind == OutboxKind.PHOTOS:
        try:
            return max(1, min(int((row.payload or {}).get("count", 1)), MEDIA_GROUP_MAX))
        except (TypeError, ValueError):
            return 1
    return 1


class Deliveries:
    def __init__(self, bot, services: Services):
        self.bot = bot
        self.services = services

    async def deliver(self, row: Outbox) -> Delivered:
        send = {
            OutboxKind.ALERT: self._alert,
            OutboxKind.ALERT_REFRESH: self._refresh,
            OutboxKind.PHOTOS: self._photos,
            OutboxKind.NOTIFY: self._notify,
            OutboxKind.TEXT: self._text,
            OutboxKind.RELAY_TO_RESIDENT: self._relay,
            OutboxKind.RELAY_TO_GROUP: self._relay,
        }.get(row.kind)
        if send is None:
            raise Permanent(f"unknown outbox kind {row.kind!r}")
        return await send(row)

    # -- kinds --

    async def _alert(self, row: Outbox) -> Delivered:
        bundle = await self._bundle(row)
        if bundle.report.alert_message_id is not None:
            # A second ALERT row for a report already in the group: never post it twice.
            return Delivered(bundle.report.alert_message_id, 0, note="already in the group")
        return await self._post_alert(row.chat_id, bundle)

    async def _refresh(self, row: Outbox) -> Delivered:
        bundle = await self._bundle(row)
        report = bundle.report
        if report.alert_message_id is None or report.alert_chat_id is None:
            async with self.services.db.read() as session:
                pending = await alert_data.alert_row_pending(session, report_id=report.id)
            if pending:
                # The alert is rendered when it is sent, so it will show this status anyway.
                return Delivered(None, 0, note="alert not sent yet")
            raise Permanent("the report has no alert message to edit")
        is_photo = report.alert_is_photo
        text = self._render(bundle, limit=alerts.CAPTION_LIMIT if is_photo else alerts.TEXT_LIMIT)
        keyboard = alerts.markup(alerts.keyboard(report, alert_is_photo=is_photo))
        try:
            await self._edit(report.alert_chat_id, report.alert_message_id, text, keyboard, is_photo=is_photo)
        except BadRequest as err:
            reason = str(err).lower()
            if "not modified" in reason:
                return Delivered(report.alert_message_id, 1, note="already up to date")
            if "not found" in reason or "can't be edited" in reason:
                # Someone deleted the alert (or it is out of reach): post it again, current status.
                log.warning("event=alert_reposted report=%s reason=%r", report.number, str(err))
                return await self._post_alert(row.chat_id, bundle)
            log.warning("event=alert_fallback report=%s kind=refresh reason=%r", report.number, str(err))
            plain = alerts.plain_alert(report, category_label=self._category(bundle),
                                       tz=self.services.tz_of(report.prefix),
                                       limit=alerts.CAPTION_LIMIT if is_photo else alerts.TEXT_LIMIT)
            try:
                await self._edit(report.alert_chat_id, report.alert_message_id, plain, keyboard, is_photo=is_photo)
            except BadRequest as err2:
                if "not modified" not in str(err2).lower():
                    raise Permanent(f"{err}; fallback: {err2}") from err2
        return Delivered(report.alert_message_id, 1)

    async def _photos(self, row: Outbox) -> Delivered:
        bundle = await self._bundle(row)
        report = bundle.report
        rest = bundle.photos[1:] if report.alert_is_photo else bundle.photos
        media: list[tuple[Photo, str | bytes]] = []
        for photo in rest:
            if len(media) == MEDIA_GROUP_MAX:
                break
            source = await self._photo_source(photo)
            if source is not None:
                media.append((photo, source))
        if not media:
            return Delivered(None, 0, note="no usable photos")
        reply = None
        if report.alert_message_id is not None and report.alert_chat_id == row.chat_id:
            reply = ReplyParameters(message_id=report.alert_message_id, allow_sending_without_reply=True)
        caption = alerts.photos_caption(report)
        try:
            if len(media) == 1:
                sent = [await self._call(row.chat_id, self.bot.send_photo(
                    row.chat_id, photo=media[0][1], caption=caption, reply_parameters=reply))]
            else:
                items = [InputMediaPhoto(media=src, caption=caption if i == 0 else None)
                         for i, (_, src) in enumerate(media)]
                sent = list(await self._call(row.chat_id, self.bot.send_media_group(
                    row.chat_id, media=items, reply_parameters=reply)))
        except BadRequest as err:
            raise Permanent(str(err)) from err
        cleaned = {p.id: m.photo[-1].file_id for (p, src), m in zip(media, sent, strict=False)
                   if isinstance(src, bytes) and m.photo}

        async def record(session: AsyncSession) -> None:
            await alert_data.set_clean_file_ids(session, file_ids=cleaned)

        return Delivered(sent[0].message_id, len(sent), record)

    async def _notify(self, row: Outbox) -> Delivered:
        bundle = await self._bundle(row)
        text = alerts.notify_text(bundle.report, event=str((row.payload or {}).get("event")))
        if text is None:
            raise Permanent(f"nothing to tell for event {row.payload!r}")
        try:
            msg = await self._call(row.chat_id, self.bot.send_message(row.chat_id, text))
        except BadRequest as err:
            raise Permanent(str(err)) from err
        return Delivered(msg.message_id, 1)

    async def _text(self, row: Outbox) -> Delivered:
        payload = row.payload or {}
        markup = payload.get("reply_markup")
        keyboard = InlineKeyboardMarkup.de_json(markup, self.bot) if markup else None
        # An SLA reminder answers its alert; a deleted alert must not lose the reminder.
        reply_to = payload.get("reply_to")
        reply = ReplyParameters(message_id=int(reply_to), allow_sending_without_reply=True) if reply_to else None
        try:
            msg = await self._call(row.chat_id, self.bot.send_message(
                row.chat_id, str(payload.get("text", "")), reply_markup=keyboard, link_preview_options=NO_PREVIEW,
                reply_parameters=reply))
        except BadRequest as err:
            raise Permanent(str(err)) from err
        return Delivered(msg.message_id, 1)

    async def _relay(self, row: Outbox) -> Delivered:
        # Follow-up between officers and a reporter: rendered in bot/followup_delivery.py (imported
        # here, not at the top: it builds on this module).
        from bot import followup_delivery

        if row.kind == OutboxKind.RELAY_TO_RESIDENT:
            return await followup_delivery.to_resident(self, row)
        return await followup_delivery.to_group(self, row)

    # -- the alert --

    async def _post_alert(self, chat_id: int, bundle: ReportBundle) -> Delivered:
        report = bundle.report
        text = self._render(bundle, limit=alerts.TEXT_LIMIT)
        photo, source = None, None
        # A photo alert only when the whole alert fits a caption; a long one goes as text with a
        # Photos button, so officers never read a cut description under a picture.
        if bundle.photos and alerts.fits_caption(text):
            for candidate in bundle.photos:
                source = await self._photo_source(candidate)
                if source is not None:
                    photo = candidate
                    break
        try:
            msg = await self._send_alert(chat_id, report, text, source)
            is_photo = source is not None
        except BadRequest as err:
            # Bad markup, a caption Telegram counts longer than we do, a file it refuses: the
            # report must still reach the group, so once more as plain escaped text.
            log.warning("event=alert_fallback report=%s reason=%r", report.number, str(err))
            plain = alerts.plain_alert(report, category_label=self._category(bundle),
                                       tz=self.services.tz_of(report.prefix))
            try:
                msg = await self._send_alert(chat_id, report, plain, None)
            except BadRequest as err2:
                raise Permanent(f"{err}; fallback: {err2}") from err2
            is_photo = False
        cleaned = {}
        if is_photo and photo is not None and isinstance(source, bytes) and msg.photo:
            cleaned[photo.id] = msg.photo[-1].file_id

        async def record(session: AsyncSession) -> None:
            await alert_data.record_alert(session, report_id=report.id, chat_id=msg.chat.id,
                                          message_id=msg.message_id, is_photo=is_photo)
            await alert_data.set_clean_file_ids(session, file_ids=cleaned)

        return Delivered(msg.message_id, 1, record)

    async def _send_alert(self, chat_id: int, report, text: str, photo: str | bytes | None) -> Message:
        keyboard = alerts.markup(alerts.keyboard(report, alert_is_photo=photo is not None))
        if photo is not None:
            return await self._call(chat_id, self.bot.send_photo(
                chat_id, photo=photo, caption=text, reply_markup=keyboard))
        return await self._call(chat_id, self.bot.send_message(
            chat_id, text, reply_markup=keyboard, link_preview_options=NO_PREVIEW))

    async def _edit(self, chat_id: int, message_id: int, text: str, keyboard, *, is_photo: bool) -> None:
        if is_photo:
            await self._call(chat_id, self.bot.edit_message_caption(
                chat_id=chat_id, message_id=message_id, caption=text, reply_markup=keyboard))
        else:
            await self._call(chat_id, self.bot.edit_message_text(
                text, chat_id=chat_id, message_id=message_id, reply_markup=keyboard,
                link_preview_options=NO_PREVIEW))

    def _render(self, bundle: ReportBundle, *, limit: int) -> str:
        history = bundle.history
        standing = alerts.standing_of(
            bundle.reporter, earlier=history.earlier, resolved=history.resolved,
            false_reports=history.false_reports,
            show_identity=self.services.config.officers.show_reporter_identity,
        )
        return alerts.alert_html(bundle.report, category_label=self._category(bundle), standing=standing,
                                 tz=self.services.tz_of(bundle.report.prefix), limit=limit,
                                 extra_lines=self._screening_lines(bundle))

    def _screening_lines(self, bundle: ReportBundle) -> list[str]:
        """Screening's trust score and its main reasons, when the report was scored."""
        report = bundle.report
        if report.trust_score is None:
            return []
        from bot.screening.decision import score_line

        limit = self.services.config.screening.reasons_on_alert
        # The office's group reads its own clock (WIB, WITA or WIT).
        tz = self.services.tz_of(report.prefix)
        lines = [score_line(alerts.GROUP_LANGUAGE, report.trust_score, list(report.reasons or []), limit=limit,
                            tz=tz)]
        incident = bundle.incident
        if incident is not None:
            # Several reports of one incident share this message: how many, and the newest.
            from bot.screening.incidents import incident_lines

            newest = incident.newest
            lines += incident_lines(
                alerts.GROUP_LANGUAGE, count=incident.count, newest_number=newest.number if newest else None,
                newest_at=newest.created_at if newest else None,
                newest_area=(newest.area_label or newest.address_text) if newest else None,
                newest_description=newest.description if newest else None, tz=tz,
            )
        return lines

    def _category(self, bundle: ReportBundle) -> str:
        category = self.services.config.category(bundle.report.category)
        return category.id if category is not None else bundle.report.category

    # -- helpers --

    async def _bundle(self, row: Outbox) -> ReportBundle:
        if row.report_id is None:
            raise Permanent("the row names no report")
        # Quick (storage/db.py): a handful of lookups by id between a Submit and its alert.
        async with self.services.db.read(quick=True) as session:
            bundle = await alert_data.load_bundle(session, report_id=row.report_id)
        if bundle is None:
            raise Permanent(f"report {row.report_id} not found")
        return bundle

    async def _photo_source(self, photo: Photo) -> str | bytes | None:
        """What to send for a photo: a file_id Telegram already holds, or a cleaned upload."""
        if photo.clean_file_id:
            return photo.clean_file_id
        if photo.kind != "document":
            return photo.file_id
        try:
            file = await self.bot.get_file(photo.file_id)
            data = bytes(await file.download_as_bytearray())
        except BadRequest as err:
            # Too big for bots to download (> 20 MB) or gone: officers get the other photos.
            log.warning("event=photo_skipped photo=%s reason=%r", photo.id, str(err))
            return None
        return await asyncio.to_thread(clean_image, data)

    @staticmethod
    async def _call(chat_id: int, request: Awaitable):
        try:
            return await request
        except ChatMigrated as err:
            raise Migrated(chat_id, int(err.new_chat_id)) from err
