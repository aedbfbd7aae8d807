"""The registry of tables partitioned by month and the owner's functions that keep their
partitions (core/partitions.py). PostgreSQL only: SQLite has no partitions."""

from typing import Any

from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor

from core.partitions import upkeep_functions_create, upkeep_functions_drop


def create(apps: Any, schema_editor: BaseDatabaseSchemaEditor) -> None:
    upkeep_functions_create(schema_editor)


def drop(apps: Any, schema_editor: BaseDatabaseSchemaEditor) -> None:
    upkeep_functions_drop(schema_editor)


class Migration(migrations.Migration):
    initial = True

    operations = [migrations.RunPython(create, drop)]
