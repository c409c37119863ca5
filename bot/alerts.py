"""What officers and residents read about a report: pure formatting, no Telegram calls, no database.

The alert is rendered from the report's current rows every time it is sent or edited, so a late
alert shows the current status. Every piece of resident text goes through `t()` (HTML-escaped);
the only markup is our own templates. The alert is in Indonesian, the group's language.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from telegram import InlineKeyboardButton, InlineKeyboardMarkup
from telegram.constants import MessageLimit

from bot.callbacks import Action, encode
from bot.clock import format_local, to_local
from bot.geo import map_link
from bot.texts import Html, t
from storage.models import Report, Reporter, ReportStatus

GROUP_LANGUAGE = "id"
TEXT_LIMIT = MessageLimit.MAX_TEXT_LENGTH  # 4096
CAPTION_LIMIT = MessageLimit.CAPTION_LENGTH  # 1024
ELLIPSIS = "…"

Keyboard = list[list[tuple[str, str]]]

_TAG = re.compile(r"<[^>]*>")


@dataclass(frozen=True)
class Standing:
    """The reporter as officers may see them: a pseudonym and a track record, not an identity."""

    alias: str
    earlier: int = 0
    resolved: int = 0
    false_reports: int = 0
    phone_verified: bool = False
    # Filled only when the office shows identities (officers.show_reporter_identity).
    identity: str | None = None


def standing_of(reporter: Reporter | None, *, earlier: int, resolved: int, false_reports: int,
                show_identity: bool) -> Standing:
    if reporter is None:
        return Standing(alias="?", earlier=earlier, resolved=resolved, false_reports=false_reports)
    identity = None
    if show_identity:
        parts = [p for p in (reporter.first_name, f"@{reporter.username}" if reporter.username else None) if p]
        identity = " ".join(parts) or "-"
    return Standing(reporter.alias, earlier, resolved, false_reports, reporter.phone_verified, identity)


# -- measuring --


def visible_length(markup: str) -> int:
    """Length Telegram counts after parsing HTML: tags removed, entities decoded, UTF-16 units."""
    plain = html.unescape(_TAG.sub("", markup))
    return len(plain.encode("utf-16-le")) // 2


def fits_caption(markup: str) -> bool:
    return visible_length(markup) <= CAPTION_LIMIT


def truncate(text: str, limit: int) -> str:
    """`text` cut to at most `limit` UTF-16 units, marked with an ellipsis when cut."""
    if len(text.encode("utf-16-le")) // 2 <= limit:
        return text
    out, used = [], 0
    for ch in text:
        size = len(ch.encode("utf-16-le")) // 2
        if used + size > limit - 1:
            break
        out.append(ch)
        used += size
    return "".join(out) + ELLIPSIS


# -- the alert --


def alert_html(
    report: Report, *, category_label: str, standing: Standing, tz: ZoneInfo, limit: int = TEXT_LIMIT,
    extra_lines: Sequence[str] = (),
) -> Html:
    """The whole alert: facts, description, reporter's standing, status line. Fits `limit` by
    shortening the description (the one long part) when it must. `extra_lines` (safe HTML, e.g.
    screening's trust-score line) go after the reporter's standing."""
    lang = GROUP_LANGUAGE
    head = _head_lines(report, category_label=category_label, tz=tz)
    tail = [t(lang, "alert_photos", count=report.photo_count)] if report.photo_count else []
    tail.append(t(lang, "alert_reporter", alias=standing.alias, standing=Html(_standing_text(standing))))
    if standing.identity is not None:
        tail.append(t(lang, "alert_identity", identity=standing.identity))
    tail.extend(line for line in extra_lines if line)
    status = status_line(report, tz=tz)

    def assemble(description: str) -> Html:
        body = "\n".join([*head, t(lang, "alert_description", description=description), *tail])
        return Html(body + "\n\n" + status)

    full = assemble(report.description or "")
    overflow = visible_length(full) - limit
    if overflow <= 0:
        return full
    room = max(0, len((report.description or "").encode("utf-16-le")) // 2 - overflow)
    return assemble(truncate(report.description or "", room))


def plain_alert(report: Report, *, category_label: str, tz: ZoneInfo, limit: int = TEXT_LIMIT) -> Html:
    """The fallback when Telegram refused the alert: no links, no photo, no formatting, every value
    escaped and the whole cut to fit, so the report still reaches the group."""
    lang = GROUP_LANGUAGE
    lines = [
        f"Laporan {report.number} {t(lang, 'alert_plain_note')}",
        f"{category_label} · {format_local(report.created_at, tz)}",
    ]
    if report.lat is not None and report.lon is not None:
        lines.append(f"{report.lat:.5f}, {report.lon:.5f}")
    if report.area_label:
        lines.append(report.area_label)
    if report.address_text:
        lines.append(report.address_text)
    status = html.unescape(_TAG.sub("", status_line(report, tz=tz)))
    head = "\n".join(lines)
    room = limit - visible_length(html.escape(head + "\n\n" + "\n\n" + status)) - 1
    description = truncate(report.description or "", max(0, room))
    return Html(html.escape(f"{head}\n\n{description}\n\n{status}", quote=False))


def status_line(report: Report, *, tz: ZoneInfo) -> Html:
    lang = GROUP_LANGUAGE
    if report.status == ReportStatus.TAKEN:
        return t(lang, "alert_status_taken", name=report.taken_by_name or "?",
                 time=_short_time(report.taken_at, report.created_at, tz))
    if report.status == ReportStatus.RESOLVED:
        return t(lang, "alert_status_resolved", name=report.closed_by_name or "?",
                 time=_short_time(report.closed_at, report.created_at, tz))
    if report.status == ReportStatus.FALSE_REPORT:
        return t(lang, "alert_status_false_report", name=report.closed_by_name or "?",
                 time=_short_time(report.closed_at, report.created_at, tz))
    return t(lang, "alert_status_new")


def remaining_photos(report: Report, *, alert_is_photo: bool) -> int:
    """Photos officers have not seen in the alert itself."""
    return max(0, report.photo_count - (1 if alert_is_photo else 0))


def keyboard(report: Report, *, alert_is_photo: bool) -> Keyboard:
    """Take while new; Resolved/False (and Ask the reporter) while taken; Photos while there are more
    to see; nothing once closed."""
    lang = GROUP_LANGUAGE
    rows: Keyboard = []
    if report.status == ReportStatus.NEW:
        rows.append([(t(lang, "alert_btn_take"), encode(Action.TAKE, report.id))])
    elif report.status == ReportStatus.TAKEN:
        rows.append([
            (t(lang, "alert_btn_resolve"), encode(Action.RESOLVE, report.id)),
            (t(lang, "alert_btn_false"), encode(Action.FALSE_REPORT, report.id)),
        ])
        # Follow-up (handlers/followup.py): a walk-in's complainant has no Telegram chat to ask.
        if report.channel != "walk_in":
            rows.append([(t(lang, "fu_btn_ask"), encode(Action.ASK, report.id))])
    else:
        return rows
    more = remaining_photos(report, alert_is_photo=alert_is_photo)
    if more > 0:
        rows.append([(t(lang, "alert_btn_photos", count=more), encode(Action.PHOTOS, report.id))])
    return rows


def markup(rows: Keyboard) -> InlineKeyboardMarkup | None:
    if not rows:
        return None
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(str(label), callback_data=data) for label, data in row] for row in rows]
    )


def photos_caption(report: Report) -> Html:
    return t(GROUP_LANGUAGE, "alert_photos_caption", number=report.number)


# -- the resident --


NOTIFY_EVENTS = (ReportStatus.TAKEN, ReportStatus.RESOLVED, ReportStatus.FALSE_REPORT)


def notify_text(report: Report, *, event: str) -> Html | None:
    """The resident's notice of a status change, in the report's language, naming no officer.
    A false report is closed in neutral words: the resident may have been honestly mistaken."""
    if event not in NOTIFY_EVENTS:
        return None
    return t(report.language, f"notify_status_{event}", number=report.number)


# -- internals --


def _head_lines(report: Report, *, category_label: str, tz: ZoneInfo) -> list[str]:
    lang = GROUP_LANGUAGE
    lines = [t(lang, "alert_title", number=report.number)]
    if report.channel == "walk_in":
        lines.append(t(lang, "alert_walk_in"))
        interviewer = (report.extra or {}).get("interviewed_by_name")  # bot/walkin.py
        if interviewer:
            lines.append(t(lang, "wi_alert_interviewer", name=interviewer))
    lines.append(t(lang, "alert_category", category=category_label))
    lines.append(t(lang, "alert_time", time=format_local(report.created_at, tz)))
    if report.area_label:
        lines.append(t(lang, "alert_area", area=report.area_label))
    else:
        lines.append(t(lang, "alert_area_unknown"))
    lines.append(_location_line(report))
    if report.address_text:
        lines.append(t(lang, "alert_address", address=report.address_text))
    return lines


def _location_line(report: Report) -> Html:
    lang = GROUP_LANGUAGE
    if report.lat is None or report.lon is None:
        return t(lang, "alert_location_none")
    coords = f"{report.lat:.5f}, {report.lon:.5f}"
    source = _source_text(report)
    try:
        link = map_link(report.lat, report.lon)
    except ValueError:
        return Html(f"🗺 {html.escape(coords)} ({source})")
    return t(lang, "alert_location", link=link, coords=coords, source=Html(source))


def _source_text(report: Report) -> str:
    lang = GROUP_LANGUAGE
    source = report.location_source or ""
    if source == "gps":
        if report.accuracy_m is not None:
            return t(lang, "alert_source_gps", accuracy=round(report.accuracy_m))
        return t(lang, "alert_source_gps_plain")
    if source in ("live", "pin", "venue", "forwarded", "text"):
        return t(lang, f"alert_source_{source}")
    return html.escape(source or "?", quote=False)


def _standing_text(standing: Standing) -> str:
    lang = GROUP_LANGUAGE
    if standing.earlier == 0:
        parts = [t(lang, "alert_standing_first")]
    else:
        parts = [t(lang, "alert_standing_history", earlier=standing.earlier, resolved=standing.resolved,
                   false_reports=standing.false_reports)]
    if standing.phone_verified:
        parts.append(t(lang, "alert_standing_phone"))
    return " · ".join(parts)


def _short_time(ts: datetime | None, reference: datetime, tz: ZoneInfo) -> str:
    """'09:12 WIB' on the day of the report, the full date otherwise."""
    if ts is None:
        return "?"
    full = format_local(ts, tz)
    if to_local(ts, tz).date() == to_local(reference, tz).date():
        return full.split(" ", 1)[1]
    return full
