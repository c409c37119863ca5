"""Phone verification, offered after a report is submitted and never demanded.

The offer is a reply keyboard with a request_contact button ("share my number") and a way out. A
shared contact verifies only when it is the sender's own (contact.user_id == from_user.id); only
a slow salted hash is kept (bot/screening/phone.py says why). Registered before the residents'
catch-all, so a contact or the "no thanks" answer never lands in a draft as a step's answer.
"""

from __future__ import annotations

import asyncio
import logging

from telegram import KeyboardButton, ReplyKeyboardMarkup, ReplyKeyboardRemove, Update
from telegram.ext import Application, ApplicationHandlerStop, MessageHandler, filters

from bot.screening.phone import hash_phone, is_own_contact
from bot.services import SipoaContext
from bot.texts import LANGUAGES, language_for, t
from storage import reporters
from storage import screening as store

log = logging.getLogger("sipoa.screening")

HANDLER_GROUP = -10
_PRIVATE = filters.ChatType.PRIVATE & filters.UpdateType.MESSAGE


def offer_markup(lang: str) -> ReplyKeyboardMarkup:
    return ReplyKeyboardMarkup(
        [
            [KeyboardButton(t(lang, "scr_phone_button"), request_contact=True)],
            [KeyboardButton(t(lang, "scr_phone_skip"))],
        ],
        resize_keyboard=True,
        one_time_keyboard=True,
    )


def register(app: Application) -> None:
    app.add_handler(MessageHandler(_PRIVATE & filters.CONTACT, on_contact), group=HANDLER_GROUP)
    skip = filters.Text([t(lang, "scr_phone_skip") for lang in LANGUAGES])
    app.add_handler(MessageHandler(_PRIVATE & skip, on_skip), group=HANDLER_GROUP)


async def on_contact(update: Update, context: SipoaContext) -> None:
    message, user = update.effective_message, update.effective_user
    if message is None or user is None or message.contact is None:
        raise ApplicationHandlerStop
    services = context.services
    if not is_own_contact(message.contact.user_id, user.id):
        # Anyone can share someone else's contact card; it proves nothing about the sender. Not
        # ours then: the conversation answers it like any message that is not what it asked for.
        log.info("event=phone_refused user=%s reason=not_own", user.id)
        return
    # PBKDF2 takes tens of milliseconds: off the event loop.
    phone_hash = await asyncio.to_thread(hash_phone, message.contact.phone_number)
    now = services.now()
    async with services.db.transaction() as session:
        reporter = await reporters.get_or_create(
            session, telegram_id=user.id, now=now, language=language_for(user.language_code),
            first_name=user.first_name, username=user.username,
        )
        await store.verify_phone(session, reporter_id=reporter.id, phone_hash=phone_hash, now=now)
        lang = reporter.language
    await message.reply_text(t(lang, "scr_phone_thanks"), reply_markup=ReplyKeyboardRemove())
    log.info("event=phone_verified user=%s", user.id)
    raise ApplicationHandlerStop


async def on_skip(update: Update, context: SipoaContext) -> None:
    message, user = update.effective_message, update.effective_user
    if message is None or user is None:
        raise ApplicationHandlerStop
    lang = "en" if message.text == t("en", "scr_phone_skip") else "id"
    await message.reply_text(t(lang, "scr_phone_skipped"), reply_markup=ReplyKeyboardRemove())
    raise ApplicationHandlerStop
