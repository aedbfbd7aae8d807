from django.db import migrations

from core.search_indexes import compact_postcode, search_indexes, trigram


class Migration(migrations.Migration):
    dependencies = [
        ("persons", "0005_person_typo_words"),
    ]

    operations = [
        search_indexes(
            ("person_address_trgm", "persons_personaddress", trigram("UPPER(address)")),
            ("person_address_postcode_idx", "persons_personaddress", compact_postcode()),
        ),
    ]
