"""Routing between offices (issue 6): two offices, each with its own group, one bot. A report goes
to the office whose area holds its location, numbered with that office's prefix; each group acts on
its own office's reports only. (A single-office config is the rest of the suite.)"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlmodel import select

from bot.callbacks import Action, encode
from bot.config import Config
from storage.models import Report, Setting
from tests import factories
from tests.conftest import (
    GROUP_ID,
    IN_AREA,
    OFFICER_ID,
    OUT_OF_AREA,
    RESIDENT_ID,
    SUPERVISOR_ID,
    start_harness,
)
from tests.handlers.residents.helpers import (
    DESCRIPTION,
    draft_of,
    feed,
    find_with_buttons,
    press,
    press_data,
    say,
    snapshot,
    to_location,
)

JKS_GEOJSON = Path(__file__).resolve().parents[2] / "bot" / "data" / "jakarta_selatan.geojson"
JKS_GROUP = -1009876543210
JKS_OFFICER = 7_100_000_001
JKS_SUPERVISOR = 9_100_000_001
JAKSEL = (-6.2615, 106.8106)  # Kebayoran Baru, Jakarta Selatan
TNG_NAME = "Kantor Imigrasi Kelas I TPI Tangerang"
JKS_NAME = "Kantor Imigrasi Kelas I TPI Jakarta Selatan"


def two_office_config(tmp_path: Path, *, database_url: str, **sections: Any) -> Config:
    """Tangerang (the test suite's group, GROUP_ID) and Jakarta Selatan (JKS_GROUP); the suite's
    supervisor is the national one, JKS_SUPERVISOR supervises Jakarta Selatan only."""
    data: dict[str, Any] = {
        "telegram": {"token": "123456:TEST-TOKEN-not-real"},
        "officers": {"supervisor_ids": [SUPERVISOR_ID]},
        "storage": {"url": database_url, "base_dir": str(tmp_path)},
        "screening": {"enabled": False},
        "offices": [
            {"name": TNG_NAME, "report_prefix": "TNG", "group_chat_id": GROUP_ID},
            {"name": JKS_NAME, "report_prefix": "JKS", "jurisdiction": str(JKS_GEOJSON),
             "group_chat_id": JKS_GROUP, "supervisor_ids": [JKS_SUPERVISOR]},
        ],
    }
    for section, values in sections.items():
        data.setdefault(section, {}).update(values)
    return Config.model_validate(data)


@pytest.fixture
async def h(tmp_path, database_url, fake, clock, vtime):
    from bot.app import stop_services

    fake.add_user(JKS_OFFICER, "Dewi")
    fake.add_user(JKS_SUPERVISOR, "Rina")
    fake.add_group(JKS_GROUP, "Petugas Imigrasi Jakarta Selatan", members=[JKS_SUPERVISOR, JKS_OFFICER])
    harness = await start_harness(two_office_config(tmp_path, database_url=database_url), fake, clock, vtime)
    yield harness
    await stop_services(harness.app)
    await harness.app.shutdown()


async def submit_at(h, user_id: int, point: tuple[float, float] | None = None, *, address: str | None = None) -> dict:
    """A whole report from /start to Submit, located at `point` or at a typed `address`."""
    await to_location(h, user_id)
    if address is not None:
        await say(h, user_id, address)
    else:
        await feed(h, h.fake.user_location(user_id, *point, horizontal_accuracy=12.0), user_id)
    msg = await say(h, user_id, DESCRIPTION)
    review = await press(h, user_id, msg, "Lewati")
    return await press(h, user_id, review, "Kirim")


async def one_in_each_office(h) -> tuple[Report, Report]:
    """A report in Jakarta Selatan, then one in Tangerang, their alerts sent."""
    await submit_at(h, RESIDENT_ID, JAKSEL)
    await submit_at(h, RESIDENT_ID, IN_AREA)
    await h.drain()
    jks, tng = await all_reports(h)
    return jks, tng


async def all_reports(h) -> list[Report]:
    async with h.services.db.read() as s:
        return list((await s.exec(select(Report).order_by(Report.id))).all())


async def press_alert(h, user_id: int, chat_id: int, label: str) -> str:
    """Press `label` on the group's latest message, send what it queued; the toast the presser saw."""
    alert = h.last(chat_id)
    h.vtime.value += 1
    await h.press(user_id, alert, h.button_data(alert, label))
    await h.drain()
    return h.fake.answered_callbacks[-1]["text"] or ""


def texts(h, chat_id: int) -> list[str]:
    return [m["plain_text"] or "" for m in h.fake.bot_messages(chat_id)]


async def test_a_point_in_tangerang_alerts_tangerangs_group_with_a_tng_number(h):
    done = await submit_at(h, RESIDENT_ID, IN_AREA)
    await h.drain()
    [report] = await all_reports(h)
    assert report.number == "TNG-2026-000001" and report.prefix == "TNG"
    assert "TNG-2026-000001" in done["plain_text"]
    assert any("TNG-2026-000001" in t for t in texts(h, GROUP_ID))
    assert h.fake.bot_messages(JKS_GROUP) == []
    assert report.alert_chat_id == GROUP_ID


async def test_a_point_in_jakarta_selatan_alerts_its_group_and_counts_its_own_numbers(h):
    done = await submit_at(h, RESIDENT_ID, JAKSEL)
    await h.drain()
    assert "JKS-2026-000001" in done["plain_text"]
    alert = h.last(JKS_GROUP)
    assert "JKS-2026-000001" in alert["plain_text"] and "Kebayoran Baru" in alert["plain_text"]
    assert h.fake.buttons(alert)  # the officers' buttons, in that group
    assert texts(h, GROUP_ID) == []
    # Each prefix counts on its own: Tangerang's first report is number 1 too.
    await submit_at(h, RESIDENT_ID, IN_AREA)
    await h.drain()
    numbers = [(r.number, r.alert_chat_id) for r in await all_reports(h)]
    assert numbers == [("JKS-2026-000001", JKS_GROUP), ("TNG-2026-000001", GROUP_ID)]


async def test_a_point_outside_every_area_is_refused_with_the_list_of_offices(h):
    await to_location(h, RESIDENT_ID)
    before = await snapshot(h, RESIDENT_ID)
    reply = await feed(h, h.fake.user_location(RESIDENT_ID, *OUT_OF_AREA), RESIDENT_ID)
    text = reply["plain_text"]
    assert "di luar wilayah kerja semua kantor" in text
    assert f"• {TNG_NAME} (Kabupaten Tangerang, Kota Tangerang, Kota Tangerang Selatan)" in text
    assert f"• {JKS_NAME} (Kota Administrasi Jakarta Selatan)" in text
    assert await snapshot(h, RESIDENT_ID) == before
    assert (await draft_of(h, RESIDENT_ID)).step == "location"


async def test_a_typed_address_goes_to_the_office_whose_kecamatan_it_names(h):
    done = await submit_at(h, RESIDENT_ID, address="Jl. Wolter Monginsidi No. 12, Kebayoran Baru")
    await h.drain()
    [report] = await all_reports(h)
    assert report.number == "JKS-2026-000001" and report.location_source == "text"
    assert "JKS-2026-000001" in done["plain_text"]
    assert "Wolter Monginsidi" in h.last(JKS_GROUP)["plain_text"]
    assert texts(h, GROUP_ID) == []


async def test_a_typed_address_naming_no_area_is_asked_again_with_the_offices(h):
    await to_location(h, RESIDENT_ID)
    before = await snapshot(h, RESIDENT_ID)
    reply = await say(h, RESIDENT_ID, "Jl. Sudirman No. 1 dekat pasar")
    assert "kantor mana yang menangani alamat itu" in reply["plain_text"]
    assert TNG_NAME in reply["plain_text"] and JKS_NAME in reply["plain_text"]
    assert await snapshot(h, RESIDENT_ID) == before
    # Naming the kecamatan settles it.
    saved = await say(h, RESIDENT_ID, "Jl. Sudirman No. 1, Ciledug")
    assert "Lokasi diterima" in saved["plain_text"]
    assert (await draft_of(h, RESIDENT_ID)).extra["_office"] == "TNG"


async def test_a_new_location_moves_the_draft_to_the_other_office(h):
    await to_location(h, RESIDENT_ID)
    await feed(h, h.fake.user_location(RESIDENT_ID, *JAKSEL), RESIDENT_ID)
    assert (await draft_of(h, RESIDENT_ID)).extra["_office"] == "JKS"
    msg = await say(h, RESIDENT_ID, DESCRIPTION)
    review = await press(h, RESIDENT_ID, msg, "Lewati")
    edit = await press(h, RESIDENT_ID, review, "Ubah")
    where = await press_data(h, RESIDENT_ID, edit, h.button_data(edit, "Lokasi"))
    assert "Lokasi" in where["plain_text"]
    review = await feed(h, h.fake.user_location(RESIDENT_ID, *IN_AREA), RESIDENT_ID)
    await press(h, RESIDENT_ID, find_with_buttons(h, RESIDENT_ID), "Kirim")
    [report] = await all_reports(h)
    assert report.number == "TNG-2026-000001"


async def test_a_press_for_another_offices_report_is_refused_and_changes_nothing(h):
    jks, _tng = await one_in_each_office(h)
    tng_alert = h.last(GROUP_ID)
    before = [(r.status, r.taken_by) for r in await all_reports(h)]
    # A forged client: the JKS report's Take pasted onto Tangerang's alert, pressed in Tangerang's group.
    h.vtime.value += 1
    answered = len(h.fake.answered_callbacks)
    await h.press(OFFICER_ID, tng_alert, encode(Action.TAKE, jks.id))
    assert len(h.fake.answered_callbacks) == answered + 1
    assert "kantor lain" in h.fake.answered_callbacks[-1]["text"]
    assert [(r.status, r.taken_by) for r in await all_reports(h)] == before
    await h.drain()
    edits = h.fake.calls_to("editMessageText") + h.fake.calls_to("editMessageCaption")
    assert [c for c in edits if c.params.get("chat_id") in (GROUP_ID, JKS_GROUP)] == []
    # The JKS officer takes it in the JKS group.
    await press_alert(h, JKS_OFFICER, JKS_GROUP, "Take")
    jks_after, tng_after = await all_reports(h)
    assert (jks_after.status, jks_after.taken_by) == ("taken", JKS_OFFICER)
    assert tng_after.status == "new"


async def test_each_office_supervisor_closes_only_in_its_office(h):
    async with h.services.db.transaction() as s:
        report = await factories.report_with_alert(s, group_chat_id=JKS_GROUP, now=h.now(), telegram_id=RESIDENT_ID,
                                                   prefix="JKS", number="JKS-2026-000042", lat=JAKSEL[0], lon=JAKSEL[1])
    await h.drain()
    assert h.services.offices.of_report(report).key == "JKS"
    await press_alert(h, JKS_OFFICER, JKS_GROUP, "Take")
    # The office's supervisor may close a report someone else took.
    await press_alert(h, JKS_SUPERVISOR, JKS_GROUP, "Selesai")
    async with h.services.db.read() as s:
        closed = await s.get(Report, report.id)
    assert (closed.status, closed.closed_by) == ("resolved", JKS_SUPERVISOR)


async def test_an_office_supervisor_is_no_supervisor_in_another_offices_group(h):
    await submit_at(h, RESIDENT_ID, IN_AREA)
    await h.drain()
    await press_alert(h, OFFICER_ID, GROUP_ID, "Take")
    # In Tangerang's group (which lists no officers, so any member acts) Jakarta Selatan's supervisor
    # is a plain officer: a report someone else took is not theirs to close.
    assert "Hanya Agus" in await press_alert(h, JKS_SUPERVISOR, GROUP_ID, "Selesai")
    [report] = await all_reports(h)
    assert report.status == "taken"
    # The national supervisor may.
    await press_alert(h, SUPERVISOR_ID, GROUP_ID, "Selesai")
    [report] = await all_reports(h)
    assert (report.status, report.closed_by) == ("resolved", SUPERVISOR_ID)


async def test_a_walk_in_whose_address_names_no_area_goes_to_the_desks_office(h):
    await say(h, JKS_OFFICER, "/walkin")
    await say(h, JKS_OFFICER, "Siti Aminah")
    msg = await say(h, JKS_OFFICER, "0812-3456 7890")
    category = await press(h, JKS_OFFICER, msg, "👤")
    data = next(d for row in h.fake.buttons(category) for _, d in row if d.endswith(":illegal_work"))
    await press_data(h, JKS_OFFICER, category, data)
    await say(h, JKS_OFFICER, "Jl. Merdeka No. 5, dekat kantor")
    photos = await say(h, JKS_OFFICER, DESCRIPTION)
    review = await press(h, JKS_OFFICER, photos, "Lewati")
    done = await press(h, JKS_OFFICER, review, "Kirim")
    await h.drain()
    [report] = await all_reports(h)
    assert report.number == "JKS-2026-000001" and report.channel == "walk_in"
    assert "JKS-2026-000001" in done["plain_text"]
    assert "Walk-in" in h.last(JKS_GROUP)["plain_text"] and texts(h, GROUP_ID) == []


async def test_walkin_is_for_officers_of_some_office_only_and_never_in_a_group(h):
    from tests.conftest import OUTSIDER_ID

    refused = await say(h, OUTSIDER_ID, "/walkin")
    assert "hanya untuk petugas" in refused["plain_text"]
    h.vtime.value += 1
    await h.text(JKS_OFFICER, "/walkin", chat_id=JKS_GROUP)
    assert h.last(JKS_GROUP)["plain_text"] == "Silakan gunakan perintah ini dalam chat pribadi dengan bot."
    assert await all_reports(h) == []


async def test_each_offices_group_migrates_on_its_own(h):
    new = -1009999999999
    for update in h.fake.group_migrated(JKS_GROUP, new):
        await h.feed(update)
    assert h.services.group_of("JKS") == new and h.services.group_of("TNG") == GROUP_ID
    assert h.services.offices.for_group(new).key == "JKS"
    async with h.services.db.read() as s:
        assert (await s.get(Setting, "group_chat_id:JKS")).value == str(new)
        assert await s.get(Setting, "group_chat_id") is None
    await submit_at(h, RESIDENT_ID, JAKSEL)
    await h.drain()
    assert "JKS-2026-000001" in h.last(new)["plain_text"]


async def test_a_group_command_from_another_offices_officer_list_is_ignored(tmp_path, database_url, fake, clock, vtime):
    from bot.app import stop_services

    fake.add_user(JKS_OFFICER, "Dewi")
    fake.add_group(JKS_GROUP, "Petugas Imigrasi Jakarta Selatan", members=[JKS_OFFICER, OFFICER_ID])
    config = two_office_config(tmp_path, database_url=database_url)
    entries = [e.model_dump() for e in config.offices]
    entries[1]["officer_ids"] = [JKS_OFFICER]
    h = await start_harness(Config.model_validate({**config.model_dump(), "offices": entries,
                                                   "office": {}, "officers": {"supervisor_ids": [SUPERVISOR_ID]}}),
                            fake, clock, vtime)
    try:
        h.vtime.value += 1
        await h.text(OFFICER_ID, "/duty on", chat_id=JKS_GROUP)  # Tangerang's officer, not listed in JKS
        assert h.fake.bot_messages(JKS_GROUP) == []
        h.vtime.value += 1
        await h.text(JKS_OFFICER, "/duty on", chat_id=JKS_GROUP)
        assert h.fake.bot_messages(JKS_GROUP) != []
    finally:
        await stop_services(h.app)
        await h.app.shutdown()


async def test_a_follow_up_stays_in_the_reports_office_group(h):
    report, _tng = await one_in_each_office(h)
    alert = h.last(JKS_GROUP)
    await press_alert(h, JKS_OFFICER, JKS_GROUP, "Take")
    alert = next(m for m in h.fake.bot_messages(JKS_GROUP) if m["message_id"] == alert["message_id"])
    # Ask, pasted on Tangerang's group (a forged client): refused there.
    h.vtime.value += 1
    await h.press(OFFICER_ID, h.last(GROUP_ID), h.button_data(alert, "Tanya pelapor"))
    assert "kantor lain" in h.fake.answered_callbacks[-1]["text"]
    assert [m for m in h.fake.bot_messages(OFFICER_ID)] == []  # no prompt to write a question
    # In its own group: the question reaches the resident, the answer comes back to that group only.
    h.vtime.value += 1
    await h.press(JKS_OFFICER, alert, h.button_data(alert, "Tanya pelapor"))
    await say(h, JKS_OFFICER, "Apakah orang tersebut masih ada di lokasi sore ini?")
    await h.drain()
    question = h.last(RESIDENT_ID)
    assert report.number in question["plain_text"]
    await press(h, RESIDENT_ID, question, "Jawab")
    await say(h, RESIDENT_ID, "Masih ada, biasanya sampai jam enam sore di bengkel itu.")
    await h.drain()
    answer = h.last(JKS_GROUP)
    assert "jam enam sore" in answer["plain_text"] and answer["reply_to_message"]["message_id"] == alert["message_id"]
    assert not any("jam enam sore" in t or "Apakah orang" in t for t in texts(h, GROUP_ID))
