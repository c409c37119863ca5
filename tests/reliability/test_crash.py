"""Item 3: residents report concurrently while the real bot process is SIGKILLed and restarted at
random moments. Afterwards every report a resident saw confirmed is in the database and in the group
exactly once, unfinished drafts were resumed, and no outbox row is stuck.

CI size: 24 residents, 3 kills, about a minute and a half (more than 19 alerts wait for the group's
20-a-minute window). bench/crash.py runs 500 residents and 10 kills. Runs on the engine of the
suite (SQLite, or PostgreSQL when SIPOA_TEST_POSTGRES_URL is set): the process gets the same URL.
"""

from __future__ import annotations

import asyncio

import pytest

from tests.reliability.crash import run_crash

pytestmark = pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")


async def test_sigkills_at_random_moments_lose_nothing_confirmed(tmp_path, database_url):
    figures = await asyncio.to_thread(run_crash, tmp_path, database_url=database_url, residents=24, kills=3,
                                      seed=3, active_seconds=25, settle_seconds=150)
    print("\n" + figures.table())
    assert figures.kills == 3 and figures.starts == 4
    assert figures.lost == []
    assert figures.unfinished == [] and len(figures.confirmed) == 24
    assert len(set(figures.confirmed.values())) == 24
    assert figures.stored == 24
    assert figures.across_restart > 0  # drafts written before a kill were finished after it
    # A kill between Telegram's answer and the record of it is the one way to a second copy.
    assert figures.unexplained_duplicates == []
    assert figures.alerted_once + len(set(figures.duplicates)) == 24
    assert figures.stuck_rows == 0 and figures.drafts_left == 0
    assert figures.exit_code == 0 and figures.tracebacks == 0
    assert not figures.rejected_calls
