"""The review summary and the resident's report list, checked as Telegram would parse them."""

from __future__ import annotations

from datetime import datetime, timezone

from bot.clock import WIB
from bot.draft import DraftView, ReportLine, format_my_reports, format_review, status_key, utf16_len
from bot.fakeapi.htmlcheck import parse_html

GPS = dict(lat=-6.2244, lon=106.7102, area_label="Ciledug, Kota Tangerang", location_source="gps")


def review_view(**kw) -> DraftView:
    fields = {"category": "overstay", "description": "x" * 20, **GPS, **kw}
    return DraftView(id=1, step="review", **fields)


def visible(html: str) -> str:
    return parse_html(html).text


def test_review_lists_every_field_and_escapes_the_description():
    desc = "<b>x</b> & <script>alert(1)</script>"
    text = visible(format_review("id", review_view(description=desc, photo_count=3), category_label="Overstay"))
    assert "Kategori: Overstay" in text
    assert "Lokasi: Ciledug, Kota Tangerang (-6.22440, 106.71020)" in text
    assert "Foto: 3 foto" in text
    assert desc in text


def test_typed_address_says_no_coordinates():
    view = review_view(lat=None, lon=None, area_label=None, location_source="text", address_text="Jl. Merdeka 5")
    assert "Location: Jl. Merdeka 5 (no coordinates)" in visible(format_review("en", view, category_label="Other"))


def test_venue_shows_its_name_then_the_area():
    view = review_view(location_source="venue", address_text="Warung Bu Ani, Jl. Merdeka 5")
    assert "Lokasi: Warung Bu Ani, Jl. Merdeka 5\nCiledug, Kota Tangerang" in visible(
        format_review("id", view, category_label="x"))


def test_a_2000_character_description_fits_whole():
    desc = "&" * 2000  # five times longer as HTML, still 2000 visible characters
    text = visible(format_review("id", review_view(description=desc), category_label="Overstay"))
    assert desc in text and utf16_len(text) <= 4096


def test_a_description_too_long_for_one_message_is_cut_with_an_ellipsis():
    desc = "😀" * 2500  # 5000 UTF-16 units
    text = visible(format_review("en", review_view(description=desc), category_label="Overstay"))
    assert utf16_len(text) <= 4096
    assert "😀…" in text and desc not in text


def test_my_reports_lines_in_wib_and_neutral_closed_for_false_reports():
    made = datetime(2026, 3, 2, 2, 0, tzinfo=timezone.utc)
    lines = [
        ReportLine("TNG-2026-000002", made, "Lainnya", "false_report"),
        ReportLine("TNG-2026-000001", made, "Lainnya", "taken"),
    ]
    text = visible(format_my_reports("id", lines, tz=WIB))
    assert "TNG-2026-000002 · 02/03/2026 09:00 WIB\nLainnya · Ditutup" in text
    assert "TNG-2026-000001 · 02/03/2026 09:00 WIB\nLainnya · Ditangani" in text
    assert "palsu" not in text.lower()
    assert status_key("new") == "status_new" and status_key("resolved") == "status_resolved"
    assert "not sent any report" in visible(format_my_reports("en", [], tz=WIB))
