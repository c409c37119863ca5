"""Incidents: a report near an open one (place, time, related category) joins it instead of
posting a new alert. Pure: the candidate and the open incidents in, the one to join (or None) out."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import timedelta
from typing import TYPE_CHECKING

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
