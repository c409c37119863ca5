"""`sipoa run --config PATH` with timing probes, for bench/latency.py --trace (product code untouched).

    python bench/traced_run.py --config PATH

Before starting the bot it wraps, from the outside: every SQL statement (SQLAlchemy cursor events on
all engines), every Bot API call (PTB's HTTPXRequest.do_request) and every update's handling
(Application.process_update), and writes one line per update and per API call to stderr:

    TRACE update kind=submit t0=… t1=… sql=… sql_ms=… api=… api_ms=…
    TRACE api method=sendMessage chat=… t0=… t1=… sql_total=…
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import event  # noqa: E402
from sqlalchemy.engine import Engine  # noqa: E402
from telegram.ext import Application  # noqa: E402
from telegram.request import HTTPXRequest  # noqa: E402

STATE = {"sql": 0, "sql_s": 0.0, "api": 0, "api_s": 0.0}


@event.listens_for(Engine, "before_cursor_execute")
def _before(conn, _cursor, _statement, _params, _context, _many) -> None:
    conn.info.setdefault("bench_t0", []).append(time.perf_counter())


@event.listens_for(Engine, "after_cursor_execute")
def _after(conn, _cursor, _statement, _params, _context, _many) -> None:
    STATE["sql"] += 1
    STATE["sql_s"] += time.perf_counter() - conn.info["bench_t0"].pop()


_do_request = HTTPXRequest.do_request


async def _traced_request(self, url, method, request_data=None, *args, **kwargs):
    name = url.rsplit("/", 1)[-1]
    t0 = time.perf_counter()
    sql_total = STATE["sql"]
    try:
        return await _do_request(self, url, method, request_data, *args, **kwargs)
    finally:
        t1 = time.perf_counter()
        if name != "getUpdates":
            STATE["api"] += 1
            STATE["api_s"] += t1 - t0
            chat = (request_data.parameters or {}).get("chat_id") if request_data is not None else None
            print(f"TRACE api method={name} chat={chat} t0={t0:.6f} t1={t1:.6f} sql_total={sql_total}",
                  file=sys.stderr, flush=True)


_process_update = Application.process_update


async def _traced_process(self, update):
    before = dict(STATE)
    t0 = time.perf_counter()
    try:
        return await _process_update(self, update)
    finally:
        t1 = time.perf_counter()
        query = getattr(update, "callback_query", None)
        data = query.data if query is not None else None
        kind = ("submit" if data and data.startswith("1:s:") else "press") if data else "message"
        delta = {k: STATE[k] - before[k] for k in STATE}
        print(f"TRACE update kind={kind} id={getattr(update, 'update_id', 0)} t0={t0:.6f} t1={t1:.6f} "
              f"sql={delta['sql']} sql_ms={delta['sql_s'] * 1000:.2f} api={delta['api']} "
              f"api_ms={delta['api_s'] * 1000:.2f}", file=sys.stderr, flush=True)


HTTPXRequest.do_request = _traced_request  # type: ignore[method-assign]
Application.process_update = _traced_process  # type: ignore[method-assign]

if __name__ == "__main__":
    from bot.cli import main

    sys.exit(main(["run", *sys.argv[1:]]))
