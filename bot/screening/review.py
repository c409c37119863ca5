"""What /review shows for a held report: one compact message per report, oldest first."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from bot.clock import WIB, format_local
from bot.screening.decision import render_reasons
from bot.texts import Html, t

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
) -> Html:
    shown = render_reasons(lang, reasons, limit=limit, tz=tz)
    return t(
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


def reject_reason_label(lang: str, code: str) -> str:
    return t(lang, f"scr_reject_{code}") if code in REJECT_REASONS else code
