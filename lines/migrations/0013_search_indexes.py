from django.db import migrations

from core.search_indexes import search_indexes, trigram


class Migration(migrations.Migration):
    dependencies = [
        ("lines", "0012_line_active_indexes"),
    ]

    operations = [
        search_indexes(
            ("line_reference_key_trgm", "lines_line", trigram("reference_key")),
            ("line_name_trgm", "lines_line", trigram("UPPER(name::text)")),
        ),
    ]
