"""What the resident is told after submitting, from the stored decision.

Accepted and held reports get the same "received" (nothing that helps an abuser tune); a report
that joined an open case says so; a refusal says why only when the reason is the resident's own
rate or restriction.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from bot.clock import WIB, format_local


def resident_reply(
    *,
    number: str,
    decision: str | None,
    reasons: list[dict[str, Any]] | None,
    incident_id: int | None,
    report_id: int | None,
    restricted_until: datetime | None,
    now: datetime,
    tz: ZoneInfo = WIB,
) -> tuple[str, dict[str, Any]]:
    """(text key, values) of the confirmation."""
    keys = {r.get("key") for r in reasons or []}
    if decision == "reject":
        if restricted_until is not None and restricted_until > now:
            return "scr_resident_restricted", {"until": format_local(restricted_until, tz)}
        if "scr_r_rate_limited" in keys:
            return "scr_resident_rate", {}
        return "scr_resident_rejected", {}
    if decision == "accept" and incident_id is not None and incident_id != report_id:
        return "scr_resident_joined", {"number": number}
    return "submitted", {"number": number}
