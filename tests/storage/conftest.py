"""Fixtures of the repository tests: the database with its tables, and a second one on the same
database standing for another replica (its own engine and connections, as another process has)."""

from __future__ import annotations

import pytest

from storage.db import Database


@pytest.fixture
async def other_db(db, database_url):
    """Another replica's connections to `db`'s database."""
    database = Database(database_url)
    yield database
    await database.dispose()
