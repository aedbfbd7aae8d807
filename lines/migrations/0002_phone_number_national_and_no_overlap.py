"""Phone numbers keep their national form; the database refuses overlapping attributions.

Also drops two indexes nothing reads (every import pays for each index it writes): the
LIKE-prefix index PostgreSQL adds for `unique=True` on a number (a UniqueConstraint has
none), and the index on an attribution's line (the natural key's unique index starts
with the line).

The rule "one number is not attributed twice to one line for overlapping periods" is
checked by the services, with a clear message, after locking the line. The database
enforces it too, so that no path (two imports at once, an import and a form, raw SQL)
can slip past: an exclusion constraint on PostgreSQL (btree_gist), triggers on SQLite.
"""

import django.db.models.deletion
from django.db import migrations, models

import lines.phone

POSTGRESQL_CREATE = """
CREATE EXTENSION IF NOT EXISTS btree_gist;
ALTER TABLE lines_linenumber ADD CONSTRAINT line_number_no_overlap EXCLUDE USING gist (
    number_id WITH =,
    line_id WITH =,
    daterange(attributed_from, attributed_to, '[]') WITH &&
)
"""
# The number first: it splits the index finer than the line, and inserts cost a third less.
# The extension stays: other tables may come to use it.
POSTGRESQL_DROP = "ALTER TABLE lines_linenumber DROP CONSTRAINT IF EXISTS line_number_no_overlap"

# Dates are ISO text in SQLite, so they compare as dates; an open end is the last day.
_SQLITE_OVERLAP = """
    EXISTS (
        SELECT 1 FROM lines_linenumber AS other
        WHERE other.line_id = NEW.line_id AND other.number_id = NEW.number_id
          AND other.id IS NOT NEW.id
          AND other.attributed_from <= COALESCE(NEW.attributed_to, '9999-12-31')
          AND COALESCE(other.attributed_to, '9999-12-31') >= NEW.attributed_from
    )
"""
SQLITE_CREATE = [
    f"""
    CREATE TRIGGER line_number_no_overlap_{event.split()[0].lower()}
    BEFORE {event} ON lines_linenumber
    WHEN {_SQLITE_OVERLAP}
    BEGIN SELECT RAISE(ABORT, 'line_number_no_overlap: overlapping attribution'); END
    """
    for event in ("INSERT", "UPDATE OF line_id, number_id, attributed_from, attributed_to")
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS line_number_no_overlap_insert",
    "DROP TRIGGER IF EXISTS line_number_no_overlap_update",
]


def add_national_form(apps, schema_editor):
    PhoneNumber = apps.get_model("lines", "PhoneNumber")
    numbers = list(PhoneNumber.objects.all())
    for number in numbers:
        number.national = lines.phone.national_format(number.e164)
    PhoneNumber.objects.bulk_update(numbers, ["national"], batch_size=1000)


def refuse_overlaps(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRESQL_CREATE, params=None)
    elif vendor == "sqlite":
        for statement in SQLITE_CREATE:
            schema_editor.execute(statement, params=None)


def allow_overlaps(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRESQL_DROP, params=None)
    elif vendor == "sqlite":
        for statement in SQLITE_DROP:
            schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):
    dependencies = [("lines", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="phonenumber",
            name="national",
            field=models.CharField(
                default="", editable=False, max_length=30, verbose_name="number"
            ),
            preserve_default=False,
        ),
        migrations.RunPython(add_national_form, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="linenumber",
            name="line",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="attributions",
                to="lines.line",
            ),
        ),
        migrations.AlterField(
            model_name="phonenumber",
            name="e164",
            field=models.CharField(max_length=20, verbose_name="number (E.164)"),
        ),
        migrations.AddConstraint(
            model_name="phonenumber",
            constraint=models.UniqueConstraint(fields=("e164",), name="phone_number_e164_unique"),
        ),
        # Last: SQLite rebuilds a table to alter it, and the rebuilt table has no triggers.
        migrations.RunPython(refuse_overlaps, allow_overlaps),
    ]
