"""The resident's conversation in private chats: /start → category → location → description →
photos → review → submit, with /cancel, /bahasa and /myreports. Registered by `register(app)`."""

from __future__ import annotations

from telegram.ext import Application, CallbackQueryHandler, CommandHandler, MessageHandler, filters

from handlers.residents.album import album_job, answer_album
from handlers.residents.buttons import is_resident_data, on_button
from handlers.residents.myreports import on_myreports
from handlers.residents.start import on_cancel, on_language, on_start
from handlers.residents.steps import on_message, on_unknown_command

__all__ = [
    "album_job", "answer_album", "on_button", "on_cancel", "on_language", "on_message", "on_myreports",
    "on_start", "on_unknown_command", "register",
]

# Edits (live-location updates among them) are never answers: only new messages count.
PRIVATE = filters.ChatType.PRIVATE & filters.UpdateType.MESSAGE
# After every audience's group-0 handlers: an unknown command is one no handler took.
FALLBACK_GROUP = 1


def register(app: Application) -> None:
    app.add_handler(CommandHandler("start", on_start, filters=PRIVATE))
    app.add_handler(CommandHandler(["cancel", "batal"], on_cancel, filters=PRIVATE))
    app.add_handler(CommandHandler(["bahasa", "language"], on_language, filters=PRIVATE))
    app.add_handler(CommandHandler(["myreports", "laporanku"], on_myreports, filters=PRIVATE))
    app.add_handler(CallbackQueryHandler(on_button, pattern=is_resident_data))
    app.add_handler(MessageHandler(PRIVATE & ~filters.COMMAND & ~filters.StatusUpdate.ALL, on_message))
    app.add_handler(MessageHandler(PRIVATE & filters.COMMAND, on_unknown_command), group=FALLBACK_GROUP)
