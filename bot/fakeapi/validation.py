"""Request decoding and content validation (what Telegram refuses, we refuse)."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from .errors import bad_request
from .htmlcheck import HTMLParseError, ParsedText, parse_html, trim, utf16_len
from .methods import BOOL, CHAT, FILE, FLOAT, INT, STR, params_of

TEXT_LIMIT = 4096
CAPTION_LIMIT = 1024
CALLBACK_DATA_LIMIT = 64  # bytes, UTF-8
MAX_INLINE_BUTTONS = 100


@dataclass
class UploadedFile:
    """A file part of a multipart request."""

    filename: str
    content: bytes
    mime_type: str | None = None


def _decode_value(name: str, kind: str, value: Any) -> Any:
    """Decode one parameter.  Form data gives strings; JSON bodies give typed values."""
    invalid = bad_request(f'invalid value for parameter "{name}"')
    if kind == STR:
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, int | float):
            return str(value)  # Telegram stringifies numbers passed for strings
        if not isinstance(value, str):
            raise invalid
        return value
    if kind == FILE:
        if not isinstance(value, str):
            raise invalid
        return value
    if kind in (INT, CHAT):
        if isinstance(value, bool):
            raise invalid
        if isinstance(value, int):
            return value
        if isinstance(value, str):
            stripped = value.strip()
            if re.fullmatch(r"-?\d+", stripped):
                return int(stripped)
            if kind == CHAT and stripped:
                return stripped  # @channelusername
        raise invalid
    if kind == FLOAT:
        try:
            return float(value)
        except (TypeError, ValueError):
            raise invalid from None
    if kind == BOOL:
        if isinstance(value, bool):
            return value
        if isinstance(value, int):
            return bool(value)
        if isinstance(value, str) and value.lower() in ("true", "false", "1", "0"):
            return value.lower() in ("true", "1")
        raise invalid
    # JSON: nested objects arrive JSON-encoded in form data.
    if isinstance(value, str):
        try:
            return json.loads(value)
        except ValueError:
            raise bad_request(f"can't parse {name} JSON object") from None
    return value


def decode_params(
    method: str, raw: dict[str, Any], files: dict[str, UploadedFile]
) -> dict[str, Any]:
    """Check names against the method table and decode values.

    Strict on purpose: unknown parameters are rejected (Telegram ignores them).
    A FILE parameter may be supplied as an upload part with the same name.
    """
    spec = params_of(method)
    decoded: dict[str, Any] = {}
    for name, value in raw.items():
        if value is None:
            continue
        param = spec.get(name)
        if param is None:
            raise bad_request(f"unknown parameter {name}")
        decoded[name] = _decode_value(name, param.kind, value)
    for param in spec.values():
        if param.required and param.name not in decoded and param.name not in files:
            raise bad_request(f'parameter "{param.name}" is required')
    return decoded


def formatted(
    text: str | None,
    parse_mode: str | None,
    entities: Any = None,
    *,
    caption: bool = False,
) -> ParsedText | None:
    """Validate a message text (or caption) and return the trimmed plain text + entities.

    Returns None for an absent/blank caption.  Raises ApiError like Telegram.
    """
    if parse_mode:
        if parse_mode.lower() != "html":
            # The bot only uses HTML; any other mode is treated as a mistake.
            raise bad_request(f"unsupported parse_mode {parse_mode!r} (the fake accepts HTML only)")
        try:
            parsed = parse_html(text or "")
        except HTMLParseError as exc:
            raise bad_request(f"can't parse entities: {exc}") from None
    else:
        if entities is not None and not (
            isinstance(entities, list)
            and all(isinstance(e, dict) and {"type", "offset", "length"} <= e.keys()
                    for e in entities)
        ):
            raise bad_request("can't parse entities JSON object")
        parsed = ParsedText(text or "", list(entities or []))
    parsed = trim(parsed)
    if not parsed.text:
        if caption:
            return None
        raise bad_request("message text is empty")
    limit = CAPTION_LIMIT if caption else TEXT_LIMIT
    if utf16_len(parsed.text) > limit:
        raise bad_request("message caption is too long" if caption else "message is too long")
    return parsed


def _check_inline_button(button: Any) -> None:
    if not isinstance(button, dict) or not isinstance(button.get("text"), str):
        raise bad_request(
            "can't parse inline keyboard button: InlineKeyboardButton must be an Object"
        )
    if not button["text"].strip():
        raise bad_request("BUTTON_TEXT_EMPTY")
    actions = set(button) - {"text", "style", "icon_custom_emoji_id"}
    if not actions:
        raise bad_request(
            "can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard"
        )
    if "callback_data" in button:
        data = button["callback_data"]
        if not isinstance(data, str) or not 1 <= len(data.encode("utf-8")) <= CALLBACK_DATA_LIMIT:
            raise bad_request("BUTTON_DATA_INVALID")
    if "url" in button:
        url = button["url"]
        if not isinstance(url, str) or not re.match(r"(https?|tg)://\S+$", url):
            raise bad_request("BUTTON_URL_INVALID")


def validate_markup(markup: Any, *, inline_only: bool = False) -> dict[str, Any] | None:
    """Validate a reply_markup object; returns it (or None when absent)."""
    if markup is None:
        return None
    if not isinstance(markup, dict):
        raise bad_request("can't parse reply keyboard markup JSON object")
    if "inline_keyboard" in markup:
        rows = markup["inline_keyboard"]
        if not isinstance(rows, list) or not all(isinstance(r, list) for r in rows):
            raise bad_request(
                'can\'t parse inline keyboard: field "inline_keyboard" must be an Array of Arrays'
            )
        count = 0
        for row in rows:
            for button in row:
                _check_inline_button(button)
                count += 1
        if count > MAX_INLINE_BUTTONS:
            raise bad_request("REPLY_MARKUP_TOO_LONG")
        return markup
    if inline_only:
        raise bad_request("inline keyboard expected")
    if "keyboard" in markup:
        rows = markup["keyboard"]
        if not isinstance(rows, list) or not rows or not all(isinstance(r, list) for r in rows):
            raise bad_request("can't parse keyboard: field \"keyboard\" must be an Array of Arrays")
        for row in rows:
            for button in row:
                text = button if isinstance(button, str) else (button or {}).get("text")
                if not isinstance(text, str) or not text.strip():
                    raise bad_request("can't parse keyboard button: Text must be non-empty")
        return markup
    if markup.get("remove_keyboard") is True or markup.get("force_reply") is True:
        return markup
    raise bad_request("can't parse reply keyboard markup JSON object")


def check_callback_answer_text(text: str | None) -> None:
    if text is not None and len(text) > 200:
        raise bad_request("MESSAGE_TOO_LONG")
