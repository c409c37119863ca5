"""What the resident sees: each step's question with its keyboard, and the reply to a `Turn`.

Sent only after the transaction that produced the turn has committed.
"""

from __future__ import annotations

import logging

from telegram import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    KeyboardButton,
    LinkPreviewOptions,
    ReplyKeyboardMarkup,
    ReplyKeyboardRemove,
)
from telegram.error import Forbidden, NetworkError, RetryAfter
from telegram.ext import ExtBot

from bot import intake, walkin
from bot.callbacks import Action, encode
from bot.draft import DraftView, format_location, format_review
from bot.retry import is_transient, pace, sleep_of, with_retries
from bot.services import Services
from bot.texts import Html, t
from handlers.residents.flow import Status, Turn

log = logging.getLogger("sipoa.residents")

Markup = InlineKeyboardMarkup | ReplyKeyboardMarkup | ReplyKeyboardRemove | None

# The review carries a map link: its preview would push the buttons off a phone's screen.
NO_PREVIEW = LinkPreviewOptions(is_disabled=True)


def category_label(services: Services, code: str | None, lang: str) -> str:
    category = services.config.category(code or "")
    if category is None:
        return code or "—"
    return category.en if lang == "en" else category.id


def _inline(rows: list[list[tuple[str, str]]]) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(text, callback_data=data) for text, data in row] for row in rows]
    )


def photos_markup(lang: str, view: DraftView) -> InlineKeyboardMarkup:
    if view.photo_count:
        return _inline([[(t(lang, "btn_done"), encode(Action.PHOTOS_DONE, view.id))]])
    return _inline([[(t(lang, "btn_skip"), encode(Action.PHOTOS_SKIP, view.id))]])


def review_markup(lang: str, view: DraftView) -> InlineKeyboardMarkup:
    return _inline([
        [(t(lang, "btn_submit"), encode(Action.SUBMIT, view.id))],
        [(t(lang, "btn_edit"), encode(Action.EDIT, view.id)), (t(lang, "btn_cancel"), encode(Action.CANCEL, view.id))],
    ])


def edit_menu_markup(lang: str, view: DraftView) -> InlineKeyboardMarkup:
    def b(step: str) -> tuple[str, str]:
        key = "btn_back_review" if step == intake.REVIEW else f"btn_edit_{step}"
        return t(lang, key), encode(Action.EDIT_STEP, view.id, step)

    own = walkin.edit_rows(lang, view) if view.channel == walkin.WALK_IN else []
    return _inline([
        *own,
        [b(intake.CATEGORY), b(intake.LOCATION)],
        [b(intake.DESCRIPTION), b(intake.PHOTOS)],
        [b(intake.REVIEW)],
    ])


def step_markup(services: Services, lang: str, view: DraftView) -> Markup:
    """The keyboard of the step the draft is at: the question's, and any hint's at that step."""
    rows = walkin.step_rows(lang, view) if view.channel == walkin.WALK_IN else None
    if rows is not None:  # a walk-in's own step (or its location step, without "send my location")
        return _inline(rows) if rows else None
    if view.step == intake.CATEGORY:
        return _inline([
            [(category_label(services, c.code, lang), encode(Action.CATEGORY, view.id, c.code))]
            for c in services.config.intake.categories
        ])
    if view.step == intake.LOCATION:
        button = KeyboardButton(t(lang, "btn_send_location"), request_location=True)
        return ReplyKeyboardMarkup([[button]], resize_keyboard=True, one_time_keyboard=True)
    if view.step == intake.PHOTOS:
        return photos_markup(lang, view)
    if view.step == intake.REVIEW:
        return review_markup(lang, view)
    return None


def prompt_text(services: Services, lang: str, view: DraftView) -> Html:
    cfg = services.config.intake
    if view.channel == walkin.WALK_IN:
        own = walkin.prompt_text(lang, view, category_label=category_label(services, view.category, lang))
        if own is not None:
            return own
    if view.step == intake.LOCATION:
        return t(lang, "prompt_location")
    if view.step == intake.DESCRIPTION:
        return t(lang, "prompt_description", min=cfg.description_min_chars, max=cfg.description_max_chars)
    if view.step == intake.PHOTOS:
        key = "prompt_photos_replace" if view.return_to == intake.REVIEW else "prompt_photos"
        return t(lang, key, max=cfg.max_photos)
    if view.step == intake.REVIEW:
        return format_review(lang, view, category_label=category_label(services, view.category, lang))
    return t(lang, "prompt_category")


def office_list(lang: str, services: Services) -> Html:
    """One line per office the bot serves, with the regencies/cities it covers."""
    return Html("\n".join(t(lang, "office_line", name=o.name, area=", ".join(o.regions())) for o in services.offices))


def notice_text(services: Services, lang: str, key: str, values: dict, view: DraftView | None) -> Html:
    """A notice's text; the few placeholders that need the office or the draft are filled here."""
    extra: dict = {}
    if key == "location_saved" and view is not None:
        extra["location"] = format_location(lang, view)
    elif key == "location_outside" and len(services.offices) > 1:
        return t(lang, "location_outside_offices", offices=office_list(lang, services))
    elif key == "address_no_office":
        examples = [a.kecamatan for o in services.offices for a in o.jurisdiction.areas[:1] if a.kecamatan]
        extra = {"offices": office_list(lang, services), "example": ", ".join(examples)}
    elif key == "location_outside":
        # The regencies/cities the office covers say more to a resident than the file's name.
        regions = dict.fromkeys(a.kabupaten_kota for a in services.jurisdiction.areas)
        extra = {"office": services.offices.primary.name, "area": ", ".join(regions) or services.jurisdiction.name}
    elif key in ("expect_description", "description_too_short", "description_too_long"):
        cfg = services.config.intake
        extra = {"min": cfg.description_min_chars, "max": cfg.description_max_chars}
    elif key in ("expect_photos", "photos_max", "photo_received"):
        extra = {"max": services.config.intake.max_photos}
    return t(lang, key, **{**extra, **values})


async def send(bot: ExtBot, services: Services, chat_id: int, text: str, markup: Markup = None) -> None:
    """A direct reply, retried through flood waits and network failures (only this chat's updates
    wait: they are serialised per chat anyway). When Telegram stays unreachable the reply is given
    up with a warning: the draft was saved before, and the resident's next message is answered."""
    async def attempt():
        await pace(services, chat_id)
        return await bot.send_message(chat_id, text, reply_markup=markup, link_preview_options=NO_PREVIEW)

    try:
        await with_retries(attempt, sleep=sleep_of(services))
    except Forbidden as err:
        # The resident blocked the bot after writing (an album's answer goes out a moment later):
        # nobody is left to read the reply, and the draft is saved.
        log.info("event=reply_refused chat=%s error=%r", chat_id, str(err))
    except (RetryAfter, NetworkError) as err:
        if not is_transient(err):
            raise
        log.warning("event=reply_failed error=%r", str(err))


async def send_prompt(bot: ExtBot, services: Services, chat_id: int, lang: str, view: DraftView) -> None:
    await send(bot, services, chat_id, prompt_text(services, lang, view), step_markup(services, lang, view))


async def send_turn(bot: ExtBot, services: Services, chat_id: int, turn: Turn) -> None:
    lang, view = turn.lang, turn.view
    status = turn.status
    if status is Status.OK and view is not None and turn.outcome is not None:
        await _send_outcome(bot, services, chat_id, turn, view)
    elif status in (Status.REDELIVERED, Status.RESTARTED) and view is not None:
        await send_prompt(bot, services, chat_id, lang, view)
    elif status is Status.STARTED and view is not None:
        # The welcome also clears a reply keyboard left from an earlier draft's location step.
        welcome = t(lang, "welcome", office=", ".join(o.name for o in services.offices))
        await send(bot, services, chat_id, welcome, ReplyKeyboardRemove())
        await send_prompt(bot, services, chat_id, lang, view)
    elif status is Status.RESUME_OFFER and view is not None:
        markup = _inline([[
            (t(lang, "btn_resume"), encode(Action.RESUME, view.id)),
            (t(lang, "btn_discard"), encode(Action.DISCARD, view.id)),
        ]])
        await send(bot, services, chat_id, t(lang, "resume_offer", step=t(lang, f"step_{view.step}")), markup)
    elif status is Status.SUBMITTED:
        # Screening's decision chooses the words (accepted and held read the same); then, once,
        # the optional offer to verify the phone number.
        key = turn.values.get("reply_key", "submitted")
        values = turn.values.get("reply_values") or {"number": turn.report_number or ""}
        text, markup = t(lang, key, **values), ReplyKeyboardRemove()
        if turn.values.get("offer_phone"):
            from handlers.phone import offer_markup

            # One message: its keyboard replaces the location step's.
            text, markup = Html(f"{text}\n\n{t(lang, 'scr_phone_offer')}"), offer_markup(lang)
        await send(bot, services, chat_id, text, markup)
    elif status in _PLAIN:
        await send(bot, services, chat_id, t(lang, _PLAIN[status]), ReplyKeyboardRemove())


_PLAIN = {
    Status.NO_DRAFT: "no_draft",
    Status.EXPIRED: "draft_expired",
    Status.CANCELLED: "cancelled",
    Status.NOTHING_TO_CANCEL: "nothing_to_cancel",
}


async def _send_outcome(bot: ExtBot, services: Services, chat_id: int, turn: Turn, view: DraftView) -> None:
    outcome, lang = turn.outcome, turn.lang
    assert outcome is not None
    if outcome.effect is intake.Effect.EDIT_MENU:
        await send(bot, services, chat_id, t(lang, "edit_menu"), edit_menu_markup(lang, view))
        return
    notice = notice_text(services, lang, outcome.notice, outcome.values, view) if outcome.notice else None
    if not outcome.prompt:
        if notice is not None:
            await send(bot, services, chat_id, notice, step_markup(services, lang, view))
        return
    text, markup = prompt_text(services, lang, view), step_markup(services, lang, view)
    leaving_location = turn.before_step == intake.LOCATION and view.step != intake.LOCATION
    if leaving_location and isinstance(markup, InlineKeyboardMarkup):
        # One message cannot both remove the reply keyboard and carry inline buttons.
        if notice is not None:
            await send(bot, services, chat_id, notice, ReplyKeyboardRemove())
        await send(bot, services, chat_id, text, markup)
        return
    if leaving_location and markup is None:
        markup = ReplyKeyboardRemove()
    await send(bot, services, chat_id, Html(f"{notice}\n\n{text}") if notice else text, markup)
