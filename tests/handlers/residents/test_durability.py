"""The draft lives in the database: expiry after idling (also across a restart), and a restarted
process continuing the conversation where the resident was."""

from __future__ import annotations

from bot.app import stop_services
from bot.jobs import expire_drafts
from storage.outbox import OutboxKind
from tests.conftest import RESIDENT_ID, start_harness
from tests.handlers.residents.helpers import (
    DESCRIPTION,
    draft_of,
    outbox,
    press,
    reports,
    say,
    to_description,
    to_photos,
)


async def test_an_idle_draft_expires_and_start_offers_to_resume_it(h):
    await to_photos(h, RESIDENT_ID)
    h.clock.advance(minutes=29)
    assert await expire_drafts(h.services) == 0
    h.clock.advance(minutes=2)
    assert await expire_drafts(h.services) == 1
    draft = await draft_of(h, RESIDENT_ID)
    assert draft.status == "expired"
    [notice] = [o for o in await outbox(h) if o.kind == OutboxKind.TEXT]
    assert notice.chat_id == RESIDENT_ID and "/start" in notice.payload["text"]
    assert "kedaluwarsa" in notice.payload["text"]
    # The next message is not taken as the answer to the old question.
    reply = await say(h, RESIDENT_ID, "lewati")
    assert "kedaluwarsa" in reply["plain_text"]
    assert (await draft_of(h, RESIDENT_ID)).step == "photos"
    offer = await say(h, RESIDENT_ID, "/start")
    assert "Lanjutkan" in str(h.fake.buttons(offer))
    prompt = await press(h, RESIDENT_ID, offer, "Lanjutkan")
    assert prompt["plain_text"].startswith("4/5 · Foto")
    draft = await draft_of(h, RESIDENT_ID)
    assert draft.status == "active" and draft.expires_at > h.now()
    review = await press(h, RESIDENT_ID, prompt, "Lewati")
    await press(h, RESIDENT_ID, review, "Kirim")
    assert len(await reports(h)) == 1


async def test_a_restarted_process_continues_the_conversation(h, config, fake, clock, vtime):
    await to_description(h, RESIDENT_ID)
    # The first process is gone (as after a kill): a new one on the same database takes over.
    h2 = await start_harness(config, fake, clock, vtime)
    try:
        reply = await say(h2, RESIDENT_ID, DESCRIPTION)
        assert reply["plain_text"].startswith("4/5 · Foto")
        review = await press(h2, RESIDENT_ID, reply, "Lewati")
        confirmation = await press(h2, RESIDENT_ID, review, "Kirim")
        assert "TNG-2026-000001" in confirmation["plain_text"]
    finally:
        await stop_services(h2.app)
        await h2.app.shutdown()


async def test_expiry_after_a_restart(h, config, fake, clock, vtime):
    """The deadline is a column: a process started after it passed still expires the draft."""
    await to_description(h, RESIDENT_ID)
    clock.advance(hours=2)
    h2 = await start_harness(config, fake, clock, vtime)
    try:
        assert await expire_drafts(h2.services) == 1
    finally:
        await stop_services(h2.app)
        await h2.app.shutdown()


async def test_a_reply_that_hits_the_flood_limit_is_sent_after_the_wait(h):
    await to_description(h, RESIDENT_ID)
    h.fake.inject("429", method="sendMessage", retry_after=3)
    before = h.vtime.value
    reply = await say(h, RESIDENT_ID, DESCRIPTION)
    assert reply["plain_text"].startswith("4/5 · Foto")
    assert h.vtime.value >= before + 1 + 3  # waited (virtually) as Telegram asked
