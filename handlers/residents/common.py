"""Reading the plain facts of an update: who sent it and what it holds."""

from __future__ import annotations

from telegram import Message, Update

from bot.intake import MessageFacts, PhotoFacts
from handlers.residents.flow import UserFacts


def user_facts(update: Update) -> UserFacts | None:
    """The sender as plain values; None for updates without a person (channels, bots)."""
    user = update.effective_user
    if user is None or user.is_bot:
        return None
    chat = update.effective_chat
    return UserFacts(
        telegram_id=user.id,
        chat_id=chat.id if chat is not None else user.id,
        first_name=user.first_name,
        username=user.username,
        language_code=user.language_code,
    )


def message_facts(message: Message) -> MessageFacts:
    location = message.venue.location if message.venue is not None else message.location
    photo = None
    if message.photo:
        # Telegram sends every size it made; the officers need the largest.
        big = max(message.photo, key=lambda p: (p.width * p.height, p.file_size or 0))
        photo = PhotoFacts(
            file_id=big.file_id, file_unique_id=big.file_unique_id, kind="photo",
            width=big.width, height=big.height, file_size=big.file_size, mime_type="image/jpeg",
        )
    document = None
    if message.document is not None:
        doc = message.document
        document = PhotoFacts(
            file_id=doc.file_id, file_unique_id=doc.file_unique_id, kind="document",
            file_size=doc.file_size, mime_type=doc.mime_type,
        )
    return MessageFacts(
        # A caption is not the answer to any step, so it is not read as text.
        text=message.text,
        lat=location.latitude if location is not None else None,
        lon=location.longitude if location is not None else None,
        horizontal_accuracy=location.horizontal_accuracy if location is not None else None,
        # Read raw: PTB is moving this attribute from int to timedelta; any non-zero period is "live".
        live_period=location.to_dict().get("live_period") if location is not None else None,
        venue_title=message.venue.title if message.venue is not None else None,
        venue_address=message.venue.address if message.venue is not None else None,
        photo=photo,
        document=document,
        forwarded=message.forward_origin is not None,
        media_group_id=message.media_group_id,
    )
