from django.db import migrations

from core.search_indexes import search_indexes, trigram


class Migration(migrations.Migration):
    """Part of a person's name, alias or reference (`names_key`, `reference_key`
    `LIKE '%…%'`), answered by trigram indexes: the search box and the people list read
    every person without them (bench/README.md weighs what they cost the people import)."""

    dependencies = [
        ("persons", "0006_search_indexes"),
    ]

    operations = [
        search_indexes(
            ("person_names_key_trgm", "persons_person", trigram("names_key")),
            ("person_reference_key_trgm", "persons_person", trigram("reference_key")),
        ),
    ]
