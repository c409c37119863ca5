"""The real `sipoa run` process (python -m bot run) against the fake Bot API over HTTP.

What only a real process can show: long polling, the background dispatcher on real time and the
group's real 20-per-minute limit, SIGTERM shutdown, and SIGKILL followed by a restart on the same
SQLite file.
"""

from __future__ import annotations

import pytest

from tests.conftest import GROUP_ID, OFFICER_ID, RESIDENT_ID, SUPERVISOR_ID
from tests.e2e.conftest import wait_for

pytestmark = pytest.mark.e2e


def test_stats_answers_the_supervisor_and_refuses_others_then_sigterm_exits_0(fake_server, bot_process):
    fake = fake_server.fake
    proc = bot_process().start()
    fake.user_text(SUPERVISOR_ID, "/stats")
    reply = wait_for(lambda: fake.last_bot_message(SUPERVISOR_ID), what="the /stats answer", proc=proc)
    assert "Statistik laporan" in reply["plain_text"] and "Semua waktu: 0 laporan" in reply["plain_text"]
    fake.user_text(RESIDENT_ID, "/stats")
    refusal = wait_for(lambda: fake.last_bot_message(RESIDENT_ID), what="the refusal", proc=proc)
    assert refusal["plain_text"] == "Maaf, Anda tidak berwenang melakukan ini."
    fake.user_text(OFFICER_ID, "/stats", chat_id=GROUP_ID)
    fake.user_text(SUPERVISOR_ID, "/stats", chat_id=GROUP_ID)
    in_group = wait_for(lambda: fake.bot_messages(GROUP_ID), what="the group reply", proc=proc)
    assert [m["plain_text"] for m in in_group] == ["Silakan gunakan perintah ini dalam chat pribadi dengan bot."]

    assert proc.terminate() == 0, proc.log_tail()
    log = proc.log_path.read_text()
    assert "Traceback" not in log, proc.log_tail()
