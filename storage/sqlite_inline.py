"""A SQLite connection for the write engine that runs each statement in the event loop's own thread.

aiosqlite hands every call (cursor, execute, fetchall, close, commit) to a worker thread and back:
through SQLAlchemy a statement is four such round trips, and under load each one also waits for its
turn in the event loop. A write transaction (which holds SQLite's one write lock, and our asyncio
write lock) thus spanned dozens of loop turns: 13-15 ms held for 7 statements that take well under
a millisecond of SQLite's time (bench/README.md). Here the same sqlite3 calls run inline, so a
write transaction holds the lock only for its own work and no other task runs in the middle of it.

Only for short write transactions on a SQLite file (storage/db.py): reads stay on aiosqlite's
thread, so a long read (/stats over a year, an export) never stalls the loop. Waiting for a lock
held by another process must not block the loop either: these connections have no busy timeout,
and BEGIN IMMEDIATE is retried with asyncio sleeps (`begin_immediate`) for as long as
busy_timeout allowed before. Once BEGIN IMMEDIATE holds the write lock, no statement of the
transaction can meet SQLITE_BUSY in WAL mode (readers never block the writer).

The objects mimic the part of aiosqlite's Connection/Cursor that SQLAlchemy's aiosqlite dialect
uses (it is handed one through `async_creator`); the exceptions are sqlite3's, as with aiosqlite.
"""

from __future__ import annotations

import asyncio
import sqlite3
import time
from typing import Any

from sqlalchemy.util.concurrency import await_, in_greenlet

# Sleeps between BEGIN IMMEDIATE attempts while another process holds the write lock.
_BUSY_SLEEPS = (0.002, 0.005, 0.01, 0.02, 0.05)


class InlineCursor:
    def __init__(self, cursor: sqlite3.Cursor):
        self._cursor = cursor

    async def __aenter__(self) -> "InlineCursor":
        return self

    async def __aexit__(self, *_exc: Any) -> None:
        self._cursor.close()

    async def execute(self, sql: str, parameters: Any = None) -> "InlineCursor":
        if parameters is None:
            self._cursor.execute(sql)
        else:
            self._cursor.execute(sql, parameters)
        return self

    async def executemany(self, sql: str, parameters: Any) -> "InlineCursor":
        self._cursor.executemany(sql, parameters)
        return self

    async def fetchone(self) -> Any:
        return self._cursor.fetchone()

    async def fetchmany(self, size: int | None = None) -> list[Any]:
        return self._cursor.fetchmany(size if size is not None else self._cursor.arraysize)

    async def fetchall(self) -> list[Any]:
        return self._cursor.fetchall()

    async def close(self) -> None:
        self._cursor.close()

    async def nextset(self) -> None:
        return None

    async def setinputsizes(self, *_sizes: Any) -> None:
        return None

    def __getattr__(self, name: str) -> Any:  # description, rowcount, lastrowid, arraysize
        return getattr(self._cursor, name)


class _Immediate:
    """Stands for aiosqlite's queue to its thread: SQLAlchemy sets isolation_level through it."""

    def __init__(self) -> None:
        self.loop: asyncio.AbstractEventLoop | None = None

    def put_nowait(self, item: tuple[asyncio.Future, Any]) -> None:
        future, function = item
        try:
            result = function()
        except BaseException as err:  # handed to the awaiting caller, as aiosqlite does
            future.set_exception(err)
        else:
            future.set_result(result)


class InlineConnection:
    def __init__(self, conn: sqlite3.Connection):
        self._conn = conn
        self._connection: sqlite3.Connection | None = conn
        self._tx = _Immediate()

    def cursor(self) -> InlineCursor:
        return InlineCursor(self._conn.cursor())

    async def execute(self, sql: str, parameters: Any = None) -> InlineCursor:
        return await self.cursor().execute(sql, parameters)

    async def commit(self) -> None:
        self._conn.commit()

    async def rollback(self) -> None:
        self._conn.rollback()

    async def close(self) -> None:
        if self._connection is not None:
            self._connection = None
            self._conn.close()

    def stop(self) -> None:
        if self._connection is not None:
            self._connection = None
            self._conn.close()

    async def create_function(self, *args: Any, **kwargs: Any) -> None:
        self._conn.create_function(*args, **kwargs)

    @property
    def isolation_level(self) -> str | None:
        return self._conn.isolation_level

    @property
    def in_transaction(self) -> bool:
        return self._conn.in_transaction


def connector(database: str, **kwargs: Any):
    """An `async_creator` for create_async_engine: a new inline connection to `database`."""

    async def connect() -> InlineConnection:
        # check_same_thread off: SQLAlchemy's pool may close a connection from a finaliser.
        conn = sqlite3.connect(database, **{**kwargs, "check_same_thread": False})
        return InlineConnection(conn)

    return connect


def begin_immediate(conn, *, statement: str, timeout_ms: int) -> None:
    """Run BEGIN IMMEDIATE (or BEGIN) on a connection without a busy timeout: while another process
    holds the write lock, sleep (asyncio's sleep inside SQLAlchemy's greenlet) and try again, until
    `timeout_ms` have passed; then the last "database is locked" error is raised, as before."""
    deadline = time.monotonic() + timeout_ms / 1000
    attempt = 0
    while True:
        try:
            conn.exec_driver_sql(statement)
            return
        except Exception as err:
            if not _is_busy(err) or time.monotonic() >= deadline:
                raise
        wait = _BUSY_SLEEPS[min(attempt, len(_BUSY_SLEEPS) - 1)]
        attempt += 1
        if in_greenlet():
            await_(asyncio.sleep(wait))
        else:
            time.sleep(wait)


def _is_busy(err: BaseException) -> bool:
    text = str(getattr(err, "orig", err)).lower()
    return "database is locked" in text or "database is busy" in text
