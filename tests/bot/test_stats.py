"""Supervisors' statistics, the pure part: periods in WIB turned into UTC bounds, durations a person
reads at a glance, and the message itself."""

from __future__ import annotations

from datetime import datetime, timezone
from zoneinfo import ZoneInfo

import pytest

from bot import stats
from bot.config import Config
from storage.stats import Percentiles, PeriodStats

WIB = ZoneInfo("Asia/Jakarta")


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=timezone.utc)


def config() -> Config:
    return Config.model_validate({"officers": {"group_chat_id": -100123}})


def test_periods_are_calendar_days_in_jakarta_as_utc_bounds():
    # 2026-03-02 18:30 UTC is already 3 March, 01:30 WIB: "today" is 3 March in Tangerang.
    result = {p.key: p for p in stats.periods(utc(2026, 3, 2, 18, 30), WIB)}
    assert list(result) == ["today", "7d", "30d", "all"]
    assert (result["today"].since, result["today"].until) == (utc(2026, 3, 2, 17, 0), utc(2026, 3, 3, 17, 0))
    assert result["7d"].since == utc(2026, 2, 24, 17, 0)  # 25 Feb 00:00 WIB: 7 days with today
    assert result["30d"].since == utc(2026, 2, 1, 17, 0)  # 2 Feb 00:00 WIB
    assert result["7d"].until == result["30d"].until == result["today"].until
    assert (result["all"].since, result["all"].until) == (None, None)


@pytest.mark.parametrize(
    "seconds, id_text, en_text",
    [
        (None, "—", "—"),
        (0, "0 dtk", "0 s"),
        (45, "45 dtk", "45 s"),
        (60, "1 mnt", "1 min"),
        (4 * 60 + 59, "4 mnt", "4 min"),
        (3600, "1 j", "1 h"),
        (3600 + 12 * 60 + 30, "1 j 12 mnt", "1 h 12 min"),
        (86400, "1 hari", "1 d"),
        (2 * 86400 + 3 * 3600 + 59 * 60, "2 hari 3 j", "2 d 3 h"),
    ],
)
def test_durations_read_like_a_person_writes_them(seconds, id_text, en_text):
    assert stats.format_duration(seconds, "id") == id_text
    assert stats.format_duration(seconds, "en") == en_text


def sample() -> PeriodStats:
    return PeriodStats(
        total=7,
        by_status={"new": 2, "taken": 1, "resolved": 3, "false_report": 1},
        by_category={"overstay": 4, "illegal_work": 2, "gone_code": 1},
        to_taken=Percentiles(median=240, p90=4320, count=5),
        to_resolved=Percentiles(median=None, p90=None, count=0),
    )


def test_message_shows_every_period_with_statuses_categories_and_times_in_indonesian():
    now = utc(2026, 3, 2, 2, 0)
    results = [(p, sample()) for p in stats.periods(now, WIB)]
    text = stats.render("id", results, config=config(), now=now, tz=WIB)
    assert "02/03/2026 09:00 WIB" in text
    for title in ("Hari ini", "7 hari terakhir", "30 hari terakhir", "Semua waktu"):
        assert f"<b>{title}</b>: 7 laporan" in text
    assert "Status: baru 2 · ditangani 1 · selesai 3 · laporan palsu 1" in text
    # Labels from the config; a code no longer configured still shows, as its code.
    assert "Kategori: Izin tinggal habis / overstay 4 · Bekerja tanpa izin 2 · gone_code 1" in text
    assert "Sampai ditangani: median 4 mnt, p90 1 j 12 mnt (dari 5)" in text
    assert "Sampai selesai: median —, p90 — (dari 0)" in text
    assert len(text) < 4096


def test_message_in_english_and_category_labels_escaped():
    cfg = Config.model_validate(
        {
            "officers": {"group_chat_id": -100123},
            "intake": {"categories": [{"code": "odd", "id": "A <b> & c", "en": "Tags <i>"}]},
        }
    )
    now = utc(2026, 3, 2, 2, 0)
    block = stats.render_period("en", "7d", PeriodStats(total=1, by_category={"odd": 1}), cfg)
    assert block.startswith("<b>Last 7 days</b>: 1 reports")
    assert "Categories: Tags &lt;i&gt; 1" in block
    assert "To taken: median —, p90 — (of 0)" in block
    assert "as of 02/03/2026 09:00 WIB" in stats.render("en", [], config=cfg, now=now, tz=WIB)


def test_held_and_rejected_show_only_when_some_report_has_them():
    counts = {"new": 1, "taken": 0, "resolved": 0, "false_report": 0, "held": 2, "rejected": 0}
    block = stats.render_period("id", "today", PeriodStats(total=3, by_status=counts), config())
    assert "Status: baru 1 · ditangani 0 · selesai 0 · laporan palsu 0 · ditahan untuk diperiksa 2\n" in block
    english = stats.render_period("en", "today", PeriodStats(total=3, by_status=counts | {"rejected": 1}), config())
    assert "false report 0 · held for review 2 · rejected 1\n" in english
    assert "held" not in stats.render_period("en", "today", PeriodStats(total=1, by_status={"new": 1}), config())


def test_many_categories_are_summarised_after_the_first_few():
    by_category = {f"c{i:02d}": 20 - i for i in range(12)}
    block = stats.render_period("id", "all", PeriodStats(total=1, by_category=by_category), config())
    assert "c07 13" in block and "c08" not in block
    # c08..c11: 12 + 11 + 10 + 9 reports in 4 more categories.
    assert block.count(" · ") == 3 + stats.MAX_CATEGORIES
    assert "4 kategori lain 42" in block
