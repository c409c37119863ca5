"""Incidents: a report near an open one (place, time, related category) joins it instead of
posting a new alert. Pure: the candidate and the open incidents in, the one to join (or None) out."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

if TYPE_CHECKING:
    from bot.config import ScreeningSection
    from bot.screening.facts import Candidate, IncidentFacts


def related(a: str, b: str, groups: Sequence[Sequence[str]]) -> bool:
    """Same category, or both in one configured group (overstay and illegal work are one case)."""
    return a == b or any(a in g and b in g for g in groups)


def find_incident(
    c: "Candidate", incidents: Iterable["IncidentFacts"], s: "ScreeningSection"
) -> "IncidentFacts | None":
    """The nearest open incident within the radius (to its first report) and window (since its last
    report), of a related category; None when the report starts its own."""
    from bot.geo import haversine_m

    if not c.located:
        return None
    since = c.created_at - timedelta(hours=s.incident_window_hours)
    best: tuple[float, IncidentFacts] | None = None
    for inc in incidents:
        if not inc.open or inc.last_report_at < since or not related(c.category, inc.category, s.related_categories):
            continue
        d = haversine_m(c.lat, c.lon, inc.lat, inc.lon)
        if d <= s.incident_radius_m and (best is None or d < best[0]):
            best = (d, inc)
    return best[1] if best else None


NEWEST_EXCERPT_CHARS = 160


def incident_lines(
    lang: str,
    *,
    count: int,
    newest_number: str | None,
    newest_at: datetime | None,
    newest_area: str | None,
    newest_description: str | None,
    tz: ZoneInfo,
) -> list[str]:
    """The incident's lines on its group message: "📎 3 laporan / 3 reports" and the newest one."""
    from bot.clock import format_local
    from bot.screening.review import excerpt
    from bot.texts import t

    lines = [t(lang, "scr_incident_count", count=count)]
    if newest_number and newest_at is not None:
        lines.append(
            t(
                lang,
                "scr_incident_newest",
                number=newest_number,
                time=format_local(newest_at, tz),
                area=newest_area or "—",
                excerpt=excerpt(newest_description or "", NEWEST_EXCERPT_CHARS),
            )
        )
    return lines
