"""Parameter table of the Bot API methods the fake serves.

Hand-maintained from the official Bot API description (checked against the
machine-readable spec by ``tests/fakeapi/test_spec.py``).  Every real parameter
of each method is listed so the bot may use any of them; the fake rejects
parameters that are not listed here (real Telegram silently ignores them, which
hides typos such as ``reply_markup`` spelled ``replymarkup``).

Each parameter carries a *kind* that tells the fake how to decode a value that
arrived as a form string (PTB sends numbers as plain strings and nested objects
as JSON-encoded strings).
"""

from __future__ import annotations

from typing import NamedTuple

# Value kinds (how to decode a form-encoded string).
INT = "int"  # Integer
FLOAT = "float"  # Float
BOOL = "bool"  # Boolean
STR = "str"  # String: kept verbatim, never JSON-decoded
CHAT = "chat"  # Integer or String (chat ids / @usernames)
FILE = "file"  # InputFile or String (file_id, URL, attach://<name>)
JSON = "json"  # arrays and objects

REQ = True


class Param(NamedTuple):
    name: str
    kind: str
    required: bool = False


P = Param

METHODS: dict[str, tuple[Param, ...]] = {
    "getMe": (),
    "getUpdates": (
        P("offset", INT),
        P("limit", INT),
        P("timeout", INT),
        P("allowed_updates", JSON),
    ),
    "setWebhook": (
        P("url", STR, REQ),
        P("certificate", FILE),
        P("ip_address", STR),
        P("max_connections", INT),
        P("allowed_updates", JSON),
        P("drop_pending_updates", BOOL),
        P("secret_token", STR),
    ),
    "deleteWebhook": (
        P("drop_pending_updates", BOOL),
    ),
    "getWebhookInfo": (),
    "setMyCommands": (
        P("commands", JSON, REQ),
        P("scope", JSON),
        P("language_code", STR),
    ),
    "deleteMyCommands": (
        P("scope", JSON),
        P("language_code", STR),
    ),
    "getMyCommands": (
        P("scope", JSON),
        P("language_code", STR),
    ),
    "sendMessage": (
        P("business_connection_id", STR),
        P("chat_id", CHAT, REQ),
        P("message_thread_id", INT),
        P("direct_messages_topic_id", INT),
        P("text", STR, REQ),
        P("parse_mode", STR),
        P("entities", JSON),
        P("link_preview_options", JSON),
        P("disable_notification", BOOL),
        P("protect_content", BOOL),
        P("allow_paid_broadcast", BOOL),
        P("message_effect_id", STR),
        P("suggested_post_parameters", JSON),
        P("reply_parameters", JSON),
        P("reply_markup", JSON),
    ),
    "sendPhoto": (
        P("business_connection_id", STR),
        P("chat_id", CHAT, REQ),
        P("message_thread_id", INT),
        P("direct_messages_topic_id", INT),
        P("photo", FILE, REQ),
        P("caption", STR),
        P("parse_mode", STR),
        P("caption_entities", JSON),
        P("show_caption_above_media", BOOL),
        P("has_spoiler", BOOL),
        P("disable_notification", BOOL),
        P("protect_content", BOOL),
        P("allow_paid_broadcast", BOOL),
        P("message_effect_id", STR),
        P("suggested_post_parameters", JSON),
        P("reply_parameters", JSON),
        P("reply_markup", JSON),
    ),
    "sendDocument": (
        P("business_connection_id", STR),
        P("chat_id", CHAT, REQ),
        P("message_thread_id", INT),
        P("direct_messages_topic_id", INT),
        P("document", FILE, REQ),
        P("thumbnail", FILE),
        P("caption", STR),
        P("parse_mode", STR),
        P("caption_entities", JSON),
        P("disable_content_type_detection", BOOL),
        P("disable_notification", BOOL),
        P("protect_content", BOOL),
        P("allow_paid_broadcast", BOOL),
        P("message_effect_id", STR),
        P("suggested_post_parameters", JSON),
        P("reply_parameters", JSON),
        P("reply_markup", JSON),
    ),
    "sendMediaGroup": (
        P("business_connection_id", STR),
        P("chat_id", CHAT, REQ),
        P("message_thread_id", INT),
        P("direct_messages_topic_id", INT),
        P("media", JSON, REQ),
        P("disable_notification", BOOL),
        P("protect_content", BOOL),
        P("allow_paid_broadcast", BOOL),
        P("message_effect_id", STR),
        P("reply_parameters", JSON),
    ),
    "sendLocation": (
        P("business_connection_id", STR),
        P("chat_id", CHAT, REQ),
        P("message_thread_id", INT),
        P("direct_messages_topic_id", INT),
        P("latitude", FLOAT, REQ),
        P("longitude", FLOAT, REQ),
        P("horizontal_accuracy", FLOAT),
        P("live_period", INT),
        P("heading", INT),
        P("proximity_alert_radius", INT),
        P("disable_notification", BOOL),
        P("protect_content", BOOL),
        P("allow_paid_broadcast", BOOL),
        P("message_effect_id", STR),
        P("suggested_post_parameters", JSON),
        P("reply_parameters", JSON),
        P("reply_markup", JSON),
    ),
    "sendChatAction": (
        P("business_connection_id", STR),
        P("chat_id", CHAT, REQ),
        P("message_thread_id", INT),
        P("action", STR, REQ),
    ),
    "editMessageText": (
        P("business_connection_id", STR),
        P("chat_id", CHAT),
        P("message_id", INT),
        P("inline_message_id", STR),
        P("text", STR),
        P("parse_mode", STR),
        P("entities", JSON),
        P("link_preview_options", JSON),
        P("rich_message", JSON),
        P("reply_markup", JSON),
    ),
    "editMessageCaption": (
        P("business_connection_id", STR),
        P("chat_id", CHAT),
        P("message_id", INT),
        P("inline_message_id", STR),
        P("caption", STR),
        P("parse_mode", STR),
        P("caption_entities", JSON),
        P("show_caption_above_media", BOOL),
        P("reply_markup", JSON),
    ),
    "editMessageReplyMarkup": (
        P("business_connection_id", STR),
        P("chat_id", CHAT),
        P("message_id", INT),
        P("inline_message_id", STR),
        P("reply_markup", JSON),
    ),
    "deleteMessage": (
        P("chat_id", CHAT, REQ),
        P("message_id", INT, REQ),
    ),
    "answerCallbackQuery": (
        P("callback_query_id", STR, REQ),
        P("text", STR),
        P("show_alert", BOOL),
        P("url", STR),
        P("cache_time", INT),
    ),
    "getFile": (
        P("file_id", STR, REQ),
    ),
    "getChat": (
        P("chat_id", CHAT, REQ),
    ),
    "getChatMember": (
        P("chat_id", CHAT, REQ),
        P("user_id", INT, REQ),
    ),
    "getChatAdministrators": (
        P("chat_id", CHAT, REQ),
        P("return_bots", BOOL),
    ),
    "leaveChat": (
        P("chat_id", CHAT, REQ),
    ),
    "copyMessage": (
        P("chat_id", CHAT, REQ),
        P("message_thread_id", INT),
        P("direct_messages_topic_id", INT),
        P("from_chat_id", CHAT, REQ),
        P("message_id", INT, REQ),
        P("video_start_timestamp", INT),
        P("caption", STR),
        P("parse_mode", STR),
        P("caption_entities", JSON),
        P("show_caption_above_media", BOOL),
        P("disable_notification", BOOL),
        P("protect_content", BOOL),
        P("allow_paid_broadcast", BOOL),
        P("message_effect_id", STR),
        P("suggested_post_parameters", JSON),
        P("reply_parameters", JSON),
        P("reply_markup", JSON),
    ),
    "forwardMessage": (
        P("chat_id", CHAT, REQ),
        P("message_thread_id", INT),
        P("direct_messages_topic_id", INT),
        P("from_chat_id", CHAT, REQ),
        P("video_start_timestamp", INT),
        P("disable_notification", BOOL),
        P("protect_content", BOOL),
        P("message_effect_id", STR),
        P("suggested_post_parameters", JSON),
        P("message_id", INT, REQ),
    ),
}

# Telegram method names are case-insensitive.
_CANONICAL: dict[str, str] = {name.lower(): name for name in METHODS}


def canonical_method(name: str) -> str | None:
    """Return the canonical spelling of ``name`` or ``None`` if it is not served."""
    return _CANONICAL.get(name.lower())


def params_of(method: str) -> dict[str, Param]:
    return {p.name: p for p in METHODS[method]}
