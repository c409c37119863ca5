"""Item 2: a fifth of all Bot API calls fail (429 with retry_after, 500, 502, timeouts and resets
before and after the effect, slow answers) while 200 residents report and officers act: every
report is stored, every alert and notification is delivered, no handler raises.

"Exactly once" is measured from Telegram's side (the fake's record). One window cannot be closed by
any bot: Telegram performed a send but its answer was lost (a timeout or reset *after* the effect);
the bot cannot tell that from a send that never arrived, and sends again. Those copies ("ghosts")
are counted apart and must be the only duplicates; everything acknowledged is there exactly once.
"""

from __future__ import annotations

import pytest

from tests.conftest import OFFICER2_ID, OFFICER_ID, make_config, start_harness
from tests.reliability.scenarios import run_fault_scenario

RELIABLE = {
    "officers": {"officer_ids": [OFFICER_ID, OFFICER2_ID]},
    # Screening decides whether a report reaches the group; these tests are about delivery.
    "screening": {"enabled": False},
}


@pytest.fixture
async def rh(tmp_path, database_url, fake, clock, vtime):
    harness = await start_harness(make_config(tmp_path, database_url=database_url, **RELIABLE), fake, clock, vtime)
    yield harness
    from bot.app import stop_services

    await stop_services(harness.app)
    await harness.app.shutdown()


def assert_nothing_lost(figures) -> None:
    print("\n" + figures.table())
    assert figures.lost_reports == [] and figures.reports == len(figures.confirmed)
    assert figures.lost_alerts == [] and figures.alerts_once + figures.alert_ghosts >= figures.reports
    # Every alert the bot knows it sent is there once; the only extra copies are ghosts.
    assert figures.alerts_once == figures.reports
    assert figures.lost_notifications == [] and figures.notifications_once == figures.notifications
    assert figures.doubled == []
    assert figures.stale_alerts == []
    assert figures.failed_rows == [] and figures.stuck_rows == 0
    assert figures.inconsistencies == []


async def test_200_reports_with_a_fifth_of_all_calls_failing(rh):
    figures = await run_fault_scenario(rh, reports=200, rate=0.2, seed=5, officers=(OFFICER_ID, OFFICER2_ID))
    assert_nothing_lost(figures)
    assert figures.reports == 200
    assert sum(figures.faults.values()) > 0.15 * figures.calls
    assert {"429", "500", "502", "timeout+", "timeout-", "reset+", "reset-", "slow"} <= set(figures.faults)
