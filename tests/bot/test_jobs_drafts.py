"""The draft-expiry sweep: idle drafts become expired in the database with one notice each, in the
resident's language; each accepted step pushes the deadline forward."""

from __future__ import annotations

from bot.jobs import expire_drafts, sweep_drafts
from storage.outbox import OutboxKind
from tests.conftest import RESIDENT2_ID, RESIDENT_ID
from tests.handlers.residents.helpers import DESCRIPTION, draft_of, outbox, say, to_description


async def test_each_accepted_step_pushes_the_expiry_forward(h):
    await to_description(h, RESIDENT_ID)
    h.clock.advance(minutes=20)
    await say(h, RESIDENT_ID, DESCRIPTION)
    h.clock.advance(minutes=20)  # 40 minutes since start, 20 since the last step
    assert await expire_drafts(h.services) == 0
    assert (await draft_of(h, RESIDENT_ID)).status == "active"


async def test_expiry_is_noticed_without_the_sweep_and_announced_once(h):
    await to_description(h, RESIDENT_ID)
    h.clock.advance(minutes=31)
    reply = await say(h, RESIDENT_ID, DESCRIPTION)  # the sweep has not run yet
    assert "kedaluwarsa" in reply["plain_text"]
    assert await expire_drafts(h.services) == 0  # already told: no second notice
    assert [o for o in await outbox(h) if o.kind == OutboxKind.TEXT] == []


async def test_english_expiry_notice(h):
    await to_description(h, RESIDENT2_ID)
    h.clock.advance(hours=1)
    await expire_drafts(h.services)
    [notice] = [o for o in await outbox(h) if o.kind == OutboxKind.TEXT]
    assert notice.payload["text"].startswith("Your unfinished report expired")


async def test_the_sweep_is_scheduled_at_the_configured_interval_and_runs_as_a_job(h):
    [job] = h.app.job_queue.get_jobs_by_name("sweep_drafts")
    assert job.callback is sweep_drafts
    assert job.trigger.interval.total_seconds() == h.services.config.dispatcher.sweep_interval_seconds
    await to_description(h, RESIDENT_ID)
    h.clock.advance(hours=1)
    await job.run(h.app)
    assert (await draft_of(h, RESIDENT_ID)).status == "expired"


async def test_a_second_sweep_does_not_notify_again(h):
    await to_description(h, RESIDENT_ID)
    h.clock.advance(hours=1)
    assert await expire_drafts(h.services) == 1
    h.clock.advance(hours=1)
    assert await expire_drafts(h.services) == 0
    assert len([o for o in await outbox(h) if o.kind == OutboxKind.TEXT]) == 1
