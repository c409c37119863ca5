"""SLA deadlines and the texts of reminders and escalations (pure)."""

from __future__ import annotations

from datetime import datetime, timezone

from bot import sla
from bot.clock import WIB
from bot.config import SlaSection
from bot.fakeapi.htmlcheck import parse_html

T0 = datetime(2026, 3, 2, 2, 0, tzinfo=timezone.utc)


def test_deadlines_count_from_when_the_report_reached_the_group():
    remind, escalate = sla.deadlines(T0, SlaSection(remind_after_minutes=10, escalate_after_minutes=45))
    assert (remind - T0).total_seconds() == 600
    assert (escalate - T0).total_seconds() == 45 * 60


def test_escalation_must_come_after_the_reminder():
    import pytest
    from pydantic import ValidationError

    with pytest.raises(ValidationError, match="escalate_after_minutes must be above remind_after_minutes"):
        SlaSection(remind_after_minutes=30, escalate_after_minutes=30)


def test_the_reminder_mentions_the_officers_on_duty_with_links_that_notify_them():
    text = sla.reminder_text("id", number="TNG-2026-000001", waited_seconds=15 * 60,
                             on_duty=[sla.OnDuty(7_000_000_001, "Agus"), sla.OnDuty(7_000_000_002, "Bayu <b>")])
    assert text.startswith("⏰ Laporan <b>TNG-2026-000001</b> belum ditangani (15 mnt).\nPetugas jaga: ")
    assert '<a href="tg://user?id=7000000001">Agus</a>' in text
    # A name is the officer's own Telegram name: escaped, never markup.
    assert '<a href="tg://user?id=7000000002">Bayu &lt;b&gt;</a>' in text
    assert parse_html(text).text.endswith("Petugas jaga: Agus, Bayu <b>")


def test_without_anyone_on_duty_the_reminder_says_how_to_go_on_duty():
    text = sla.reminder_text("id", number="TNG-2026-000001", waited_seconds=900, on_duty=[])
    assert "Belum ada petugas jaga. Ketik /duty on untuk mulai bertugas." in text


def test_many_officers_on_duty_are_capped():
    crowd = [sla.OnDuty(1000 + i, f"Petugas {i}") for i in range(14)]
    text = sla.reminder_text("en", number="X", waited_seconds=900, on_duty=crowd)
    assert text.count("tg://user?id=") == sla.MAX_MENTIONS
    assert text.endswith("+4 more")


def test_the_escalation_names_the_report_and_links_to_a_supergroup_alert():
    link = sla.alert_link(-1001234567890, 42)
    assert link == "https://t.me/c/1234567890/42"
    text = sla.escalation_text(
        "id", number="TNG-2026-000007", category="Bekerja tanpa izin", area="Ciledug, Kota Tangerang",
        created_at=T0, waited_seconds=3600, on_duty=[sla.OnDuty(1, "Agus")], link=link, tz=WIB,
    )
    plain = parse_html(text).text
    assert plain.splitlines() == [
        "⚠️ Laporan TNG-2026-000007 belum ditangani selama 1 j.",
        "Bekerja tanpa izin · Ciledug, Kota Tangerang · masuk 02/03/2026 09:00 WIB",
        "Petugas jaga: Agus",
        "Buka laporan TNG-2026-000007 di grup",
    ]
    # Supervisors get names, not mention links (they are not the ones to be paged).
    assert "tg://user" not in text


def test_basic_groups_have_no_message_links():
    assert sla.alert_link(-123456, 42) is None
    assert sla.alert_link(-1001234567890, None) is None
