"""Item 7: `sipoa health` (bot/health.py) fails when the dispatcher stopped beating or a message has
waited too long in the outbox; and `sipoa run` logs one structured line per report transition,
never naming the reporter."""

from __future__ import annotations

import asyncio
import logging
import re
from datetime import timedelta

from bot import health
from bot.callbacks import Action
from storage.outbox import OutboxKind, enqueue
from tests.conftest import GROUP_ID, OFFICER_ID, RESIDENT_ID, make_config
from tests.e2e.conftest import bot_process, fake_server  # noqa: F401  (fixtures)
from tests.reliability.support import POINTS, Resident, description_for, officer_press, settle

LIMIT = timedelta(minutes=10)


def test_judge_healthy_with_a_fresh_heartbeat_and_a_young_queue(clock):
    now = clock()
    ok = health.judge(now=now, heartbeat=now - timedelta(seconds=4), pending=0, oldest=None, max_outbox_age=LIMIT)
    assert ok.ok and ok.line == "OK: dispatcher alive (heartbeat 4 s ago), outbox empty"
    busy = health.judge(now=now, heartbeat=now, pending=3, oldest=timedelta(minutes=9), max_outbox_age=LIMIT)
    assert busy.ok and busy.line.endswith("3 waiting, oldest 9 min")


def test_judge_fails_on_a_silent_dispatcher_or_an_old_message(clock):
    now = clock()
    never = health.judge(now=now, heartbeat=None, pending=0, oldest=None, max_outbox_age=LIMIT)
    assert not never.ok and "never ran" in never.line
    stuck = health.judge(now=now, heartbeat=now - timedelta(minutes=5), pending=0, oldest=None, max_outbox_age=LIMIT)
    assert not stuck.ok and "last heartbeat is 5 min old" in stuck.line and "stuck" in stuck.line
    old = health.judge(now=now, heartbeat=now, pending=2, oldest=timedelta(minutes=11), max_outbox_age=LIMIT)
    assert not old.ok and "2 message(s) wait in the outbox, the oldest for 11 min (limit 10 min)" in old.line
    assert "\n" not in old.line


async def test_the_running_loop_beats_and_a_stopped_one_goes_unhealthy(h):
    dispatcher = h.services.background["dispatcher"]
    dispatcher.start()
    try:
        for _ in range(200):
            await asyncio.sleep(0.01)
            result = await health.check(h.services.config, now=h.now())
            if result.ok:
                break
        assert result.ok, result.line
    finally:
        await dispatcher.stop()
    h.clock.advance(seconds=health.HEARTBEAT_SECONDS * health.MISSED_BEATS + 1)
    result = await health.check(h.services.config, now=h.now())
    assert not result.ok and "heartbeat" in result.line


async def test_a_message_waiting_too_long_fails_the_check(h):
    await health.record_heartbeat(h.services)
    async with h.services.db.transaction() as s:
        await enqueue(s, kind=OutboxKind.TEXT, chat_id=RESIDENT_ID, now=h.now(), payload={"text": "x"})
    h.clock.advance(minutes=3)
    await health.record_heartbeat(h.services)
    assert (await health.check(h.services.config, now=h.now())).ok
    h.clock.advance(minutes=8)
    await health.record_heartbeat(h.services)
    result = await health.check(h.services.config, now=h.now())
    assert not result.ok and "1 message(s) wait in the outbox, the oldest for 11 min" in result.line
    await h.drain()
    assert (await health.check(h.services.config, now=h.now())).ok


def test_run_reports_an_unreadable_database_as_unhealthy(tmp_path):
    config = make_config(tmp_path, database_url="postgresql+asyncpg://nobody@127.0.0.1:1/nothing")
    code, line = health.run(config)
    assert code == health.EXIT_UNHEALTHY and line.startswith("UNHEALTHY: the database cannot be read")


async def test_one_log_line_per_transition_and_never_the_reporter(h, caplog):
    caplog.set_level(logging.INFO)
    number = await Resident(h, RESIDENT_ID).report(point=POINTS[0], description=description_for(1))
    await settle(h)
    await officer_press(h, OFFICER_ID, GROUP_ID, number, Action.TAKE)
    await officer_press(h, OFFICER_ID, GROUP_ID, number, Action.TAKE)  # pressed twice: no transition
    await settle(h)
    await officer_press(h, OFFICER_ID, GROUP_ID, number, Action.RESOLVE)
    await settle(h)
    lines = [r.getMessage() for r in caplog.records if "event=report_transition" in r.getMessage()]
    assert lines == [
        f"event=report_transition report={number} action=created from=- to=new actor=resident",
        f"event=report_transition report={number} action=taken from=new to=taken actor=officer:{OFFICER_ID}",
        f"event=report_transition report={number} action=resolved from=taken to=resolved actor=officer:{OFFICER_ID}",
    ]
    everything = "\n".join(r.getMessage() for r in caplog.records)
    assert not re.search(rf"{RESIDENT_ID}|Budi|budi_warga", everything)


async def test_a_rolled_back_transition_is_not_logged(h, caplog):
    from storage import report_actions
    from tests import factories

    caplog.set_level(logging.INFO)
    async with h.services.db.transaction() as s:
        report = await factories.report_with_alert(s, group_chat_id=GROUP_ID, now=h.now(), telegram_id=RESIDENT_ID)
    try:
        async with h.services.db.transaction() as s:
            await report_actions.take(s, report_id=report.id, officer_id=OFFICER_ID, officer_name="Agus",
                                      now=h.now(), group_chat_id=GROUP_ID)
            raise RuntimeError("the transaction fails after the change")
    except RuntimeError:
        pass
    assert not [r for r in caplog.records if "event=report_transition" in r.getMessage()]


def test_sipoa_health_against_a_running_bot_process(tmp_path, fake_server, bot_process):
    """The real `sipoa run` beats; `sipoa health` (its own process, the same config) says OK, and
    UNHEALTHY once a message has waited too long in the outbox."""
    import subprocess
    import sys

    from tests.e2e.conftest import ROOT, wait_for

    proc = bot_process(dispatcher={"health_max_outbox_age_minutes": 1}).start()

    def health() -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "bot", "health", "--config", str(proc.config_path)], cwd=ROOT,
                              capture_output=True, text=True, timeout=60)

    ok = wait_for(lambda: (r := health()).returncode == 0 and r, timeout=30, what="a healthy bot", proc=proc)
    assert ok.stdout.startswith("OK: dispatcher alive") and ok.stdout.count("\n") == 1
    # A message queued two minutes ago whose next try is an hour away (a long backoff): too old.
    import sqlite3

    conn = sqlite3.connect(proc.db_path, timeout=10)
    with conn:
        conn.execute(
            "INSERT INTO outbox (kind, chat_id, payload, status, attempts, next_attempt_at, created_at)"
            " VALUES ('text', 1, '{}', 'pending', 0, datetime('now', '+1 hour'), datetime('now', '-2 minutes'))")
    conn.close()
    bad = health()
    assert bad.returncode == 1 and "1 message(s) wait in the outbox, the oldest for" in bad.stdout
    proc.kill()
