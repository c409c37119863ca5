"""Item 5: nobody acts who should not. Presses from outside the officers, forged, truncated, replayed
and other reports' button data, staff commands from residents, supervisor commands from officers,
commands in the group from strangers, the bot added to a foreign group, a resident reading another's
report: every database table is exactly as before, and each refusal leaves a line in the log.
"""

from __future__ import annotations

import itertools
import logging

import pytest

from bot.callbacks import Action, encode
from tests import factories
from tests.conftest import (
    GROUP_ID,
    OFFICER2_ID,
    OFFICER_ID,
    OUTSIDER_ID,
    RESIDENT2_ID,
    RESIDENT_ID,
    make_config,
    start_harness,
)
from tests.reliability.support import POINTS, Resident, alert_message, description_for, find_button, settle, step, table_snapshot

STAFF = {"officers": {"officer_ids": [OFFICER_ID, OFFICER2_ID]}}
SUPERVISOR_COMMANDS = ["/stats", "/export", "/review", "/restrict {a} spam", "/unrestrict {a}"]
OFFICER_COMMANDS = ["/duty on", "/duty off"]


@pytest.fixture
async def ah(tmp_path, database_url, fake, clock, vtime):
    harness = await start_harness(make_config(tmp_path, database_url=database_url, **STAFF), fake, clock, vtime)
    yield harness
    from bot.app import stop_services

    await stop_services(harness.app)
    await harness.app.shutdown()


async def world(h) -> dict:
    """Two reports with their alerts in the group (A taken by the first officer), and a resident's
    draft at the review."""
    numbers = {}
    async with h.services.db.transaction() as s:
        for key, who in (("a", RESIDENT_ID), ("b", RESIDENT2_ID)):
            photos = [h.fake.user_photo(who)["message"]["photo"][-1]["file_id"] for _ in range(3)]
            report = await factories.report_with_alert(s, group_chat_id=GROUP_ID, now=h.now(), telegram_id=who,
                                                       photo_file_ids=photos)
            numbers[key], numbers[f"{key}_id"] = report.number, report.id
    await settle(h)
    alert_a = alert_message(h.fake, GROUP_ID, numbers["a"])
    take = next(d for row in h.fake.buttons(alert_a) for _, d in row if d.startswith("1:t:"))
    await step(h, h.fake.user_press(OFFICER_ID, GROUP_ID, alert_a["message_id"], take))
    await settle(h)
    resident = Resident(h, RESIDENT_ID)
    fake = h.fake
    await step(h, fake.user_text(RESIDENT_ID, "/start"))
    await resident.press(Action.CATEGORY, "overstay")
    await step(h, fake.user_location(RESIDENT_ID, *POINTS[0], horizontal_accuracy=10.0))
    await step(h, fake.user_text(RESIDENT_ID, description_for(3)))
    await resident.press(Action.PHOTOS_SKIP)
    msg, data = find_button(fake, RESIDENT_ID, Action.SUBMIT)
    numbers["draft_id"] = int(data.split(":")[2])
    numbers["review_message"] = msg
    return numbers


async def unchanged(h, caplog, act, *, log_has: str | tuple[str, ...] = "refused") -> None:
    """Run `act`; every table must be as before, and a log line must say what was refused."""
    before = await table_snapshot(h.services.db)
    caplog.clear()
    await act()
    await settle(h)
    after = await table_snapshot(h.services.db)
    changed = {t: (before[t], after[t]) for t in after if before.get(t) != after[t]}
    assert changed == {}, f"state changed: {changed}"
    wanted = (log_has,) if isinstance(log_has, str) else log_has
    lines = [r.getMessage() for r in caplog.records if r.name.startswith("sipoa")]
    assert any(w in line for line in lines for w in wanted), f"no {wanted} in the log: {lines}"


def _alert(h, w, key="a") -> dict:
    return alert_message(h.fake, GROUP_ID, w[key])


# --- buttons in the group --------------------------------------------------------------------------


async def test_presses_by_someone_who_is_not_an_officer_change_nothing(ah, caplog):
    caplog.set_level(logging.INFO)
    w = await world(ah)
    for action, key in itertools.product([Action.TAKE, Action.RESOLVE, Action.FALSE_REPORT, Action.PHOTOS], "ab"):
        msg = _alert(ah, w, key)
        data = encode(action, w[f"{key}_id"])
        answers = len(ah.fake.answered_callbacks)
        await unchanged(ah, caplog, lambda: step(ah, ah.fake.user_press(OUTSIDER_ID, GROUP_ID, msg["message_id"], data)))
        assert ah.fake.answered_callbacks[answers:][0]["text"] == "Maaf, Anda tidak terdaftar sebagai petugas."


FORGED = [
    "", "1", "1:", "1:t", "1:t:", "1:t:x", "1:t:-1", "1:t:+{a}", "1:t: {a}", "1:t:{a}:x", "2:t:{a}", "0:t:{a}",
    "1:zz:{a}", "1:T:{a}", "1:t:99999999999999999999", "1:t:9223372036854775808", "1:t:{a}\x00", "x" * 64,
    "1:t:" + "9" * 60, "1:c:{draft}:overstay", "1:s:{draft}", "1:x:{draft}", "1:l:0:en", "1:rf:{a}", "1:rj:{a}:false",
    "1:rr:{a}", "1:v:{b}", "1:f:{b}", "1:t:{b}", "1:p:{b}", "1:v:987654",
]


async def test_forged_truncated_and_other_reports_data_in_the_group_change_nothing(ah, caplog):
    """Pressed by an officer on report A's alert: A is theirs, but this data is not a button of A's."""
    caplog.set_level(logging.INFO)
    w = await world(ah)
    msg = _alert(ah, w)
    for template in FORGED:
        data = template.format(a=w["a_id"], b=w["b_id"], draft=w["draft_id"])
        answers = len(ah.fake.answered_callbacks)
        await unchanged(ah, caplog, lambda: step(ah, ah.fake.user_press(OFFICER_ID, GROUP_ID, msg["message_id"], data)),
                        log_has=("refused", "outcome=not_found"))
        assert len(ah.fake.answered_callbacks) == answers + 1, data  # answered: no spinner left turning


async def test_replayed_and_out_of_turn_presses_change_nothing(ah, caplog):
    caplog.set_level(logging.INFO)
    w = await world(ah)
    msg = _alert(ah, w)
    for who, action in ((OFFICER2_ID, Action.TAKE), (OFFICER2_ID, Action.RESOLVE), (OFFICER2_ID, Action.FALSE_REPORT),
                        (OFFICER_ID, Action.TAKE)):
        data = encode(action, w["a_id"])
        await unchanged(ah, caplog, lambda: step(ah, ah.fake.user_press(who, GROUP_ID, msg["message_id"], data)),
                        log_has=("outcome=already_taken", "outcome=not_allowed"))
    resolve = encode(Action.RESOLVE, w["a_id"])
    await step(ah, ah.fake.user_press(OFFICER_ID, GROUP_ID, msg["message_id"], resolve))
    await settle(ah)
    await unchanged(ah, caplog, lambda: step(ah, ah.fake.user_press(OFFICER_ID, GROUP_ID, msg["message_id"], resolve)),
                    log_has="outcome=wrong_state")


# --- buttons outside the group ---------------------------------------------------------------------


async def test_staff_buttons_pressed_in_a_private_chat_change_nothing(ah, caplog):
    caplog.set_level(logging.INFO)
    w = await world(ah)
    actions = [Action.TAKE, Action.RESOLVE, Action.FALSE_REPORT, Action.PHOTOS, Action.REVIEW_FORWARD,
               Action.REVIEW_RESTRICT, Action.REVIEW_REJECT_MENU]
    for who, action in itertools.product([RESIDENT_ID, OFFICER_ID], actions):
        await step(ah, ah.fake.user_text(who, "halo"))
        own = ah.fake.messages(who)[-1]
        data = encode(action, w["a_id"])
        await unchanged(ah, caplog, lambda: step(ah, ah.fake.user_press(who, who, own["message_id"], data)))


async def test_another_residents_draft_buttons_change_nothing(ah, caplog):
    caplog.set_level(logging.INFO)
    w = await world(ah)
    await step(ah, ah.fake.user_text(RESIDENT2_ID, "/start"))
    own = ah.fake.bot_messages(RESIDENT2_ID)[-1]
    for action, value in ((Action.SUBMIT, None), (Action.CANCEL, None), (Action.CATEGORY, "other"),
                          (Action.EDIT_STEP, "description"), (Action.PHOTOS_SKIP, None), (Action.DISCARD, None)):
        data = encode(action, w["draft_id"], value)
        await unchanged(ah, caplog, lambda: step(ah, ah.fake.user_press(RESIDENT2_ID, RESIDENT2_ID, own["message_id"], data)),
                        log_has=("refused", "stale"))


# --- commands ---------------------------------------------------------------------------------------


async def test_supervisor_commands_from_anyone_else_change_nothing(ah, caplog):
    caplog.set_level(logging.INFO)
    w = await world(ah)
    for command, who in itertools.product(SUPERVISOR_COMMANDS, [OFFICER_ID, RESIDENT_ID, OUTSIDER_ID]):
        text = command.format(a=w["a"])
        replies = len(ah.fake.bot_messages(who))
        await unchanged(ah, caplog, lambda: step(ah, ah.fake.user_text(who, text)))
        [reply] = ah.fake.bot_messages(who)[replies:]
        assert reply["plain_text"] in ("Maaf, Anda tidak berwenang melakukan ini.", "Sorry, you are not allowed to do this.")


async def test_officer_commands_from_residents_change_nothing(ah, caplog):
    caplog.set_level(logging.INFO)
    await world(ah)
    for command, who in itertools.product(OFFICER_COMMANDS, [RESIDENT_ID, OUTSIDER_ID]):
        replies = len(ah.fake.bot_messages(who))
        await unchanged(ah, caplog, lambda: step(ah, ah.fake.user_text(who, command)))
        assert len(ah.fake.bot_messages(who)) == replies + 1


async def test_commands_in_the_group_from_strangers_are_ignored(ah, caplog):
    caplog.set_level(logging.INFO)
    w = await world(ah)
    in_group = len(ah.fake.bot_messages(GROUP_ID))
    for command in SUPERVISOR_COMMANDS + OFFICER_COMMANDS + ["/start", "/laporanku", "/cancel", "/x", "/stats@sipoa_test_bot"]:
        text = command.format(a=w["a"])
        await unchanged(ah, caplog, lambda: step(ah, ah.fake.user_text(OUTSIDER_ID, text, chat_id=GROUP_ID)),
                        log_has="event=group_command_ignored")
        assert len(ah.fake.bot_messages(GROUP_ID)) == in_group, command  # not answered for the group to see


async def test_chatter_in_the_group_is_not_the_bots_business(ah):
    await world(ah)
    before, in_group = await table_snapshot(ah.services.db), len(ah.fake.bot_messages(GROUP_ID))
    for who in (OUTSIDER_ID, OFFICER_ID, RESIDENT_ID):
        await step(ah, ah.fake.user_text(who, "halo semua, ada laporan baru?", chat_id=GROUP_ID))
        await step(ah, ah.fake.user_sticker(who, chat_id=GROUP_ID))
    await settle(ah)
    assert await table_snapshot(ah.services.db) == before
    assert len(ah.fake.bot_messages(GROUP_ID)) == in_group


async def test_the_bot_added_to_a_foreign_group_leaves_and_logs(ah, caplog):
    caplog.set_level(logging.INFO)
    await world(ah)
    await unchanged(ah, caplog, lambda: step(ah, ah.fake.bot_added_to_group(-100777, "Grup lain", OUTSIDER_ID)),
                    log_has="event=left_foreign_chat")
    assert [c.params["chat_id"] for c in ah.fake.calls_to("leaveChat")] == [-100777]
    # Whatever is said or pressed there afterwards changes nothing either.
    await unchanged(ah, caplog, lambda: step(ah, ah.fake.bot_added_to_group(-100778, "Grup 3", OUTSIDER_ID, as_admin=True)),
                    log_has="event=left_foreign_chat")


async def test_a_resident_cannot_read_anothers_report_through_myreports(ah):
    w = await world(ah)
    before = await table_snapshot(ah.services.db)
    for args in ["{b}", "{b_id}", "{a} {b}", "../{b}", "' OR 1=1 --", "%", "*"]:
        for command in ("/laporanku ", "/myreports "):
            await step(ah, ah.fake.user_text(RESIDENT_ID, command + args.format(**w)))
            reply = ah.fake.bot_messages(RESIDENT_ID)[-1]["plain_text"]
            assert w["a"] in reply and w["b"] not in reply, (command, args)
    assert await table_snapshot(ah.services.db) == before
