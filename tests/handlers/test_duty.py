"""/duty as officers use it: on and off in a private chat or in the group, the roster kept in the
database (across a restart), strangers refused."""

from __future__ import annotations

from sqlmodel import select

from bot.app import stop_services
from storage.models import OfficerDuty
from tests.conftest import GROUP_ID, OFFICER2_ID, OFFICER_ID, OUTSIDER_ID, RESIDENT2_ID, RESIDENT_ID, make_config, start_harness


async def roster(h) -> dict[int, bool]:
    async with h.services.db.read() as s:
        return {d.officer_id: d.on_duty for d in (await s.exec(select(OfficerDuty))).all()}


async def say(h, user_id: int, text: str, chat_id: int | None = None) -> dict:
    h.vtime.value += 1
    await h.text(user_id, text, **({"chat_id": chat_id} if chat_id else {}))
    return h.last(chat_id or user_id)


async def test_an_officer_goes_on_and_off_duty_in_a_private_chat(h):
    reply = await say(h, OFFICER_ID, "/duty on")
    assert reply["plain_text"].startswith("✅ Anda tercatat bertugas.")
    assert await roster(h) == {OFFICER_ID: True}
    status = await say(h, OFFICER_ID, "/duty")
    assert status["plain_text"] == "Status Anda: bertugas.\nPetugas jaga: Agus\n\nGunakan /duty on atau /duty off."
    assert (await say(h, OFFICER_ID, "/duty off"))["plain_text"] == "Anda tidak lagi tercatat bertugas."
    assert await roster(h) == {OFFICER_ID: False}
    assert "Belum ada petugas jaga" in (await say(h, OFFICER_ID, "/duty"))["plain_text"]


async def test_in_the_group_the_answer_is_in_the_group(h):
    reply = await say(h, OFFICER2_ID, "/duty on", chat_id=GROUP_ID)
    assert reply["plain_text"].startswith("✅ Anda tercatat bertugas.")
    assert reply["reply_to_message"]["from"]["id"] == OFFICER2_ID
    assert await roster(h) == {OFFICER2_ID: True}


async def test_english_speaking_officers_are_answered_in_english(h, fake):
    fake.add_user(7_000_000_003, "Eve", language_code="en")
    fake.add_group(GROUP_ID, "Petugas", members=[OFFICER_ID, 7_000_000_003])
    assert (await say(h, 7_000_000_003, "/duty on"))["plain_text"].startswith("✅ You are on duty.")


async def test_residents_and_strangers_are_refused_and_the_roster_does_not_change(h):
    for who in (RESIDENT_ID, RESIDENT2_ID, OUTSIDER_ID):
        reply = await say(h, who, "/duty on")
        assert reply["plain_text"] in ("Maaf, Anda tidak berwenang melakukan ini.", "Sorry, you are not allowed to do this.")
    assert await roster(h) == {}


async def test_with_an_officer_list_only_listed_officers_may(tmp_path, database_url, fake, clock, vtime):
    config = make_config(tmp_path, database_url=database_url, officers={"officer_ids": [OFFICER_ID]})
    h = await start_harness(config, fake, clock, vtime)
    try:
        await say(h, OFFICER2_ID, "/duty on")  # in the group, but not on the list
        await say(h, OFFICER_ID, "/duty on")
        assert await roster(h) == {OFFICER_ID: True}
    finally:
        await stop_services(h.app)
        await h.app.shutdown()
    # A restart keeps the roster: it lives in the database.
    h = await start_harness(config, fake, clock, vtime)
    try:
        assert "Petugas jaga: Agus" in (await say(h, OFFICER_ID, "/duty"))["plain_text"]
    finally:
        await stop_services(h.app)
        await h.app.shutdown()
