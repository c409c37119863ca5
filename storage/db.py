"""Engine, sessions and schema. Created by `build_application`, never at import time.

Write transactions are short and never wrap a Telegram call. On SQLite every write transaction
starts with BEGIN IMMEDIATE: a deferred transaction that reads and then writes fails at once with
SQLITE_BUSY when another connection committed in between (busy_timeout does not help there), while
IMMEDIATE takes the write lock up front and waits politely on busy_timeout.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import event
from sqlalchemy import inspect as sa_inspect
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker, create_async_engine
from sqlmodel import SQLModel
from sqlmodel.ext.asyncio.session import AsyncSession

from storage import models  # noqa: F401  (registers the tables on SQLModel.metadata)

if TYPE_CHECKING:
    from storage.migrate import MigrationResult

log = logging.getLogger(__name__)

SQLITE_BUSY_TIMEOUT_MS = 10_000


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    # The pysqlite driver's own transaction handling is switched off so that the "begin" listener
    # decides how a transaction starts.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA foreign_keys=ON")
    # WAL + NORMAL survives a process kill (SIGKILL) without losing a committed transaction;
    # only a power cut may lose the last ones.
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _make_engine(url: str, *, immediate: bool, inline: bool | None = None) -> AsyncEngine:
    is_sqlite = url.startswith("sqlite")
    kwargs: dict = {"pool_pre_ping": not is_sqlite}
    # Write transactions on a SQLite file run their statements in the loop's thread, not as round
    # trips to aiosqlite's: the write lock is then held only for the work (storage/sqlite_inline.py).
    inline = (immediate if inline is None else inline) and _sqlite_file(url) is not None
    if inline:
        from sqlalchemy.engine import make_url

        from storage import sqlite_inline

        parsed = make_url(url)
        args, options = parsed.get_dialect()().create_connect_args(parsed)
        kwargs["async_creator"] = sqlite_inline.connector(*args, **options)
    engine = create_async_engine(url, **kwargs)
    if is_sqlite:
        event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
        if inline:
            # No long busy wait inside a statement (it would stall the loop): BEGIN IMMEDIATE waits
            # instead, with asyncio sleeps. A read never waits for a writer in WAL mode; the 100 ms
            # left to reads cover the rare moments SQLite makes them wait (recovering a WAL).
            event.listen(engine.sync_engine, "connect", _no_busy_timeout if immediate else _short_busy_timeout)

        @event.listens_for(engine.sync_engine, "begin")
        def _begin(conn) -> None:
            statement = "BEGIN IMMEDIATE" if immediate else "BEGIN"
            if inline:
                sqlite_inline.begin_immediate(conn, statement=statement, timeout_ms=SQLITE_BUSY_TIMEOUT_MS)
            else:
                conn.exec_driver_sql(statement)

    return engine


def _no_busy_timeout(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA busy_timeout=0")
    cursor.close()


def _short_busy_timeout(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA busy_timeout=100")
    cursor.close()


class Database:
    """The engines and session factories of one application."""

    def __init__(self, url: str):
        self.url = url
        self.is_sqlite = url.startswith("sqlite")
        path = _sqlite_file(url)
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
        self.engine = _make_engine(url, immediate=True)
        # Reads on SQLite use a deferred BEGIN so that they run beside a writer (WAL).
        self.read_engine = _make_engine(url, immediate=False) if self.is_sqlite else self.engine
        # Point lookups on an update's hot path (`read(quick=True)`) skip aiosqlite's thread too.
        self.quick_engine = _make_engine(url, immediate=False, inline=True) if path is not None else self.read_engine
        self._write_lock: asyncio.Lock | None = asyncio.Lock() if self.is_sqlite else None
        self._lock_owner: asyncio.Task | None = None
        self._write = async_sessionmaker(self.engine, class_=AsyncSession, expire_on_commit=False)
        self._read = async_sessionmaker(self.read_engine, class_=AsyncSession, expire_on_commit=False)
        self._quick = async_sessionmaker(self.quick_engine, class_=AsyncSession, expire_on_commit=False)

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[AsyncSession]:
        """One short write transaction: committed on exit, rolled back on any exception.

        On SQLite the writers of this process queue on an asyncio lock first: SQLite has one writer
        anyway, and its own lock waiting is neither fair nor bounded by anything but busy_timeout, so
        under a burst (64 concurrent chats, 15 pooled connections) some handlers used to give up with
        "database is locked". The asyncio queue is first come, first served."""
        if self._write_lock is None or self._lock_owner is asyncio.current_task():
            async with self._write() as session:
                async with session.begin():
                    yield session
            return
        async with self._write_lock:
            self._lock_owner = asyncio.current_task()
            try:
                async with self._write() as session:
                    async with session.begin():
                        yield session
            finally:
                self._lock_owner = None

    @asynccontextmanager
    async def read(self, *, quick: bool = False) -> AsyncIterator[AsyncSession]:
        """A read transaction beside the writer. `quick`: a few indexed lookups on an update's path,
        run in the loop's thread on SQLite (storage/sqlite_inline.py); anything that may scan many
        rows (stats, exports) stays on aiosqlite's thread so the loop never stalls on it."""
        async with (self._quick if quick else self._read)() as session:
            async with session.begin():
                yield session

    async def create_schema(self) -> None:
        """A fresh database in one step (tests, benches, tools): the tables straight from the models,
        stamped at the head revision, which is what the migrations build (tests/storage/
        test_migrations.py holds them to it) and much faster. A database with tables is migrated."""
        from storage.migrate import stamp_head

        async with self.engine.begin() as conn:
            empty = not await conn.run_sync(lambda c: sa_inspect(c).get_table_names())
            if empty:
                # checkfirst=False: the database is empty, so no has_table query per table.
                await conn.run_sync(SQLModel.metadata.create_all, checkfirst=False)
                await conn.run_sync(stamp_head)
        if not empty:
            await self.migrate()

    async def migrate(self, target: str = "head") -> MigrationResult:
        """Bring the schema to `target` through the migrations (storage/migrate.py): what the bot
        runs at every start, a no-op when already there."""
        from storage.migrate import migrate

        return await migrate(self, target)

    async def dispose(self) -> None:
        await self.engine.dispose()
        if self.read_engine is not self.engine:
            await self.read_engine.dispose()
        if self.quick_engine is not self.read_engine:
            await self.quick_engine.dispose()


def _sqlite_file(url: str) -> Path | None:
    prefix = "sqlite+aiosqlite:///"
    if url.startswith(prefix) and url[len(prefix):] not in ("", ":memory:"):
        return Path(url[len(prefix):])
    return None
