"""The migrations build exactly the schema the store's table definitions describe."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from causerie.store import schema
from tests.support.databases import open_store

pytestmark = pytest.mark.integration


@pytest.mark.parametrize("kind", ["sqlite", "postgres"])
async def test_migrated_schema_matches_table_definitions(kind: str, tmp_path: Path) -> None:
    def differences(connection: Any) -> list[Any]:
        context = MigrationContext.configure(connection)
        return [
            d
            for d in compare_metadata(context, schema.metadata)
            if not (
                isinstance(d, tuple) and d[0] == "remove_table" and d[1].name == "alembic_version"
            )
        ]

    async with open_store(kind, tmp_path) as store, store.engine.connect() as connection:
        assert await connection.run_sync(differences) == []
