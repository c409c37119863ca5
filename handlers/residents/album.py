"""Albums: several updates sharing a media_group_id, answered once after the last one arrived.

Each photo is stored as it arrives (durable); only the answer waits. A job named after the chat is
replaced by every new part of the album, so it runs once, `album_settle_seconds` after the last.
"""

from __future__ import annotations

from dataclasses import dataclass

from telegram.ext import ExtBot

from bot.services import Services, SipoaContext
from bot.texts import Html, t
from handlers.residents import flow, replies
from handlers.residents.flow import Status, Turn, UserFacts


@dataclass(frozen=True)
class AlbumWait:
    user: UserFacts
    turn: Turn  # the turn of the album's latest part, replayed when it was not a stored photo


def job_name(chat_id: int) -> str:
    return f"album:{chat_id}"


def defer(context: SipoaContext, *, user: UserFacts, turn: Turn) -> bool:
    """Schedule the album's one answer; False when there is no job queue (answer at once)."""
    queue = context.job_queue
    if queue is None:
        return False
    name = job_name(user.chat_id)
    for job in queue.get_jobs_by_name(name):
        job.schedule_removal()
    queue.run_once(
        album_job,
        when=context.services.config.intake.album_settle_seconds,
        name=name,
        chat_id=user.chat_id,
        user_id=user.telegram_id,
        data=AlbumWait(user=user, turn=turn),
    )
    return True


async def album_job(context: SipoaContext) -> None:
    wait = context.job.data
    assert isinstance(wait, AlbumWait)
    await answer_album(context.bot, context.services, wait)


async def answer_album(bot: ExtBot, services: Services, wait: AlbumWait) -> None:
    settled = await flow.settle_album(services, user=wait.user)
    chat_id = wait.user.chat_id
    if settled is not None and settled.view is not None:
        view, lang = settled.view, settled.lang
        text = replies.notice_text(services, lang, "photo_received", {"count": view.photo_count}, view)
        rejected = settled.values.get("rejected", 0)
        if rejected:
            refused = t(lang, "album_rejected", rejected=rejected, max=services.config.intake.max_photos)
            text = Html(f"{text}\n{refused}")
        await replies.send(bot, services, chat_id, text, replies.photos_markup(lang, view))
        return
    if not _stored_photo(wait.turn):
        await replies.send_turn(bot, services, chat_id, wait.turn)


def _stored_photo(turn: Turn) -> bool:
    """The part was taken into the draft (its answer is the settled count, or nothing)."""
    outcome = turn.outcome
    return turn.status is Status.OK and outcome is not None and outcome.accepted and not outcome.prompt
