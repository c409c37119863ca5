"""Combine the signals into a trust score, an outcome and the reasons, in words an officer accepts.

score = base + Σ contributions, clipped to [0, 1]. The outcome is accept when the score reaches the
threshold and no signal set a floor; review when it does not (doubt goes to a human); reject ONLY
when a signal of clear abuse set that floor (restricted, over the rate, an exact copy). Walk-ins,
taken by an officer at the desk, are never refused.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from bot.clock import WIB, format_local
from bot.config import ScreeningSection
from bot.screening.facts import Candidate, Context, Outcome, Signal
from bot.screening.signals import SIGNALS, SignalFn
from bot.texts import Html, t

_SEVERITY = {None: 0, Outcome.REVIEW: 1, Outcome.REJECT: 2}


@dataclass(frozen=True)
class Decision:
    outcome: str
    score: float
    # Every signal that spoke, most telling first (see `rank`).
    reasons: tuple[Signal, ...]
    # Over the rate for the `restrict_after_strikes`-th time in a day: restrict the reporter now.
    restrict: bool = False

    def has(self, name: str) -> bool:
        return any(r.name == name for r in self.reasons)

    @property
    def rate_limited(self) -> bool:
        return self.has("rate_limited")

    def reason_dicts(self) -> list[dict[str, Any]]:
        """The reasons as stored on the report (JSON) and rendered later in the reader's language."""
        return [{"key": r.reason_key, "values": dict(r.values), "contribution": r.contribution} for r in self.reasons]


def rank(signals: list[Signal], outcome: str) -> tuple[Signal, ...]:
    """Floors first (the reason for the outcome), then what pushed the score the way it went."""

    def key(sig: Signal) -> tuple[int, int, float]:
        against = sig.contribution < 0 if outcome != Outcome.ACCEPT else sig.contribution > 0
        return (-_SEVERITY[sig.floor], 0 if against else 1, -abs(sig.contribution))

    return tuple(sorted(signals, key=key))


def decide(
    c: Candidate, ctx: Context, s: ScreeningSection, *, signals: tuple[SignalFn, ...] = SIGNALS
) -> Decision:
    if not s.enabled:
        return Decision(Outcome.ACCEPT, s.base_score, ())
    spoken = [sig for fn in signals if (sig := fn(c, ctx, s)) is not None]
    score = min(1.0, max(0.0, s.base_score + sum(sig.contribution for sig in spoken)))
    floor = max((sig.floor for sig in spoken), key=lambda f: _SEVERITY[f], default=None)
    if c.walk_in and floor == Outcome.REJECT:
        floor = Outcome.REVIEW
    if floor == Outcome.REJECT:
        outcome = Outcome.REJECT
    elif floor == Outcome.REVIEW or score < s.accept_threshold:
        outcome = Outcome.REVIEW
    else:
        outcome = Outcome.ACCEPT
    # Attempts while already restricted are refused by the restriction; they do not escalate it.
    names = {sig.name for sig in spoken}
    restrict = (
        "rate_limited" in names
        and "restricted" not in names
        and ctx.reporter.rate_strikes + 1 >= s.restrict_after_strikes
    )
    return Decision(outcome, round(score, 2), rank(spoken, outcome), restrict=restrict)


def _display_values(values: dict[str, Any], tz: ZoneInfo) -> dict[str, Any]:
    out = dict(values)
    if isinstance(out.get("until"), str):
        out["until"] = format_local(datetime.fromisoformat(out["until"]), tz)
    return out


def render_reason(lang: str, reason: dict[str, Any], *, tz: ZoneInfo = WIB) -> str:
    """One stored reason in `lang` (safe HTML: values are escaped by t())."""
    return t(lang, reason["key"], **_display_values(reason.get("values") or {}, tz))


def render_reasons(lang: str, reasons: list[dict[str, Any]], *, limit: int, tz: ZoneInfo = WIB) -> list[str]:
    return [render_reason(lang, r, tz=tz) for r in reasons[:limit]]


def score_line(lang: str, score: float | None, reasons: list[dict[str, Any]], *, limit: int, tz: ZoneInfo = WIB) -> str:
    """The alert's one line: "Skor kepercayaan 0.83 · nomor HP terverifikasi; lokasi langsung ±12 m"."""
    if score is None:
        return ""
    shown = render_reasons(lang, reasons, limit=limit, tz=tz)
    return t(lang, "scr_score_line", score=f"{score:.2f}", reasons=Html("; ".join(shown) or "—"))
