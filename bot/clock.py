"""Time, injectable. Rows hold timezone-aware UTC (sqlmodel's UTCDateTime refuses naive values);
people see Asia/Jakarta (WIB)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

WIB = ZoneInfo("Asia/Jakarta")

Clock = Callable[[], datetime]


def utcnow() -> datetime:
    """Aware UTC now: the form every timestamp column holds."""
    return datetime.now(timezone.utc)


class ManualClock:
    """A clock tests move by hand (sweeps, expiry, SLA) instead of sleeping."""

    def __init__(self, start: datetime | None = None):
        if start is not None and start.tzinfo is None:
            start = start.replace(tzinfo=timezone.utc)
        self.now = start or utcnow()

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **kwargs: float) -> datetime:
        self.now += timedelta(**kwargs)
        return self.now


def to_local(ts: datetime, tz: ZoneInfo = WIB) -> datetime:
    if ts.tzinfo is None:  # tolerate a naive UTC value from an older row or a raw query
        ts = ts.replace(tzinfo=timezone.utc)
    return ts.astimezone(tz)


def format_local(ts: datetime, tz: ZoneInfo = WIB) -> str:
    """'28/11/2026 14:05 WIB': day first, as Indonesians write dates."""
    local = to_local(ts, tz)
    abbrev = {"Asia/Jakarta": "WIB", "Asia/Makassar": "WITA", "Asia/Jayapura": "WIT"}.get(str(tz), local.strftime("%Z"))
    return local.strftime("%d/%m/%Y %H:%M ") + abbrev
