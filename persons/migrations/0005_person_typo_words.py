from django.db import migrations, models

from persons.names import alias_list, typo_words

INDEX = "person_typo_words_gin"


def fill(apps, schema_editor):
    """The keys of the people already recorded, a block at a time."""
    person = apps.get_model("persons", "Person")
    last = 0
    while True:
        block = list(
            person.objects.filter(pk__gt=last)
            .order_by("pk")
            .only("surname", "forenames", "aliases")[:2000]
        )
        if not block:
            return
        for each in block:
            each.typo_words = typo_words(
                surname=each.surname, forenames=each.forenames, aliases=alias_list(each.aliases)
            )
        person.objects.bulk_update(block, ["typo_words"])
        last = block[-1].pk


def index(apps, schema_editor):
    # PostgreSQL answers `?|` (has_any_keys) from a GIN index; SQLite, the development
    # database, reads every row (a few thousand there).
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"CREATE INDEX {INDEX} ON persons_person USING gin (typo_words)")


def unindex(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [
        ("persons", "0004_person_review_idx"),
    ]

    operations = [
        migrations.AddField(
            model_name="person",
            name="typo_words",
            field=models.JSONField(default=list, editable=False),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
        migrations.RunPython(index, unindex),
    ]
