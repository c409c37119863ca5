"""Item 6: hostile and odd input — HTML, Markdown, zero-width and right-to-left characters,
4,096-character messages, emoji-only text, NUL bytes, captions on albums, 20 MB documents, photos
of 1×1 pixels, names full of markup — is answered every time, stored as typed (less the NULs) or
refused with a reason, and the report's alert always reaches the group.
"""

from __future__ import annotations

import pytest
from telegram.constants import FileSizeLimit
from sqlmodel import select

from bot.callbacks import Action
from bot.fakeapi import html_to_plain
from storage.models import Draft, Outbox, OutboxStatus, Photo, Report, Reporter
from tests.conftest import GROUP_ID, IN_AREA, make_config, start_harness
from tests.reliability.scenarios import jpeg
from tests.reliability.support import alert_message, consistency_problems, find_button, settle, step

FIRST = 8_300_000_000
BASE = "Dua orang asing bekerja di bengkel las Jalan Melati sejak Januari tanpa izin kerja"
HTML = "<b>x</b> & <script>alert(1)</script> <a href='javascript:alert(1)'>klik</a> </i> <tg-spoiler>"
MARKDOWN = "*tebal* _miring_ `kode` [tautan](http://contoh.id) ~~coret~~ ||spoiler|| \\*"
INVISIBLE = "Orang\u200b asing\u200d bekerja\u2060 di\ufeff bengkel \u202eini terbalik\u202c dan \u200fעברית\u200e"
RTL = "مرحبا ini laporan tentang orang asing yang bekerja tanpa izin di Ciledug"
EMOJI = "😀🇮🇩👨‍👩‍👧‍👦🏳️‍🌈🧑🏽‍🔧" * 6
NUL = "Ada orang\x00 asing\x00\x00 bekerja di bengkel\x07 tanpa izin\x1b[31m sejak Januari"
LONG_ESCAPES = ("<&>\"'" * 400)[:2000]
# The most a bot may download from Telegram (20 MB as PTB counts it), so the most a photo file may be.
TWENTY_MB = FileSizeLimit.FILESIZE_DOWNLOAD


@pytest.fixture(params=[False, True], ids=["screening-off", "screening-on"])
async def hh(request, tmp_path, database_url, fake, clock, vtime):
    # Screening decides whether a report goes to the group; with it on, what it holds is counted apart.
    sections = {"screening": {"enabled": request.param, "min_seconds_to_complete": 0, "max_chars_per_second": 1000,
                              "max_reports_per_hour": 100, "max_reports_per_day": 100},
                "officers": {"show_reporter_identity": True}}
    harness = await start_harness(make_config(tmp_path, database_url=database_url, **sections), fake, clock, vtime)
    yield harness
    from bot.app import stop_services

    await stop_services(harness.app)
    await harness.app.shutdown()


async def answered(h, user: int, update: dict) -> list[dict]:
    """Feed it; the bot must answer (at least one message) — never silence, never an error."""
    before = len(h.fake.bot_messages(user))
    await step(h, update)
    new = h.fake.bot_messages(user)[before:]
    assert new, f"no answer to {str(update)[:200]}"
    return new


async def press(h, user: int, action: Action, value: str | None = None) -> list[dict]:
    msg, data = find_button(h.fake, user, action, value=value)
    return await answered(h, user, h.fake.user_press(user, user, msg["message_id"], data))


async def draft_step(h, user: int) -> str | None:
    async with h.services.db.read() as s:
        reporter = (await s.exec(select(Reporter).where(Reporter.telegram_id == user))).one()
        draft = (await s.exec(select(Draft).where(Draft.reporter_id == reporter.id))).first()
    return draft.step if draft else None


async def write_report(h, user: int, *, description: str, photos=(), address: str | None = None,
                       first_name: str = "Warga") -> Report:
    fake = h.fake
    fake.add_user(user, first_name, username="w" + str(user)[-4:], language_code="id")
    await answered(h, user, fake.user_text(user, "/start"))
    await press(h, user, Action.CATEGORY, "suspicious")
    if address is None:
        await answered(h, user, fake.user_location(user, *IN_AREA, horizontal_accuracy=8.0))
    else:
        await answered(h, user, fake.user_text(user, address))
    await answered(h, user, fake.user_text(user, description))
    assert await draft_step(h, user) == "photos", "the description was refused"
    for make in photos:
        await step(h, make(user))
    await settle_album_jobs(h)
    if photos:
        await press(h, user, Action.PHOTOS_DONE)
    else:
        await press(h, user, Action.PHOTOS_SKIP)
    await press(h, user, Action.SUBMIT)
    await settle(h)
    async with h.services.db.read() as s:
        reporter = (await s.exec(select(Reporter).where(Reporter.telegram_id == user))).one()
        return (await s.exec(select(Report).where(Report.reporter_id == reporter.id))).one()


async def settle_album_jobs(h) -> None:
    for job in list(h.app.job_queue.jobs()):
        if job.name and job.name.startswith("album:") and not job.removed:
            h.vtime.value += 2
            await job.run(h.app)
            job.schedule_removal()


async def assert_alerted(h, report: Report, *, shows: str | None = None) -> dict | None:
    """The alert is in the group (unless screening held the report) and every outbox row was sent."""
    async with h.services.db.read() as s:
        failed = (await s.exec(select(Outbox).where(Outbox.status != OutboxStatus.SENT))).all()
    assert failed == [], [(o.kind, o.status, o.last_error) for o in failed]
    if report.status in ("held", "rejected"):
        return None
    alert = alert_message(h.fake, GROUP_ID, report.number)
    assert alert is not None, f"no alert for {report.number} in the group"
    if shows is not None:
        assert shows in alert["plain_text"]
    return alert


@pytest.mark.parametrize("description", [HTML + " " + BASE, MARKDOWN + " " + BASE, INVISIBLE, RTL, LONG_ESCAPES,
                                         BASE + " " + EMOJI],
                         ids=["html", "markdown", "zero-width", "rtl", "2000-escapes", "emoji"])
async def test_odd_descriptions_are_stored_as_typed_and_shown_escaped(hh, description):
    report = await write_report(hh, FIRST, description=description)
    assert report.description == description.strip()
    alert = await assert_alerted(hh, report)
    if alert is not None:
        assert html_to_plain(alert["text"] if "text" in alert else alert["caption"]) == alert["plain_text"]
        assert description.strip()[:200] in alert["plain_text"]


async def test_nul_and_control_bytes_are_dropped_and_the_rest_kept(hh):
    report = await write_report(hh, FIRST, description=NUL)
    assert "\x00" not in report.description and "\x1b" not in report.description
    assert report.description.startswith("Ada orang asing bekerja di bengkel")
    await assert_alerted(hh, report, shows="Ada orang asing bekerja")


@pytest.mark.parametrize("text", ["x" * 4096, "😀" * 4096, "<" * 4096, EMOJI[:10], "\u200b" * 50, "\x00" * 30, " " * 100],
                         ids=["4096", "4096-emoji", "4096-lt", "emoji-only-short", "zero-width-only", "nul-only",
                              "spaces"])
async def test_descriptions_that_do_not_fit_are_refused_with_a_reason_and_change_nothing(hh, text):
    fake, user = hh.fake, FIRST
    fake.add_user(user, "Warga", language_code="id")
    await answered(hh, user, fake.user_text(user, "/start"))
    await press(hh, user, Action.CATEGORY, "suspicious")
    await answered(hh, user, fake.user_location(user, *IN_AREA, horizontal_accuracy=8.0))
    [reply] = await answered(hh, user, fake.user_text(user, text))
    assert await draft_step(hh, user) == "description"
    assert "20" in reply["plain_text"] and "2000" in reply["plain_text"]  # says what fits
    assert await consistency_problems(hh.services.db) == []


async def test_typed_address_with_markup_and_right_to_left_text(hh):
    report = await write_report(hh, FIRST, description=BASE, address="<b>Jl.</b> Melati ‮No. 5‬ & Ciledug, Tangerang")
    assert report.address_text == "<b>Jl.</b> Melati ‮No. 5‬ & Ciledug, Tangerang"
    await assert_alerted(hh, report, shows="<b>Jl.</b> Melati")


async def test_a_name_made_of_markup_is_escaped_when_the_office_shows_identities(hh):
    report = await write_report(hh, FIRST, description=BASE, first_name="<i>Budi</i> & </b>‮")
    await assert_alerted(hh, report)


async def test_an_album_with_captions_is_one_step_and_the_captions_are_not_the_description(hh):
    group = "ALB-HARD"
    photos = [lambda u, i=i: hh.fake.user_photo(u, media_group_id=group, caption=f"<b>foto {i}</b> & {HTML}")
              for i in range(3)]
    report = await write_report(hh, FIRST, description=BASE, photos=photos)
    assert report.photo_count == 3 and report.description == BASE
    await assert_alerted(hh, report)


async def test_photos_of_one_pixel_and_a_20_mb_image_file(hh):
    picture = jpeg((1, 1))
    photos = [
        lambda u: hh.fake.user_photo(u, width=1, height=1),
        lambda u: hh.fake.user_document(u, file_name="besar.jpg", mime_type="image/jpeg", content=picture,
                                        file_size=TWENTY_MB),
        lambda u: hh.fake.user_document(u, file_name="kecil.png", mime_type="image/png", content=jpeg((1, 1))),
    ]
    report = await write_report(hh, FIRST, description=BASE, photos=photos)
    assert report.photo_count == 3
    await assert_alerted(hh, report)
    async with hh.services.db.read() as s:
        kinds = [p.kind for p in (await s.exec(select(Photo).where(Photo.report_id == report.id).order_by(Photo.position))).all()]
    assert kinds == ["photo", "document", "document"]


async def test_a_file_over_20_mb_and_files_that_are_not_images_are_refused_with_a_reason(hh):
    fake, user = hh.fake, FIRST
    fake.add_user(user, "Warga", language_code="id")
    await answered(hh, user, fake.user_text(user, "/start"))
    await press(hh, user, Action.CATEGORY, "suspicious")
    await answered(hh, user, fake.user_location(user, *IN_AREA, horizontal_accuracy=8.0))
    await answered(hh, user, fake.user_text(user, BASE))
    for update in (
        fake.user_document(user, file_name="besar.jpg", mime_type="image/jpeg", content=b"\xff\xd8",
                           file_size=TWENTY_MB + 1),
        fake.user_document(user, file_name="a.pdf", mime_type="application/pdf", content=b"%PDF-1.4"),
        fake.user_document(user, file_name="a.exe", mime_type="application/x-msdownload", content=b"MZ"),
        fake.user_document(user, file_name="palsu.jpg", mime_type="image/jpeg", content=b"not a jpeg at all"),
    ):
        [reply] = await answered(hh, user, update)
        assert reply["plain_text"]
    async with hh.services.db.read() as s:
        photos = (await s.exec(select(Photo))).all()
    # The forged JPEG is accepted as an image file; the dispatcher's re-encoding skips it later.
    assert [p.file_size for p in photos] in ([], [len(b"not a jpeg at all")])
    await press(hh, user, Action.PHOTOS_DONE) if photos else await press(hh, user, Action.PHOTOS_SKIP)
    await press(hh, user, Action.SUBMIT)
    await settle(hh)
    async with hh.services.db.read() as s:
        report = (await s.exec(select(Report))).one()
    await assert_alerted(hh, report)
