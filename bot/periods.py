"""The period a supervisor asks about (`/stats 7d`, `/export 2026-03-01..2026-03-31`). Pure: no I/O.

A period is a run of whole calendar days in the office's time zone ("today" starts at 00:00 WIB),
turned into UTC bounds [since, until) for the queries.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

from bot.clock import to_local

# Longest period one /stats or /export covers: a year, so a chart's bars stay readable.
MAX_DAYS = 366
_DAYS = re.compile(r"^(\d{1,3})d$")
_RANGE = re.compile(r"^(\d{4}-\d{2}-\d{2})(?:\.\.(\d{4}-\d{2}-\d{2}))?$")


class PeriodError(ValueError):
    """The argument names no period; `key` is the text that tells the supervisor why."""

    def __init__(self, key: str):
        super().__init__(key)
        self.key = key


@dataclass(frozen=True)
class Span:
    # today | 7d | 30d | Nd | range
    key: str
    # Local calendar days, both included.
    first: date
    last: date
    # UTC bounds [since, until).
    since: datetime
    until: datetime

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1

    def day_list(self) -> list[date]:
        return [self.first + timedelta(days=i) for i in range(self.days)]

    def label(self) -> str:
        """'02/03/2026' or '24/02/2026–02/03/2026': day first, as Indonesians write dates."""
        if self.first == self.last:
            return self.first.strftime("%d/%m/%Y")
        return f"{self.first.strftime('%d/%m/%Y')}–{self.last.strftime('%d/%m/%Y')}"

    def slug(self) -> str:
        """For file names: '2026-02-24_2026-03-02'."""
        return self.first.isoformat() if self.first == self.last else f"{self.first}_{self.last}"


def utc_midnight(day: date, tz: ZoneInfo) -> datetime:
    return datetime.combine(day, time.min, tzinfo=tz).astimezone(timezone.utc)


def span_of_days(first: date, last: date, tz: ZoneInfo, key: str = "range") -> Span:
    return Span(key, first, last, utc_midnight(first, tz), utc_midnight(last + timedelta(days=1), tz))


def parse_span(arg: str | None, *, now: datetime, tz: ZoneInfo, default: str = "30d") -> Span:
    """`today`, `7d`, `30d` (any 1–366 `Nd`, today included), `YYYY-MM-DD` or
    `YYYY-MM-DD..YYYY-MM-DD`. Raises PeriodError with the reason's text key."""
    text = (arg or default).strip().lower()
    today = to_local(now, tz).date()
    if text in ("today", "hari-ini", "hariini"):
        return span_of_days(today, today, tz, "today")
    m = _DAYS.match(text)
    if m:
        n = int(m.group(1))
        if not 1 <= n <= MAX_DAYS:
            raise PeriodError("period_too_long")
        return span_of_days(today - timedelta(days=n - 1), today, tz, text)
    m = _RANGE.match(text)
    if not m:
        raise PeriodError("period_unknown")
    try:
        first = date.fromisoformat(m.group(1))
        last = date.fromisoformat(m.group(2) or m.group(1))
    except ValueError:
        raise PeriodError("period_unknown") from None
    if last < first:
        raise PeriodError("period_reversed")
    if (last - first).days + 1 > MAX_DAYS:
        raise PeriodError("period_too_long")
    return span_of_days(first, last, tz)
