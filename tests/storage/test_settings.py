"""Durable settings: the officers' group id after Telegram migrated it, and when it applies."""

from __future__ import annotations

from datetime import datetime, timezone


from storage import settings

NOW = datetime(2026, 3, 2, 2, 0, tzinfo=timezone.utc)
OLD, NEW, OTHER = -4001, -1009999, -1007777


async def test_get_and_set(db):
    async with db.transaction() as s:
        assert await settings.get(s, key="x") is None
        await settings.set_value(s, key="x", value="1", now=NOW)
        await settings.set_value(s, key="x", value="2", now=NOW)
    async with db.read() as s:
        assert await settings.get(s, key="x") == "2"


async def test_the_migrated_id_applies_while_the_config_names_the_old_group(db):
    async with db.read() as s:
        assert await settings.effective_group_chat_id(s, configured=OLD) == OLD
    async with db.transaction() as s:
        await settings.record_group_migration(s, old_chat_id=OLD, new_chat_id=NEW, now=NOW)
    async with db.read() as s:
        assert await settings.get(s, key=settings.GROUP_CHAT_ID) == str(NEW)
        assert await settings.effective_group_chat_id(s, configured=OLD) == NEW
        # The operator updated the config as the log asked: the config rules again.
        assert await settings.effective_group_chat_id(s, configured=NEW) == NEW
        # ... or moved the bot to another group altogether.
        assert await settings.effective_group_chat_id(s, configured=OTHER) == OTHER
