"""Bot API methods about the bot, chats, members, callbacks, files, webhook and commands."""

from __future__ import annotations

import copy
import json
import re
from typing import Any
from urllib.parse import urlsplit

from .errors import bad_request, forbidden
from .files import GET_FILE_LIMIT
from .state import ChatInfo, FakeState
from .updates import _admin_rights
from .validation import UploadedFile, check_callback_answer_text

Params = dict[str, Any]
Files = dict[str, UploadedFile]

_SCOPES = frozenset({"default", "all_private_chats", "all_group_chats",
                     "all_chat_administrators", "chat", "chat_administrators", "chat_member"})
_SECRET_RE = re.compile(r"[A-Za-z0-9_-]{1,256}")
_COMMAND_NAME_RE = re.compile(r"[a-z0-9_]{1,32}")


class ChatMethodsMixin(FakeState):
    _callbacks: dict[str, dict[str, Any]]
    answered_callbacks: list[dict[str, Any]]
    webhook: dict[str, Any] | None
    _commands: dict[tuple[str, str], list[dict[str, str]]]

    # ---------------------------------------------------------------- bot
    def _m_getMe(self, p: Params, files: Files) -> dict[str, Any]:
        return {
            **self.bot_user,
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
            "can_connect_to_business": False,
            "has_main_web_app": False,
        }

    # -------------------------------------------------------------- chats
    def _member_json(self, chat: ChatInfo, user_id: int) -> dict[str, Any]:
        user = self.bot_user if user_id == self.bot_id else self.users[user_id]
        data: dict[str, Any] = {"user": copy.deepcopy(user)}
        if user_id == self.bot_id:
            if chat.type == "private" or chat.bot_member:
                status = "administrator" if chat.bot_admin else "member"
            else:
                status = "left"
        elif chat.type == "private":
            status = "member" if user_id == chat.id else "left"
        elif user_id == chat.creator:
            status = "creator"
        elif user_id in chat.admins:
            status = "administrator"
        else:
            status = "member" if user_id in chat.members else "left"
        data["status"] = status
        if status == "creator":
            data["is_anonymous"] = False
        elif status == "administrator":
            data.update(_admin_rights())
        return data

    def _bot_in_chat(self, p: Params) -> ChatInfo:
        chat = self._find_chat(p["chat_id"])
        if chat.is_group and not chat.bot_member:
            kind = "supergroup chat" if chat.type == "supergroup" else f"{chat.type} chat"
            raise forbidden(f"bot is not a member of the {kind}")
        return chat

    def _m_getChat(self, p: Params, files: Files) -> dict[str, Any]:
        chat = self._bot_in_chat(p)
        return {
            **chat.to_json(),
            "accent_color_id": 0,
            "max_reaction_count": 11,
            "accepted_gift_types": {
                "unlimited_gifts": False, "limited_gifts": False, "unique_gifts": False,
                "premium_subscription": False, "gifts_from_channels": False,
            },
        }

    def _m_getChatMember(self, p: Params, files: Files) -> dict[str, Any]:
        chat = self._bot_in_chat(p)
        user_id = p["user_id"]
        if user_id != self.bot_id and user_id not in self.users:
            raise bad_request("user not found")
        return self._member_json(chat, user_id)

    def _m_getChatAdministrators(self, p: Params, files: Files) -> list[dict[str, Any]]:
        chat = self._bot_in_chat(p)
        if chat.type == "private":
            raise bad_request("there are no administrators in the private chat")
        ids = ([chat.creator] if chat.creator is not None else []) + sorted(chat.admins)
        if chat.bot_admin:
            ids.append(self.bot_id)
        return [self._member_json(chat, uid) for uid in dict.fromkeys(ids)
                if uid == self.bot_id or uid in self.users]

    def _m_leaveChat(self, p: Params, files: Files) -> bool:
        chat = self._bot_in_chat(p)
        if chat.type == "private":
            raise bad_request("chat member status can't be changed in private chats")
        old = "administrator" if chat.bot_admin else "member"
        chat.bot_member = chat.bot_admin = False
        self._my_chat_member(chat, self.bot_id, old, "left")  # type: ignore[attr-defined]
        return True

    # ---------------------------------------------------------- callbacks
    def _m_answerCallbackQuery(self, p: Params, files: Files) -> bool:
        entry = self._callbacks.get(p["callback_query_id"])
        if entry is None or entry["answered"]:
            raise bad_request(
                "query is too old and response timeout expired or query ID is invalid"
            )
        check_callback_answer_text(p.get("text"))
        entry["answered"] = True
        self.answered_callbacks.append({
            "callback_query_id": p["callback_query_id"],
            "text": p.get("text"),
            "show_alert": bool(p.get("show_alert", False)),
            "url": p.get("url"),
            "cache_time": p.get("cache_time"),
        })
        return True

    # -------------------------------------------------------------- files
    def _m_getFile(self, p: Params, files: Files) -> dict[str, Any]:
        rec = self.files.get(p["file_id"])
        if rec is None:
            raise bad_request("invalid file_id")
        if rec.file_size > GET_FILE_LIMIT:
            raise bad_request("file is too big")
        return rec.get_file()

    # ------------------------------------------------------------ webhook
    def _m_setWebhook(self, p: Params, files: Files) -> bool:
        url = p["url"]
        if not url:
            self.webhook = None  # an empty url removes the webhook
            return True
        parts = urlsplit(url)
        local_http = parts.scheme == "http" and parts.hostname in ("127.0.0.1", "localhost")
        # Telegram demands HTTPS; plain http is allowed for loopback so tests can receive pushes.
        if parts.scheme != "https" and not local_http:
            raise bad_request("bad webhook: An HTTPS URL must be provided for webhook")
        secret = p.get("secret_token")
        if secret is not None and not _SECRET_RE.fullmatch(secret):
            raise bad_request("secret token contains unallowed characters")
        if "allowed_updates" in p:
            self._set_allowed_updates(p["allowed_updates"])
        if p.get("drop_pending_updates"):
            self._updates.clear()
        self.webhook = {"url": url, "secret_token": secret,
                        "max_connections": p.get("max_connections", 40),
                        "ip_address": p.get("ip_address")}
        return True

    def _m_deleteWebhook(self, p: Params, files: Files) -> bool:
        self.webhook = None
        if p.get("drop_pending_updates"):
            self._updates.clear()
        return True

    def _m_getWebhookInfo(self, p: Params, files: Files) -> dict[str, Any]:
        info: dict[str, Any] = {"url": "", "has_custom_certificate": False,
                                "pending_update_count": len(self._updates)}
        if self.webhook:
            info["url"] = self.webhook["url"]
            info["max_connections"] = self.webhook["max_connections"]
            if self.webhook.get("ip_address"):
                info["ip_address"] = self.webhook["ip_address"]
            if self._allowed_updates is not None:
                info["allowed_updates"] = sorted(self._allowed_updates)
        return info

    def _set_allowed_updates(self, allowed: Any) -> None:
        if not isinstance(allowed, list) or not all(isinstance(a, str) for a in allowed):
            raise bad_request("can't parse allowed_updates JSON array")
        # [] restores the default (everything except the opt-in update types).
        self._allowed_updates = frozenset(allowed) if allowed else None

    # ----------------------------------------------------------- commands
    def _command_key(self, p: Params) -> tuple[str, str]:
        scope = p.get("scope") or {"type": "default"}
        if not isinstance(scope, dict) or scope.get("type") not in _SCOPES:
            raise bad_request("can't parse BotCommandScope JSON object")
        if scope["type"] in ("chat", "chat_administrators", "chat_member"):
            self._find_chat(scope.get("chat_id", 0))
        lang = p.get("language_code") or ""
        if lang and not re.fullmatch(r"[a-z]{2}", lang):
            raise bad_request("invalid language code specified")
        return json.dumps(scope, sort_keys=True), lang

    def _m_setMyCommands(self, p: Params, files: Files) -> bool:
        commands = p["commands"]
        if not isinstance(commands, list) or len(commands) > 100:
            raise bad_request("can't parse commands JSON array" if not isinstance(commands, list)
                              else "too many commands specified")
        for cmd in commands:
            name = str(cmd.get("command", "")) if isinstance(cmd, dict) else ""
            if not _COMMAND_NAME_RE.fullmatch(name):
                raise bad_request("BOT_COMMAND_INVALID")
            if not 1 <= len(str(cmd.get("description", "")).strip()) <= 256:
                raise bad_request("command description must be non-empty")
        key = self._command_key(p)
        self._commands[key] = [{"command": c["command"], "description": c["description"]}
                               for c in commands]
        return True

    def _m_deleteMyCommands(self, p: Params, files: Files) -> bool:
        self._commands.pop(self._command_key(p), None)
        return True

    def _m_getMyCommands(self, p: Params, files: Files) -> list[dict[str, str]]:
        return copy.deepcopy(self._commands.get(self._command_key(p), []))
