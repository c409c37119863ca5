"""The long crash test: many residents report while the real bot process is SIGKILLed and restarted
at random moments; then the table of what residents saw confirmed against what the database and the
officers' group hold.

    .venv/bin/python bench/crash.py [--residents 500] [--kills 10] [--seed 1] [--database URL]

The default database is a fresh SQLite file in a temporary folder; pass a PostgreSQL URL
(postgresql+asyncpg://…/an_empty_database) to run it there. Real time throughout: the group accepts
20 messages a minute, so 500 alerts take about 27 minutes to drain after the residents are done.
Residents arrive over 0.8 s × their number (the first 60 % of that window; kills fall anywhere in
it): Telegram lets a bot send about 30 messages a second in all, and a report takes about seven, so
500 reports cannot be answered in less than two minutes; arriving faster only makes people wait and
tap again. CI runs the same scenario at 24 residents and 3 kills (tests/reliability/test_crash.py).
Exit status 0 when nothing confirmed was lost or doubled without a kill to explain it.
"""

from __future__ import annotations

import argparse
import logging
import sys
import tempfile
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.reliability.crash import run_crash  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--residents", type=int, default=500)
    parser.add_argument("--kills", type=int, default=10)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--database", default="", help="a database URL (default: a new SQLite file)")
    parser.add_argument("--active-seconds", type=float, default=0.0,
                        help="the window residents arrive and kills happen in (default: scaled to --residents)")
    args = parser.parse_args()
    warnings.simplefilter("ignore")
    logging.basicConfig(level=logging.ERROR)  # the table is the output; retries log warnings
    active = args.active_seconds or max(25.0, args.residents * 0.8)
    with tempfile.TemporaryDirectory(prefix="sipoa-crash-") as tmp:
        folder = Path(tmp)
        url = args.database or f"sqlite+aiosqlite:///{folder / 'sipoa.db'}"
        print(f"{args.residents} residents, {args.kills} SIGKILLs within {active:.0f} s; database {url.split('@')[-1]}")
        figures = run_crash(folder, database_url=url, residents=args.residents, kills=args.kills, seed=args.seed,
                            active_seconds=active, settle_seconds=args.residents * 3.5 + 120)
        print()
        print(figures.table())
    bad = figures.lost or figures.unfinished or figures.unexplained_duplicates or figures.stuck_rows
    return 1 if bad else 0


if __name__ == "__main__":
    raise SystemExit(main())
