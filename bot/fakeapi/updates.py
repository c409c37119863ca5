"""Playing users: the synchronous update generators of FakeBotAPI.

Each ``user_*`` method builds the Update JSON Telegram would deliver, stores the
message in the fake's chat history, queues the update for getUpdates/webhook
delivery and returns a copy of it (a plain dict, ready for ``Update.de_json``).
"""

from __future__ import annotations

import copy
import random
import re
from typing import Any

from .state import ChatInfo, FakeState, StoredMessage

_COMMAND_RE = re.compile(r"(?<!\S)/[A-Za-z0-9_]{1,32}(?:@[A-Za-z0-9_]{3,32})?(?![A-Za-z0-9_@])")


def _utf16(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def command_entities(text: str) -> list[dict[str, Any]]:
    """bot_command entities as Telegram marks them (offsets in UTF-16 units)."""
    return [
        {"offset": _utf16(text[: m.start()]), "length": _utf16(m.group(0)), "type": "bot_command"}
        for m in _COMMAND_RE.finditer(text)
    ]


class UserSimulationMixin(FakeState):
    _callback_counter: int
    _callbacks: dict[str, dict[str, Any]]

    # --------------------------------------------------------- users & chats
    def add_user(
        self,
        user_id: int,
        first_name: str,
        *,
        last_name: str | None = None,
        username: str | None = None,
        language_code: str | None = "id",
        is_bot: bool = False,
    ) -> dict[str, Any]:
        user: dict[str, Any] = {"id": user_id, "is_bot": is_bot, "first_name": first_name}
        if last_name:
            user["last_name"] = last_name
        if username:
            user["username"] = username
        if language_code:
            user["language_code"] = language_code
        with self._lock:
            self.users[user_id] = user
            self.chats.pop(user_id, None)
            self._private_chat(user_id)
        return copy.deepcopy(user)

    def add_group(
        self,
        chat_id: int,
        title: str,
        *,
        type: str = "supergroup",  # shadows the builtin on purpose: the Bot API field name
        members: tuple[int, ...] | list[int] = (),
        admins: tuple[int, ...] | list[int] = (),
        username: str | None = None,
        bot_admin: bool = False,
    ) -> ChatInfo:
        """Register a group the bot is a member of.  The first member is its creator."""
        if chat_id >= 0:
            raise ValueError("group ids are negative")
        with self._lock:
            chat = ChatInfo(
                id=chat_id,
                type=type,
                title=title,
                username=username,
                members=set(members) | set(admins),
                admins=set(admins),
                creator=next(iter(members), None),
                bot_admin=bot_admin,
            )
            self.chats[chat_id] = chat
            return chat

    def block_bot(self, user_id: int) -> dict[str, Any]:
        """The user blocks the bot: sends now fail with 403; emits my_chat_member (kicked)."""
        with self._lock:
            self.blocked.add(user_id)
            return self._my_chat_member(self._private_chat(user_id), user_id, "member", "kicked")

    def unblock_bot(self, user_id: int) -> dict[str, Any]:
        with self._lock:
            self.blocked.discard(user_id)
            return self._my_chat_member(self._private_chat(user_id), user_id, "kicked", "member")

    def _my_chat_member(self, chat: ChatInfo, by: int, old: str, new: str) -> dict[str, Any]:
        def member(status: str) -> dict[str, Any]:
            data: dict[str, Any] = {"user": copy.deepcopy(self.bot_user), "status": status}
            if status == "kicked":
                data["until_date"] = 0
            if status == "administrator":
                data.update(_admin_rights())
            return data

        return self._enqueue(
            {
                "my_chat_member": {
                    "chat": chat.to_json(),
                    "from": copy.deepcopy(self.users.get(by, self.bot_user)),
                    "date": self._date(),
                    "old_chat_member": member(old),
                    "new_chat_member": member(new),
                }
            }
        )

    # ---------------------------------------------------------- messages in
    def _user_chat(self, user_id: int, chat_id: int | None) -> ChatInfo:
        if user_id not in self.users:
            raise ValueError(f"unknown user {user_id}: call add_user first")
        if chat_id is None or chat_id == user_id:
            return self._private_chat(user_id)
        chat = self.chats.get(chat_id)
        if chat is None:
            raise ValueError(f"unknown chat {chat_id}: call add_group first")
        if chat.migrated_to is not None:
            raise ValueError(f"chat {chat_id} was migrated to {chat.migrated_to}")
        chat.members.add(user_id)
        return chat

    def _user_message(
        self,
        user_id: int,
        content: dict[str, Any],
        *,
        chat_id: int | None = None,
        reply_to_message_id: int | None = None,
        forwarded: bool = False,
    ) -> dict[str, Any]:
        with self._lock:
            chat = self._user_chat(user_id, chat_id)
            extra: dict[str, Any] = {}
            if forwarded:
                extra["forward_origin"] = {
                    "type": "hidden_user",
                    "sender_user_name": "Forwarded Sender",
                    "date": self._date() - 3600,
                }
            if reply_to_message_id is not None:
                extra.update(self._reply_to(chat, {"message_id": reply_to_message_id}))
            data = self._new_message(chat, self.users[user_id], {**extra, **content})
            text = content.get("text", content.get("caption"))
            stored = StoredMessage(data, from_bot=False, raw_text=text, plain_text=text)
            self._store(chat.id, stored)
            return self._enqueue({"message": data})

    def user_text(
        self,
        user_id: int,
        text: str,
        *,
        chat_id: int | None = None,
        reply_to_message_id: int | None = None,
    ) -> dict[str, Any]:
        content: dict[str, Any] = {"text": text}
        entities = command_entities(text)
        if entities:
            content["entities"] = entities
        return self._user_message(
            user_id, content, chat_id=chat_id, reply_to_message_id=reply_to_message_id
        )

    @staticmethod
    def _location(lat: float, lon: float, horizontal_accuracy: float | None = None,
                  live_period: int | None = None) -> dict[str, Any]:
        loc: dict[str, Any] = {"latitude": lat, "longitude": lon}
        if horizontal_accuracy is not None:
            loc["horizontal_accuracy"] = horizontal_accuracy
        if live_period is not None:
            loc["live_period"] = live_period
        return loc

    def user_location(
        self,
        user_id: int,
        lat: float,
        lon: float,
        *,
        horizontal_accuracy: float | None = None,
        live_period: int | None = None,
        forwarded: bool = False,
        chat_id: int | None = None,
    ) -> dict[str, Any]:
        loc = self._location(lat, lon, horizontal_accuracy, live_period)
        return self._user_message(user_id, {"location": loc}, chat_id=chat_id, forwarded=forwarded)

    def user_edit_location(
        self,
        user_id: int,
        message_id: int,
        lat: float,
        lon: float,
        *,
        horizontal_accuracy: float | None = None,
        chat_id: int | None = None,
    ) -> dict[str, Any]:
        """A live-location update: an ``edited_message`` with the new coordinates."""
        with self._lock:
            chat = self._user_chat(user_id, chat_id)
            stored = self._get_message(chat.id, message_id)
            if stored is None or "location" not in stored.data:
                raise ValueError(f"no location message {message_id} in chat {chat.id}")
            stored.history.append(stored.inspect() | {"history": []})
            old = stored.data["location"]
            stored.data["location"] = self._location(
                lat, lon, horizontal_accuracy, old.get("live_period")
            )
            stored.data["edit_date"] = self._date()
            return self._enqueue({"edited_message": stored.data})

    def user_venue(
        self, user_id: int, lat: float, lon: float, title: str, address: str,
        *, chat_id: int | None = None,
    ) -> dict[str, Any]:
        loc = self._location(lat, lon)
        venue = {"location": loc, "title": title, "address": address}
        return self._user_message(user_id, {"location": loc, "venue": venue}, chat_id=chat_id)

    def user_contact(
        self, user_id: int, phone_number: str, *, contact_user_id: int | None = None,
        first_name: str = "X", chat_id: int | None = None,
    ) -> dict[str, Any]:
        contact: dict[str, Any] = {"phone_number": phone_number, "first_name": first_name}
        if contact_user_id is not None:
            contact["user_id"] = contact_user_id
        return self._user_message(user_id, {"contact": contact}, chat_id=chat_id)

    def _media_message(
        self, user_id: int, content: dict[str, Any], caption: str | None,
        media_group_id: str | None, chat_id: int | None, forwarded: bool = False,
    ) -> dict[str, Any]:
        if media_group_id is not None:
            content["media_group_id"] = media_group_id
        if caption is not None:
            content["caption"] = caption
        return self._user_message(user_id, content, chat_id=chat_id, forwarded=forwarded)

    def user_photo(
        self, user_id: int, *, caption: str | None = None, media_group_id: str | None = None,
        width: int = 1280, height: int = 960, content: bytes | None = None,
        forwarded: bool = False, chat_id: int | None = None,
    ) -> dict[str, Any]:
        with self._lock:
            sizes = self.files.add_photo(content, width, height)
            assert sizes is not None
            photo = [r.photo_size() for r in sizes]
        return self._media_message(
            user_id, {"photo": photo}, caption, media_group_id, chat_id, forwarded
        )

    def user_document(
        self, user_id: int, *, file_name: str, mime_type: str, content: bytes,
        caption: str | None = None, media_group_id: str | None = None,
        chat_id: int | None = None, file_size: int | None = None,
    ) -> dict[str, Any]:
        """``file_size`` overrides the reported size (to simulate huge files cheaply)."""
        with self._lock:
            rec = self.files.add(
                "document", content, mime_type=mime_type, file_name=file_name, file_size=file_size
            )
        return self._media_message(
            user_id, {"document": rec.document()}, caption, media_group_id, chat_id
        )

    def user_sticker(self, user_id: int, *, emoji: str = "😀",
                     chat_id: int | None = None) -> dict[str, Any]:
        with self._lock:
            rec = self.files.add("sticker", b"RIFF\x00\x00\x00\x00WEBPVP8 ", mime_type="image/webp",
                                 width=512, height=512)
        sticker = {**rec.photo_size(), "type": "regular", "is_animated": False,
                   "is_video": False, "emoji": emoji}
        return self._user_message(user_id, {"sticker": sticker}, chat_id=chat_id)

    def user_voice(self, user_id: int, *, duration: int = 3, content: bytes = b"OggS\x00fake-voice",
                   chat_id: int | None = None) -> dict[str, Any]:
        with self._lock:
            rec = self.files.add("voice", content, mime_type="audio/ogg")
        voice = {"file_id": rec.file_id, "file_unique_id": rec.file_unique_id,
                 "duration": duration, "mime_type": "audio/ogg", "file_size": rec.file_size}
        return self._user_message(user_id, {"voice": voice}, chat_id=chat_id)

    def user_video(self, user_id: int, *, duration: int = 5, width: int = 640, height: int = 360,
                   content: bytes = b"\x00\x00\x00\x18ftypmp42fake-video",
                   caption: str | None = None, chat_id: int | None = None) -> dict[str, Any]:
        with self._lock:
            rec = self.files.add("video", content, mime_type="video/mp4",
                                 width=width, height=height)
        video = {**rec.photo_size(), "duration": duration, "mime_type": "video/mp4"}
        return self._media_message(user_id, {"video": video}, caption, None, chat_id)

    def user_poll(self, user_id: int, question: str = "Setuju?",
                  options: tuple[str, ...] | list[str] = ("Ya", "Tidak"),
                  *, chat_id: int | None = None) -> dict[str, Any]:
        poll = {
            "id": str(random.getrandbits(62)),
            "question": question,
            "options": [{"persistent_id": str(i), "text": o, "voter_count": 0}
                        for i, o in enumerate(options)],
            "total_voter_count": 0, "is_closed": False, "is_anonymous": True,
            "type": "regular", "allows_multiple_answers": False,
            "allows_revoting": True, "members_only": False,
        }
        return self._user_message(user_id, {"poll": poll}, chat_id=chat_id)

    def user_dice(self, user_id: int, *, emoji: str = "🎲", value: int | None = None,
                  chat_id: int | None = None) -> dict[str, Any]:
        top = {"🎯": 6, "🎲": 6, "🎳": 6, "🏀": 5, "⚽": 5, "🎰": 64}.get(emoji, 6)
        dice = {"emoji": emoji, "value": value if value is not None else random.randint(1, top)}
        return self._user_message(user_id, {"dice": dice}, chat_id=chat_id)

    # --------------------------------------------------------------- buttons
    def user_press(self, user_id: int, chat_id: int, message_id: int, data: str) -> dict[str, Any]:
        """The user taps an inline button; ``data`` need not be on the message (forgery)."""
        with self._lock:
            if user_id not in self.users:
                raise ValueError(f"unknown user {user_id}")
            stored = self._get_message(chat_id, message_id)
            if stored is None or stored.deleted:
                raise ValueError(f"no message {message_id} in chat {chat_id} to press on")
            self._callback_counter += 1
            query_id = str((self.bot_id << 24) + self._callback_counter)
            self._callbacks[query_id] = {"answered": False, "user_id": user_id}
            return self._enqueue(
                {
                    "callback_query": {
                        "id": query_id,
                        "from": copy.deepcopy(self.users[user_id]),
                        "message": copy.deepcopy(stored.data),
                        "chat_instance": str((abs(chat_id) * 1_000_003) % 10**19),
                        "data": data,
                    }
                }
            )

    # ---------------------------------------------------------------- groups
    def bot_added_to_group(self, chat_id: int, title: str, by_user_id: int, *,
                           as_admin: bool = False) -> dict[str, Any]:
        """Someone adds the bot to a group: a ``my_chat_member`` update (left -> member)."""
        with self._lock:
            chat = self.chats.get(chat_id)
            if chat is None:
                kind = "supergroup" if str(chat_id).startswith("-100") else "group"
                chat = self.add_group(chat_id, title, type=kind, members=(by_user_id,))
            chat.members.add(by_user_id)
            chat.bot_member, chat.bot_admin = True, as_admin
            return self._my_chat_member(chat, by_user_id, "left",
                                        "administrator" if as_admin else "member")

    def group_migrated(self, old_id: int, new_id: int) -> list[dict[str, Any]]:
        """Upgrade a group to a supergroup; returns the two service-message updates."""
        with self._lock:
            old = self.chats[old_id]
            new = ChatInfo(id=new_id, type="supergroup", title=old.title, members=set(old.members),
                           admins=set(old.admins), creator=old.creator, bot_admin=old.bot_admin)
            self.chats[new_id] = new
            sender = self.users.get(old.creator) if old.creator is not None else None
            first = self._new_message(old, sender, {"migrate_to_chat_id": new_id})
            self._store(old_id, StoredMessage(first, from_bot=False))
            old.migrated_to = new_id
            second = self._new_message(new, sender, {"migrate_from_chat_id": old_id})
            self._store(new_id, StoredMessage(second, from_bot=False))
            return [self._enqueue({"message": first}), self._enqueue({"message": second})]

    def push_update(self, update: dict[str, Any]) -> dict[str, Any]:
        """Queue any update (e.g. a channel_post); chats it mentions become known."""
        with self._lock:
            for value in update.values():
                if isinstance(value, dict) and isinstance(value.get("chat"), dict):
                    self._learn_chat(value)
            return self._enqueue(update)

    def _learn_chat(self, obj: dict[str, Any]) -> None:
        c = obj["chat"]
        chat = self.chats.get(c["id"])
        if chat is None:
            chat = ChatInfo(id=c["id"], type=c.get("type", "supergroup"), title=c.get("title"),
                            username=c.get("username"), first_name=c.get("first_name"),
                            last_name=c.get("last_name"))
            self.chats[chat.id] = chat
        mid = obj.get("message_id")
        if isinstance(mid, int) and self._get_message(chat.id, mid) is None:
            text = obj.get("text", obj.get("caption"))
            self._store(chat.id, StoredMessage(copy.deepcopy(obj), from_bot=False,
                                               raw_text=text, plain_text=text))
            self._next_message_id[chat.id] = max(self._next_message_id.get(chat.id, 1), mid + 1)


def _admin_rights() -> dict[str, Any]:
    rights = ("can_manage_chat", "can_delete_messages", "can_manage_video_chats",
              "can_restrict_members", "can_promote_members", "can_change_info",
              "can_invite_users", "can_post_stories", "can_edit_stories", "can_delete_stories",
              "can_pin_messages")
    return {"can_be_edited": False, "is_anonymous": False,
            **{r: r != "can_promote_members" for r in rights}}
