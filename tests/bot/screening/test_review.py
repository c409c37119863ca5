from datetime import datetime, timezone

from bot.screening.review import REJECT_REASONS, excerpt, reject_reason_label, review_item


def test_review_item_is_compact_escaped_and_localized():
    text = review_item(
        "en",
        number="TNG-2026-000012",
        category="Working without a permit",
        area="Ciledug, Kota Tangerang",
        score=0.35,
        created_at=datetime(2026, 3, 2, 2, 0, tzinfo=timezone.utc),
        alias="P-7F3A2C",
        reasons=[{"key": "scr_r_photo_reused", "values": {"report": "TNG-2026-000003"}},
                 {"key": "scr_r_vague", "values": {}}, {"key": "scr_r_own_photo", "values": {"count": 1}}],
        description="<script>x</script> " + "a" * 400,
        limit=2,
    )
    assert text.startswith("<b>TNG-2026-000012</b> · Working without a permit · Ciledug")
    assert "Score 0.35 · 02/03/2026 09:00 WIB · reporter P-7F3A2C" in text
    assert "• the same photo was already used in report TNG-2026-000003\n• too vague" in text
    assert "of the reporter's own" not in text  # only the top two
    assert "&lt;script&gt;" in text and "<script>" not in text and text.rstrip("</i>").endswith("…")


def test_indonesian_item():
    text = review_item("id", number="N", category="C", area=None, score=None,
                       created_at=datetime(2026, 3, 2, 2, 0, tzinfo=timezone.utc), alias="P-1",
                       reasons=[], description="d", limit=3)
    assert "Skor — · 02/03/2026 09:00 WIB · pelapor P-1" in text and " · —\n" in text


def test_excerpt_collapses_whitespace_and_cuts():
    assert excerpt("a\n\n b   c") == "a b c"
    assert len(excerpt("x" * 1000, 50)) == 50


def test_reject_reasons_have_labels_in_both_languages():
    for code in REJECT_REASONS:
        assert reject_reason_label("id", code) != reject_reason_label("en", code)


def test_who_may_review():
    from bot.screening.review import may_review

    assert may_review(9, supervisor_ids=[9], officer_ids=[], officers_too=False)
    assert not may_review(7, supervisor_ids=[9], officer_ids=[7], officers_too=False)
    assert may_review(7, supervisor_ids=[9], officer_ids=[7], officers_too=True)
    assert not may_review(5, supervisor_ids=[9], officer_ids=[], officers_too=True)  # empty list: nobody extra


def test_parse_ref():
    from bot.screening.review import parse_ref, short_number

    assert parse_ref(["TNG-2026-000012", "spam", "again"]) == ("TNG-2026-000012", "spam again")
    assert parse_ref(["P-7F3A2C"]) == ("P-7F3A2C", None)
    assert parse_ref([]) is None and parse_ref(["x" * 41]) is None
    assert short_number("TNG-2026-000012") == "000012"
