"""Where a line from a force comes from, as a report names it: the short name, except
where a report says the city rather than the force area."""

from django.db import migrations, models

PLACES = {
    "Greater Manchester Police": "Manchester",
    "Metropolitan Police Service": "London",
}


def name_places(apps, schema_editor):
    Force = apps.get_model("reference", "Force")
    for name, place in PLACES.items():
        Force.objects.filter(name=name, place="").update(place=place)


class Migration(migrations.Migration):
    dependencies = [("reference", "0002_reference_data")]

    operations = [
        migrations.AddField(
            model_name="force",
            name="place",
            field=models.CharField(
                blank=True,
                help_text="The place reports name for its area (Manchester, London); the "
                "short name when empty",
                max_length=60,
            ),
        ),
        migrations.RunPython(name_places, migrations.RunPython.noop),
    ]
