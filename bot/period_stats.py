"""`/stats <period>`: one period in detail, as a message and a chart. Pure: no I/O.

The figures come from storage/period_stats.py; here they become lines a supervisor reads on a phone
and the plain data bot/charts.py draws.
"""

from __future__ import annotations

import html
from collections import Counter
from collections.abc import Sequence
from datetime import datetime

from telegram.constants import MessageLimit

from bot.charts import OUTCOME_COLOURS, ChartData, GridPoint
from bot.clock import format_local
from bot.config import Config
from bot.offices import Offices
from bot.periods import Span
from bot.scope import Scope
from bot.sla import category_label
from bot.stats import OfficeLine, format_duration, office_lines as _ranked_lines, offices_block
from bot.texts import Html, t
from storage.models import ReportStatus
from storage.period_stats import ChartFacts, PeriodDetail
from storage.stats import Percentiles

# Items per line: a phone screen (and Telegram's 4096 characters) is not a spreadsheet.
MAX_ITEMS = 8
# Districts listed beside the map.
AREAS_ON_CHART = 15
_SEP = " · "


def _items(lang: str, pairs: list[tuple[str, int]], more_key: str | None = None) -> Html:
    shown = [t(lang, "stats_status_line_item", label=label, n=n) for label, n in pairs[:MAX_ITEMS]]
    rest = pairs[MAX_ITEMS:]
    if rest and more_key:
        shown.append(t(lang, more_key, k=len(rest), n=sum(n for _, n in rest)))
    return Html(_SEP.join(shown))


def _status_label(lang: str, status: str) -> str:
    if status in ReportStatus.SCREENED_OUT:
        return t(lang, f"statsx_status_{status}")
    return t(lang, f"stats_status_{status}")


def _channel_label(lang: str, channel: str) -> str:
    key = f"statsx_channel_{channel}"
    return t(lang, key) if channel in ("telegram", "walk_in") else channel


def kabupaten_kota(area_label: str | None) -> str | None:
    """'Ciledug, Kota Tangerang' → 'Kota Tangerang' (Area.label() puts the kabupaten/kota last)."""
    if not area_label:
        return None
    return area_label.rsplit(",", 1)[-1].strip()


def _timing(lang: str, key: str, p: Percentiles) -> Html:
    return t(lang, key, median=format_duration(p.median, lang), p90=format_duration(p.p90, lang), n=p.count)


# The per-office line of a period: total, then these statuses.
OFFICE_STATUSES = (ReportStatus.NEW, ReportStatus.TAKEN, ReportStatus.RESOLVED, ReportStatus.FALSE_REPORT)


def office_lines(offices: Offices, scope: Scope, by_office: dict[str, dict[str, int]]) -> list[OfficeLine]:
    """office → status → count as lines of (total · new · taken · resolved · false), most reports first."""
    counts = {k: (sum(by_status.values()), *(by_status.get(s, 0) for s in OFFICE_STATUSES))
              for k, by_status in by_office.items()}
    return _ranked_lines(offices, scope, counts, size=1 + len(OFFICE_STATUSES), rank_by=(0,))


def render(lang: str, span: Span, d: PeriodDetail, *, config: Config, now: datetime, tz,
           office: str | None = None, by_office: Sequence[OfficeLine] = ()) -> Html:
    """The period in detail; with several offices the title names them (`office`) and `by_office`
    adds a line per office, as many as Telegram's limit leaves room for."""
    statuses = [(_status_label(lang, s), n) for s, n in d.by_status.items()
                if n or s in ReportStatus.ALL]
    when = format_local(now, tz)
    lines = [
        t(lang, "statsx_title_office", period=span.label(), when=when, total=d.total, office=office) if office
        else t(lang, "statsx_title", period=span.label(), when=when, total=d.total),
        t(lang, "stats_statuses", items=_items(lang, statuses)),
    ]
    if d.total:
        categories = [(category_label(config, c, lang), n) for c, n in d.by_category.items()]
        lines.append(t(lang, "stats_categories", items=_items(lang, categories, "stats_more_categories")))
        channels = [(_channel_label(lang, c), n) for c, n in d.by_channel.items()]
        lines.append(t(lang, "statsx_channels", items=_items(lang, channels)))
        regions: Counter = Counter()
        for area, n in d.by_area.items():
            regions[kabupaten_kota(area) or t(lang, "statsx_area_unknown")] += n
        lines.append(t(lang, "statsx_areas", items=_items(lang, regions.most_common())))
    lines += [
        _timing(lang, "stats_to_taken", d.to_taken),
        _timing(lang, "stats_to_resolved", d.to_resolved),
        _timing(lang, "statsx_to_closed", d.to_closed),
    ]
    closed = d.by_status.get(ReportStatus.RESOLVED, 0) + d.by_status.get(ReportStatus.FALSE_REPORT, 0)
    if closed:
        percent = round(100 * d.by_status.get(ReportStatus.FALSE_REPORT, 0) / closed)
        lines.append(t(lang, "statsx_false_share", percent=percent, closed=closed))
    if d.officers:
        lines.append(t(lang, "statsx_officers"))
        lines += [t(lang, "statsx_officer", name=o.name, taken=o.taken, resolved=o.resolved,
                    false_reports=o.false_reports) for o in d.officers]
        if d.officers_total > len(d.officers):
            lines.append(t(lang, "statsx_more_officers", n=d.officers_total - len(d.officers)))
    if by_office:
        used = sum(len(line) + 1 for line in lines)
        lines.append(offices_block(lang, "statsx_offices_title", by_office, room=MessageLimit.MAX_TEXT_LENGTH - used,
                                   command="/stats"))
    return Html("\n".join(lines))


def chart_data(lang: str, span: Span, facts: ChartFacts, d: PeriodDetail, *, jurisdiction) -> ChartData:
    """Plain text labels (matplotlib draws text, not HTML). `jurisdiction`: the area to draw, or a
    list of them (the offices a supervisor's figures cover), drawn together."""
    days = span.day_list()
    per_day = {outcome: [facts.per_day.get(day.isoformat(), {}).get(outcome, 0) for day in days]
               for outcome in OUTCOME_COLOURS}
    located = sum(n for _, _, n in facts.points)
    areas = [(a, n) for a, n in d.by_area.items() if a][:AREAS_ON_CHART]
    labels = {
        "title_days": t(lang, "chart_title_days"),
        "title_map": t(lang, "chart_title_map", located=located, unlocated=facts.unlocated),
        "map_scale": t(lang, "chart_map_scale"),
        "no_points": t(lang, "chart_no_points"),
        "areas": "\n".join([t(lang, "chart_areas")] + [f"{a}: {n}" for a, n in areas]) if areas else "",
        "screened_out": t(lang, "chart_screened_out"),
        **{o: t(lang, f"stats_status_{o}") for o in ("new", "taken", "resolved", "false_report")},
    }
    # Labels are drawn as text, not parsed as HTML: undo t()'s escaping.
    labels = {k: html.unescape(v) for k, v in labels.items()}
    points = [GridPoint(lat, lon, n) for lat, lon, n in facts.points]
    areas = list(jurisdiction) if isinstance(jurisdiction, (list, tuple)) else [jurisdiction]
    boxes = [a.bbox for a in areas]
    bbox = (min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes))
    # The same area twice (offices sharing one file) is drawn once.
    outline = [ring for a in dict.fromkeys(areas) for ring in a.outline()]
    return ChartData(days=days, per_day=per_day, points=points, outline=outline, bbox=bbox, labels=labels)
