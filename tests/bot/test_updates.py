"""Per-chat ordering: one chat's updates run one after another, different chats run together."""

from __future__ import annotations

import asyncio

from telegram import Chat, Message, Update, User

from bot.updates import PerChatUpdateProcessor, chat_key


def _update(update_id: int, chat_id: int) -> Update:
    user = User(id=abs(chat_id), first_name="u", is_bot=False)
    chat = Chat(id=chat_id, type="private")
    msg = Message(message_id=update_id, date=None, chat=chat, from_user=user, text="x")  # type: ignore[arg-type]
    return Update(update_id=update_id, message=msg)


async def test_same_chat_is_serial_and_other_chats_overlap():
    processor = PerChatUpdateProcessor(16)
    log: list[str] = []
    running = {"a": 0, "max_a": 0, "total": 0, "max_total": 0}

    async def work(tag: str, chat: str) -> None:
        running[chat] = running.get(chat, 0) + 1
        running["total"] += 1
        running["max_total"] = max(running["max_total"], running["total"])
        if chat == "a":
            running["max_a"] = max(running["max_a"], running["a"])
        log.append(f"start {tag}")
        await asyncio.sleep(0.01)
        log.append(f"end {tag}")
        running[chat] -= 1
        running["total"] -= 1

    await asyncio.gather(
        processor.process_update(_update(1, 111), work("a1", "a")),
        processor.process_update(_update(2, 111), work("a2", "a")),
        processor.process_update(_update(3, 222), work("b1", "b")),
    )
    assert running["max_a"] == 1  # chat 111 never ran two at once
    assert running["max_total"] == 2  # but chat 222 ran beside it
    assert log.index("end a1") < log.index("start a2")
    assert processor._locks == {}  # idle chats are forgotten


def test_chat_key_falls_back_for_updates_without_chat():
    assert chat_key(object()) == 0
    assert chat_key(_update(5, -100123)) == -100123
