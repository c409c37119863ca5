"""Write the next revision from the difference between storage/models.py and a database at head:

    .venv/bin/python -m storage.migrations.autogen "offices, replicas"
    .venv/bin/python -m storage.migrations.autogen --replace-head "offices, replicas"

By default against a throw-away SQLite file; `--url postgresql+asyncpg://...` (an EMPTY database)
compares against PostgreSQL instead. `--replace-head` deletes the newest revision first and writes it
again under the same id (regenerating this session's revision after more model changes).

A NOT NULL column added to an existing table gets its model default as server_default, so that the
rows already there upgrade; the columns for which no default is known are printed: edit those by hand.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from alembic import command
from alembic.operations import ops
from sqlalchemy.ext.asyncio import create_async_engine

from storage import migrations


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m storage.migrations.autogen", description=__doc__.split("\n\n")[0])
    parser.add_argument("message", help="what the revision changes, e.g. 'offices, replicas'")
    parser.add_argument("--url", help="an empty database to upgrade and compare against (default: temporary SQLite)")
    parser.add_argument("--replace-head", action="store_true", help="delete the newest revision and write it again")
    args = parser.parse_args(argv)
    replaced: tuple[Path, str] | None = None
    if args.replace_head:
        replaced = _delete_head()
        rev_id = replaced[0].name.split("_", 1)[0]
    else:
        current = migrations.script_directory().get_current_head()
        rev_id = f"{int(current or 0) + 1:04d}"
    needs_hand: list[str] = []
    try:
        with tempfile.TemporaryDirectory() as tmp:
            url = args.url or f"sqlite+aiosqlite:///{Path(tmp) / 'autogen.db'}"
            path = asyncio.run(_generate(url, args.message, rev_id, needs_hand))
    except BaseException:
        if replaced is not None:  # the old head comes back rather than a hole in the chain
            replaced[0].write_text(replaced[1], encoding="utf-8")
        raise
    if path is None:
        print("The models match the migrations: no revision written.")
        return 0
    print(f"Wrote {path}: review it by hand before committing.")
    for column in needs_hand:
        print(f"  ! {column}: NOT NULL added to an existing table without a known default: give it a server_default")
    return 0


def _delete_head() -> tuple[Path, str]:
    """Deletes the newest revision's file; returns its path and text (put back if generation fails)."""
    script = migrations.script_directory().get_revision(migrations.head())
    if script.revision == migrations.BASELINE:
        sys.exit("refusing to replace the baseline revision 0001 (it is the schema of existing databases)")
    path = Path(script.path)
    text = path.read_text(encoding="utf-8")
    path.unlink()
    migrations.script_directory.cache_clear()
    return path, text


async def _generate(url: str, message: str, rev_id: str, needs_hand: list[str]) -> str | None:
    written: list[str] = []

    def directives(context: Any, revision: Any, directives: list[ops.MigrationScript]) -> None:
        script = directives[0]
        if script.upgrade_ops.is_empty():
            directives[:] = []
            return
        _add_server_defaults(script.upgrade_ops, needs_hand)

    def run(connection: sa.Connection) -> None:
        config = migrations.alembic_config(connection)
        command.upgrade(config, "head")
        result = command.revision(
            config, message=message, autogenerate=True, rev_id=rev_id, process_revision_directives=directives
        )
        written.extend(s.path for s in (result if isinstance(result, list) else [result]) if s is not None)

    engine = create_async_engine(url)
    try:
        async with engine.connect() as conn:
            await conn.run_sync(run)
    finally:
        await engine.dispose()
    return written[0] if written else None


def _add_server_defaults(container: Any, needs_hand: list[str]) -> None:
    for op in getattr(container, "ops", []):
        if isinstance(op, ops.AddColumnOp):
            column = op.column
            if column.nullable or column.server_default is not None:
                continue
            literal = _literal(column.default.arg if column.default is not None else None)
            if literal is None:
                needs_hand.append(f"{op.table_name}.{column.name}")
            else:
                column.server_default = sa.DefaultClause(literal)
        else:
            _add_server_defaults(op, needs_hand)


def _literal(value: Any) -> Any:
    """A portable SQL literal for a scalar Python default (TRUE/FALSE: PostgreSQL, SQLite >= 3.23)."""
    if isinstance(value, bool):
        return sa.text("true" if value else "false")
    if isinstance(value, (int, float)):
        return sa.text(repr(value))
    if isinstance(value, str):
        return value
    return None


if __name__ == "__main__":
    sys.exit(main())
