from datetime import datetime, timedelta, timezone

from bot.screening.resident import resident_reply
from bot.texts import t

NOW = datetime(2026, 3, 2, 2, 0, tzinfo=timezone.utc)


def reply(**kw):
    values = {"number": "TNG-2026-000009", "decision": "accept", "reasons": [], "incident_id": 9, "report_id": 9,
              "restricted_until": None, "now": NOW}
    values.update(kw)
    return resident_reply(**values)


def test_accepted_and_held_read_the_same():
    assert reply() == reply(decision="review", reasons=[{"key": "scr_r_photo_reused"}], incident_id=None)
    assert reply()[0] == "submitted"


def test_joined_an_open_case():
    key, values = reply(incident_id=3)
    assert key == "scr_resident_joined" and "joined an open case" in t("en", key, **values)


def test_refused_for_own_rate_says_why():
    assert reply(decision="reject", reasons=[{"key": "scr_r_rate_limited"}])[0] == "scr_resident_rate"


def test_refused_while_restricted_names_the_end():
    key, values = reply(decision="reject", reasons=[{"key": "scr_r_rate_limited"}],
                        restricted_until=NOW + timedelta(days=1))
    assert key == "scr_resident_restricted" and values == {"until": "03/03/2026 09:00 WIB"}


def test_refused_copy_gives_no_detail():
    key, values = reply(decision="reject", reasons=[{"key": "scr_r_exact_copy", "values": {"report": "X"}}])
    assert (key, values) == ("scr_resident_rejected", {})
    assert "X" not in t("id", key, **values)
