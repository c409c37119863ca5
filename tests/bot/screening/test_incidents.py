from datetime import timedelta

from bot.screening.facts import IncidentFacts
from bot.screening.incidents import find_incident, related
from tests.bot.screening.builders import HERE, NOW, cand, settings

S = settings()


def incident(i, *, metres_north=0.0, hours_ago=1.0, category="illegal_work", open_=True):
    return IncidentFacts(
        incident_id=i,
        primary_report_id=i,
        category=category,
        lat=HERE[0] + metres_north / 111_320,
        lon=HERE[1],
        last_report_at=NOW - timedelta(hours=hours_ago),
        report_count=1,
        open=open_,
    )


def test_related_categories():
    groups = S.related_categories
    assert related("overstay", "overstay", groups)
    assert related("overstay", "illegal_work", groups)
    assert not related("overstay", "public_order", groups)


def test_joins_the_nearest_open_incident():
    found = find_incident(cand(), [incident(1, metres_north=120), incident(2, metres_north=30)], S)
    assert found.incident_id == 2


def test_too_far_too_old_closed_or_unrelated_is_not_joined():
    assert find_incident(cand(), [incident(1, metres_north=200)], S) is None
    assert find_incident(cand(), [incident(1, hours_ago=49)], S) is None
    assert find_incident(cand(), [incident(1, open_=False)], S) is None
    assert find_incident(cand(), [incident(1, category="public_order")], S) is None


def test_related_category_joins():
    assert find_incident(cand(category="overstay"), [incident(1)], S).incident_id == 1


def test_unlocated_report_starts_nothing():
    assert find_incident(cand(lat=None, lon=None, location_source="text"), [incident(1)], S) is None


def test_radius_and_window_come_from_config():
    wide = settings(incident_radius_m=300, incident_window_hours=72)
    assert find_incident(cand(), [incident(1, metres_north=250, hours_ago=60)], wide).incident_id == 1


def test_incident_lines_count_and_newest_details():
    from datetime import datetime, timezone

    from bot.clock import WIB
    from bot.screening.incidents import incident_lines

    lines = incident_lines("id", count=3, newest_number="TNG-2026-000014",
                           newest_at=datetime(2026, 3, 2, 3, 0, tzinfo=timezone.utc), newest_area="Ciledug",
                           newest_description="Mereka <masih> di sana", tz=WIB)
    assert lines[0] == "📎 3 laporan / 3 reports"
    assert lines[1] == "Terbaru: <b>TNG-2026-000014</b> · 02/03/2026 10:00 WIB · Ciledug\n<i>Mereka &lt;masih&gt; di sana</i>"
    assert incident_lines("en", count=2, newest_number=None, newest_at=None, newest_area=None,
                          newest_description=None, tz=WIB) == ["📎 2 laporan / 2 reports"]
