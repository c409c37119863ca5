"""The retention sweep: photos and phone numbers older than the configured periods are deleted
(`[retention]`); anonymous counts for statistics stay. Run by a repeating job (bot/jobs.py)."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta

from bot.services import Services
from storage import retention as repo

log = logging.getLogger("sipoa.retention")

# Photo rows deleted per transaction: the write lock stays short however much is due at once.
BATCH = 1000


@dataclass(frozen=True)
class Purged:
    photos: int = 0
    phones: int = 0


async def purge(services: Services) -> Purged:
    now = services.now()
    cfg = services.config.retention
    photos = 0
    while True:
        async with services.db.transaction() as s:
            n = await repo.purge_photos(s, before=now - timedelta(days=cfg.photos_days), limit=BATCH)
        photos += n
        if n < BATCH:
            break
    async with services.db.transaction() as s:
        phones = await repo.purge_phones(s, before=now - timedelta(days=cfg.phones_days))
    if photos or phones:
        log.info("event=retention_purged photos=%d phones=%d", photos, phones)
    return Purged(photos, phones)
