"""A readable transcript of what happened in the fake Bot API's chats, for `sipoa demo`.

After every scripted step `Transcript.sync()` compares the fake's chats with what it saw before and
writes down, per chat and in order: new messages (who said what, the bot's text as a person sees it,
its buttons as `[Tangani] [Foto]`), edits of earlier messages (marked ✎), deletions, and the short
notices that answer a button press.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from bot.fakeapi import FakeBotAPI

BOT_NAME = "Sipoa"
INDENT = "      "


@dataclass
class _Seen:
    versions: int  # 1 + number of edits already written down
    deleted: bool


@dataclass
class Transcript:
    fake: FakeBotAPI
    # Chat id -> a title such as "Budi (warga, Bahasa Indonesia)"; chats not named are not shown.
    titles: dict[int, str] = field(default_factory=dict)
    lines: dict[int, list[str]] = field(default_factory=dict)
    _seen: dict[tuple[int, int], _Seen] = field(default_factory=dict)
    _answers_seen: int = 0

    def name(self, chat_id: int, title: str) -> None:
        self.titles[chat_id] = title
        self.lines.setdefault(chat_id, [])

    def note(self, chat_id: int, text: str) -> None:
        """Something a person did that is not a message (a button press)."""
        self.lines.setdefault(chat_id, []).append(f"  · {text}")

    def press(self, chat_id: int, who: str, label: str) -> None:
        self.note(chat_id, f"{who} taps [{label}]")

    def sync(self, press_chat: int | None = None) -> None:
        """Write down what changed since the last call; `press_chat` gets the callback answers."""
        for chat_id in self.titles:
            for msg in self.fake.messages(chat_id):
                self._sync_message(chat_id, msg)
        answers = self.fake.answered_callbacks
        for answer in answers[self._answers_seen:]:
            if press_chat is not None and answer.get("text"):
                style = "pop-up" if answer.get("show_alert") else "notice"
                self.lines[press_chat].append(f"  ↳ {style}: {answer['text']}")
        self._answers_seen = len(answers)

    def _sync_message(self, chat_id: int, msg: dict[str, Any]) -> None:
        key = (chat_id, msg["message_id"])
        versions = 1 + len(msg.get("history") or [])
        seen = self._seen.get(key)
        out = self.lines[chat_id]
        if seen is None:
            out.extend(render_message(self.fake, msg))
        elif versions > seen.versions:
            before = (msg.get("history") or [{}])[-1]
            out.extend(render_message(self.fake, msg, edited=True, before=before))
        if msg.get("deleted") and not (seen and seen.deleted):
            out.append(f"  ✗ {BOT_NAME} deleted message #{msg['message_id']}")
        self._seen[key] = _Seen(versions, bool(msg.get("deleted")))

    def render(self) -> str:
        blocks = []
        for chat_id, title in self.titles.items():
            bar = "─" * max(8, 72 - len(title) - 4)
            body = "\n".join(self.lines.get(chat_id) or ["  (nothing)"])
            blocks.append(f"── {title} {bar}\n{body}")
        return "\n\n".join(blocks) + "\n"


def speaker(fake: FakeBotAPI, msg: dict[str, Any]) -> str:
    if msg.get("from_bot"):
        return BOT_NAME
    sender = msg.get("from") or {}
    return sender.get("first_name") or str(sender.get("id", "?"))


def describe_content(msg: dict[str, Any]) -> str:
    """What the message holds, in words, for everything that is not plain text."""
    parts = []
    if msg.get("photo"):
        parts.append("[photo]")
    if msg.get("document"):
        parts.append(f"[file {msg['document'].get('file_name', '')}]".replace(" ]", "]"))
    if msg.get("venue"):
        venue = msg["venue"]
        parts.append(f"[place: {venue.get('title')}, {venue.get('address')}]")
    elif msg.get("location"):
        loc = msg["location"]
        live = " (live)" if loc.get("live_period") else ""
        parts.append(f"[location {loc['latitude']:.5f}, {loc['longitude']:.5f}{live}]")
    if msg.get("contact"):
        parts.append(f"[contact {msg['contact'].get('phone_number')}]")
    if msg.get("media_group_id") and msg.get("from_bot"):
        parts.append("(album)")
    for service in ("migrate_to_chat_id", "migrate_from_chat_id", "new_chat_members", "left_chat_member"):
        if msg.get(service):
            parts.append(f"[{service.replace('_', ' ')}]")
    return " ".join(parts)


def render_message(
    fake: FakeBotAPI, msg: dict[str, Any], *, edited: bool = False, before: dict[str, Any] | None = None
) -> list[str]:
    who = speaker(fake, msg)
    text = msg.get("plain_text") or ""
    content = describe_content(msg)
    body_lines = ([content] if content else []) + (text.splitlines() if text else [])
    if edited and before is not None:
        # An alert edited in place repeats a dozen unchanged lines: show what changed.
        old = set((before.get("plain_text") or "").splitlines())
        changed = [line for line in text.splitlines() if line and line not in old]
        body_lines = changed or (["(buttons changed)"] if text else body_lines)
    if not body_lines:
        body_lines = ["(empty)"]
    if edited:
        head = f"  ✎ {who} edited #{msg['message_id']}: "
    else:
        reply = msg.get("reply_to_message")
        to = f" (reply to #{reply['message_id']})" if reply else ""
        head = f"  #{msg['message_id']} {who}{to}: "
    lines = [head + body_lines[0]] + [INDENT + line for line in body_lines[1:]]
    lines += [INDENT + row for row in keyboard_rows(msg)]
    return lines


def keyboard_rows(msg: dict[str, Any]) -> list[str]:
    markup = msg.get("reply_markup") or {}
    rows = []
    for row in markup.get("inline_keyboard", []):
        rows.append(" ".join(f"[{b['text']}]" for b in row))
    for row in markup.get("keyboard", []):
        rows.append("keyboard: " + " ".join(f"⟦{b['text'] if isinstance(b, dict) else b}⟧" for b in row))
    if markup.get("remove_keyboard"):
        rows.append("(keyboard removed)")
    return rows
