"""The outbox dispatcher against the fake Bot API: alerts reach the group exactly once, within
Telegram's limits, through flood waits, outages, a group migration and refusals."""

from __future__ import annotations

import asyncio
import io
import logging
from datetime import timedelta

from PIL import Image
from sqlmodel import select

from bot import alerts
from bot.app import stop_services
from bot.callbacks import Action, parse
from bot.dispatcher import notify_new_outbox
from storage import outbox, report_actions
from storage.models import Outbox, OutboxStatus, Photo, Report, Setting
from storage.outbox import OutboxKind
from tests import factories
from tests.conftest import GROUP_ID, OFFICER_ID, RESIDENT2_ID, RESIDENT_ID, make_config, start_harness

NASTY = "<b>x</b> & <script>alert(1)</script>"


async def new_report(h, **kw) -> Report:
    kw.setdefault("telegram_id", RESIDENT_ID)
    async with h.services.db.transaction() as s:
        return await factories.report_with_alert(s, group_chat_id=h.services.group_chat_id, now=h.now(), **kw)


async def rows(h, kind: str | None = None) -> list[Outbox]:
    async with h.services.db.read() as s:
        query = select(Outbox).order_by(Outbox.id)
        if kind:
            query = query.where(Outbox.kind == kind)
        return list((await s.exec(query)).all())


async def fetch(h, report_id: int) -> Report:
    async with h.services.db.read() as s:
        return await s.get(Report, report_id)


def group_alerts(h) -> list[dict]:
    return h.fake.bot_messages(GROUP_ID)


def photo_ids(h, n: int) -> list[str]:
    """Photos the fake knows, as a resident would have sent them."""
    return [h.fake.user_photo(RESIDENT_ID)["message"]["photo"][-1]["file_id"] for _ in range(n)]


def actions(h, message: dict) -> list[Action]:
    return [parse(data).action for row in h.fake.buttons(message) for _, data in row]


async def test_an_alert_is_sent_once_with_its_content_and_buttons(h):
    report = await new_report(h)
    assert await h.drain() == 1
    [alert] = group_alerts(h)
    text = alert["plain_text"]
    assert report.number in text and "Izin tinggal habis / overstay" in text and "09:00 WIB" in text
    assert "Budi" not in text and "budi_warga" not in text
    assert actions(h, alert) == [Action.TAKE]
    stored = await fetch(h, report.id)
    assert (stored.alert_chat_id, stored.alert_message_id, stored.alert_is_photo) == (
        GROUP_ID, alert["message_id"], False)
    [row] = await rows(h)
    assert (row.status, row.message_id) == (OutboxStatus.SENT, alert["message_id"])
    # Sent is sent: later rounds, even after a lease would have expired, send nothing more.
    h.clock.advance(minutes=5)
    assert await h.drain() == 0
    assert len(group_alerts(h)) == 1


async def test_a_report_with_photos_becomes_a_photo_with_caption(h):
    report = await new_report(h, photo_file_ids=photo_ids(h, 2))
    await h.drain()
    [alert] = group_alerts(h)
    assert alert["photo"] and report.number in alert["plain_text"]
    assert "caption" in alert and "text" not in alert
    assert actions(h, alert) == [Action.TAKE, Action.PHOTOS]
    assert h.button_data(alert, "Foto (1)")
    assert (await fetch(h, report.id)).alert_is_photo


async def test_a_long_description_makes_a_text_alert_with_a_photos_button(h):
    description = (NASTY + " ") * 50
    description += "y" * (2000 - len(description))
    report = await new_report(h, description=description, photo_file_ids=photo_ids(h, 2))
    await h.drain()
    [alert] = group_alerts(h)
    assert "photo" not in alert or not alert["photo"]
    # Telegram's parser (the fake's) accepted it, and the officer reads the resident's words verbatim.
    assert description in alert["plain_text"]
    assert "&lt;script&gt;" in alert["text"]
    assert h.fake.rejected == []
    assert h.button_data(alert, "Foto (2)")
    assert not (await fetch(h, report.id)).alert_is_photo


def jpeg_with_exif() -> bytes:
    image = Image.new("RGB", (64, 48), (200, 30, 30))
    exif = Image.Exif()
    exif[0x010F] = "SecretPhoneMaker"  # Make
    exif[0x8825] = {1: "S", 2: (6.0, 10.0, 42.0)}  # GPS
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif.tobytes())
    assert b"SecretPhoneMaker" in out.getvalue()
    return out.getvalue()


async def test_an_image_sent_as_a_file_is_reencoded_without_exif_never_forwarded(h):
    update = h.fake.user_document(RESIDENT_ID, file_name="IMG_1.jpg", mime_type="image/jpeg",
                                  content=jpeg_with_exif())
    document_id = update["message"]["document"]["file_id"]
    report = await new_report(h, document_file_ids=[document_id])
    await h.drain()
    [alert] = group_alerts(h)
    assert alert["photo"]
    [call] = h.fake.calls_to("sendPhoto")
    assert call.files, "the cleaned image is uploaded, not the resident's file re-sent"
    assert document_id not in str(call.params)
    assert not h.fake.calls_to("sendDocument")
    uploaded = h.fake.files.get(alert["photo"][-1]["file_id"]).content
    assert b"SecretPhoneMaker" not in uploaded
    with Image.open(io.BytesIO(uploaded)) as img:
        assert not img.getexif()
    async with h.services.db.read() as s:
        [photo] = (await s.exec(select(Photo).where(Photo.report_id == report.id))).all()
    assert photo.clean_file_id == alert["photo"][-1]["file_id"]


async def test_an_unreadable_image_file_is_skipped_and_the_alert_goes_as_text(h):
    update = h.fake.user_document(RESIDENT_ID, file_name="x.jpg", mime_type="image/jpeg", content=b"not an image")
    report = await new_report(h, document_file_ids=[update["message"]["document"]["file_id"]])
    await h.drain()
    [alert] = group_alerts(h)
    assert report.number in alert["plain_text"] and not alert.get("photo")


async def test_fifty_reports_reach_the_group_once_within_the_limit_and_a_resident_is_not_held_up(h):
    reports = [await new_report(h) for _ in range(50)]
    # A notification queued after all of them, for a resident.
    async with h.services.db.transaction() as s:
        await outbox.enqueue(s, kind=OutboxKind.NOTIFY, chat_id=RESIDENT2_ID, now=h.now(),
                             report_id=reports[0].id, payload={"event": "taken"})
    started = h.vtime()
    assert await h.drain() == 51
    texts = [m["plain_text"] for m in group_alerts(h)]
    assert len(texts) == 50
    assert all(sum(r.number in t for t in texts) == 1 for r in reports)
    # The limiter kept under Telegram's limit: the fake refused nothing (no 429 at all).
    assert h.fake.rejected == []
    assert all(c.ok for c in h.fake.calls)
    # Three windows of 19 a minute: the virtual clock moved two minutes, not more.
    assert 120 <= h.vtime() - started < 130
    # The resident's notification went in the first round, not after the group's backlog.
    sends = [c for c in h.fake.calls if c.method == "sendMessage"]
    position = next(i for i, c in enumerate(sends) if c.params["chat_id"] == RESIDENT2_ID)
    assert position <= 19


async def test_flood_wait_is_respected_and_the_alert_sent_once(h):
    await new_report(h)
    h.fake.inject("429", method="sendMessage", retry_after=7)
    assert await h.drain() == 0
    [row] = await rows(h)
    assert row.status == OutboxStatus.PENDING and row.attempts == 0
    assert row.next_attempt_at == h.now() + timedelta(seconds=7)
    h.clock.advance(seconds=7)
    assert await h.drain() == 1
    assert len(group_alerts(h)) == 1


async def test_server_errors_and_timeouts_are_retried_without_duplicates(h):
    await new_report(h)
    h.fake.inject("500", method="sendMessage")
    h.fake.inject("timeout", method="sendMessage", after_effect=False)
    assert await h.drain() == 0
    [row] = await rows(h)
    assert (row.attempts, row.status) == (1, OutboxStatus.PENDING)
    assert "Internal Server Error" in row.last_error
    h.clock.advance(seconds=2)
    assert await h.drain() == 0
    assert (await rows(h))[0].attempts == 2
    h.clock.advance(seconds=4)
    assert await h.drain() == 1
    assert len(group_alerts(h)) == 1
    assert (await rows(h))[0].status == OutboxStatus.SENT


async def test_backoff_grows_and_is_capped(h):
    await new_report(h)
    h.fake.inject("502", method="sendMessage", count=30)
    waits = []
    for _ in range(12):
        await h.drain()
        [row] = await rows(h)
        waits.append((row.next_attempt_at - h.now()).total_seconds())
        h.clock.advance(seconds=waits[-1])
    assert waits[0] <= 2 and waits[3] > waits[0]
    assert max(waits) <= h.services.config.dispatcher.max_backoff_seconds
    assert not group_alerts(h)


async def test_a_crashed_dispatchers_claim_is_retaken_after_its_lease(h):
    await new_report(h)
    async with h.services.db.transaction() as s:
        assert await outbox.claim_due(s, now=h.now(), limit=10, lease_seconds=60)
    assert await h.drain() == 0
    h.clock.advance(seconds=61)
    assert await h.drain() == 1
    assert len(group_alerts(h)) == 1


async def test_group_migration_is_followed_and_remembered(tmp_path, database_url, fake, clock, vtime):
    old, new = -4001, -1009999
    fake.add_group(old, "Petugas (lama)", type="group", members=[OFFICER_ID])
    config = make_config(tmp_path, database_url=database_url, officers={"group_chat_id": old})
    h = await start_harness(config, fake, clock, vtime)
    try:
        fake.group_migrated(old, new)
        first = await new_report(h)
        assert await h.drain() == 1
        assert [m["plain_text"] for m in fake.bot_messages(new)][0].count(first.number) == 1
        assert not fake.bot_messages(old)
        assert h.services.group_chat_id == new
        async with h.services.db.read() as s:
            assert (await s.get(Setting, "group_chat_id")).value == str(new)
        assert (await fetch(h, first.id)).alert_chat_id == new
        second = await new_report(h)
        assert (await rows(h))[-1].chat_id == new
        await h.drain()
        assert second.number in fake.bot_messages(new)[-1]["plain_text"]
    finally:
        await stop_services(h.app)
        await h.app.shutdown()
    # After a restart the new id is used from the start.
    h2 = await start_harness(config, fake, clock, vtime)
    try:
        assert h2.services.group_chat_id == new
    finally:
        await stop_services(h2.app)
        await h2.app.shutdown()


async def test_a_resident_who_blocked_the_bot_is_not_retried(h):
    report = await new_report(h, telegram_id=RESIDENT2_ID, language="en")
    await h.drain()
    h.fake.block_bot(RESIDENT2_ID)
    async with h.services.db.transaction() as s:
        await report_actions.take(s, report_id=report.id, officer_id=OFFICER_ID, officer_name="Agus",
                                  now=h.now(), group_chat_id=GROUP_ID)
    await h.drain()
    [notify] = await rows(h, OutboxKind.NOTIFY)
    assert notify.status == OutboxStatus.FAILED and "blocked" in notify.last_error
    h.clock.advance(hours=1)
    await h.drain()
    assert len([c for c in h.fake.calls_to("sendMessage") if c.params["chat_id"] == RESIDENT2_ID]) == 1


async def test_refused_markup_falls_back_once_to_a_plain_alert(h, monkeypatch, caplog):
    monkeypatch.setattr(alerts, "alert_html", lambda *a, **kw: "<b>broken <i>nesting</b></i>")
    report = await new_report(h, description=NASTY * 3)
    caplog.set_level(logging.WARNING, logger="sipoa.dispatcher")
    assert await h.drain() == 1
    [refused] = h.fake.rejected
    assert "can't parse entities" in refused.error
    [alert] = group_alerts(h)
    assert report.number in alert["plain_text"] and NASTY in alert["plain_text"]
    assert actions(h, alert) == [Action.TAKE]
    assert "alert_fallback" in caplog.text


async def test_a_caption_telegram_finds_too_long_falls_back_to_text(h, monkeypatch):
    monkeypatch.setattr(alerts, "fits_caption", lambda markup: True)
    report = await new_report(h, description="z" * 1500, photo_file_ids=photo_ids(h, 1))
    await h.drain()
    assert "caption is too long" in h.fake.rejected[0].error
    [alert] = group_alerts(h)
    assert report.number in alert["plain_text"] and not alert.get("photo")
    assert not (await fetch(h, report.id)).alert_is_photo


async def test_when_the_fallback_is_refused_too_the_row_fails_loudly(h, monkeypatch, caplog):
    monkeypatch.setattr(alerts, "alert_html", lambda *a, **kw: "<b>broken")
    monkeypatch.setattr(alerts, "plain_alert", lambda *a, **kw: "<i>broken")
    await new_report(h)
    caplog.set_level(logging.ERROR, logger="sipoa.dispatcher")
    assert await h.drain() == 0
    [row] = await rows(h)
    assert row.status == OutboxStatus.FAILED and "fallback" in row.last_error
    assert "send_failed" in caplog.text
    assert not group_alerts(h)


async def test_a_status_change_edits_the_alert_in_place(h):
    report = await new_report(h, photo_file_ids=photo_ids(h, 1))
    await h.drain()
    h.clock.advance(minutes=12)
    async with h.services.db.transaction() as s:
        await report_actions.take(s, report_id=report.id, officer_id=OFFICER_ID, officer_name="Agus",
                                  now=h.now(), group_chat_id=GROUP_ID)
    await h.drain()
    [alert] = group_alerts(h)
    assert alert["plain_text"].endswith("🟡 Ditangani oleh Agus · 09:12 WIB")
    assert actions(h, alert) == [Action.RESOLVE, Action.FALSE_REPORT, Action.ASK]
    assert h.fake.calls_to("editMessageCaption") and alert["history"]
    # The same content again: Telegram says "not modified", which counts as done.
    async with h.services.db.transaction() as s:
        await outbox.enqueue(s, kind=OutboxKind.ALERT_REFRESH, chat_id=GROUP_ID, now=h.now(), report_id=report.id)
    await h.drain()
    assert [r.status for r in await rows(h, OutboxKind.ALERT_REFRESH)] == [OutboxStatus.SENT] * 2


async def test_a_deleted_alert_is_posted_again_on_the_next_change(h):
    report = await new_report(h)
    await h.drain()
    first = group_alerts(h)[0]
    await h.app.bot.delete_message(GROUP_ID, first["message_id"])
    async with h.services.db.transaction() as s:
        await report_actions.take(s, report_id=report.id, officer_id=OFFICER_ID, officer_name="Agus",
                                  now=h.now(), group_chat_id=GROUP_ID)
    await h.drain()
    alive = [m for m in group_alerts(h) if not m["deleted"]]
    assert len(alive) == 1 and "Ditangani oleh Agus" in alive[0]["plain_text"]
    assert (await fetch(h, report.id)).alert_message_id == alive[0]["message_id"]


async def test_remaining_photos_go_as_one_album_replying_to_the_alert(h):
    report = await new_report(h, photo_file_ids=photo_ids(h, 3))
    await h.drain()
    alert = group_alerts(h)[0]
    async with h.services.db.transaction() as s:
        await report_actions.request_photos(s, report_id=report.id, group_chat_id=GROUP_ID, now=h.now())
    await h.drain()
    album = group_alerts(h)[1:]
    assert len(album) == 2 and len(h.fake.calls_to("sendMediaGroup")) == 1
    assert all(m["reply_to_message"]["message_id"] == alert["message_id"] for m in album)
    assert report.number in album[0]["plain_text"]


async def test_the_background_loop_sends_at_once_when_woken_and_stops_cleanly(h):
    dispatcher = h.services.background["dispatcher"]
    dispatcher.start()
    try:
        await new_report(h)
        notify_new_outbox(h.services)
        for _ in range(200):
            if group_alerts(h):
                break
            await asyncio.sleep(0.01)
        assert len(group_alerts(h)) == 1
    finally:
        await dispatcher.stop()
    assert dispatcher._task is None


async def test_a_scored_report_shows_its_trust_score(h):
    await new_report(h, trust_score=0.83, reasons=[])
    await h.drain()
    assert "Skor kepercayaan 0.83" in group_alerts(h)[0]["plain_text"]


async def test_a_bot_removed_from_the_group_keeps_the_alert_until_it_is_back(h, caplog):
    await new_report(h)
    h.fake.chats[GROUP_ID].bot_member = False
    caplog.set_level(logging.ERROR, logger="sipoa.dispatcher")
    assert await h.drain() == 0
    [row] = await rows(h)
    assert row.status == OutboxStatus.PENDING and row.attempts == 1
    assert "group_forbidden" in caplog.text
    h.fake.chats[GROUP_ID].bot_member = True
    h.clock.advance(seconds=2)
    assert await h.drain() == 1
    assert len(group_alerts(h)) == 1
