from datetime import datetime, timedelta, timezone

import pytest

from bot import alerts
from bot.callbacks import Action, parse
from bot.clock import WIB
from bot.fakeapi import parse_html, utf16_len
from storage.models import Report, Reporter, ReportStatus

T0 = datetime(2026, 3, 2, 2, 0, tzinfo=timezone.utc)  # 09:00 WIB
NASTY = "<b>x</b> & <script>alert(1)</script>"


def report(**kw) -> Report:
    values = dict(
        id=42, number="TNG-2026-000042", prefix="TNG", year=2026, seq=42, reporter_id=1, language="id",
        category="overstay", lat=-6.1783, lon=106.6319, accuracy_m=12.4, location_source="gps",
        area_label="Tangerang, Kota Tangerang", description="Orang asing tinggal di kos, izinnya habis.",
        photo_count=0, created_at=T0,
    )
    values.update(kw)
    return Report(**values)


def render(r: Report, standing: alerts.Standing | None = None, **kw) -> str:
    return alerts.alert_html(r, category_label="Izin tinggal habis / overstay",
                             standing=standing or alerts.Standing(alias="P-7F3A2C"), tz=WIB, **kw)


def plain(markup: str) -> str:
    """What the officer reads, parsed the way Telegram parses HTML (raises on invalid markup)."""
    return parse_html(markup).text


def test_alert_says_what_where_when_and_who_without_identity():
    reporter = Reporter(telegram_id=5, alias="P-7F3A2C", first_name="Budi", username="budi_warga",
                        created_at=T0, phone_verified=True)
    standing = alerts.standing_of(reporter, earlier=0, resolved=0, false_reports=0, show_identity=False)
    markup = render(report(photo_count=2), standing)
    text = plain(markup)
    for expected in ("Laporan TNG-2026-000042", "Izin tinggal habis / overstay", "02/03/2026 09:00 WIB",
                     "Tangerang, Kota Tangerang", "-6.17830, 106.63190", "GPS ±12 m",
                     "Orang asing tinggal di kos", "Foto: 2", "P-7F3A2C", "laporan pertama",
                     "HP terverifikasi"):
        assert expected in text, expected
    assert "Budi" not in text and "budi_warga" not in text
    assert 'href="https://www.google.com/maps?q=-6.17830,106.63190"' in markup
    assert text.endswith("🆕 Baru")


def test_identity_only_when_the_office_shows_it():
    reporter = Reporter(telegram_id=5, alias="P-1", first_name="Budi <Jr>", username="budi_warga", created_at=T0)
    standing = alerts.standing_of(reporter, earlier=0, resolved=0, false_reports=0, show_identity=True)
    text = plain(render(report(), standing))
    assert "Budi <Jr> @budi_warga" in text


def test_standing_counts_earlier_reports_and_their_outcomes():
    text = plain(render(report(), alerts.Standing(alias="P-1", earlier=3, resolved=1, false_reports=1)))
    assert "3 laporan sebelumnya (1 selesai, 1 palsu)" in text
    assert "laporan pertama" not in text


@pytest.mark.parametrize(
    ("source", "accuracy", "shown"),
    [("gps", None, "(GPS)"), ("live", 5, "live"), ("pin", None, "pin"), ("venue", None, "venue"),
     ("forwarded", None, "forwarded")],
)
def test_how_the_location_was_obtained(source, accuracy, shown):
    assert shown in plain(render(report(location_source=source, accuracy_m=accuracy)))


def test_typed_address_without_coordinates_and_outside_the_map():
    r = report(lat=None, lon=None, accuracy_m=None, location_source="text", area_label=None,
               address_text="Jl. Daan Mogot <No. 12> & Co")
    markup = render(r)
    text = plain(markup)
    assert "di luar peta / alamat diketik" in text
    assert "tanpa koordinat" in text
    assert "Jl. Daan Mogot <No. 12> & Co" in text
    assert "google.com/maps" not in markup


def test_walk_in_reports_are_flagged():
    assert "Walk-in" in plain(render(report(channel="walk_in")))
    assert "Walk-in" not in plain(render(report()))


def test_a_2000_character_description_with_html_arrives_escaped_and_whole():
    description = (NASTY + " ") * 50
    description = description + "y" * (2000 - len(description))
    markup = render(report(description=description))
    parsed = parse_html(markup)  # the fake's parser: raises on anything Telegram would refuse
    assert description in parsed.text
    assert utf16_len(parsed.text) <= 4096
    assert alerts.visible_length(markup) == utf16_len(parsed.text)
    assert not alerts.fits_caption(markup)


def test_short_alert_fits_a_caption_and_long_one_is_cut_to_a_limit():
    assert alerts.fits_caption(render(report()))
    long = report(description="ä😀" * 1500)
    markup = render(long, limit=alerts.CAPTION_LIMIT)
    parsed = parse_html(markup)
    assert utf16_len(parsed.text) <= alerts.CAPTION_LIMIT
    assert "…" in parsed.text and parsed.text.endswith("🆕 Baru")


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"status": ReportStatus.NEW}, "🆕 Baru"),
        ({"status": ReportStatus.TAKEN, "taken_by_name": "Agus", "taken_at": T0 + timedelta(minutes=12)},
         "🟡 Ditangani oleh Agus · 09:12 WIB"),
        ({"status": ReportStatus.RESOLVED, "closed_by_name": "Agus", "closed_at": T0 + timedelta(hours=3)},
         "✅ Selesai oleh Agus · 12:00 WIB"),
        ({"status": ReportStatus.FALSE_REPORT, "closed_by_name": "Siti", "closed_at": T0 + timedelta(days=1)},
         "⛔ Laporan palsu (Siti · 03/03/2026 09:00 WIB)"),
    ],
)
def test_status_line(fields, expected):
    assert plain(alerts.status_line(report(**fields), tz=WIB)) == expected


def test_an_officer_name_with_markup_is_escaped_in_the_status_line():
    r = report(status=ReportStatus.TAKEN, taken_by_name="<i>Agus</i>", taken_at=T0)
    assert "<i>Agus</i>" in plain(alerts.status_line(r, tz=WIB))


def _labels_and_actions(rows):
    return [[(label, parse(data).action) for label, data in row] for row in rows]


def test_buttons_follow_the_status_and_the_photos_not_yet_shown():
    assert _labels_and_actions(alerts.keyboard(report(), alert_is_photo=False)) == [
        [("🙋 Tangani / Take", Action.TAKE)]
    ]
    with_photos = report(photo_count=3)
    assert _labels_and_actions(alerts.keyboard(with_photos, alert_is_photo=True)) == [
        [("🙋 Tangani / Take", Action.TAKE)], [("📷 Foto (2) / Photos", Action.PHOTOS)]
    ]
    assert _labels_and_actions(alerts.keyboard(with_photos, alert_is_photo=False))[1] == [
        ("📷 Foto (3) / Photos", Action.PHOTOS)
    ]
    assert len(alerts.keyboard(report(photo_count=1), alert_is_photo=True)) == 1
    taken = report(status=ReportStatus.TAKEN, taken_by_name="Agus", taken_at=T0)
    assert _labels_and_actions(alerts.keyboard(taken, alert_is_photo=False)) == [
        [("✅ Selesai / Resolved", Action.RESOLVE), ("⛔ Palsu / False", Action.FALSE_REPORT)],
        [("❓ Tanya pelapor / Ask reporter", Action.ASK)],
    ]
    # A walk-in's complainant has no Telegram chat: nobody to ask through the bot.
    taken_walk_in = report(status=ReportStatus.TAKEN, taken_by_name="Agus", taken_at=T0, channel="walk_in")
    assert _labels_and_actions(alerts.keyboard(taken_walk_in, alert_is_photo=False)) == [
        [("✅ Selesai / Resolved", Action.RESOLVE), ("⛔ Palsu / False", Action.FALSE_REPORT)]
    ]
    for closed in (ReportStatus.RESOLVED, ReportStatus.FALSE_REPORT):
        assert alerts.keyboard(report(status=closed, photo_count=3), alert_is_photo=False) == []
        assert alerts.markup([]) is None
    data = alerts.keyboard(report(), alert_is_photo=False)[0][0][1]
    assert parse(data).target_id == 42


def test_plain_fallback_is_escaped_unformatted_and_fits():
    r = report(description=(NASTY + "😀") * 400, address_text="<a href='x'>rumah</a>")
    for limit in (alerts.TEXT_LIMIT, alerts.CAPTION_LIMIT):
        markup = alerts.plain_alert(r, category_label="Izin <tinggal>", tz=WIB, limit=limit)
        parsed = parse_html(markup)
        assert parsed.entities == []
        assert utf16_len(parsed.text) <= limit
        assert "TNG-2026-000042" in parsed.text and NASTY in parsed.text
        assert "<a href='x'>rumah</a>" in parsed.text and "Izin <tinggal>" in parsed.text
        assert parsed.text.endswith("🆕 Baru")


@pytest.mark.parametrize(
    ("lang", "event", "expected"),
    [
        ("id", ReportStatus.TAKEN, "Laporan TNG-2026-000042 sedang ditangani petugas"),
        ("id", ReportStatus.RESOLVED, "telah selesai ditindaklanjuti. Terima kasih"),
        ("id", ReportStatus.FALSE_REPORT, "ditutup setelah pemeriksaan"),
        ("en", ReportStatus.TAKEN, "Your report TNG-2026-000042 is being handled by an officer"),
        ("en", ReportStatus.RESOLVED, "has been followed up and closed"),
        ("en", ReportStatus.FALSE_REPORT, "was closed after review"),
    ],
)
def test_resident_notifications_in_their_language_naming_no_officer(lang, event, expected):
    r = report(language=lang, taken_by_name="Agus", closed_by_name="Agus")
    text = plain(alerts.notify_text(r, event=event))
    assert expected in text
    assert "Agus" not in text
    # A false report is closed without accusing the resident.
    assert "palsu" not in text.lower() and "false" not in text.lower()


def test_no_notification_for_other_events():
    assert alerts.notify_text(report(), event="created") is None


def test_truncate_counts_utf16_and_marks_the_cut():
    assert alerts.truncate("abc", 3) == "abc"
    assert alerts.truncate("😀😀😀", 5) == "😀😀…"
    assert utf16_len(alerts.truncate("😀" * 10, 7)) <= 7


def test_extra_lines_go_after_the_reporter_and_before_the_status():
    text = plain(render(report(), extra_lines=["<i>Skor kepercayaan 0.83</i>", ""]))
    lines = text.splitlines()
    assert lines[-3:] == ["Skor kepercayaan 0.83", "", "🆕 Baru"]
    assert lines[-4].startswith("👤 Pelapor")
