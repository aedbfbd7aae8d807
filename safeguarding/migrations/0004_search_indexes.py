from django.db import migrations

from core.search_indexes import compact_postcode, search_indexes, trigram


class Migration(migrations.Migration):
    dependencies = [
        ("safeguarding", "0003_referral_retention_review"),
    ]

    operations = [
        search_indexes(
            ("referral_reference_key_trgm", "safeguarding_referral", trigram("reference_key")),
            ("referral_address_trgm", "safeguarding_referral", trigram("UPPER(address)")),
            ("referral_postcode_idx", "safeguarding_referral", compact_postcode()),
        ),
    ]
