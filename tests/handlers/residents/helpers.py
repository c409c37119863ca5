"""Shared steps of the resident conversation tests: drive a draft to a step, read the draft."""

from __future__ import annotations

from sqlmodel import select

from storage.models import Draft, Outbox, Photo, Report, Reporter
from tests.conftest import IN_AREA

DESCRIPTION = "Ada orang asing bekerja di bengkel tiap hari sejak bulan lalu."


async def say(h, user_id: int, text: str) -> dict:
    """A text message, with a second of (virtual) time so the fake's flood limits never trip."""
    h.vtime.value += 1
    await h.text(user_id, text)
    return h.last(user_id)


async def feed(h, update: dict, user_id: int) -> dict | None:
    h.vtime.value += 1
    await h.feed(update)
    return h.fake.last_bot_message(user_id)


async def press(h, user_id: int, message: dict, label_part: str) -> dict:
    h.vtime.value += 1
    await h.press(user_id, message, h.button_data(message, label_part))
    return h.last(user_id)


async def press_data(h, user_id: int, message: dict, data: str) -> dict:
    h.vtime.value += 1
    await h.press(user_id, message, data)
    return h.last(user_id)


def find_with_buttons(h, user_id: int) -> dict:
    """The latest bot message that carries inline buttons."""
    for msg in reversed(h.fake.bot_messages(user_id)):
        if h.fake.buttons(msg):
            return msg
    raise AssertionError("no bot message with buttons")


async def to_location(h, user_id: int, category: str = "illegal_work") -> dict:
    await say(h, user_id, "/start")
    message = find_with_buttons(h, user_id)
    data = next(d for row in h.fake.buttons(message) for _, d in row if d.endswith(f":{category}"))
    return await press_data(h, user_id, message, data)


async def to_description(h, user_id: int) -> dict:
    await to_location(h, user_id)
    return await feed(h, h.fake.user_location(user_id, *IN_AREA, horizontal_accuracy=12.0), user_id)


async def to_photos(h, user_id: int, description: str = DESCRIPTION) -> dict:
    await to_description(h, user_id)
    return await say(h, user_id, description)


async def to_review(h, user_id: int, description: str = DESCRIPTION) -> dict:
    msg = await to_photos(h, user_id, description)
    return await press(h, user_id, msg, "Lewati" if "Lewati" in str(h.fake.buttons(msg)) else "Skip")


async def draft_of(h, user_id: int) -> Draft | None:
    async with h.services.db.read() as s:
        reporter = (await s.exec(select(Reporter).where(Reporter.telegram_id == user_id))).first()
        if reporter is None:
            return None
        return (await s.exec(select(Draft).where(Draft.reporter_id == reporter.id))).first()


async def snapshot(h, user_id: int) -> dict | None:
    """Every field of the draft (and its photo count): equal snapshots mean nothing changed."""
    draft = await draft_of(h, user_id)
    if draft is None:
        return None
    async with h.services.db.read() as s:
        photos = (await s.exec(select(Photo).where(Photo.draft_id == draft.id))).all()
    return {**draft.model_dump(), "photos": len(photos)}


async def all_rows(h, model) -> list:
    async with h.services.db.read() as s:
        return list((await s.exec(select(model))).all())


async def reports(h) -> list[Report]:
    return await all_rows(h, Report)


async def outbox(h) -> list[Outbox]:
    return await all_rows(h, Outbox)
