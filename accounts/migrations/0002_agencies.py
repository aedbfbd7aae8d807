"""Reference data: the agencies of the Blue Guardian partnership (interfaces.md §2).

Editable afterwards in the admin; a deploying partnership adds its own.
"""

from django.db import migrations

AGENCIES = [
    ("North Yorkshire Police", "police"),
    ("City of York Council", "local_authority"),
    ("North Yorkshire County Council", "local_authority"),
    ("North Yorkshire Fire and Rescue Service", "fire"),
    ("NHS North Yorkshire", "health"),
    ("Probation Service", "probation"),
    ("Housing provider", "housing"),
]


def create_agencies(apps, schema_editor):
    Agency = apps.get_model("accounts", "Agency")
    for name, kind in AGENCIES:
        Agency.objects.get_or_create(name=name, defaults={"kind": kind})


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial")]

    operations = [migrations.RunPython(create_agencies, migrations.RunPython.noop)]
