"""What /review shows for a held report: one compact message per report, oldest first."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from bot.clock import WIB, format_local
from bot.screening.decision import render_reasons
from bot.texts import Html, t

if TYPE_CHECKING:
    from bot.offices import Offices
    from bot.scope import Scope

# Why a supervisor refuses a held report (button values; texts "scr_reject_<code>").
REJECT_REASONS = ("false", "vague", "duplicate", "abusive")
EXCERPT_CHARS = 280


def excerpt(text: str, limit: int = EXCERPT_CHARS) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def review_item(
    lang: str,
    *,
    number: str,
    category: str,
    area: str | None,
    score: float | None,
    created_at: datetime,
    alias: str,
    reasons: list[dict[str, Any]],
    description: str,
    limit: int,
    tz: ZoneInfo = WIB,
    office: str | None = None,
) -> Html:
    """`office`: the report's office, named first (several offices); `tz`: that office's clock."""
    shown = render_reasons(lang, reasons, limit=limit, tz=tz)
    item = t(
        lang,
        "scr_review_item",
        number=number,
        category=category,
        area=area or "—",
        score="—" if score is None else f"{score:.2f}",
        when=format_local(created_at, tz),
        alias=alias,
        reasons=Html("\n".join(f"• {r}" for r in shown) or "—"),
        excerpt=excerpt(description),
    )
    return Html(f"{t(lang, 'scr_review_office', office=office)}\n{item}") if office else item


def reject_reason_label(lang: str, code: str) -> str:
    return t(lang, f"scr_reject_{code}") if code in REJECT_REASONS else code


PAGE_SIZE = 5


def may_review(user_id: int, *, supervisor_ids: Collection[int], officer_ids: Collection[int],
               officers_too: bool) -> bool:
    """Supervisors; officers too when configured, but only officers LISTED by id (an empty list
    means "anyone in the group" for the group's buttons, never anyone in a private chat)."""
    return user_id in supervisor_ids or (officers_too and user_id in officer_ids)


def reviewer_scope(offices: Offices, user_id: int, *, officers_too: bool) -> Scope:
    """Whose held reports a person reviews: None = every office's (a national supervisor; on a
    single-office bot anyone who may review, as before), else the keys of the offices that list them
    (as supervisor, or as officer with review_by_officers). An empty set: not a reviewer at all."""
    if offices.is_national_supervisor(user_id):
        return None
    keys = frozenset(o.key for o in offices if may_review(
        user_id, supervisor_ids=o.supervisor_ids, officer_ids=o.officer_ids, officers_too=officers_too))
    return None if keys and offices.single else keys


def in_scope(scope: Scope, office_key: str | None) -> bool:
    return scope is None or office_key in scope


def parse_ref(args: list[str]) -> tuple[str, str | None] | None:
    """"/restrict TNG-2026-000012 spam from one account" → ("TNG-2026-000012", "spam from one account")."""
    if not args:
        return None
    ref, note = args[0].strip(), " ".join(args[1:]).strip() or None
    if not ref or len(ref) > 40:
        return None
    return ref, (note[:500] if note else None)


def short_number(number: str) -> str:
    """"TNG-2026-000012" → "000012": enough to tell the buttons of one page apart."""
    return number.rsplit("-", 1)[-1]
