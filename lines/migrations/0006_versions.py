"""Lines and attributions carry a version, raised by every update (records.versions)."""

import importlib

from django.db import migrations, models

no_overlap = importlib.import_module("lines.migrations.0002_phone_number_national_and_no_overlap")


def triggers_again(apps, schema_editor):
    # SQLite rebuilds a table to add a column, and the rebuilt table has no triggers.
    if schema_editor.connection.vendor == "sqlite":
        no_overlap.allow_overlaps(apps, schema_editor)
        no_overlap.refuse_overlaps(apps, schema_editor)


class Migration(migrations.Migration):
    dependencies = [("lines", "0005_line_verbose_name")]

    operations = [
        # Run last when the migration is reversed: removing the columns rebuilds the table.
        migrations.RunPython(migrations.RunPython.noop, triggers_again),
        migrations.AddField(
            model_name="line",
            name="version",
            field=models.PositiveIntegerField(default=1, editable=False),
        ),
        migrations.AddField(
            model_name="linenumber",
            name="version",
            field=models.PositiveIntegerField(default=1, editable=False),
        ),
        migrations.RunPython(triggers_again, migrations.RunPython.noop),
    ]
