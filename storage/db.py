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

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker, create_async_engine
from sqlmodel import SQLModel
from sqlmodel.ext.asyncio.session import AsyncSession

from storage import models  # noqa: F401  (registers the tables on SQLModel.metadata)

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


def _make_engine(url: str, *, immediate: bool) -> AsyncEngine:
    is_sqlite = url.startswith("sqlite")
    kwargs = {"pool_pre_ping": not is_sqlite}
    engine = create_async_engine(url, **kwargs)
    if is_sqlite:
        event.listen(engine.sync_engine, "connect", _sqlite_pragmas)

        @event.listens_for(engine.sync_engine, "begin")
        def _begin(conn) -> None:
            conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

    return engine


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
        self._write_lock: asyncio.Lock | None = asyncio.Lock() if self.is_sqlite else None
        self._lock_owner: asyncio.Task | None = None
        self._write = async_sessionmaker(self.engine, class_=AsyncSession, expire_on_commit=False)
        self._read = async_sessionmaker(self.read_engine, class_=AsyncSession, expire_on_commit=False)

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
    async def read(self) -> AsyncIterator[AsyncSession]:
        async with self._read() as session:
            async with session.begin():
                yield session

    async def create_schema(self) -> None:
        async with self.engine.begin() as conn:
            await conn.run_sync(SQLModel.metadata.create_all)

    async def dispose(self) -> None:
        await self.engine.dispose()
        if self.read_engine is not self.engine:
            await self.read_engine.dispose()


def _sqlite_file(url: str) -> Path | None:
    prefix = "sqlite+aiosqlite:///"
    if url.startswith(prefix) and url[len(prefix):] not in ("", ":memory:"):
        return Path(url[len(prefix):])
    return None
