"""Alembic migrations of the schema in storage/models.py, configured in code (no alembic.ini).

Run them with `sipoa migrate` (or let the bot do it at start: storage/migrate.py). A change to
storage/models.py needs a revision; the next one is generated against a database at head with

    .venv/bin/python -m storage.migrations.autogen "what changed"

which writes storage/migrations/versions/<NNNN>_<slug>.py to review by hand (see script.py.mako).
tests/storage/test_migrations.py fails while the models and the migrations disagree.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from alembic.config import Config
from alembic.script import ScriptDirectory

HERE = Path(__file__).resolve().parent
# The first revision: the schema as `create_all` made it before migrations existed (commit 05e84f1).
BASELINE = "0001"


def alembic_config(connection: Any = None) -> Config:
    """Alembic's config without a file: env.py runs its migrations on `connection` (a sync
    Connection, from AsyncConnection.run_sync)."""
    config = Config()
    config.set_main_option("script_location", str(HERE))
    # Revision ids are sequence numbers (0001, 0002, ...): the order reads off the file names.
    config.set_main_option("file_template", "%%(rev)s_%%(slug)s")
    config.attributes["connection"] = connection
    return config


@cache
def script_directory() -> ScriptDirectory:
    """The revisions shipped with this code (parsed once per process: they never change at runtime)."""
    return ScriptDirectory.from_config(alembic_config())


def head() -> str:
    revision = script_directory().get_current_head()
    assert revision is not None, "storage/migrations/versions holds no revision"
    return revision


def render_item(type_: str, obj: Any, autogen_context: Any) -> str | bool:
    """sqlmodel's column types rendered as the portable SQLAlchemy types they stand for, so that a
    revision imports nothing but sqlalchemy and keeps working whatever sqlmodel becomes."""
    from sqlmodel.sql.sqltypes import AutoString, UTCDateTime

    if type_ == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime(timezone=True)"
    if type_ == "type" and isinstance(obj, AutoString):
        return f"sa.String(length={obj.length})" if obj.length else "sa.String()"
    return False
