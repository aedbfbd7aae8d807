"""Line references are unique whatever their case: `CL-1` and `cl-1` are one line.

The reference keeps the case it was typed in; `reference_key` holds its case-folded
normal form (core.references) and is unique. Existing lines are given their key; two
that differ only in case stop the migration, naming them, for a person to merge.
"""

import unicodedata

from django.db import migrations, models


def key(reference: str) -> str:
    # core.references.reference_key, as it is when this migration is written.
    return " ".join(unicodedata.normalize("NFKC", reference or "").split()).casefold()


def add_keys(apps, schema_editor):
    Line = apps.get_model("lines", "Line")
    lines = list(Line.objects.only("pk", "reference"))
    seen: dict[str, str] = {}
    clashes = []
    for line in lines:
        line.reference_key = key(line.reference)
        if line.reference_key in seen:
            clashes.append(f"{seen[line.reference_key]} and {line.reference}")
        seen.setdefault(line.reference_key, line.reference)
    if clashes:
        raise RuntimeError(
            "These lines have references that differ only in case; merge them first: "
            + "; ".join(clashes)
        )
    Line.objects.bulk_update(lines, ["reference_key"], batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [("lines", "0002_phone_number_national_and_no_overlap")]

    operations = [
        migrations.AddField(
            model_name="line",
            name="reference_key",
            field=models.CharField(default="", editable=False, max_length=80),
            preserve_default=False,
        ),
        migrations.RunPython(add_keys, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="line",
            name="reference_key",
            field=models.CharField(editable=False, max_length=80, unique=True),
        ),
        migrations.AlterField(
            model_name="line",
            name="reference",
            field=models.CharField(max_length=40),
        ),
        migrations.AddConstraint(
            model_name="line",
            constraint=models.CheckConstraint(
                condition=models.Q(("reference_key", ""), _negated=True),
                name="line_reference_key_set",
            ),
        ),
    ]
