"""Messages at each step of the draft: parse, let the flow decide and store, then reply."""

from __future__ import annotations

from telegram import Update
from telegram.ext import CommandHandler

from bot import intake
from bot.services import SipoaContext
from handlers.residents import album, flow, replies
from handlers.residents.common import message_facts, user_facts


async def on_message(update: Update, context: SipoaContext) -> None:
    message, user = update.message, user_facts(update)
    if message is None or user is None:
        return
    inp = intake.classify(message_facts(message))
    turn = await flow.handle_input(context.services, user=user, update_id=update.update_id, inp=inp)
    if message.media_group_id is not None and album.defer(context, user=user, turn=turn):
        return
    await replies.send_turn(context.bot, context.services, user.chat_id, turn)


async def on_unknown_command(update: Update, context: SipoaContext) -> None:
    """A command no handler of any audience knows: say what this step expects."""
    message, user = update.message, user_facts(update)
    if message is None or user is None or _known_command(context, message.text or ""):
        return
    inp = intake.classify(message_facts(message))
    turn = await flow.handle_input(context.services, user=user, update_id=update.update_id, inp=inp)
    await replies.send_turn(context.bot, context.services, user.chat_id, turn)


def _known_command(context: SipoaContext, text: str) -> bool:
    # This fallback runs in a later handler group, so it also sees commands another handler served.
    word = text.split(maxsplit=1)[0] if text.strip() else ""
    name, _, addressee = word[1:].partition("@")
    if addressee and addressee.lower() != (context.bot.username or "").lower():
        return False  # "/start@another_bot": no handler of ours took it, so it gets the step's hint
    name = name.lower()
    return any(
        isinstance(handler, CommandHandler) and name in handler.commands
        for handlers in context.application.handlers.values()
        for handler in handlers
    )
