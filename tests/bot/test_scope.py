"""What a supervisor's command covers, and per-office lines that always fit one Telegram message."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

import pytest
from telegram.constants import MessageLimit

from bot import period_stats, scope, stats
from bot.clock import WIB
from bot.geo import Jurisdiction
from bot.offices import Office, Offices
from bot.periods import parse_span
from storage.period_stats import ChartFacts, PeriodDetail
from tests.conftest import make_config

JKS_AREA = Path(__file__).resolve().parents[2] / "bot" / "data" / "jakarta_selatan.geojson"
NATIONAL, TNG_SUP, JKS_SUP, BOTH_SUP = 1, 2, 3, 4


def directory(*, single: bool = False) -> Offices:
    tng = Office("TNG", "Tangerang", -1001, Jurisdiction.default(), supervisor_ids=frozenset({TNG_SUP, BOTH_SUP}))
    if single:
        return Offices([tng], national_supervisor_ids=frozenset({NATIONAL}), single=True)
    jks = Office("JKS", "Jakarta <Selatan>", -1002, Jurisdiction.from_geojson(JKS_AREA),
                 supervisor_ids=frozenset({JKS_SUP, BOTH_SUP}))
    return Offices([tng, jks], national_supervisor_ids=frozenset({NATIONAL}))


def test_scope_of_each_kind_of_supervisor():
    offices = directory()
    assert scope.scope_of(offices, NATIONAL) is None
    assert scope.scope_of(offices, TNG_SUP) == {"TNG"}
    assert scope.scope_of(offices, BOTH_SUP) == {"TNG", "JKS"}
    # A single office's supervisors are national: they see everything, as before.
    assert scope.scope_of(directory(single=True), NATIONAL) is None


def test_an_office_key_among_the_arguments_in_any_order_and_case():
    offices = directory()
    assert scope.split_args(["jks", "7d"], offices).office.key == "JKS"
    request = scope.split_args(["7d", "TNG"], offices)
    assert (request.office.key, request.rest) == ("TNG", ["7d"])
    assert scope.split_args(["XYZ"], offices) == scope.Request(None, ["XYZ"])
    # One office: arguments read exactly as before ("TNG" is no period, and says so).
    assert scope.split_args(["TNG"], directory(single=True)) == scope.Request(None, ["TNG"])


def test_narrowing_to_an_office_one_supervises_and_not_to_another():
    offices = directory()
    jks = offices.get("JKS")
    assert scope.narrow(None, jks) == {"JKS"}
    assert scope.narrow(frozenset({"TNG", "JKS"}), jks) == {"JKS"}
    assert scope.narrow(frozenset({"TNG"}), None) == {"TNG"}
    with pytest.raises(scope.NotYourOffice):
        scope.narrow(frozenset({"TNG"}), jks)


def test_titles_and_breakdowns():
    offices = directory()
    assert scope.label(offices, None, "Nasional") == "Nasional"
    assert scope.label(offices, frozenset({"JKS"}), "Nasional") == "Jakarta <Selatan>"
    assert scope.label(directory(single=True), None, "Nasional") is None
    assert scope.is_breakdown(offices, None) and scope.is_breakdown(offices, frozenset({"TNG", "JKS"}))
    assert not scope.is_breakdown(offices, frozenset({"TNG"}))
    assert not scope.is_breakdown(directory(single=True), None)


def test_a_hundred_offices_fit_one_message_and_their_names_are_escaped(tmp_path):
    lines = [stats.OfficeLine(f"K{i:03d}", f"Kantor Imigrasi <b>Nomor</b> {i} & Sekitarnya", (i, i, i, i))
             for i in range(150)]
    now = datetime(2026, 3, 2, 2, 0, tzinfo=timezone.utc)
    text = stats.render("id", [], config=make_config(tmp_path), now=now, tz=WIB, office="Nasional",
                        by_office=lines)
    assert len(text) <= MessageLimit.MAX_TEXT_LENGTH
    assert "Kantor Imigrasi &lt;b&gt;Nomor&lt;/b&gt; 0 &amp; Sekitarnya (K000): 0 · 0 · 0 · 0" in text
    shown = text.count("• Kantor Imigrasi")
    assert 20 < shown < 150
    assert f"… dan {150 - shown} kantor lain; satu kantor: /stats KODE" in text


def test_the_chart_map_covers_every_office_of_the_scope():
    offices = directory()
    span = parse_span("7d", now=datetime(2026, 3, 2, 2, 0, tzinfo=timezone.utc), tz=WIB)
    areas = [o.jurisdiction for o in offices]
    both = period_stats.chart_data("id", span, ChartFacts(), PeriodDetail(), jurisdiction=areas)
    tng = period_stats.chart_data("id", span, ChartFacts(), PeriodDetail(), jurisdiction=areas[0])
    jks_bbox = areas[1].bbox
    assert tng.bbox == areas[0].bbox
    assert both.bbox[2] >= jks_bbox[2] and both.bbox[3] >= jks_bbox[3]  # reaches east to Jakarta Selatan
    assert both.bbox[:2] == tuple(min(a, b) for a, b in zip(tng.bbox[:2], jks_bbox[:2], strict=True))
    assert len(both.outline) == len(tng.outline) + len(areas[1].outline())
