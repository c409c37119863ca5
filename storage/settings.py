"""Setting rows: small operational facts that must outlive the process."""

from __future__ import annotations

from datetime import datetime

from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import Setting

# The officers' group id after Telegram migrated the group to a supergroup.
GROUP_CHAT_ID = "group_chat_id"
# The configured id that migration replaced: the stored id applies only while the config still names
# that old group (an operator who later puts another group in the config means that group).
GROUP_MIGRATED_FROM = "group_chat_id_migrated_from"


async def get(session: AsyncSession, *, key: str) -> str | None:
    row = await session.get(Setting, key)
    return None if row is None else row.value


async def set_value(session: AsyncSession, *, key: str, value: str, now: datetime) -> Setting:
    row = await session.get(Setting, key)
    if row is None:
        row = Setting(key=key, value=value, updated_at=now)
        session.add(row)
    else:
        row.value = value
        row.updated_at = now
    await session.flush()
    return row


def _keyed(key: str, office: str | None) -> str:
    return key if office is None else f"{key}:{office}"


async def record_group_migration(
    session: AsyncSession, *, old_chat_id: int, new_chat_id: int, now: datetime, office: str | None = None
) -> None:
    # A group migrates once (group → supergroup), so one pair of rows per office tells the whole story.
    await set_value(session, key=_keyed(GROUP_MIGRATED_FROM, office), value=str(old_chat_id), now=now)
    await set_value(session, key=_keyed(GROUP_CHAT_ID, office), value=str(new_chat_id), now=now)


async def effective_group_chat_id(session: AsyncSession, *, configured: int, office: str | None = None) -> int:
    """The group to use: the migrated id when the config still names the group it replaced."""
    stored = await get(session, key=_keyed(GROUP_CHAT_ID, office))
    if stored is None:
        return configured
    migrated_from = await get(session, key=_keyed(GROUP_MIGRATED_FROM, office))
    if migrated_from is not None and migrated_from != str(configured):
        return configured
    try:
        return int(stored)
    except ValueError:
        return configured
