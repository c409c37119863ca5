"""The periods supervisors name: whole office-calendar days, as UTC bounds."""

from __future__ import annotations

from datetime import date, datetime, timezone

import pytest

from bot.clock import WIB
from bot.periods import PeriodError, parse_span

NOW = datetime(2026, 3, 1, 18, 30, tzinfo=timezone.utc)  # already 2 March 01:30 in Tangerang


def test_today_is_the_office_calendar_day_not_utcs():
    span = parse_span("today", now=NOW, tz=WIB)
    assert (span.first, span.last, span.days) == (date(2026, 3, 2), date(2026, 3, 2), 1)
    assert span.since == datetime(2026, 3, 1, 17, 0, tzinfo=timezone.utc)
    assert span.until == datetime(2026, 3, 2, 17, 0, tzinfo=timezone.utc)
    assert (span.label(), span.slug()) == ("02/03/2026", "2026-03-02")


def test_n_days_include_today():
    span = parse_span("7d", now=NOW, tz=WIB)
    assert (span.first, span.last) == (date(2026, 2, 24), date(2026, 3, 2))
    assert span.label() == "24/02/2026–02/03/2026"
    assert parse_span(None, now=NOW, tz=WIB, default="30d").days == 30
    assert len(parse_span("30D", now=NOW, tz=WIB).day_list()) == 30


def test_a_date_or_a_range_of_dates():
    assert parse_span("2026-02-01", now=NOW, tz=WIB).days == 1
    span = parse_span("2026-01-01..2026-12-31", now=NOW, tz=WIB)
    assert (span.days, span.slug()) == (365, "2026-01-01_2026-12-31")


@pytest.mark.parametrize("arg, key", [
    ("kemarin", "period_unknown"), ("2026-02-30", "period_unknown"), ("7", "period_unknown"),
    ("0d", "period_too_long"), ("367d", "period_too_long"), ("2024-01-01..2026-01-01", "period_too_long"),
    ("2026-03-05..2026-03-01", "period_reversed"), ("2026-03-01..", "period_unknown"),
])
def test_what_is_not_a_period_says_why(arg, key):
    with pytest.raises(PeriodError) as err:
        parse_span(arg, now=NOW, tz=WIB)
    assert err.value.key == key
