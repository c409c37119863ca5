"""What a resident sent, as plain values: the first half of the draft's rules (bot/intake.py decides).

A handler reads a Telegram message into `MessageFacts`; `classify` says what kind of input it is,
whatever the step: a location and where it came from, an acceptable image, a file that is not one...
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from enum import StrEnum

from telegram.constants import FileSizeLimit

from bot.callbacks import Action

ADDRESS_MIN_CHARS = 10
ADDRESS_MAX_CHARS = 300
IMAGE_MIME_TYPES = frozenset({"image/jpeg", "image/png", "image/webp"})
# Bots can only download files up to 20 MB; a bigger image could never reach the officers.
MAX_IMAGE_BYTES = FileSizeLimit.FILESIZE_DOWNLOAD


class Kind(StrEnum):
    TEXT = "text"
    COMMAND = "command"
    LOCATION = "location"
    VENUE = "venue"
    PHOTO = "photo"  # a photo, or an image sent as a file that we accept as one
    BAD_FILE = "bad_file"  # a document that is not an acceptable image
    BUTTON = "button"
    OTHER = "other"  # sticker, voice, video, contact, poll, dice...


@dataclass(frozen=True)
class PhotoFacts:
    file_id: str
    file_unique_id: str
    kind: str = "photo"  # photo | document
    width: int | None = None
    height: int | None = None
    file_size: int | None = None
    mime_type: str | None = None


@dataclass(frozen=True)
class MessageFacts:
    """What a handler reads off a Telegram message, nothing more."""

    text: str | None = None
    lat: float | None = None
    lon: float | None = None
    horizontal_accuracy: float | None = None
    live_period: int | None = None
    venue_title: str | None = None
    venue_address: str | None = None
    photo: PhotoFacts | None = None  # the largest size of a photo
    document: PhotoFacts | None = None  # any document (mime_type and file_size say if it is an image)
    forwarded: bool = False
    media_group_id: str | None = None


@dataclass(frozen=True)
class Input:
    kind: Kind
    text: str = ""
    lat: float | None = None
    lon: float | None = None
    accuracy_m: float | None = None
    source: str | None = None  # gps | live | venue | pin | forwarded
    address: str | None = None
    photo: PhotoFacts | None = None
    forwarded: bool = False
    media_group_id: str | None = None
    problem: str | None = None  # BAD_FILE: the text key that says why
    action: Action | None = None
    value: str | None = None


def button(action: Action, value: str | None = None) -> Input:
    return Input(Kind.BUTTON, action=action, value=value)


def location_source(*, live_period: int | None, accuracy: float | None, forwarded: bool) -> str:
    # Telegram does not say whether a point was picked on the map or measured; only a measured fix
    # carries an accuracy, so a bare point is taken for a pin.
    if forwarded:
        return "forwarded"
    if live_period:
        return "live"
    return "gps" if accuracy is not None else "pin"


def classify(facts: MessageFacts) -> Input:
    """The kind of input a message is, independent of the step the draft is at."""
    common = {"forwarded": facts.forwarded, "media_group_id": facts.media_group_id}
    if facts.venue_title is not None and facts.lat is not None:
        address = ", ".join(p for p in (facts.venue_title, facts.venue_address) if p)
        return Input(Kind.VENUE, lat=facts.lat, lon=facts.lon, source="venue", address=address, **common)
    if facts.lat is not None:
        source = location_source(
            live_period=facts.live_period, accuracy=facts.horizontal_accuracy, forwarded=facts.forwarded
        )
        return Input(
            Kind.LOCATION, lat=facts.lat, lon=facts.lon, accuracy_m=facts.horizontal_accuracy, source=source, **common
        )
    if facts.photo is not None:
        return Input(Kind.PHOTO, photo=facts.photo, **common)
    if facts.document is not None:
        doc = facts.document
        if (doc.mime_type or "").lower() not in IMAGE_MIME_TYPES:
            return Input(Kind.BAD_FILE, problem="not_an_image", **common)
        if doc.file_size is not None and doc.file_size > MAX_IMAGE_BYTES:
            return Input(Kind.BAD_FILE, problem="image_too_big", **common)
        return Input(Kind.PHOTO, photo=doc, **common)
    if facts.text is not None:
        if facts.text.startswith("/"):
            return Input(Kind.COMMAND, text=facts.text, **common)
        return Input(Kind.TEXT, text=facts.text, **common)
    return Input(Kind.OTHER, **common)


def visible_length(text: str) -> int:
    """Characters as a reader counts them: zero-width and other format characters (U+200B, direction
    marks, joiners) stay in the text but do not count toward a minimum, so fifty zero-width spaces
    are not a description."""
    return sum(1 for ch in text if unicodedata.category(ch) not in ("Cf", "Cc"))


def clean_text(text: str) -> str:
    """Drop NUL and other control characters (newlines and tabs stay), then trim.

    Everything else is kept exactly as typed; HTML is escaped when shown, never when stored.
    """
    kept = "".join(ch for ch in text if ch in "\n\t" or unicodedata.category(ch) != "Cc")
    return kept.strip()
