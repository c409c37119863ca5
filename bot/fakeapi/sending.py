"""Bot API methods that create, change or remove messages.

Every handler validates completely (chat, content, markup, files, rate limit)
before its first side effect, so a rejected call leaves no trace but the call
record - as with Telegram, where a 400/429 means nothing was sent.
"""

from __future__ import annotations

import copy
import mimetypes
from typing import Any

from .errors import ApiError, bad_request
from .files import UPLOAD_LIMIT, FileRecord
from .htmlcheck import ParsedText
from .state import ChatInfo, FakeState, StoredMessage
from .validation import UploadedFile, formatted, validate_markup

Params = dict[str, Any]
Files = dict[str, UploadedFile]

CHAT_ACTIONS = frozenset({
    "typing", "upload_photo", "record_video", "upload_video", "record_voice", "upload_voice",
    "upload_document", "choose_sticker", "find_location", "record_video_note",
    "upload_video_note",
})
# Message fields that copyMessage / forwardMessage carry over.
CONTENT_KEYS = ("text", "entities", "link_preview_options", "photo", "document", "video",
                "voice", "audio", "animation", "sticker", "location", "venue", "contact",
                "poll", "dice", "caption", "caption_entities", "has_media_spoiler")
MEDIA_KEYS = ("photo", "document", "video", "voice", "audio", "animation")
_FILE_TYPE_NAMES = {"photo": "Photo", "document": "Document", "video": "Video",
                    "voice": "Voice", "audio": "Audio", "sticker": "Sticker",
                    "animation": "Animation"}
_DELETE_WINDOW = 48 * 3600


def _text_content(parsed: ParsedText | None, key: str) -> dict[str, Any]:
    if parsed is None:
        return {}
    content: dict[str, Any] = {key: parsed.text}
    if parsed.entities:
        content["entities" if key == "text" else "caption_entities"] = parsed.entities
    return content


class SendingMixin(FakeState):
    # ------------------------------------------------------------- helpers
    def _emit(
        self,
        chat: ChatInfo,
        content: dict[str, Any],
        p: Params,
        *,
        raw: str | None,
        plain: str | None,
        markup: dict[str, Any] | None,
        reply: dict[str, Any],
    ) -> StoredMessage:
        """Store a bot message (validation already done) and count it for rate limits."""
        body = {**reply, **content}
        self._resolve_mentions(body)
        if p.get("protect_content"):
            body["has_protected_content"] = True
        if markup and markup.get("inline_keyboard"):
            # Only inline keyboards are part of the Message object Telegram returns.
            body["reply_markup"] = markup
        data = self._new_message(chat, self.bot_user, body)
        stored = StoredMessage(data, from_bot=True, raw_text=raw, plain_text=plain, markup=markup)
        self._note_sent(chat)
        return self._store(chat.id, stored)

    def _resolve_mentions(self, body: dict[str, Any]) -> None:
        """Telegram returns a tg://user?id= link as a text_mention carrying the whole User, and drops
        the link when it does not know the user."""
        for key in ("entities", "caption_entities"):
            entities = body.get(key)
            if not entities:
                continue
            kept = []
            for e in entities:
                if e.get("type") == "text_mention":
                    user = self.users.get(e["user"]["id"])
                    if user is None:
                        continue
                    e = {**e, "user": {k: v for k, v in user.items() if k != "language_code"}}
                kept.append(e)
            if kept:
                body[key] = kept
            else:
                body.pop(key)

    def _input_file(self, name: str, value: str | None, files: Files) -> UploadedFile | FileRecord:
        """Resolve an InputFile-or-String parameter to an upload or a stored file."""
        upload: UploadedFile | None
        if value is None:
            upload = files.get(name)
        elif value.startswith("attach://"):
            upload = files.get(value[len("attach://"):])
            if upload is None:
                raise bad_request(f"can't parse InputMedia: media not found for {value}")
        elif value.startswith(("http://", "https://")):
            # No internet in the fake: Telegram would download it; we cannot.
            raise bad_request("failed to get HTTP URL content")
        else:
            rec = self.files.get(value)
            if rec is None:
                raise bad_request("wrong file identifier/HTTP URL specified")
            return rec
        if upload is None:
            raise bad_request(f'parameter "{name}" is required')
        if len(upload.content) > UPLOAD_LIMIT:
            raise ApiError(413, "Request Entity Too Large")
        if not upload.content:
            raise bad_request("file must be non-empty")
        return upload

    def _media_records(self, kind: str, name: str, value: str | None, files: Files) -> Any:
        """Return the Message field value (PhotoSize list or file object) for a media send."""
        src = self._input_file(name, value, files)
        if isinstance(src, FileRecord):
            if src.kind != kind:
                raise bad_request(
                    f"can't use file of type {_FILE_TYPE_NAMES.get(src.kind, src.kind)} "
                    f"as {_FILE_TYPE_NAMES.get(kind, kind)}"
                )
            if kind == "photo":
                return [r.photo_size() for r in self.files.resend_photo(src.file_id)]
            return self.files.alias(src).document()
        if kind == "photo":
            sizes = self.files.add_photo(src.content, 0, 0, must_be_image=True)
            if sizes is None:
                raise bad_request("IMAGE_PROCESS_FAILED")
            return [r.photo_size() for r in sizes]
        mime = src.mime_type or mimetypes.guess_type(src.filename)[0] or "application/octet-stream"
        return self.files.add(kind, src.content, mime_type=mime, file_name=src.filename).document()

    def _caption(self, p: Params) -> tuple[dict[str, Any], ParsedText | None]:
        parsed = formatted(p.get("caption"), p.get("parse_mode"), p.get("caption_entities"),
                           caption=True)
        content = _text_content(parsed, "caption")
        if parsed is not None and p.get("show_caption_above_media"):
            content["show_caption_above_media"] = True
        return content, parsed

    def _send_media(self, kind: str, p: Params, files: Files) -> dict[str, Any]:
        chat = self._writable_chat(p["chat_id"])
        caption, parsed = self._caption(p)
        markup = validate_markup(p.get("reply_markup"))
        reply = self._reply_to(chat, p.get("reply_parameters"))
        self._check_rate(chat)
        media = self._media_records(kind, kind, p.get(kind), files)
        content = {kind: media, **caption}
        if p.get("has_spoiler"):
            content["has_media_spoiler"] = True
        stored = self._emit(chat, content, p, raw=p.get("caption") if parsed else None,
                            plain=parsed.text if parsed else None, markup=markup, reply=reply)
        return stored.data

    # ------------------------------------------------------------- sending
    def _m_sendMessage(self, p: Params, files: Files) -> dict[str, Any]:
        chat = self._writable_chat(p["chat_id"])
        parsed = formatted(p.get("text"), p.get("parse_mode"), p.get("entities"))
        assert parsed is not None
        markup = validate_markup(p.get("reply_markup"))
        reply = self._reply_to(chat, p.get("reply_parameters"))
        self._check_rate(chat)
        content = _text_content(parsed, "text")
        if "link_preview_options" in p:
            content["link_preview_options"] = p["link_preview_options"]
        return self._emit(chat, content, p, raw=p["text"], plain=parsed.text, markup=markup,
                          reply=reply).data

    def _m_sendPhoto(self, p: Params, files: Files) -> dict[str, Any]:
        return self._send_media("photo", p, files)

    def _m_sendDocument(self, p: Params, files: Files) -> dict[str, Any]:
        return self._send_media("document", p, files)

    def _m_sendMediaGroup(self, p: Params, files: Files) -> list[dict[str, Any]]:
        chat = self._writable_chat(p["chat_id"])
        items = p["media"]
        if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
            raise bad_request("can't parse media JSON object")
        if not 2 <= len(items) <= 10:
            raise bad_request("wrong number of media items: must include 2-10 items")
        kinds = [i.get("type") for i in items]
        for kind in kinds:
            if kind not in ("photo", "video", "document", "audio"):
                raise bad_request(
                    f'can\'t parse InputMedia: type "{kind}" can\'t be used in sendMediaGroup'
                )
        for solo in ("document", "audio"):
            if solo in kinds and set(kinds) != {solo}:
                raise bad_request(f"{solo} can't be mixed with other media types")
        captions = [self._caption(item) for item in items]  # validate all before sending any
        reply = self._reply_to(chat, p.get("reply_parameters"))
        self._check_rate(chat, len(items))
        media = [self._media_records(i["type"], i["type"], i.get("media"), files) for i in items]
        group_id = str(13_000_000_000_000_000 + self._next_update_id * 100 + len(items))
        messages = []
        for item, value, (caption, parsed) in zip(items, media, captions, strict=True):
            content = {"media_group_id": group_id, item["type"]: value, **caption}
            stored = self._emit(chat, content, p, raw=item.get("caption") if parsed else None,
                                plain=parsed.text if parsed else None, markup=None, reply=reply)
            messages.append(stored.data)
        return messages

    def _m_sendLocation(self, p: Params, files: Files) -> dict[str, Any]:
        chat = self._writable_chat(p["chat_id"])
        lat, lon = p["latitude"], p["longitude"]
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            raise bad_request("wrong latitude or longitude specified")
        loc: dict[str, Any] = {"latitude": lat, "longitude": lon}
        acc = p.get("horizontal_accuracy")
        if acc is not None:
            if not 0 <= acc <= 1500:
                raise bad_request("wrong horizontal accuracy specified")
            loc["horizontal_accuracy"] = acc
        live = p.get("live_period")
        if live is not None:
            if not (60 <= live <= 86400 or live == 0x7FFFFFFF):
                raise bad_request("wrong live period specified")
            loc["live_period"] = live
        markup = validate_markup(p.get("reply_markup"))
        reply = self._reply_to(chat, p.get("reply_parameters"))
        self._check_rate(chat)
        return self._emit(chat, {"location": loc}, p, raw=None, plain=None, markup=markup,
                          reply=reply).data

    def _m_sendChatAction(self, p: Params, files: Files) -> bool:
        self._writable_chat(p["chat_id"])
        if p["action"] not in CHAT_ACTIONS:
            raise bad_request("wrong parameter action in request")
        return True

    def _source_message(self, p: Params, verb: str) -> StoredMessage:
        src_chat = self._find_chat(p["from_chat_id"])
        src = self._get_message(src_chat.id, p["message_id"])
        if src is None or src.deleted:
            raise bad_request(f"message to {verb} not found")
        if src.data.get("has_protected_content"):
            raise bad_request(f"message has protected content and can't be {verb}ed")
        if not any(k in src.data for k in CONTENT_KEYS):
            raise bad_request(f"message can't be {verb}ed")
        return src

    def _m_copyMessage(self, p: Params, files: Files) -> dict[str, Any]:
        chat = self._writable_chat(p["chat_id"])
        src = self._source_message(p, "copy")
        content = {k: copy.deepcopy(v) for k, v in src.data.items() if k in CONTENT_KEYS}
        raw, plain = src.raw_text, src.plain_text
        if "caption" in p:
            if not any(k in content for k in MEDIA_KEYS):
                raise bad_request("message can't have a caption")  # text messages
            for key in ("caption", "caption_entities", "show_caption_above_media"):
                content.pop(key, None)
            caption, parsed = self._caption(p)
            content.update(caption)
            raw, plain = (p["caption"], parsed.text) if parsed else (None, None)
        markup = validate_markup(p.get("reply_markup"))
        reply = self._reply_to(chat, p.get("reply_parameters"))
        self._check_rate(chat)
        stored = self._emit(chat, content, p, raw=raw, plain=plain, markup=markup, reply=reply)
        return {"message_id": stored.data["message_id"]}

    def _m_forwardMessage(self, p: Params, files: Files) -> dict[str, Any]:
        chat = self._writable_chat(p["chat_id"])
        src = self._source_message(p, "forward")
        self._check_rate(chat)
        content = {k: copy.deepcopy(v) for k, v in src.data.items() if k in CONTENT_KEYS}
        src_chat = src.data["chat"]
        if src_chat.get("type") == "channel":
            origin = {"type": "channel", "chat": src_chat, "message_id": src.data["message_id"],
                      "date": src.data["date"]}
        else:
            origin = {"type": "user", "sender_user": src.data.get("from", self.bot_user),
                      "date": src.data["date"]}
        content = {"forward_origin": copy.deepcopy(origin), **content}
        return self._emit(chat, content, p, raw=src.raw_text, plain=src.plain_text, markup=None,
                          reply={}).data

    # ------------------------------------------------------------- editing
    def _edit_target(self, p: Params) -> StoredMessage:
        if "inline_message_id" in p:
            raise bad_request("MESSAGE_ID_INVALID")  # inline messages are not simulated
        if "chat_id" not in p or "message_id" not in p:
            raise bad_request("message identifier is not specified")
        chat = self._find_chat(p["chat_id"])
        stored = self._get_message(chat.id, p["message_id"])
        if stored is None or stored.deleted:
            raise bad_request("message to edit not found")
        if not stored.from_bot:
            raise bad_request("message can't be edited")
        return stored

    def _apply_edit(self, stored: StoredMessage, changes: dict[str, Any],
                    markup: dict[str, Any] | None, *, raw: str | None, plain: str | None,
                    text_edit: bool = True) -> dict[str, Any]:
        new = {k: v for k, v in stored.data.items() if k != "edit_date"}
        for key, value in changes.items():
            if value is None:
                new.pop(key, None)
            else:
                new[key] = value
        if markup and markup.get("inline_keyboard"):
            new["reply_markup"] = markup
        else:
            new.pop("reply_markup", None)
        old = {k: v for k, v in stored.data.items() if k != "edit_date"}
        if new == old:
            raise bad_request(
                "message is not modified: specified new message content and reply markup are "
                "exactly the same as a current content and reply markup of the message"
            )
        stored.history.append(stored.inspect() | {"history": []})
        new["edit_date"] = self._date()
        stored.data = new
        stored.markup = markup
        if text_edit:
            stored.raw_text, stored.plain_text = raw, plain
        return stored.data

    def _m_editMessageText(self, p: Params, files: Files) -> dict[str, Any]:
        if "rich_message" in p:
            raise bad_request("rich_message is not supported by the fake")
        stored = self._edit_target(p)
        if "text" not in stored.data:
            raise bad_request("there is no text in the message to edit")
        parsed = formatted(p.get("text"), p.get("parse_mode"), p.get("entities"))
        assert parsed is not None
        markup = validate_markup(p.get("reply_markup"), inline_only=True)
        changes: dict[str, Any] = {"text": parsed.text, "entities": parsed.entities or None}
        if "link_preview_options" in p:
            changes["link_preview_options"] = p["link_preview_options"]
        return self._apply_edit(stored, changes, markup, raw=p["text"], plain=parsed.text)

    def _m_editMessageCaption(self, p: Params, files: Files) -> dict[str, Any]:
        stored = self._edit_target(p)
        if not any(k in stored.data for k in MEDIA_KEYS):
            raise bad_request("there is no caption in the message to edit")
        caption, parsed = self._caption(p)
        markup = validate_markup(p.get("reply_markup"), inline_only=True)
        changes: dict[str, Any] = {"caption": None, "caption_entities": None,
                                   "show_caption_above_media": None, **caption}
        return self._apply_edit(stored, changes, markup, raw=p.get("caption") if parsed else None,
                                plain=parsed.text if parsed else None)

    def _m_editMessageReplyMarkup(self, p: Params, files: Files) -> dict[str, Any]:
        stored = self._edit_target(p)
        markup = validate_markup(p.get("reply_markup"), inline_only=True)
        return self._apply_edit(stored, {}, markup, raw=None, plain=None, text_edit=False)

    def _m_deleteMessage(self, p: Params, files: Files) -> bool:
        chat = self._find_chat(p["chat_id"])
        stored = self._get_message(chat.id, p["message_id"])
        if stored is None or stored.deleted:
            raise bad_request("message to delete not found")
        admin = chat.is_group and chat.bot_admin
        if chat.is_group and not stored.from_bot and not admin:
            raise bad_request("message can't be deleted")
        too_old = self._date() - stored.data["date"] > _DELETE_WINDOW
        if too_old and not (chat.type == "supergroup" and admin):
            raise bad_request("message can't be deleted for everyone")
        stored.deleted = True
        return True
