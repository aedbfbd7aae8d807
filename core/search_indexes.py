"""Indexes the search box (search/sources.py) reads on PostgreSQL, made by migrations.

`LIKE '%…%'` (`contains`, `icontains`: part of a name, a reference, an address) reads
every row of a table unless a trigram index (pg_trgm, `gin_trgm_ops`) answers it; a
postcode typed is compared with the postcode without its spaces (`REPLACE(UPPER(…))`),
which only an index on that expression answers. SQLite, the development database, has
neither and reads every row (the same answers, on a few thousand rows).

An index is (name, table, method and expression) as PostgreSQL writes it, the expression
as the lookup writes it: `UPPER(address)` for `icontains` (Django's
`UPPER("address"::text) LIKE UPPER('%…%')`).
"""

from typing import Any

from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor

SearchIndex = tuple[str, str, str]


def trigram(expression: str) -> str:
    """A trigram index on `expression`: for `LIKE '%…%'`."""
    return f"gin (({expression}) gin_trgm_ops)"


def compact_postcode(column: str = "postcode") -> str:
    """An index on the postcode without its spaces: for the whole postcode (`=`) and its
    outward part (`LIKE 'YO1%'`)."""
    return f"btree ((REPLACE(UPPER({column}), ' ', '')) text_pattern_ops)"


def search_indexes(*indexes: SearchIndex) -> migrations.RunPython:
    """A migration operation making `indexes` (and pg_trgm) on PostgreSQL only."""

    def create(apps: Any, schema_editor: BaseDatabaseSchemaEditor) -> None:
        if schema_editor.connection.vendor != "postgresql":
            return
        schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        for name, table, definition in indexes:
            schema_editor.execute(f"CREATE INDEX {name} ON {table} USING {definition}")
        # The planner knows an expression's values only once the table is analysed.
        for table in dict.fromkeys(table for _name, table, _definition in indexes):
            schema_editor.execute(f"ANALYZE {table}")

    def drop(apps: Any, schema_editor: BaseDatabaseSchemaEditor) -> None:
        if schema_editor.connection.vendor != "postgresql":
            return
        for name, _table, _definition in indexes:
            schema_editor.execute(f"DROP INDEX IF EXISTS {name}")

    return migrations.RunPython(create, drop)
