"""Builders of plain screening facts: every signal test states only what matters to it."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta, timezone
from typing import Any

from bot.config import ScreeningSection
from bot.screening.facts import Candidate, Context, OtherReport, PhotoFacts, ReporterFacts

NOW = datetime(2026, 3, 2, 2, 0, tzinfo=timezone.utc)
HERE = (-6.1783, 106.6319)
CONCRETE_ID = "3 WNA Tiongkok bekerja di pabrik sepatu Jl. Melati No. 5 setiap malam"


def cand(**kw: Any) -> Candidate:
    values: dict[str, Any] = {
        "reporter_id": 1,
        "channel": "telegram",
        "category": "illegal_work",
        "created_at": NOW,
        "description": CONCRETE_ID,
        "lat": HERE[0],
        "lon": HERE[1],
        "accuracy_m": None,
        "location_source": "pin",
        "in_jurisdiction": True,
        "seconds_to_complete": 120,
        "report_id": 100,
    }
    values.update(kw)
    if "photos" in values:
        values["photos"] = tuple(p if isinstance(p, PhotoFacts) else PhotoFacts(*p) for p in values["photos"])
    return Candidate(**values)


def reporter(**kw: Any) -> ReporterFacts:
    values: dict[str, Any] = {"reporter_id": 1, "created_at": NOW - timedelta(minutes=5)}
    values.update(kw)
    return ReporterFacts(**values)


def ctx(**kw: Any) -> Context:
    who = kw.pop("reporter", None) or reporter()
    values: dict[str, Any] = {"reporter": who, "now": NOW}
    for key in ("nearby", "texts", "photos", "incidents"):
        if key in kw:
            values[key] = tuple(kw.pop(key))
    values.update(kw)
    return Context(**values)


def other(**kw: Any) -> OtherReport:
    values: dict[str, Any] = {
        "report_id": 50,
        "reporter_id": 2,
        "created_at": NOW - timedelta(hours=1),
        "category": "illegal_work",
        "description": "Dua orang asing jadi koki di restoran dekat pasar, tiap pagi jam 7",
        "status": "new",
        "decision": "accept",
        "distance_m": 40.0,
        "lat": HERE[0] + 0.0003,
        "lon": HERE[1],
        "location_source": "gps",
        "reporter_new": True,
        "own_photos": 1,
        "number": "TNG-2026-000050",
    }
    values.update(kw)
    return OtherReport(**values)


def settings(**kw: Any) -> ScreeningSection:
    weights = kw.pop("weights", None)
    s = ScreeningSection(**kw)
    if weights:
        s = ScreeningSection(**{**kw, "weights": {**s.weights.model_dump(), **weights}})
    return s


__all__ = ["NOW", "HERE", "CONCRETE_ID", "cand", "ctx", "reporter", "other", "settings", "replace"]
