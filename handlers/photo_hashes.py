"""Perceptual hashes of a draft's photos, taken just before its Submit is applied.

Screening compares them with earlier reports' photos to catch a recycled picture that was saved and
sent again (a new file_unique_id, the same image). The download happens here, outside any database
transaction, within a time budget: a photo that cannot be fetched in time is screened by its
file_unique_id alone, and the resident is never kept waiting long.
"""

from __future__ import annotations

import asyncio
import logging

from telegram.error import TelegramError

from bot.screening.photos import phash_hex
from bot.services import Services
from storage import screening as store

log = logging.getLogger("sipoa.screening")

# Seconds for all of a draft's photos together; bytes above which a file is not fetched for this.
BUDGET_SECONDS = 6.0
MAX_BYTES = 10 * 1024 * 1024


async def hash_draft_photos(bot, services: Services, *, draft_id: int, telegram_id: int) -> int:
    """Hash the draft's unhashed photos; returns how many were hashed."""
    if not services.config.screening.enabled:
        return 0
    async with services.db.read(quick=True) as session:  # on the Submit's path: see storage/db.py
        todo = await store.photos_to_hash(session, draft_id=draft_id, telegram_id=telegram_id, max_bytes=MAX_BYTES)
    if not todo:
        return 0

    async def one(photo_id: int, file_id: str) -> tuple[int, str | None]:
        file = await bot.get_file(file_id)
        data = bytes(await file.download_as_bytearray())
        return photo_id, await asyncio.to_thread(phash_hex, data)

    tasks = [asyncio.ensure_future(one(pid, fid)) for pid, fid in todo]
    done, pending = await asyncio.wait(tasks, timeout=BUDGET_SECONDS)
    for task in pending:
        task.cancel()
    hashes: dict[int, str] = {}
    for task in done:
        try:
            photo_id, phash = task.result()
        except (TelegramError, OSError, asyncio.TimeoutError) as err:
            log.warning("event=photo_hash_failed draft=%s error=%s", draft_id, err)
            continue
        if phash is not None:
            hashes[photo_id] = phash
    if pending:
        log.warning("event=photo_hash_timeout draft=%s missing=%d", draft_id, len(pending))
    if hashes:
        async with services.db.transaction() as session:
            await store.set_photo_hashes(session, hashes=hashes)
    return len(hashes)
