"""/walkin: an officer records a complaint made in person at the office, in a private chat.

Only /walkin lives here. The conversation after it is the resident's (handlers/residents): the
officer's messages and buttons reach the walk-in draft because handlers/residents/flow.py looks for
an officer's walk-in draft first, and bot/walkin.py adds its three steps to the draft's rules.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from telegram import ReplyKeyboardRemove, Update
from telegram.constants import ChatType
from telegram.error import NetworkError, RetryAfter
from telegram.ext import Application, ApplicationHandlerStop, CommandHandler, filters

from bot import walkin
from bot.draft import DraftView
from bot.membership import member_office
from bot.officers import officer_name
from bot.services import Services, SipoaContext
from bot.texts import language_for, t
from handlers.residents import replies
from handlers.residents.common import user_facts
from handlers.residents.flow import Status, Turn, UserFacts
from storage import drafts, reporters

log = logging.getLogger("sipoa.walkin")

# With the follow-up's handlers, before the officers' (-5) and the residents' (0); see bot/app.py.
HANDLER_GROUP = -6


def register(app: Application) -> None:
    app.add_handler(CommandHandler(["walkin", "walk_in"], on_walkin, filters=filters.UpdateType.MESSAGE),
                    group=HANDLER_GROUP)


async def on_walkin(update: Update, context: SipoaContext) -> None:
    message, chat, user = update.effective_message, update.effective_chat, user_facts(update)
    if message is None or chat is None or user is None:
        raise ApplicationHandlerStop
    services, tg_user = context.services, update.effective_user
    lang = language_for(user.language_code)
    if chat.type != ChatType.PRIVATE:
        # The complainant's name and phone are typed next: never in a group.
        await message.reply_text(t(lang, "private_only"))
        raise ApplicationHandlerStop
    try:
        desk = await member_office(context.bot, services, user.telegram_id)
    except (RetryAfter, NetworkError):
        await replies.send(context.bot, services, user.chat_id, t(lang, "error_generic"))
        raise ApplicationHandlerStop from None
    if desk is None:
        log.info("event=walkin_refused user=%s", user.telegram_id)
        await replies.send(context.bot, services, user.chat_id, t(lang, "wi_not_officer"))
        raise ApplicationHandlerStop
    name = officer_name(tg_user.first_name, tg_user.last_name)
    # Several offices: the desk's office takes a complaint whose typed address names no area.
    desk_key = desk.key if len(services.offices) > 1 else None
    turn = await start(services, user=user, officer=name, update_id=update.update_id, desk_office=desk_key)
    if turn.status is Status.STARTED and turn.view is not None:
        # The intro also clears a reply keyboard left from an earlier draft's location step.
        await replies.send(context.bot, services, user.chat_id, t(turn.lang, "wi_intro"), ReplyKeyboardRemove())
        await replies.send_prompt(context.bot, services, user.chat_id, turn.lang, turn.view)
    else:
        await replies.send_turn(context.bot, services, user.chat_id, turn)
    log.info("event=walkin status=%s user=%s", turn.status, user.telegram_id)
    raise ApplicationHandlerStop


async def start(services: Services, *, user: UserFacts, officer: str, update_id: int,
                desk_office: str | None = None) -> Turn:
    """A fresh walk-in draft with its own complainant row; an unfinished one with content is offered
    back instead (Continue / Start over, the resident's buttons), an empty one replaced."""
    now = services.now()
    timeout = timedelta(minutes=services.config.intake.draft_timeout_minutes)
    async with services.db.transaction() as s:
        me = await reporters.get_or_create(s, telegram_id=user.telegram_id, now=now,
                                           language=language_for(user.language_code),
                                           first_name=user.first_name, username=user.username)
        lang = me.language
        draft = await drafts.get_walk_in(s, officer_id=user.telegram_id)
        if draft is not None:
            view = DraftView.of(draft, photo_count=await drafts.count_photos(s, draft_id=draft.id))
            if draft.last_update_id is not None and update_id <= draft.last_update_id:
                return Turn(Status.REDELIVERED, lang, view=view)
            if walkin.has_content(view):
                return Turn(Status.RESUME_OFFER, lang, view=view)
            await drafts.delete(s, draft=draft)
            await reporters.delete_unused_walk_in(s, reporter_id=draft.reporter_id)
        complainant = await reporters.create_walk_in(s, now=now)
        draft = await drafts.create(
            s, reporter_id=complainant.id, chat_id=user.chat_id, step=walkin.FIRST, now=now, timeout=timeout,
            update_id=update_id, channel=walkin.WALK_IN, officer_id=user.telegram_id,
            extra=walkin.start_extra(officer_id=user.telegram_id, officer_name=officer, desk_office=desk_office),
        )
        return Turn(Status.STARTED, lang, view=DraftView.of(draft, photo_count=0))
