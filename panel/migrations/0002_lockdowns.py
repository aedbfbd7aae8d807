"""England's three national lockdowns, for the charts to shade (managers may edit them).

Each period runs from the day the lockdown began to the last day the legal duty to stay
at home applied in England: the Health Protection (Coronavirus, Restrictions) (England)
Regulations 2020 (from 26 March 2020, announced on 23 March; the duty replaced on
1 June 2020), the No. 4 Regulations (5 November to 2 December 2020) and the 2021
amendments of the All Tiers Regulations (from 6 January 2021; the stay-at-home duty
ended on 29 March 2021).
"""

import datetime

from django.db import migrations

LOCKDOWNS = (
    ("First national lockdown", datetime.date(2020, 3, 23), datetime.date(2020, 5, 31)),
    ("Second national lockdown", datetime.date(2020, 11, 5), datetime.date(2020, 12, 1)),
    ("Third national lockdown", datetime.date(2021, 1, 6), datetime.date(2021, 3, 28)),
)
NOTE = "England; the last day the duty to stay at home applied."


def create(apps, schema_editor):
    annotation = apps.get_model("panel", "ChartAnnotation")
    for name, starts_on, ends_on in LOCKDOWNS:
        annotation.objects.get_or_create(
            name=name, defaults={"starts_on": starts_on, "ends_on": ends_on, "note": NOTE}
        )


def remove(apps, schema_editor):
    annotation = apps.get_model("panel", "ChartAnnotation")
    annotation.objects.filter(name__in=[name for name, _start, _end in LOCKDOWNS]).delete()


class Migration(migrations.Migration):
    dependencies = [("panel", "0001_initial")]
    operations = [migrations.RunPython(create, remove)]
