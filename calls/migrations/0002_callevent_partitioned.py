"""On PostgreSQL the call rows are partitioned by the UTC month of `started_at`
(core/partitions.py): a default partition, and one a month for the two years before this
migration runs and the months the upkeep keeps ready ahead. SQLite keeps one table."""

from datetime import UTC, datetime
from typing import Any

from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor

from core.partitions import (
    MONTHS_AHEAD,
    month_add,
    month_of,
    partitioned_table_convert,
    partitioned_table_revert,
)

TABLE = "calls_callevent"
MONTHS_BEHIND = 24


def partition(apps: Any, schema_editor: BaseDatabaseSchemaEditor) -> None:
    this_month = month_of(datetime.now(UTC))
    months = [month_add(this_month, n) for n in range(-MONTHS_BEHIND, MONTHS_AHEAD + 1)]
    partitioned_table_convert(schema_editor, table=TABLE, column="started_at", months=months)


def unpartition(apps: Any, schema_editor: BaseDatabaseSchemaEditor) -> None:
    partitioned_table_revert(schema_editor, table=TABLE)


class Migration(migrations.Migration):
    dependencies = [
        ("calls", "0001_initial"),
        ("core", "0001_partition_upkeep"),
    ]

    operations = [migrations.RunPython(partition, unpartition)]
