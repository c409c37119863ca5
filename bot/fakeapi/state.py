"""State of the fake Bot API: users, chats, stored messages, update queue, rate windows.

``FakeState`` is the base of ``FakeBotAPI``; the mixins in ``updates.py``,
``sending.py`` and ``chats.py`` operate on it.  All mutation happens while
holding ``self._lock`` (a ``threading.RLock``) because the fake is used both
from test code / the in-process transport and from the HTTP server thread.
"""

from __future__ import annotations

import asyncio
import contextlib
import copy
import math
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from .errors import ApiError, bad_request, forbidden, too_many_requests
from .files import FileStore

GROUP_TYPES = ("group", "supergroup", "channel")
# Update types delivered only when explicitly listed in allowed_updates.
OPT_IN_UPDATE_TYPES = frozenset({"chat_member", "message_reaction", "message_reaction_count"})
PRIVATE_BURST = 5  # messages per second into one private chat before 429
GLOBAL_PER_SECOND = 30


@dataclass
class ChatInfo:
    id: int
    type: str
    title: str | None = None
    username: str | None = None
    first_name: str | None = None
    last_name: str | None = None
    members: set[int] = field(default_factory=set)
    admins: set[int] = field(default_factory=set)
    creator: int | None = None
    bot_member: bool = True
    bot_admin: bool = False
    migrated_to: int | None = None

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"id": self.id}
        if self.type == "private":
            data["first_name"] = self.first_name
            if self.last_name:
                data["last_name"] = self.last_name
        else:
            data["title"] = self.title
        if self.username:
            data["username"] = self.username
        data["type"] = self.type
        return data

    @property
    def is_group(self) -> bool:
        return self.type in GROUP_TYPES


@dataclass
class StoredMessage:
    data: dict[str, Any]  # Telegram-shaped Message, exactly as the API returns it
    from_bot: bool
    raw_text: str | None = None  # text/caption as sent (HTML source), None if none
    plain_text: str | None = None  # text/caption as displayed
    markup: dict[str, Any] | None = None  # reply_markup as sent (any keyboard kind)
    history: list[dict[str, Any]] = field(default_factory=list)
    deleted: bool = False

    def inspect(self) -> dict[str, Any]:
        """Inspection view for tests: the message plus raw/plain text and bookkeeping."""
        view = copy.deepcopy(self.data)
        key = "caption" if "caption" in view or "text" not in view else "text"
        if self.raw_text is not None:
            view[key] = self.raw_text
        view["plain_text"] = self.plain_text
        view["reply_markup"] = copy.deepcopy(self.markup)
        view["photo"] = view.get("photo")
        view["history"] = copy.deepcopy(self.history)
        view["deleted"] = self.deleted
        view["from_bot"] = self.from_bot
        return view


class FakeState:
    """Shared state and low-level helpers; see FakeBotAPI for the public API."""

    def __init__(
        self,
        *,
        token: str,
        bot_id: int,
        bot_username: str,
        group_limit_per_minute: int,
        clock: Callable[[], float] | None,
        now: Callable[[], float] | None,
    ) -> None:
        self.token = token
        self.bot_id = bot_id
        self.bot_username = bot_username
        self.group_limit_per_minute = group_limit_per_minute
        self._clock = clock or time.monotonic
        self._now = now or time.time
        self._lock = threading.RLock()
        self.bot_user: dict[str, Any] = {
            "id": bot_id,
            "is_bot": True,
            "first_name": "Sipoa Test Bot",
            "username": bot_username,
        }
        self.users: dict[int, dict[str, Any]] = {}
        self.chats: dict[int, ChatInfo] = {}
        self.blocked: set[int] = set()
        self.files = FileStore()
        self._messages: dict[int, dict[int, StoredMessage]] = {}
        self._next_message_id: dict[int, int] = {}
        self._updates: list[dict[str, Any]] = []
        self._next_update_id = 100_000_001
        # None = Telegram's default: every update type except the opt-in ones.
        self._allowed_updates: frozenset[str] | None = None
        self._waiters: list[tuple[asyncio.AbstractEventLoop, asyncio.Event]] = []
        self._sends_by_chat: dict[int, deque[float]] = {}
        self._sends_global: deque[float] = deque()

    # ------------------------------------------------------------------ time
    def _date(self) -> int:
        return int(self._now())

    # ----------------------------------------------------------------- chats
    def _private_chat(self, user_id: int) -> ChatInfo:
        user = self.users[user_id]
        chat = self.chats.get(user_id)
        if chat is None:
            chat = ChatInfo(
                id=user_id,
                type="private",
                first_name=user["first_name"],
                last_name=user.get("last_name"),
                username=user.get("username"),
                members={user_id},
            )
            self.chats[user_id] = chat
        return chat

    def _find_chat(self, chat_ref: int | str) -> ChatInfo:
        """Resolve a chat_id parameter (id or @username) or raise like Telegram."""
        if isinstance(chat_ref, str):
            name = chat_ref.lstrip("@").lower()
            for known in self.chats.values():
                if known.username and known.username.lower() == name:
                    return self._not_migrated(known)
            raise bad_request("chat not found")
        chat = self.chats.get(chat_ref)
        if chat is None and chat_ref in self.users:
            chat = self._private_chat(chat_ref)
        if chat is None:
            raise bad_request("chat not found")
        return self._not_migrated(chat)

    @staticmethod
    def _not_migrated(chat: ChatInfo) -> ChatInfo:
        if chat.migrated_to is not None:
            raise ApiError(
                400,
                "Bad Request: group chat was upgraded to a supergroup chat",
                {"migrate_to_chat_id": chat.migrated_to},
            )
        return chat

    def _writable_chat(self, chat_ref: int | str) -> ChatInfo:
        """A chat the bot may post to (raises 400/403 otherwise)."""
        chat = self._find_chat(chat_ref)
        if chat.type == "private":
            if chat.id in self.blocked:
                raise forbidden("bot was blocked by the user")
            if self.users.get(chat.id, {}).get("is_bot"):
                raise forbidden("bot can't send messages to bots")
        elif not chat.bot_member:
            kind = "supergroup chat" if chat.type == "supergroup" else f"{chat.type} chat"
            raise forbidden(f"bot is not a member of the {kind}")
        return chat

    # -------------------------------------------------------------- messages
    def _new_message(
        self, chat: ChatInfo, sender: dict[str, Any] | None, content: dict[str, Any]
    ) -> dict[str, Any]:
        mid = self._next_message_id.get(chat.id, 1)
        self._next_message_id[chat.id] = mid + 1
        data: dict[str, Any] = {"message_id": mid}
        if sender is not None:
            data["from"] = copy.deepcopy(sender)
        data.update(chat=chat.to_json(), date=self._date())
        data.update(content)
        return data

    def _store(self, chat_id: int, stored: StoredMessage) -> StoredMessage:
        self._messages.setdefault(chat_id, {})[stored.data["message_id"]] = stored
        return stored

    def _get_message(self, chat_id: int, message_id: int) -> StoredMessage | None:
        return self._messages.get(chat_id, {}).get(message_id)

    def _reply_to(self, chat: ChatInfo, reply: dict[str, Any] | None) -> dict[str, Any]:
        """Resolve reply_parameters into the ``reply_to_message`` field (or raise)."""
        if not reply:
            return {}
        if not isinstance(reply, dict) or not isinstance(reply.get("message_id"), int):
            raise bad_request("can't parse reply parameters JSON object")
        target_chat = chat.id
        if "chat_id" in reply:
            target_chat = self._find_chat(reply["chat_id"]).id
        target = self._get_message(target_chat, reply["message_id"])
        if target is None or target.deleted:
            if reply.get("allow_sending_without_reply"):
                return {}
            raise bad_request("message to be replied not found")
        replied = copy.deepcopy(target.data)
        replied.pop("reply_to_message", None)  # Telegram does not nest replies further
        return {"reply_to_message": replied}

    # --------------------------------------------------------------- updates
    def _enqueue(self, payload: dict[str, Any]) -> dict[str, Any]:
        """Assign an update_id, queue the update (if allowed) and wake long-pollers."""
        body = copy.deepcopy(payload)
        body.pop("update_id", None)
        update = {"update_id": self._next_update_id, **body}
        self._next_update_id += 1
        kind = next((k for k in update if k != "update_id"), "")
        allowed = self._allowed_updates
        if (kind in allowed) if allowed is not None else (kind not in OPT_IN_UPDATE_TYPES):
            self._updates.append(update)
            self._wake_pollers()
        return copy.deepcopy(update)

    def _wake_pollers(self) -> None:
        for loop, event in self._waiters:
            with contextlib.suppress(RuntimeError):  # the poller's loop is already closed
                loop.call_soon_threadsafe(event.set)

    # ----------------------------------------------------------- rate limits
    def _check_rate(self, chat: ChatInfo, count: int = 1) -> None:
        """Raise 429 if ``count`` more messages would exceed a flood window."""
        now = self._clock()
        checks: list[tuple[deque[float], float, int]] = [
            (self._sends_global, 1.0, GLOBAL_PER_SECOND)
        ]
        window = self._sends_by_chat.setdefault(chat.id, deque())
        if chat.is_group:
            checks.append((window, 60.0, self.group_limit_per_minute))
        else:
            checks.append((window, 1.0, PRIVATE_BURST))
        retry = 0
        for stamps, span, limit in checks:
            while stamps and stamps[0] <= now - span:
                stamps.popleft()
            excess = len(stamps) + count - limit
            if excess > 0:
                # Seconds until enough old sends leave the window.
                free_at = stamps[min(excess, len(stamps)) - 1] + span if stamps else now + span
                retry = max(retry, math.ceil(free_at - now), 1)
        if retry:
            raise too_many_requests(retry)

    def _note_sent(self, chat: ChatInfo, count: int = 1) -> None:
        now = self._clock()
        for _ in range(count):
            self._sends_global.append(now)
            self._sends_by_chat.setdefault(chat.id, deque()).append(now)
