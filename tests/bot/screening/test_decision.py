from datetime import timedelta

from bot.screening.decision import decide, rank, render_reasons, score_line
from bot.screening.facts import Outcome, Signal, TextPeer
from bot.screening.text import normalize
from tests.bot.screening.builders import NOW, cand, ctx, reporter, settings

S = settings()


def test_plain_concrete_report_from_a_newcomer_is_accepted():
    d = decide(cand(), ctx(), S)
    assert d.outcome == Outcome.ACCEPT and d.score == S.base_score and d.reasons == ()


def test_score_is_base_plus_contributions():
    d = decide(cand(location_source="live", accuracy_m=10), ctx(reporter=reporter(phone_verified=True)), S)
    assert d.score == round(S.base_score + S.weights.live_location + S.weights.phone_verified, 2)
    assert d.outcome == Outcome.ACCEPT


def test_score_is_clipped_to_zero_and_one():
    bad = cand(description="asdfgh qwrtkl zxcvbnm", seconds_to_complete=3, location_source="forwarded",
               photos=[("a", None, True)])
    assert decide(bad, ctx(reporter=reporter(false_reports=9)), S).score == 0.0
    great = cand(channel="walk_in", location_source="live", accuracy_m=5, photos=[("a", None, False)])
    assert decide(great, ctx(reporter=reporter(phone_verified=True, confirmed=20)), S).score == 1.0


def test_doubtful_goes_to_review_never_reject():
    d = decide(cand(description="Ada orang asing mencurigakan, tolong dicek"), ctx(), S)
    assert d.outcome == Outcome.REVIEW
    assert d.reasons[0].name == "vague"


def test_review_floor_holds_a_high_score():
    c = cand(description="Dasar cina babi kerja di pabrik Jl. Melati No. 5", location_source="live", accuracy_m=5)
    d = decide(c, ctx(reporter=reporter(phone_verified=True, confirmed=5)), S)
    assert d.score >= S.accept_threshold and d.outcome == Outcome.REVIEW
    assert d.reasons[0].name == "slur"


def test_reject_only_for_clear_abuse():
    d = decide(cand(), ctx(reporter=reporter(reports_last_hour=3, reports_last_day=3)), S)
    assert d.outcome == Outcome.REJECT and d.rate_limited and d.reasons[0].name == "rate_limited"
    story = cand().description
    copy = decide(cand(), ctx(texts=[TextPeer(5, 2, normalize(story))]), S)
    assert copy.outcome == Outcome.REJECT and copy.has("exact_copy")


def test_walk_in_is_never_rejected():
    story = cand().description
    d = decide(cand(channel="walk_in"), ctx(texts=[TextPeer(5, 2, normalize(story))]), S)
    assert d.outcome == Outcome.REVIEW


def test_restrict_on_the_nth_rate_strike():
    over = reporter(reports_last_hour=5, reports_last_day=5)
    assert not decide(cand(), ctx(reporter=over), S).restrict
    again = reporter(reports_last_hour=5, reports_last_day=5, rate_strikes=1)
    assert decide(cand(), ctx(reporter=again), S).restrict


def test_restricted_reporter_is_rejected_whatever_the_score():
    until = NOW + timedelta(days=7)
    d = decide(cand(location_source="live", accuracy_m=5), ctx(reporter=reporter(restricted_until=until)), S)
    assert d.outcome == Outcome.REJECT and d.reasons[0].name == "restricted"


def test_thresholds_come_from_config():
    strict = settings(accept_threshold=0.65)
    assert decide(cand(), ctx(), strict).outcome == Outcome.REVIEW
    lenient = settings(weights={"vague": -0.05})
    assert decide(cand(description="Ada orang asing mencurigakan, tolong dicek"), ctx(), lenient).outcome == Outcome.ACCEPT


def test_disabled_screening_accepts_everything():
    d = decide(cand(description="asdf qwer zxcv"), ctx(reporter=reporter(reports_last_hour=50)), settings(enabled=False))
    assert d.outcome == Outcome.ACCEPT and d.reasons == ()


def test_rank_puts_floors_then_what_pushed_the_outcome():
    a = Signal("phone", 0.1, "k1")
    b = Signal("vague", -0.25, "k2")
    c = Signal("copy", -0.35, "k3", floor=Outcome.REVIEW)
    assert [s.name for s in rank([a, b, c], Outcome.REVIEW)] == ["copy", "vague", "phone"]
    assert [s.name for s in rank([a, b], Outcome.ACCEPT)] == ["phone", "vague"]


def test_reasons_render_in_both_languages():
    d = decide(cand(seconds_to_complete=5), ctx(reporter=reporter(phone_verified=True)), S)
    stored = d.reason_dicts()
    assert stored[0]["key"] == "scr_r_too_fast" and stored[0]["values"]["seconds"] == 5
    en = render_reasons("en", stored, limit=2)
    id_ = render_reasons("id", stored, limit=2)
    assert en[0].startswith("whole report") and "5 seconds" in en[0]
    assert "5 detik" in id_[0] and len(en) == 2


def test_restriction_reason_shows_local_time():
    d = decide(cand(), ctx(reporter=reporter(restricted_until=NOW + timedelta(days=1))), S)
    assert render_reasons("en", d.reason_dicts(), limit=1) == ["reporter restricted until 03/03/2026 09:00 WIB"]


def test_score_line_has_score_and_top_two_reasons_escaped():
    reasons = [
        {"key": "scr_r_near_duplicate", "values": {"report": "<b>X</b>", "similarity": 93}},
        {"key": "scr_r_phone_verified", "values": {}},
        {"key": "scr_r_own_photo", "values": {"count": 1}},
    ]
    line = score_line("en", 0.42, reasons, limit=2)
    assert line.startswith("Trust score 0.42 · ")
    assert "&lt;b&gt;X&lt;/b&gt;" in line and "phone number verified" in line and "photo" not in line
    assert score_line("id", None, reasons, limit=2) == ""


def test_attempts_while_restricted_do_not_escalate():
    who = reporter(reports_last_hour=9, reports_last_day=9, rate_strikes=5, restricted_until=NOW + timedelta(hours=3))
    d = decide(cand(), ctx(reporter=who), S)
    assert d.outcome == Outcome.REJECT and not d.restrict
