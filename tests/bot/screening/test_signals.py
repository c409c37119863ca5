"""Every signal, alone, on hand-made facts: what it says, and when it stays silent."""

from datetime import timedelta

from bot.screening import signals as sg
from bot.screening.facts import IncidentFacts, Outcome, PhotoFacts, PhotoPeer, TextPeer
from bot.screening.text import normalize
from tests.bot.screening.builders import HERE, NOW, cand, ctx, other, reporter, settings

S = settings()


# --- reporter: restriction, rate, verification, reputation ---


def test_restricted_reporter_is_refused_until_the_end():
    sig = sg.restriction(cand(), ctx(reporter=reporter(restricted_until=NOW + timedelta(days=1))), S)
    assert sig.floor == Outcome.REJECT and sig.reason_key == "scr_r_restricted"
    assert sg.restriction(cand(), ctx(reporter=reporter(restricted_until=NOW - timedelta(seconds=1))), S) is None


def test_walk_in_is_never_restricted():
    c = cand(channel="walk_in")
    assert sg.restriction(c, ctx(reporter=reporter(restricted_until=NOW + timedelta(days=1))), S) is None


def test_rate_over_the_hourly_count_is_refused():
    sig = sg.rate(cand(), ctx(reporter=reporter(reports_last_hour=3, reports_last_day=3)), S)
    assert sig.name == "rate_limited" and sig.floor == Outcome.REJECT
    assert sig.values == {"hour": 4, "day": 4}


def test_rate_over_the_daily_count_is_refused():
    sig = sg.rate(cand(), ctx(reporter=reporter(reports_last_hour=0, reports_last_day=6)), S)
    assert sig.name == "rate_limited"


def test_rate_last_allowed_report_costs_a_little():
    sig = sg.rate(cand(), ctx(reporter=reporter(reports_last_hour=2, reports_last_day=2)), S)
    assert sig.name == "rate_high" and sig.contribution < 0 and sig.floor is None


def test_rate_silent_for_ordinary_use_and_for_walk_ins():
    assert sg.rate(cand(), ctx(reporter=reporter(reports_last_hour=1, reports_last_day=1)), S) is None
    busy = ctx(reporter=reporter(reports_last_hour=30, reports_last_day=30))
    assert sg.rate(cand(channel="walk_in"), busy, S) is None


def test_verified_phone_helps_and_no_phone_costs_nothing():
    assert sg.verification(cand(), ctx(reporter=reporter(phone_verified=True)), S).contribution == 0.1
    assert sg.verification(cand(), ctx(), S) is None


def test_walk_in_starts_trusted():
    sig = sg.verification(cand(channel="walk_in"), ctx(), S)
    assert sig.name == "walk_in" and sig.contribution == S.weights.walk_in


def test_newcomer_has_no_reputation_either_way():
    assert sg.reputation(cand(), ctx(), S) is None


def test_reputation_rises_with_confirmed_and_falls_with_false_reports():
    good = sg.reputation(cand(), ctx(reporter=reporter(confirmed=3)), S)
    bad = sg.reputation(cand(), ctx(reporter=reporter(false_reports=3)), S)
    assert good.contribution > 0 and good.reason_key == "scr_r_reputation_good"
    assert bad.contribution < 0 and bad.reason_key == "scr_r_reputation_bad"
    # The prior keeps one outcome from swinging it far.
    one = sg.reputation(cand(), ctx(reporter=reporter(false_reports=1)), S)
    assert -0.1 < one.contribution < 0


# --- text ---


def test_vague_text_is_flagged():
    sig = sg.vagueness(cand(description="Ada orang asing mencurigakan di sini, tolong dicek"), ctx(), S)
    assert sig.name == "vague" and sig.contribution < 0 and sig.floor is None


def test_short_but_concrete_is_not_vague():
    assert sg.vagueness(cand(description="3 WNA kerja di pabrik Jl. Melati 5"), ctx(), S) is None


def test_gibberish_goes_to_review():
    sig = sg.gibberish(cand(description="asdfgh qwrtkl zxcvbnm plkjhg"), ctx(), S)
    assert sig.floor == Outcome.REVIEW
    assert sg.gibberish(cand(), ctx(), S) is None


def test_slur_goes_to_review():
    sig = sg.slurs(cand(description="Dasar cina babi di Jl. Melati No. 5, usir saja"), ctx(), S)
    assert sig.floor == Outcome.REVIEW and sig.reason_key == "scr_r_slur"
    assert sg.slurs(cand(), ctx(), S) is None


STORY = "Tiga WNA asal Korea bekerja sebagai tukang las di bengkel Jl. Kenanga No. 12 setiap hari sejak Januari"


def test_exact_copy_of_another_account_is_refused():
    peers = [TextPeer(report_id=7, reporter_id=2, text=normalize(STORY), number="TNG-2026-000007")]
    sig = sg.copy_paste(cand(description=STORY), ctx(texts=peers), S)
    assert sig.name == "exact_copy" and sig.floor == Outcome.REJECT
    assert sig.values["report"] == "TNG-2026-000007"


def test_edited_copy_of_another_account_goes_to_review():
    peers = [TextPeer(report_id=7, reporter_id=2, text=normalize(STORY))]
    sig = sg.copy_paste(cand(description=STORY + " Tolong segera!"), ctx(texts=peers), S)
    assert sig.name == "near_duplicate" and sig.floor == Outcome.REVIEW and sig.values["similarity"] >= 88


def test_own_resend_goes_to_review_not_refused():
    peers = [TextPeer(report_id=7, reporter_id=1, text=normalize(STORY))]
    sig = sg.copy_paste(cand(description=STORY), ctx(texts=peers), S)
    assert sig.name == "own_duplicate" and sig.floor == Outcome.REVIEW


def test_different_wording_of_the_same_event_is_not_a_copy():
    witness = "Di bengkel las Kenanga 12 ada orang Korea, tiga orang, kerja ngelas tiap hari dari pagi"
    peers = [TextPeer(report_id=7, reporter_id=2, text=normalize(STORY))]
    assert sg.copy_paste(cand(description=witness), ctx(texts=peers), S) is None


# --- photos ---


def test_same_file_from_another_account_is_reuse():
    c = cand(photos=[("AgADsame", None, False)])
    peers = [PhotoPeer(report_id=9, reporter_id=2, file_unique_id="AgADsame", phash=None, number="TNG-2026-000009")]
    sig = sg.photo_reuse(c, ctx(photos=peers), S)
    assert sig.reason_key == "scr_r_photo_reused" and sig.floor == Outcome.REVIEW


def test_reencoded_copy_is_reuse():
    c = cand(photos=[("AgADnew", "ffff0000ffff0000", False)])
    peers = [PhotoPeer(report_id=9, reporter_id=2, file_unique_id="AgADold", phash="ffff0000ffff0003")]
    sig = sg.photo_reuse(c, ctx(photos=peers), S)
    assert sig.reason_key == "scr_r_photo_reencoded"


def test_own_photo_again_about_the_same_spot_is_a_follow_up():
    c = cand(photos=[("AgADmine", None, False)])
    peers = [PhotoPeer(report_id=9, reporter_id=1, file_unique_id="AgADmine", phash=None, lat=HERE[0], lon=HERE[1])]
    assert sg.photo_reuse(c, ctx(photos=peers), S) is None
    elsewhere = [PhotoPeer(report_id=9, reporter_id=1, file_unique_id="AgADmine", phash=None, lat=-6.3, lon=106.7)]
    assert sg.photo_reuse(c, ctx(photos=elsewhere), S) is not None


def test_different_photos_are_not_reuse():
    c = cand(photos=[("AgADa", "ffff0000ffff0000", False)])
    peers = [PhotoPeer(report_id=9, reporter_id=2, file_unique_id="AgADb", phash="0000ffff0000ffff")]
    assert sg.photo_reuse(c, ctx(photos=peers), S) is None


def test_forwarded_photo_costs_and_own_photo_helps():
    c = cand(photos=[PhotoFacts("a", None, True), PhotoFacts("b", None, False)])
    assert sg.photo_forwarded(c, ctx(), S).values == {"count": 1}
    assert sg.own_photo(c, ctx(), S).values == {"count": 1}
    assert sg.photo_forwarded(cand(), ctx(), S) is None and sg.own_photo(cand(), ctx(), S) is None


def test_reused_photo_is_not_counted_as_own():
    c = cand(photos=[("AgADsame", None, False)])
    peers = [PhotoPeer(report_id=9, reporter_id=2, file_unique_id="AgADsame", phash=None)]
    assert sg.own_photo(c, ctx(photos=peers), S) is None


# --- location ---


def test_live_fix_with_good_accuracy_is_strongest():
    sig = sg.location_provenance(cand(location_source="live", accuracy_m=12), ctx(), S)
    assert sig.reason_key == "scr_r_live_location" and sig.values == {"accuracy": 12}


def test_gps_fix_helps_less():
    sig = sg.location_provenance(cand(location_source="gps", accuracy_m=30), ctx(), S)
    assert sig.reason_key == "scr_r_gps_location" and 0 < sig.contribution < S.weights.live_location


def test_hand_pin_is_neutral():
    assert sg.location_provenance(cand(location_source="pin"), ctx(), S) is None


def test_forwarded_location_and_typed_address_cost():
    assert sg.location_provenance(cand(location_source="forwarded"), ctx(), S).contribution < 0
    typed = cand(lat=None, lon=None, location_source="text", address_text="Jl. Melati 5")
    assert sg.location_provenance(typed, ctx(), S).reason_key == "scr_r_typed_address"


def test_poor_accuracy_costs():
    assert sg.accuracy(cand(location_source="gps", accuracy_m=2500), ctx(), S).values == {"accuracy": 2500}
    assert sg.accuracy(cand(location_source="gps", accuracy_m=40), ctx(), S) is None


def test_outside_jurisdiction_goes_to_review():
    assert sg.jurisdiction(cand(in_jurisdiction=False), ctx(), S).floor == Outcome.REVIEW
    assert sg.jurisdiction(cand(in_jurisdiction=None), ctx(), S) is None


# --- behaviour ---


def test_conversation_in_seconds_is_too_fast():
    assert sg.speed(cand(seconds_to_complete=8), ctx(), S).values["seconds"] == 8


def test_long_text_pasted_in_seconds_is_too_fast():
    long_text = "x " * 200  # 400 characters in 30 s is over 6 per second
    assert sg.speed(cand(description=long_text, seconds_to_complete=30), ctx(), S) is not None
    assert sg.speed(cand(description=long_text, seconds_to_complete=120), ctx(), S) is None


def test_speed_silent_for_walk_ins_and_unknown_times():
    assert sg.speed(cand(channel="walk_in", seconds_to_complete=2), ctx(), S) is None
    assert sg.speed(cand(seconds_to_complete=None), ctx(), S) is None


def _new_accounts(n, *, evidence):
    src = "gps" if evidence else "pin"
    return [other(report_id=60 + i, reporter_id=10 + i, location_source=src, own_photos=0) for i in range(n)]


def test_burst_of_new_accounts_goes_to_review():
    sig = sg.new_account_burst(cand(location_source="gps"), ctx(nearby=_new_accounts(3, evidence=True)), S)
    assert sig.floor == Outcome.REVIEW and sig.values["accounts"] == 4


def test_three_witnesses_with_evidence_are_not_a_burst():
    assert sg.new_account_burst(cand(location_source="gps"), ctx(nearby=_new_accounts(2, evidence=True)), S) is None


def test_three_bare_new_accounts_are_a_burst():
    sig = sg.new_account_burst(cand(location_source="pin"), ctx(nearby=_new_accounts(2, evidence=False)), S)
    assert sig is not None and sig.values["accounts"] == 3


def test_burst_ignores_established_reporters_and_old_reports():
    old = [other(report_id=70 + i, reporter_id=20 + i, created_at=NOW - timedelta(hours=7)) for i in range(5)]
    assert sg.new_account_burst(cand(), ctx(nearby=old), S) is None
    known = ctx(reporter=reporter(phone_verified=True), nearby=_new_accounts(5, evidence=False))
    assert sg.new_account_burst(cand(), known, S) is None


def test_shared_pin_from_another_account():
    twin = other(lat=HERE[0], lon=HERE[1], location_source="pin", distance_m=0.0)
    assert sg.shared_pin(cand(location_source="pin"), ctx(nearby=[twin]), S).values["report"] == "TNG-2026-000050"
    assert sg.shared_pin(cand(location_source="gps"), ctx(nearby=[twin]), S) is None
    venue = other(lat=HERE[0], lon=HERE[1], location_source="venue", distance_m=0.0)
    assert sg.shared_pin(cand(location_source="pin"), ctx(nearby=[venue]), S) is None


def test_same_reporter_same_place_again_goes_to_review():
    before = other(reporter_id=1, created_at=NOW - timedelta(days=3), distance_m=20.0, status="new")
    sig = sg.repeat_target(cand(), ctx(nearby=[before]), S)
    assert sig.floor == Outcome.REVIEW and sig.values["count"] == 2


def test_repeat_after_a_confirmed_report_is_a_follow_up():
    confirmed = other(reporter_id=1, created_at=NOW - timedelta(days=3), distance_m=20.0, status="resolved")
    assert sg.repeat_target(cand(), ctx(nearby=[confirmed]), S) is None


def test_repeat_ignores_other_places_and_other_reporters():
    far = other(reporter_id=1, created_at=NOW - timedelta(days=3), distance_m=140.0)
    someone = other(reporter_id=2, created_at=NOW - timedelta(days=3), distance_m=10.0)
    assert sg.repeat_target(cand(), ctx(nearby=[far, someone]), S) is None


# --- independent witnesses ---


def test_independent_witnesses_raise_the_score():
    w1 = other(reporter_id=2, description="Dua orang Korea kerja ngelas di bengkel Kenanga tiap hari")
    w2 = other(report_id=51, reporter_id=3, description="Bengkel las di Jl Kenanga pekerjanya orang asing, 3 orang")
    sig = sg.witnesses(cand(description=STORY), ctx(nearby=[w1, w2]), S)
    assert sig.values == {"count": 2} and sig.contribution == S.weights.witness_max


def test_copies_shared_photos_and_held_reports_are_not_witnesses():
    copy = other(reporter_id=2, description=STORY)
    shared = other(reporter_id=3, description="Orang asing kerja las di bengkel", photo_uids=("AgADx",))
    held = other(reporter_id=4, description="Pekerja Korea di bengkel las itu, sudah lama", status="held")
    bare = other(reporter_id=5, description="Ada pekerja asing di bengkel las Kenanga", location_source="pin", own_photos=0)
    c = cand(description=STORY, photos=[("AgADx", None, False)])
    assert sg.witnesses(c, ctx(nearby=[copy, shared, held, bare]), S) is None


def test_witness_of_an_unrelated_category_does_not_count():
    w = other(reporter_id=2, category="public_order", description="Orang asing ribut tiap malam di bengkel")
    assert sg.witnesses(cand(category="illegal_work"), ctx(nearby=[w]), S) is None
    assert sg.witnesses(cand(category="overstay"), ctx(nearby=[other(reporter_id=2)]), S) is not None


def test_every_signal_is_registered():
    names = {fn.__name__ for fn in sg.SIGNALS}
    assert {"restriction", "rate", "copy_paste", "photo_reuse", "new_account_burst", "repeat_target", "witnesses"} <= names


def test_incident_facts_are_plain():  # a guard against facts growing database handles
    inc = IncidentFacts(1, 1, "overstay", HERE[0], HERE[1], NOW, 1)
    assert inc.open
