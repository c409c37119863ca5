"""Service levels: when an untaken report is reminded and escalated, and what those messages say.
Pure: no I/O. The sweep that acts on the deadlines is bot/reminders.py.

Deadlines are stored with each report (Report.remind_at / escalate_at) when it reaches the group,
so a restart neither forgets nor repeats them and a config change applies to new reports only.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from bot.clock import format_local
from bot.config import Config, SlaSection
from bot.stats import format_duration
from bot.texts import Html, t

# Mentions in one reminder: Telegram notifies only a handful anyway, and the text must stay short.
MAX_MENTIONS = 10


@dataclass(frozen=True)
class OnDuty:
    officer_id: int
    name: str


def deadlines(start: datetime, sla: SlaSection) -> tuple[datetime, datetime]:
    """(remind_at, escalate_at) of a report that reached the group at `start`."""
    return (start + timedelta(minutes=sla.remind_after_minutes),
            start + timedelta(minutes=sla.escalate_after_minutes))


def mention(officer_id: int, name: str) -> Html:
    """A mention that notifies the officer even without a username."""
    return Html(f'<a href="tg://user?id={int(officer_id)}">{html.escape(name or "?", quote=False)}</a>')


def officers_line(lang: str, on_duty: Sequence[OnDuty], *, links: bool) -> Html:
    if not on_duty:
        return t(lang, "sla_nobody_on_duty")
    shown = on_duty[:MAX_MENTIONS]
    names = [mention(o.officer_id, o.name) if links else Html(html.escape(o.name, quote=False)) for o in shown]
    if len(on_duty) > len(shown):
        names.append(t(lang, "sla_more_officers", n=len(on_duty) - len(shown)))
    return t(lang, "sla_on_duty", names=Html(", ".join(names)))


def alert_link(chat_id: int | None, message_id: int | None) -> str | None:
    """https://t.me/c/… opens the alert for a member of a supergroup (basic groups have no links)."""
    if chat_id is None or message_id is None or not str(chat_id).startswith("-100"):
        return None
    return f"https://t.me/c/{str(chat_id)[4:]}/{message_id}"


def reminder_text(lang: str, *, number: str, waited_seconds: int, on_duty: Sequence[OnDuty]) -> Html:
    """The reminder in the group, a reply to the alert."""
    return t(lang, "sla_reminder", number=number, waited=format_duration(waited_seconds, lang),
             officers=officers_line(lang, on_duty, links=True))


def escalation_text(
    lang: str,
    *,
    number: str,
    category: str,
    area: str | None,
    created_at: datetime,
    waited_seconds: int,
    on_duty: Sequence[OnDuty],
    link: str | None,
    tz: ZoneInfo,
) -> Html:
    """The private message to a supervisor: which report, how long, who was on duty."""
    lines = [
        t(lang, "sla_escalation", number=number, waited=format_duration(waited_seconds, lang)),
        t(lang, "sla_escalation_details", category=category, area=area or "—", time=format_local(created_at, tz)),
        officers_line(lang, on_duty, links=False),
    ]
    if link:
        lines.append(t(lang, "sla_escalation_link", link=link, number=number))
    return Html("\n".join(lines))


def category_label(config: Config, code: str, lang: str) -> str:
    category = config.category(code)
    if category is None:  # a category removed from the config still has old reports
        return code
    return category.en if lang == "en" else category.id
