"""The photo step: single photos, albums answered once, the maximum, images sent as files."""

from __future__ import annotations

from sqlmodel import select

from storage.models import Photo
from tests.conftest import RESIDENT_ID
from tests.handlers.residents.helpers import all_rows, draft_of, feed, press, say, snapshot, to_photos

JPEG = b"\xff\xd8\xff\xe0fake-jpeg"


async def settle_album(h, user_id: int = RESIDENT_ID) -> None:
    """Run the pending album job now, as the job queue would after album_settle_seconds."""
    jobs = h.app.job_queue.get_jobs_by_name(f"album:{user_id}")
    assert len(jobs) == 1, jobs
    h.vtime.value += 1
    await jobs[0].run(h.app)
    jobs[0].schedule_removal()


async def photos_of_draft(h, user_id: int = RESIDENT_ID) -> list[Photo]:
    draft = await draft_of(h, user_id)
    async with h.services.db.read() as s:
        return list((await s.exec(select(Photo).where(Photo.draft_id == draft.id).order_by(Photo.position))).all())


async def test_a_photo_is_stored_largest_size_and_counted(h):
    await to_photos(h, RESIDENT_ID)
    update = h.fake.user_photo(RESIDENT_ID, width=1280, height=960, caption="ini orangnya")
    reply = await feed(h, update, RESIDENT_ID)
    assert reply["plain_text"].startswith("📷 1 dari 5 foto terlampir")
    assert [t for row in h.fake.buttons(reply) for t, _ in row] == ["Selesai"]
    [photo] = await photos_of_draft(h)
    largest = max(update["message"]["photo"], key=lambda p: p["width"] * p["height"])
    assert (photo.file_id, photo.file_unique_id, photo.width, photo.height, photo.kind) == (
        largest["file_id"], largest["file_unique_id"], largest["width"], largest["height"], "photo")
    assert photo.forwarded is False and photo.media_group_id is None


async def test_done_goes_to_the_review_with_the_photo_count(h):
    await to_photos(h, RESIDENT_ID)
    reply = await feed(h, h.fake.user_photo(RESIDENT_ID, forwarded=True), RESIDENT_ID)
    await feed(h, h.fake.user_photo(RESIDENT_ID), RESIDENT_ID)
    review = await press(h, RESIDENT_ID, h.last(RESIDENT_ID), "Selesai")
    assert "Foto: 2 foto" in review["plain_text"]
    assert [p.forwarded for p in await photos_of_draft(h)] == [True, False]
    assert reply is not None


async def test_done_without_a_photo_asks_for_one(h):
    prompt = await to_photos(h, RESIDENT_ID)
    before = await snapshot(h, RESIDENT_ID)
    # A forged Done on the Skip-only prompt.
    data = h.button_data(prompt, "Lewati").replace(":ps:", ":pd:")
    h.vtime.value += 1
    await h.press(RESIDENT_ID, prompt, data)
    assert "Kirim foto" in h.last(RESIDENT_ID)["plain_text"]
    assert await snapshot(h, RESIDENT_ID) == before


async def test_an_album_of_three_is_stored_at_once_and_answered_once(h):
    await to_photos(h, RESIDENT_ID)
    sent = len(h.fake.bot_messages(RESIDENT_ID))
    for _ in range(3):
        await feed(h, h.fake.user_photo(RESIDENT_ID, media_group_id="ALB1"), RESIDENT_ID)
    assert len(h.fake.bot_messages(RESIDENT_ID)) == sent  # nothing yet
    assert [p.media_group_id for p in await photos_of_draft(h)] == ["ALB1"] * 3
    assert (await draft_of(h, RESIDENT_ID)).album_id == "ALB1"
    await settle_album(h)
    messages = h.fake.bot_messages(RESIDENT_ID)
    assert len(messages) == sent + 1
    assert messages[-1]["plain_text"].startswith("📷 3 dari 5 foto terlampir")
    assert "Selesai" in str(h.fake.buttons(messages[-1]))
    assert (await draft_of(h, RESIDENT_ID)).album_id is None


async def test_an_album_answered_after_the_resident_blocked_the_bot_keeps_the_photos_quietly(h):
    await to_photos(h, RESIDENT_ID)
    for _ in range(2):
        await feed(h, h.fake.user_photo(RESIDENT_ID, media_group_id="ALB2"), RESIDENT_ID)
    sent = len(h.fake.bot_messages(RESIDENT_ID))
    await h.feed(h.fake.block_bot(RESIDENT_ID))
    await settle_album(h)
    # Telegram refused the answer (403): nothing reaches the error handler, the photos stay.
    assert h.errors == []
    assert len(h.fake.bot_messages(RESIDENT_ID)) == sent
    assert [p.media_group_id for p in await photos_of_draft(h)] == ["ALB2"] * 2


async def test_album_job_is_replaced_by_each_part(h):
    await to_photos(h, RESIDENT_ID)
    for _ in range(2):
        await feed(h, h.fake.user_photo(RESIDENT_ID, media_group_id="ALB2"), RESIDENT_ID)
    live = [j for j in h.app.job_queue.get_jobs_by_name(f"album:{RESIDENT_ID}") if not j.removed]
    assert len(live) == 1


async def test_the_sixth_photo_is_refused(h):
    await to_photos(h, RESIDENT_ID)
    for _ in range(5):
        await feed(h, h.fake.user_photo(RESIDENT_ID), RESIDENT_ID)
    before = await snapshot(h, RESIDENT_ID)
    reply = await feed(h, h.fake.user_photo(RESIDENT_ID), RESIDENT_ID)
    assert "Paling banyak 5 foto" in reply["plain_text"]
    assert await snapshot(h, RESIDENT_ID) == before
    assert len(await photos_of_draft(h)) == 5


async def test_an_album_over_the_maximum_keeps_five_and_says_so_once(h):
    await to_photos(h, RESIDENT_ID)
    for _ in range(3):
        await feed(h, h.fake.user_photo(RESIDENT_ID), RESIDENT_ID)
    sent = len(h.fake.bot_messages(RESIDENT_ID))
    for _ in range(4):
        await feed(h, h.fake.user_photo(RESIDENT_ID, media_group_id="ALB3"), RESIDENT_ID)
    await settle_album(h)
    messages = h.fake.bot_messages(RESIDENT_ID)
    assert len(messages) == sent + 1
    assert "5 dari 5 foto" in messages[-1]["plain_text"]
    assert "2 foto tidak disimpan" in messages[-1]["plain_text"]
    assert len(await photos_of_draft(h)) == 5


async def test_an_album_at_the_wrong_step_is_refused_once(h):
    from tests.handlers.residents.helpers import to_description

    await to_description(h, RESIDENT_ID)
    before = await snapshot(h, RESIDENT_ID)
    sent = len(h.fake.bot_messages(RESIDENT_ID))
    for _ in range(3):
        await feed(h, h.fake.user_photo(RESIDENT_ID, media_group_id="ALB4"), RESIDENT_ID)
    await settle_album(h)
    messages = h.fake.bot_messages(RESIDENT_ID)
    assert len(messages) == sent + 1 and "Tulis uraian" in messages[-1]["plain_text"]
    assert await snapshot(h, RESIDENT_ID) == before


async def test_an_image_sent_as_a_file_is_accepted(h):
    await to_photos(h, RESIDENT_ID)
    update = h.fake.user_document(RESIDENT_ID, file_name="bukti.png", mime_type="image/png", content=JPEG)
    reply = await feed(h, update, RESIDENT_ID)
    assert reply["plain_text"].startswith("📷 1 dari 5")
    [photo] = await photos_of_draft(h)
    file_id = update["message"]["document"]["file_id"]
    assert (photo.kind, photo.mime_type, photo.file_id) == ("document", "image/png", file_id)


async def test_a_huge_image_file_is_refused(h):
    await to_photos(h, RESIDENT_ID)
    before = await snapshot(h, RESIDENT_ID)
    update = h.fake.user_document(RESIDENT_ID, file_name="big.jpg", mime_type="image/jpeg", content=JPEG,
                                  file_size=25 * 1024 * 1024)
    reply = await feed(h, update, RESIDENT_ID)
    assert "terlalu besar" in reply["plain_text"]
    assert await snapshot(h, RESIDENT_ID) == before


async def test_typed_done_and_skip_words_work(h):
    await to_photos(h, RESIDENT_ID)
    review = await say(h, RESIDENT_ID, "lewati")
    assert review["plain_text"].startswith("5/5")


async def test_photos_become_the_reports(h):
    await to_photos(h, RESIDENT_ID)
    for _ in range(2):
        await feed(h, h.fake.user_photo(RESIDENT_ID), RESIDENT_ID)
    review = await press(h, RESIDENT_ID, h.last(RESIDENT_ID), "Selesai")
    await press(h, RESIDENT_ID, review, "Kirim")
    photos = await all_rows(h, Photo)
    assert len(photos) == 2 and all(p.report_id is not None and p.draft_id is None for p in photos)
