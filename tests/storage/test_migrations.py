"""The migrations (storage/migrations) against the models, on SQLite and PostgreSQL (`database_url`):
from an empty database, from the previous revision with rows in it, back down, from a database made
by create_all before migrations existed, and twice in a row."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.operations import ops
from alembic.runtime.migration import MigrationContext
from sqlmodel import SQLModel

from storage import migrations, reporters, reports
from storage.db import Database
from storage.migrate import SchemaError, migrate
from storage.migrations import autogen

AT = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)


@pytest.fixture
async def db(database_url):
    database = Database(database_url)
    yield database
    await database.dispose()


def previous_revision() -> str | None:
    """head-1 (None: head is the baseline, whose previous state is the empty database)."""
    down = migrations.script_directory().get_revision(migrations.head()).down_revision
    assert not isinstance(down, tuple), "the revisions must stay one line (no merge points)"
    return down


async def schema_differences(db: Database) -> list:
    def compare(conn: sa.Connection) -> list:
        return compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), SQLModel.metadata)

    async with db.engine.connect() as conn:
        return await conn.run_sync(compare)


async def revision(db: Database) -> str | None:
    async with db.engine.connect() as conn:
        return await conn.run_sync(lambda c: MigrationContext.configure(c).get_current_revision())


async def insert_baseline_rows(db: Database) -> None:
    """A reporter and a report as the bot of the baseline (0001) wrote them, in SQL of that schema:
    typed lightweight tables, not today's models, which may have columns 0001 lacks."""
    reporter = sa.table(
        "reporter", *(sa.column(c) for c in ("id", "alias", "first_name", "language", "kind")),
        sa.column("telegram_id", sa.BigInteger), sa.column("created_at", sa.DateTime(timezone=True)),
        *(sa.column(c, sa.Boolean) for c in ("language_chosen", "phone_verified")),
        sa.column("restriction_level", sa.Integer),
    )
    report = sa.table(
        "report", *(sa.column(c) for c in (
            "id", "number", "prefix", "year", "seq", "reporter_id", "channel", "language", "category", "status",
            "description", "photo_count", "area_label", "lat", "lon")),
        sa.column("extra", sa.JSON), sa.column("reasons", sa.JSON), sa.column("alert_is_photo", sa.Boolean),
        sa.column("created_at", sa.DateTime(timezone=True)), sa.column("submit_update_id", sa.BigInteger),
        sa.column("alert_chat_id", sa.BigInteger),
    )
    # Ids from the engine's sequence, as the bot got them (explicit ids would leave PostgreSQL's behind).
    async with db.engine.begin() as conn:
        reporter_id = (await conn.execute(sa.insert(reporter).returning(reporter.c.id).values(
            telegram_id=5_000_000_001, alias="P-7F3A2C", first_name="Budi", language="id", kind="telegram",
            created_at=AT, language_chosen=False, phone_verified=True, restriction_level=0,
        ))).scalar_one()
        await conn.execute(sa.insert(report).values(
            number="TNG-2026-000001", prefix="TNG", year=2026, seq=1, reporter_id=reporter_id, channel="telegram",
            language="id", category="overstay", status="new", description="Orang asing tinggal lewat izin",
            photo_count=0, area_label="Ciledug, Kota Tangerang", lat=-6.2291, lon=106.7088,
            extra={"note": "x"}, reasons=[], alert_is_photo=False, created_at=AT,
            submit_update_id=9_000_000_000_123, alert_chat_id=-1001234567890,
        ))


async def assert_baseline_rows_read_back(db: Database) -> None:
    async with db.read() as s:
        reporter = await reporters.get_by_telegram_id(s, telegram_id=5_000_000_001)
        report = await reports.get_report_by_submit_update(s, update_id=9_000_000_000_123)
    assert reporter is not None and (reporter.alias, reporter.phone_verified) == ("P-7F3A2C", True)
    assert report is not None and report.reporter_id == reporter.id
    assert (report.number, report.status, report.extra) == ("TNG-2026-000001", "new", {"note": "x"})
    assert (report.created_at, report.alert_chat_id) == (AT, -1001234567890)


async def test_upgrade_from_empty_builds_exactly_the_models(db):
    """Fails whenever storage/models.py changed without a revision: generate one with
    `python -m storage.migrations.autogen "what changed"` (see storage/migrations/__init__.py)."""
    result = await db.migrate()
    assert (result.before, result.after, result.stamped_baseline) == (None, migrations.head(), False)
    assert await schema_differences(db) == []


async def test_upgrade_from_the_baseline_keeps_its_rows(db):
    await db.migrate(migrations.BASELINE)
    await insert_baseline_rows(db)
    result = await db.migrate()
    assert (result.before, result.after) == (migrations.BASELINE, migrations.head())
    await assert_baseline_rows_read_back(db)
    # ... and the upgraded database takes new rows through today's models.
    async with db.transaction() as s:
        walk_in = await reporters.create_walk_in(s, now=AT)
    async with db.read() as s:
        telegram = await reporters.get_by_telegram_id(s, telegram_id=5_000_000_001)
    assert walk_in.id != telegram.id


async def test_previous_revision_upgrades_to_head_and_head_downgrades_to_it(db):
    previous = previous_revision()
    await db.migrate(previous or "base")
    assert await revision(db) == previous
    assert (await db.migrate()).after == migrations.head()
    down = await db.migrate(previous or "base")
    assert (down.before, down.after) == (migrations.head(), previous)
    await db.migrate()
    assert await schema_differences(db) == []


async def test_downgrade_to_base_leaves_no_table_of_ours(db):
    await db.migrate()
    await db.migrate("base")
    async with db.engine.connect() as conn:
        tables = await conn.run_sync(lambda c: sa.inspect(c).get_table_names())
    assert set(tables) <= {"alembic_version"}


async def test_database_from_before_migrations_is_stamped_then_upgraded(db):
    # The baseline's tables without alembic_version: what create_all made before this change.
    await db.migrate(migrations.BASELINE)
    async with db.engine.begin() as conn:
        await conn.execute(sa.text("DROP TABLE alembic_version"))
    await insert_baseline_rows(db)
    result = await db.migrate()
    assert (result.before, result.after, result.stamped_baseline) == (migrations.BASELINE, migrations.head(), True)
    await assert_baseline_rows_read_back(db)
    assert await schema_differences(db) == []


async def test_migrate_twice_is_a_no_op(db):
    assert (await db.migrate()).changed
    again = await db.migrate()
    assert (again.before, again.after, again.changed) == (migrations.head(), migrations.head(), False)


async def test_create_schema_is_at_head_so_the_bot_start_migrates_nothing(db):
    """The test harness's fast path (create_all + stamp head) must be what migrate() would build."""
    await db.create_schema()
    assert await revision(db) == migrations.head()
    assert not (await db.migrate()).changed
    assert await schema_differences(db) == []
    await db.create_schema()  # on a database with tables: migrates (nothing to do), never re-stamps
    assert await revision(db) == migrations.head()


async def test_two_processes_starting_together_migrate_once(database_url):
    """Replicas of one PostgreSQL (advisory lock) or processes of one SQLite file (BEGIN IMMEDIATE):
    one migrates, the other waits and finds head."""
    first, second = Database(database_url), Database(database_url)
    try:
        # Without the lock the two PostgreSQL transactions wait on each other's tables for ever.
        results = await asyncio.wait_for(asyncio.gather(migrate(first), migrate(second)), timeout=30)
    finally:
        await first.dispose()
        await second.dispose()
    assert sorted(r.changed for r in results) == [False, True]
    assert {r.after for r in results} == {migrations.head()}


async def test_a_database_newer_than_the_code_is_refused(db):
    await db.migrate()
    async with db.engine.begin() as conn:
        await conn.execute(sa.text("UPDATE alembic_version SET version_num = '9999'"))
    with pytest.raises(SchemaError, match="9999"):
        await db.migrate()


def test_autogen_gives_added_not_null_columns_their_model_default():
    """So that the rows already in the table upgrade; a column without a known default is flagged."""
    flagged: list[str] = []
    columns = [
        sa.Column("office", sa.String(16), nullable=False, default="tangerang"),
        sa.Column("attempts", sa.Integer, nullable=False, default=0),
        sa.Column("paused", sa.Boolean, nullable=False, default=False),
        sa.Column("holder", sa.String(16), nullable=False),
        sa.Column("note", sa.Text, nullable=True),
    ]
    table_ops = ops.ModifyTableOps("report", [ops.AddColumnOp("report", c) for c in columns])
    autogen._add_server_defaults(ops.UpgradeOps([table_ops]), flagged)
    rendered = [str(c.server_default.arg) if c.server_default is not None else None for c in columns]
    assert rendered == ["tangerang", "0", "false", None, None]
    assert flagged == ["report.holder"]
