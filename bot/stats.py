"""Supervisors' statistics: which periods, and how the message reads. Pure: no I/O.

Periods are calendar days in the office's time zone (a supervisor in Tangerang means "today" from
00:00 WIB), turned into UTC bounds [since, until) for the queries in storage/stats.py.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

from telegram.constants import MessageLimit

from bot.clock import format_local, to_local
from bot.config import Config
from bot.offices import Offices
from bot.scope import Scope, offices_in
from bot.texts import CATALOGS, DEFAULT_LANGUAGE, Html, t
from storage.models import ReportStatus
from storage.stats import Percentiles, PeriodStats

# (key, calendar days including today; None = all time)
PERIODS: tuple[tuple[str, int | None], ...] = (("today", 1), ("7d", 7), ("30d", 30), ("all", None))
# A config may list many categories; a phone screen (and Telegram's 4096 characters) may not.
MAX_CATEGORIES = 8
# Room kept free below Telegram's limit (the HTML is measured, which is longer than what counts).
_MARGIN = 96


@dataclass(frozen=True)
class Period:
    key: str
    since: datetime | None
    until: datetime | None


@dataclass(frozen=True)
class OfficeLine:
    """One office's figures in a breakdown by office (busiest first)."""

    key: str
    name: str
    counts: tuple[int, ...]


def periods(now: datetime, tz: ZoneInfo) -> list[Period]:
    """Today, the last 7 and 30 calendar days (today included) and all time, as UTC bounds."""
    local_today = to_local(now, tz).date()
    tomorrow = _utc_midnight(local_today + timedelta(days=1), tz)
    result = []
    for key, days in PERIODS:
        if days is None:
            result.append(Period(key, None, None))
        else:
            result.append(Period(key, _utc_midnight(local_today - timedelta(days=days - 1), tz), tomorrow))
    return result


def _utc_midnight(day, tz: ZoneInfo) -> datetime:
    return datetime.combine(day, time.min, tzinfo=tz).astimezone(timezone.utc)


def format_duration(seconds: int | None, lang: str) -> str:
    """'45 dtk', '4 mnt', '1 j 12 mnt', '2 hari 3 j' — short enough for a phone line; '—' for none."""
    if seconds is None:
        return "—"
    seconds = max(0, int(seconds))
    if seconds < 60:
        return t(lang, "stats_dur_s", n=seconds)
    minutes = seconds // 60
    days, rest = divmod(minutes, 24 * 60)
    hours, minutes = divmod(rest, 60)
    if days:
        parts = [t(lang, "stats_dur_d", n=days)] + ([t(lang, "stats_dur_h", n=hours)] if hours else [])
    elif hours:
        parts = [t(lang, "stats_dur_h", n=hours)] + ([t(lang, "stats_dur_m", n=minutes)] if minutes else [])
    else:
        parts = [t(lang, "stats_dur_m", n=minutes)]
    return " ".join(parts)


def _timing(lang: str, key: str, p: Percentiles) -> Html:
    return t(lang, key, median=format_duration(p.median, lang), p90=format_duration(p.p90, lang), n=p.count)


def _category_label(config: Config, code: str, lang: str) -> str:
    category = config.category(code)
    if category is None:  # a category removed from the config still has old reports
        return code
    return category.en if lang == "en" else category.id


def _status_label(lang: str, status: str) -> str:
    key = f"stats_status_{status}"
    return t(lang, key) if key in CATALOGS[DEFAULT_LANGUAGE] else status


def render_period(lang: str, key: str, stats: PeriodStats, config: Config) -> Html:
    sep = " · "
    # The four statuses of reports that reached the group always; held/rejected by the screening
    # (and any other) only when some report has them, so an office without screening sees no noise.
    shown = list(ReportStatus.ALL) + [s for s, n in stats.by_status.items() if s not in ReportStatus.ALL and n]
    statuses = sep.join(
        t(lang, "stats_status_line_item", label=_status_label(lang, s), n=stats.by_status.get(s, 0))
        for s in shown
    )
    lines = [
        t(lang, "stats_period_title", period=t(lang, f"stats_period_{key}"), total=stats.total),
        t(lang, "stats_statuses", items=Html(statuses)),
    ]
    if stats.by_category:
        ranked = list(stats.by_category.items())
        items = [
            t(lang, "stats_status_line_item", label=_category_label(config, code, lang), n=n)
            for code, n in ranked[:MAX_CATEGORIES]
        ]
        if len(ranked) > MAX_CATEGORIES:
            rest = ranked[MAX_CATEGORIES:]
            items.append(t(lang, "stats_more_categories", k=len(rest), n=sum(n for _, n in rest)))
        lines.append(t(lang, "stats_categories", items=Html(sep.join(items))))
    lines.append(_timing(lang, "stats_to_taken", stats.to_taken))
    lines.append(_timing(lang, "stats_to_resolved", stats.to_resolved))
    return Html("\n".join(lines))


def render(
    lang: str, results: list[tuple[Period, PeriodStats]], *, config: Config, now: datetime, tz: ZoneInfo,
    office: str | None = None, by_office: Sequence[OfficeLine] = (),
) -> Html:
    """The whole /stats answer: one block per period, today first, all time last; with several
    offices the title names them (`office`) and `by_office` adds a line per office."""
    when = format_local(now, tz)
    blocks = [t(lang, "stats_title_office", office=office, when=when) if office else t(lang, "stats_title", when=when)]
    blocks += [render_period(lang, period.key, stats, config) for period, stats in results]
    footnote = t(lang, "stats_footnote")
    if by_office:
        used = sum(len(b) + 2 for b in blocks) + len(footnote)
        blocks.append(offices_block(lang, "stats_offices_title", by_office, room=MessageLimit.MAX_TEXT_LENGTH - used,
                                    command="/stats"))
    blocks.append(footnote)
    return Html("\n\n".join(blocks))


def office_lines(offices: Offices, scope: Scope, counts: dict[str, tuple[int, ...]], *, size: int,
                 rank_by: Sequence[int] = (2, 1, 0)) -> list[OfficeLine]:
    """Every office of the scope (none left out for having no reports) and reports of an office no
    longer configured (national only), busiest first: by the counts at `rank_by` (for the overview:
    30 days, 7 days, today), ties in the config's order."""
    names = {o.key: o.name for o in offices_in(offices, scope)}
    keys = list(names) + [k for k in counts if k not in names and scope is None]
    lines = [OfficeLine(k, names.get(k, k), counts.get(k, (0,) * size)) for k in keys]
    return sorted(lines, key=lambda line: tuple(-line.counts[i] for i in rank_by))


def offices_block(lang: str, title_key: str, lines: Sequence[OfficeLine], *, room: int, command: str,
                  values: dict | None = None) -> Html:
    """A title (with `values`) and one line per office, as many as fit in `room` characters; the rest
    counted, with how to ask for one of them."""
    out = [t(lang, title_key, **(values or {}))]
    room -= len(out[0]) + _MARGIN
    for i, line in enumerate(lines):
        text = t(lang, "stats_office_line", name=line.name, code=line.key, counts=" · ".join(map(str, line.counts)))
        if len(text) + 1 > room:
            out.append(t(lang, "stats_offices_more", n=len(lines) - i, command=command))
            break
        out.append(text)
        room -= len(text) + 1
    return Html("\n".join(out))
