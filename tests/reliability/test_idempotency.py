"""Item 1: an update delivered again (Telegram redelivers what the bot did not confirm before a
crash, with the same update_id) and a button pressed twice never make a second report, a second
alert or a second status change.

How: the draft remembers the last update it applied (Draft.last_update_id) and answers an older or
equal one with the current question, changing nothing; a report remembers the update that
submitted it (Report.submit_update_id, unique) and the draft it came from, so a second Submit finds
it; every status change is a conditional UPDATE (`… WHERE status = 'new'`); outbox rows carry
dedupe keys and the dispatcher never posts an alert whose message id is recorded.
"""

from __future__ import annotations

import copy

from sqlmodel import select

from bot.callbacks import Action
from storage.models import Draft, Outbox, Report, ReportEvent
from storage.outbox import OutboxKind
from tests.conftest import GROUP_ID, OFFICER2_ID, OFFICER_ID, RESIDENT_ID, SUPERVISOR_ID
from tests.reliability.support import (
    POINTS,
    REPORT_NUMBER,
    alert_message,
    consistency_problems,
    description_for,
    find_button,
    settle,
    step,
    table_snapshot,
)


async def recorded_report(h, user_id: int, n: int = 1, *, photos: int = 1, replay=None) -> list[dict]:
    """Drive a whole report, returning every update fed. `replay(updates)` runs after each step."""
    fake, fed = h.fake, []

    async def feed(update: dict) -> None:
        fed.append(copy.deepcopy(update))
        await step(h, update)
        if replay is not None:
            await replay(fed)

    def press(action: Action, value: str | None = None) -> dict:
        msg, data = find_button(fake, user_id, action, value=value)
        return fake.user_press(user_id, user_id, msg["message_id"], data)

    await feed(fake.user_text(user_id, "/start"))
    await feed(press(Action.CATEGORY, "overstay"))
    await feed(fake.user_location(user_id, *POINTS[n % len(POINTS)], horizontal_accuracy=10.0))
    await feed(fake.user_text(user_id, description_for(n)))
    for _ in range(photos):
        await feed(fake.user_photo(user_id))
    await feed(press(Action.PHOTOS_DONE))
    await feed(press(Action.SUBMIT))
    return fed


async def counts(h) -> tuple[int, int, int]:
    async with h.services.db.read() as s:
        reports = len((await s.exec(select(Report))).all())
        alerts = len((await s.exec(select(Outbox).where(Outbox.kind == OutboxKind.ALERT))).all())
        events = len((await s.exec(select(ReportEvent))).all())
    return reports, alerts, events


def numbers_told(h, user_id: int) -> set[str]:
    return {m for msg in h.fake.bot_messages(user_id) for m in REPORT_NUMBER.findall(msg.get("plain_text") or "")}


async def test_each_update_of_a_report_redelivered_at_once_changes_nothing(h):
    """After every step the same update comes again (a crash before Telegram was told): the database
    is exactly as before it, and the resident is asked the current question again."""
    snapshots = []

    async def replay(fed: list[dict]) -> None:
        before = await table_snapshot(h.services.db)
        replies = len(h.fake.bot_messages(RESIDENT_ID))
        await step(h, copy.deepcopy(fed[-1]))
        assert await table_snapshot(h.services.db) == before, f"redelivered update {len(fed)} changed rows"
        assert len(h.fake.bot_messages(RESIDENT_ID)) > replies  # answered, never silent
        snapshots.append(len(fed))

    await recorded_report(h, RESIDENT_ID, replay=replay)
    assert len(snapshots) == 7
    assert await counts(h) == (1, 1, 1)
    assert len(numbers_told(h, RESIDENT_ID)) == 1
    await settle(h)
    assert len([m for m in h.fake.bot_messages(GROUP_ID) if m["plain_text"].startswith("🚨")]) == 1
    assert await consistency_problems(h.services.db) == []


async def test_the_whole_conversation_redelivered_after_the_submit_makes_no_second_report(h):
    """The worst case of a crash: every update of the conversation comes again, in order, after the
    report was made. One report, one alert, one number; the replayed /start opens no second draft."""
    fed = await recorded_report(h, RESIDENT_ID)
    [number] = numbers_told(h, RESIDENT_ID)
    for update in fed:
        await step(h, copy.deepcopy(update))
    assert await counts(h) == (1, 1, 1)
    async with h.services.db.read() as s:
        assert (await s.exec(select(Draft))).all() == []
    assert numbers_told(h, RESIDENT_ID) == {number}
    await settle(h)
    assert len([m for m in h.fake.bot_messages(GROUP_ID) if m["plain_text"].startswith("🚨")]) == 1
    assert await consistency_problems(h.services.db) == []


async def test_a_suffix_redelivered_in_the_middle_resumes_where_it_was(h):
    """Updates 2..4 come again while the resident is at the photos step: the draft stays there."""
    fed = []

    async def crash_once(so_far: list[dict]) -> None:
        if len(so_far) == 4 and not fed:
            fed.extend(so_far)
            before = await table_snapshot(h.services.db)
            for update in so_far[1:]:
                await step(h, copy.deepcopy(update))
            assert await table_snapshot(h.services.db) == before

    await recorded_report(h, RESIDENT_ID, replay=crash_once)
    assert await counts(h) == (1, 1, 1)


async def test_submit_pressed_twice_and_redelivered_gives_one_report_and_one_alert(h):
    fed = await recorded_report(h, RESIDENT_ID)
    submit = fed[-1]
    again = h.fake.user_press(RESIDENT_ID, RESIDENT_ID, submit["callback_query"]["message"]["message_id"],
                              submit["callback_query"]["data"])
    await step(h, again)  # a second tap: a new update id
    await step(h, copy.deepcopy(submit))  # and the first tap redelivered
    assert await counts(h) == (1, 1, 1)
    assert len(numbers_told(h, RESIDENT_ID)) == 1
    assert await settle(h) >= 1
    assert len([m for m in h.fake.bot_messages(GROUP_ID) if m["plain_text"].startswith("🚨")]) == 1


async def officer_update(h, officer_id: int, number: str, action: Action) -> dict:
    msg = alert_message(h.fake, GROUP_ID, number)
    data = next(d for row in h.fake.buttons(msg) for _, d in row if d.startswith(f"1:{action.value}:"))
    return h.fake.user_press(officer_id, GROUP_ID, msg["message_id"], data)


async def test_officer_presses_redelivered_change_the_status_once(h):
    await recorded_report(h, RESIDENT_ID, photos=2)
    [number] = numbers_told(h, RESIDENT_ID)
    await settle(h)
    resident_messages = len(h.fake.bot_messages(RESIDENT_ID))
    for action in (Action.TAKE, Action.PHOTOS, Action.RESOLVE):
        press = await officer_update(h, OFFICER_ID, number, action)
        await step(h, press)
        before = await table_snapshot(h.services.db)
        answers = len(h.fake.answered_callbacks)
        await step(h, copy.deepcopy(press))  # redelivered after a crash: answered already
        await step(h, copy.deepcopy(press))
        assert await table_snapshot(h.services.db) == before, f"a redelivered {action.name} changed rows"
        assert len(h.fake.answered_callbacks) == answers  # Telegram refuses a second answer
        await settle(h)
    async with h.services.db.read() as s:
        events = [(e.from_status, e.to_status) for e in (await s.exec(select(ReportEvent))).all()]
    assert events == [(None, "new"), ("new", "taken"), ("taken", "resolved")]
    told = [m["plain_text"] for m in h.fake.bot_messages(RESIDENT_ID)[resident_messages:]]
    assert len(told) == 2 and "ditangani" in told[0] and "selesai" in told[1]
    assert await consistency_problems(h.services.db) == []


async def test_a_take_redelivered_after_another_officer_pressed_changes_nothing(h):
    await recorded_report(h, RESIDENT_ID)
    [number] = numbers_told(h, RESIDENT_ID)
    await settle(h)
    first = await officer_update(h, OFFICER_ID, number, Action.TAKE)
    late = await officer_update(h, OFFICER2_ID, number, Action.TAKE)
    await step(h, first)
    await step(h, late)
    await settle(h)
    close = await officer_update(h, SUPERVISOR_ID, number, Action.FALSE_REPORT)
    await step(h, close)
    before = await table_snapshot(h.services.db)
    for update in (first, late, close):
        await step(h, copy.deepcopy(update))
    assert await table_snapshot(h.services.db) == before
    async with h.services.db.read() as s:
        report = (await s.exec(select(Report))).one()
    assert (report.status, report.taken_by, report.closed_by) == ("false_report", OFFICER_ID, SUPERVISOR_ID)
