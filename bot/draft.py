"""A typed snapshot of a draft for the pure rules, and the texts that show a draft to its resident."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from telegram.constants import MessageLimit

from bot.clock import format_local
from bot.geo import map_link
from bot.texts import Html, t

ELLIPSIS = "…"


@dataclass(frozen=True)
class DraftView:
    id: int
    step: str
    status: str = "active"
    return_to: str = ""
    category: str | None = None
    lat: float | None = None
    lon: float | None = None
    accuracy_m: float | None = None
    location_source: str | None = None
    address_text: str | None = None
    area_label: str | None = None
    description: str | None = None
    photo_count: int = 0
    album_id: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)
    # telegram | walk_in (an officer at the desk: bot/walkin.py adds its own steps)
    channel: str = "telegram"

    @classmethod
    def of(cls, draft: Any, *, photo_count: int) -> "DraftView":
        """From a Draft row (anything with the same attributes)."""
        return cls(
            id=draft.id,
            step=draft.step,
            status=draft.status,
            return_to=draft.return_to or "",
            category=draft.category,
            lat=draft.lat,
            lon=draft.lon,
            accuracy_m=draft.accuracy_m,
            location_source=draft.location_source,
            address_text=draft.address_text,
            area_label=draft.area_label,
            description=draft.description,
            photo_count=photo_count,
            album_id=draft.album_id,
            extra=dict(draft.extra or {}),
            channel=getattr(draft, "channel", None) or "telegram",
        )


def utf16_len(text: str) -> int:
    """Telegram counts message length in UTF-16 code units (an emoji is two)."""
    return len(text.encode("utf-16-le")) // 2


def format_location(lang: str, view: DraftView) -> Html:
    if view.lat is not None and view.lon is not None:
        coords = f"{view.lat:.5f}, {view.lon:.5f}"
        line = t(lang, "location_coords", area=view.area_label or "", coords=coords, map=map_link(view.lat, view.lon))
        if view.address_text:  # a venue: its name and address, then where it is
            line = Html(t(lang, "location_venue", address=view.address_text) + "\n" + line)
        return line
    if view.address_text:
        return t(lang, "location_no_coords", address=view.address_text)
    return t(lang, "review_missing")


def format_review(lang: str, view: DraftView, *, category_label: str, head: str = "") -> Html:
    """The one review message; always within Telegram's 4096 characters (the description is cut
    with an ellipsis in the rare case it would not fit, e.g. 2000 emoji). `head` (safe HTML, e.g. a
    walk-in's complainant lines) goes first and counts against the limit."""
    photos = t(lang, "review_photos", count=view.photo_count) if view.photo_count else t(lang, "review_no_photos")
    parts = {
        "category": category_label,
        "location": format_location(lang, view),
        "photos": photos,
    }
    description = view.description or ""
    # Measured with the markup left in: an over-estimate of the visible length, so the cut is safe.
    frame = head + t(lang, "review", description="", **parts)
    budget = MessageLimit.MAX_TEXT_LENGTH - utf16_len(frame)
    if utf16_len(description) > budget:
        description = _cut(description, budget - 1) + ELLIPSIS
    return Html(head + t(lang, "review", description=description, **parts))


def _cut(text: str, units: int) -> str:
    out, used = [], 0
    for ch in text:
        used += utf16_len(ch)
        if used > units:
            break
        out.append(ch)
    return "".join(out)


# --- the resident's own reports (/myreports) ---


@dataclass(frozen=True)
class ReportLine:
    number: str
    created_at: datetime
    category: str  # already in the reader's language
    status: str
    # The clock of the office the report went to (a resident of Makassar reads WITA); None: `tz`.
    tz: ZoneInfo | None = None


def status_key(status: str) -> str:
    """The resident's word for a status. A false-report verdict reads as a neutral "Closed": it is an
    officers' judgement, and screening holds are simply "New" to the person who reported."""
    return {
        "new": "status_new",
        "held": "status_new",
        "taken": "status_taken",
        "resolved": "status_resolved",
    }.get(status, "status_closed")


def format_my_reports(lang: str, lines: list[ReportLine], *, tz: ZoneInfo) -> Html:
    if not lines:
        return t(lang, "myreports_empty")
    items = [
        t(lang, "myreports_item", number=r.number, date=format_local(r.created_at, r.tz or tz), category=r.category,
          status=t(lang, status_key(r.status)))
        for r in lines
    ]
    return Html("\n\n".join([t(lang, "myreports_title"), *items]))
