"""Bring a database to this code's schema (the head of storage/migrations), at every start.

- An empty database gets every revision from 0001.
- Tables made by `create_all` before migrations existed (no alembic_version) are stamped 0001, the
  schema they have, then upgraded.
- A database already at head costs one SELECT: every start of every replica passes here.
- PostgreSQL replicas starting together: the first takes a transaction-level advisory lock and
  migrates; the others wait on the lock, then find head. The upgrade is one transaction on both
  engines (their DDL is transactional), so a failed one leaves the previous revision intact.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import sqlalchemy as sa
from alembic import command
from alembic.runtime.migration import MigrationContext
from alembic.util import CommandError
from sqlalchemy.ext.asyncio import AsyncEngine

from storage import migrations
from storage.db import Database, _make_engine, _sqlite_file

log = logging.getLogger(__name__)

# pg_advisory_xact_lock key shared by every Sipoa process (an arbitrary fixed 64-bit number).
MIGRATION_LOCK_KEY = 0x5150A_0006


class SchemaError(RuntimeError):
    """The database cannot be brought to this code's schema (e.g. it is newer than the code)."""


@dataclass(frozen=True)
class MigrationResult:
    before: str | None  # None: an empty database
    after: str | None
    # The tables came from create_all before migrations: `before` is the baseline they were stamped at.
    stamped_baseline: bool = False

    @property
    def changed(self) -> bool:
        return self.stamped_baseline or self.before != self.after


async def migrate(db: Database, target: str = "head") -> MigrationResult:
    """Upgrade (or, with an older `target`, downgrade) the schema; a no-op at `target` already."""
    wanted = _resolve(target)
    # The usual case, checked on the pool the bot goes on using (no engine of its own, no lock).
    async with db.read_engine.connect() as conn:
        current = await conn.run_sync(_current)
    if current == wanted:
        return MigrationResult(current, current)
    engine = _migration_engine(db)
    try:
        async with engine.connect() as conn:
            result = await conn.run_sync(_migrate_sync, target)
            await conn.commit()
    finally:
        if engine is not db.engine:
            await engine.dispose()
    if result.changed:
        log.info("event=schema_migrated from=%s to=%s baseline_stamped=%s",
                 result.before, result.after, result.stamped_baseline)
    return result


def stamp_head(connection: sa.Connection) -> None:
    """Record head without running revisions: for tables just made by create_all from the models."""
    MigrationContext.configure(connection).stamp(migrations.script_directory(), "head")


def _migration_engine(db: Database) -> AsyncEngine:
    """On SQLite, a connection of its own with foreign keys off: a batch ALTER copies a table and
    drops the old one, which with foreign keys on would cascade (photos of drafts) or fail."""
    if not db.is_sqlite or _sqlite_file(db.url) is None:
        return db.engine
    engine = _make_engine(db.url, immediate=True)

    @sa.event.listens_for(engine.sync_engine, "connect")
    def _foreign_keys_off(dbapi_connection, _record) -> None:
        dbapi_connection.cursor().execute("PRAGMA foreign_keys=OFF")

    return engine


def _migrate_sync(conn: sa.Connection, target: str) -> MigrationResult:
    wanted = _resolve(target)
    current = _current(conn)
    if current == wanted:
        return MigrationResult(current, current)
    if conn.dialect.name == "postgresql":
        # Held until this transaction ends; another replica may have migrated while we waited.
        conn.execute(sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK_KEY})
        current = _current(conn)
        if current == wanted:
            return MigrationResult(current, current)
    config = migrations.alembic_config(conn)
    stamped = current is None and sa.inspect(conn).has_table("reporter")
    if stamped:
        command.stamp(config, migrations.BASELINE)
        current = migrations.BASELINE
    elif current is not None and _unknown(current):
        raise SchemaError(
            f"the database is at schema revision {current}, which this version of Sipoa does not know "
            f"(its newest is {migrations.head()}): run the newer version, or restore a backup"
        )
    if target == "head" or _is_ancestor(current, wanted):
        command.upgrade(config, wanted)
    else:
        command.downgrade(config, wanted or "base")
    if conn.dialect.name == "sqlite":
        broken = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
        if broken:
            raise SchemaError(f"the migration left rows with broken foreign keys: {broken[:5]}")
    return MigrationResult(current, _current(conn), stamped)


def _current(conn: sa.Connection) -> str | None:
    return MigrationContext.configure(conn).get_current_revision()


def _resolve(target: str) -> str | None:
    if target == "base":
        return None
    try:
        return migrations.script_directory().get_revision(target).revision
    except CommandError as err:
        raise SchemaError(f"unknown schema revision {target!r}: {err}") from err


def _unknown(revision: str) -> bool:
    try:
        return migrations.script_directory().get_revision(revision) is None
    except CommandError:
        return True


def _is_ancestor(current: str | None, wanted: str | None) -> bool:
    """True when `wanted` lies after `current` (an upgrade)."""
    if current is None:
        return True
    if wanted is None:
        return False
    return any(s.revision == current for s in migrations.script_directory().iterate_revisions(wanted, "base"))


@dataclass(frozen=True)
class SchemaStatus:
    current: str | None
    head: str
    # Tables without alembic_version: made by create_all before migrations (stamped 0001 at start).
    unversioned_tables: bool

    @property
    def up_to_date(self) -> bool:
        return self.current == self.head


async def status(db: Database) -> SchemaStatus:
    """Where the database stands against this code, without changing anything (check-config)."""

    def read(conn: sa.Connection) -> SchemaStatus:
        current = _current(conn)
        return SchemaStatus(current, migrations.head(), current is None and sa.inspect(conn).has_table("reporter"))

    async with db.read_engine.connect() as conn:
        return await conn.run_sync(read)
