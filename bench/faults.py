"""The long fault-injection run: residents write whole reports, officers take and close them and ask
for photos, residents are told, while a share of every Bot API call fails (429 with retry_after,
500, 502, timeouts and connection resets before and after the effect, slow answers). Prints the
faults injected by kind, the reports, the deliveries, the duplicates and the losses.

    .venv/bin/python bench/faults.py [--reports 1000] [--rate 0.2] [--seed 7] [--database URL]

In-process on virtual time (flood waits and backoffs pass instantly), so it measures the bot's
handling, not the clock. CI runs 200 reports at 20% (tests/reliability/test_faults.py), plus a short
run over HTTP. Exit status 0 when nothing was lost and nothing acknowledged was sent twice.
"""

from __future__ import annotations

import argparse
import logging
import asyncio
import sys
import tempfile
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.conftest import OFFICER2_ID, OFFICER_ID, make_config, start_harness  # noqa: E402
from tests.reliability.scenarios import run_fault_scenario  # noqa: E402


async def run(args: argparse.Namespace, folder: Path) -> int:
    from datetime import datetime

    from bot.app import stop_services
    from bot.clock import ManualClock
    from bot.fakeapi import FakeBotAPI
    from tests.conftest import GROUP_ID, SUPERVISOR_ID, VirtualTime

    vtime = VirtualTime()
    fake = FakeBotAPI(clock=vtime)
    fake.add_user(SUPERVISOR_ID, "Siti")
    fake.add_user(OFFICER_ID, "Agus")
    fake.add_user(OFFICER2_ID, "Bayu")
    fake.add_group(GROUP_ID, "Petugas Imigrasi Tangerang", members=[SUPERVISOR_ID, OFFICER_ID, OFFICER2_ID])
    config = make_config(folder, database_url=args.database or None,
                         officers={"officer_ids": [OFFICER_ID, OFFICER2_ID]}, screening={"enabled": False})
    h = await start_harness(config, fake, ManualClock(datetime(2026, 3, 2, 2, 0, 0)), vtime)
    started = time.monotonic()
    try:
        figures = await run_fault_scenario(h, reports=args.reports, rate=args.rate, seed=args.seed,
                                           officers=(OFFICER_ID, OFFICER2_ID), batch=20)
    finally:
        await stop_services(h.app)
        await h.app.shutdown()
    print(f"{args.reports} reports at {args.rate:.0%} injected faults, seed {args.seed}: "
          f"{time.monotonic() - started:.0f} s of wall time, {vtime.value - 1000:.0f} s of virtual time\n")
    print(figures.table())
    return 1 if figures.losses() or figures.doubled or figures.stuck_rows or figures.inconsistencies else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=1000)
    parser.add_argument("--rate", type=float, default=0.2)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--database", default="", help="a database URL (default: a new SQLite file)")
    args = parser.parse_args()
    warnings.simplefilter("ignore")
    logging.basicConfig(level=logging.ERROR)  # the table is the output; retries log warnings
    with tempfile.TemporaryDirectory(prefix="sipoa-faults-") as tmp:
        return asyncio.run(run(args, Path(tmp)))


if __name__ == "__main__":
    raise SystemExit(main())
