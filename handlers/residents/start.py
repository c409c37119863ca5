"""/start, /cancel (/batal) and /bahasa (/language)."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, ReplyKeyboardRemove, Update

from bot.callbacks import Action, encode
from bot.services import SipoaContext
from bot.texts import LANGUAGES, t
from handlers.residents import flow, replies
from handlers.residents.common import user_facts

# What people type after /bahasa: a code or the language's name in either language.
_LANGUAGE_WORDS = {"id": "id", "indonesia": "id", "indonesian": "id", "en": "en", "english": "en", "inggris": "en"}


async def on_start(update: Update, context: SipoaContext) -> None:
    user = user_facts(update)
    if user is None:
        return
    turn = await flow.start(context.services, user=user, update_id=update.update_id)
    await replies.send_turn(context.bot, context.services, user.chat_id, turn)


async def on_cancel(update: Update, context: SipoaContext) -> None:
    user = user_facts(update)
    if user is None:
        return
    turn = await flow.cancel(context.services, user=user)
    await replies.send_turn(context.bot, context.services, user.chat_id, turn)


async def on_language(update: Update, context: SipoaContext) -> None:
    user = user_facts(update)
    if user is None:
        return
    choice = _LANGUAGE_WORDS.get(context.args[0].lower()) if context.args else None
    if choice is None:
        markup = InlineKeyboardMarkup([[
            InlineKeyboardButton(t(lang, f"btn_lang_{lang}"), callback_data=encode(Action.LANGUAGE, 0, lang))
            for lang in LANGUAGES
        ]])
        await replies.send(context.bot, context.services, user.chat_id, t("id", "language_choose"), markup)
        return
    await apply_language(context, user=user, language=choice)


async def apply_language(context: SipoaContext, *, user: flow.UserFacts, language: str) -> None:
    turn = await flow.set_language(context.services, user=user, language=language)
    if turn.view is None:
        done = t(language, "language_set")
        await replies.send(context.bot, context.services, user.chat_id, done, ReplyKeyboardRemove())
        return
    # Ask the current question again, now in the chosen language (its keyboard too).
    await replies.send(context.bot, context.services, user.chat_id, t(language, "language_set"))
    await replies.send_prompt(context.bot, context.services, user.chat_id, language, turn.view)
