"""Inline buttons of the resident's draft (and the language choice)."""

from __future__ import annotations

import logging

from telegram import Message, Update
from telegram.constants import ChatType
from telegram.error import BadRequest, NetworkError, RetryAfter

from bot import intake
from bot.callbacks import Action, InvalidCallback, parse
from bot.dispatcher import notify_new_outbox
from bot.retry import answer_callback, sleep_of, with_retries
from bot.services import SipoaContext
from bot.texts import language_for, t
# Imported here, not at the first Submit: imagehash and its numpy/scipy take 100+ ms to load, and
# screening's modules (imported late by storage/reports.py and flow.py) 10 more, which the first
# report after a start would otherwise wait before its alert (bench/latency.py's worst case).
import bot.screening.resident  # noqa: F401
import bot.screening.service  # noqa: F401
from handlers.photo_hashes import hash_draft_photos
from handlers.residents import flow, replies
from handlers.residents.common import user_facts
from handlers.residents.start import apply_language

log = logging.getLogger("sipoa.residents")

DRAFT_ACTIONS = frozenset({
    Action.CATEGORY, Action.PHOTOS_DONE, Action.PHOTOS_SKIP, Action.SUBMIT, Action.EDIT, Action.EDIT_STEP,
    Action.CANCEL, Action.RESUME, Action.DISCARD,
    Action.WALKIN_DEFAULT,  # a walk-in draft's own steps (bot/walkin.py): the same draft machine
})
RESIDENT_ACTIONS = DRAFT_ACTIONS | {Action.LANGUAGE}


def is_resident_data(data: object) -> bool:
    """The CallbackQueryHandler's pattern: our actions, and data nobody could have made (answered
    here as "no longer valid", wherever it was pressed)."""
    if not isinstance(data, str):
        return False
    try:
        return parse(data).action in RESIDENT_ACTIONS
    except InvalidCallback:
        return True


async def on_button(update: Update, context: SipoaContext) -> None:
    query, user = update.callback_query, user_facts(update)
    if query is None:
        return
    lang = language_for(query.from_user.language_code if query.from_user else None)
    try:
        data = parse(query.data)
    except InvalidCallback as err:
        await _answer(context, query, t(lang, "button_unknown"))
        log.info("event=button_refused reason=%r", f"invalid data: {err}")
        return
    message = query.message if isinstance(query.message, Message) else None
    if user is None or (message is not None and message.chat.type != ChatType.PRIVATE):
        await _answer(context, query, t(lang, "button_unknown"))
        log.info("event=button_refused reason='not a private chat' action=%s", data.action.name)
        return
    if data.action is Action.LANGUAGE and data.value is not None:
        await _answer(context, query)
        await apply_language(context, user=user, language=data.value)
        return

    inp = intake.button(data.action, data.value)
    if data.action is Action.SUBMIT:
        # Screening compares the photos' perceptual hashes: fetched now, outside the transaction.
        await hash_draft_photos(context.bot, context.services, draft_id=data.target_id, telegram_id=user.telegram_id)
    turn = await flow.handle_input(
        context.services, user=user, update_id=update.update_id, inp=inp, draft_id=data.target_id
    )
    if turn.status is flow.Status.SUBMITTED:
        # The alert row is committed: the dispatcher sends it now, not at its next poll.
        notify_new_outbox(context.services)
    if turn.status is flow.Status.STALE_BUTTON:
        await _answer(context, query, t(turn.lang, "button_unknown"))
        # Not this resident's current draft: an old message, or data made up to reach another's.
        log.info("event=button_refused reason=stale action=%s", data.action.name)
        return
    outcome = turn.outcome if turn.status is flow.Status.OK else None
    if outcome is not None and outcome.notice == "button_unknown":  # e.g. a forged category code
        await _answer(context, query, t(turn.lang, "button_unknown"))
        return
    await _answer(context, query)
    if data.action is Action.CATEGORY and outcome is not None and outcome.accepted:
        label = replies.category_label(context.services, data.value, turn.lang)
        await _show_choice(context, query, t(turn.lang, "category_chosen", category=label))
    await replies.send_turn(context.bot, context.services, user.chat_id, turn)


async def _answer(context: SipoaContext, query, text: str | None = None) -> None:
    await answer_callback(query, text, sleep=sleep_of(context.services))


async def _show_choice(context: SipoaContext, query, text: str) -> None:
    """Replace the category keyboard by the choice, so the old buttons cannot be pressed again."""
    try:
        await with_retries(lambda: query.edit_message_text(text, reply_markup=None), sleep=sleep_of(context.services))
    except BadRequest as err:
        # Pressed twice quickly (or the first try's answer was lost): that try already made this edit.
        if "not modified" not in str(err).lower():
            raise
    except (RetryAfter, NetworkError) as err:
        # Cosmetic: the choice is saved and the next question follows; stale buttons are refused.
        log.warning("event=edit_failed error=%r", str(err))
