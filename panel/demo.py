"""The demo drug offences and drug-related deaths, for `manage.py seed_demo`, completing
the January 2022 panel report: drug offences recorded each month from November 2018 to
October 2021, with the spikes of the lockdown months (Figure 1), and over 90
drug-related deaths in 2021, cocaine and heroin implicated in at least 20 of them.

Written through the panel's batch services; records are matched on their reference,
so running it twice changes nothing. The Crime IDs are made up (police.uk's are hashes
too); the counts are illustrative, not North Yorkshire's.
"""

import datetime
import hashlib

from django.db import transaction

from core.batch import Outcome
from core.demo import demo_step
from reference.models import CommandArea, Drug, Force

from .models import DeathSource
from .periods import month_key
from .services import drug_death_upsert_many, drug_offence_upsert_many

FORCE = "North Yorkshire Police"
FIRST_MONTH = datetime.date(2018, 11, 1)
MONTHS = 36  # to October 2021
# Drug offences a month, before the pandemic and around the lockdowns.
USUAL = (142, 151, 138, 147, 155, 149, 160, 152, 144, 139, 148, 153)
LOCKDOWN_SPIKES = {
    datetime.date(2020, 3, 1): 214,
    datetime.date(2020, 4, 1): 287,
    datetime.date(2020, 5, 1): 263,
    datetime.date(2020, 6, 1): 198,
    datetime.date(2020, 11, 1): 231,
    datetime.date(2021, 1, 1): 246,
    datetime.date(2021, 2, 1): 229,
    datetime.date(2021, 3, 1): 204,
}
OUTCOMES = ("Under investigation", "Offender given a caution", "Local resolution")
LOCATIONS = ("On or near Parliament Street", "On or near Station Road", "On or near High Street")
# Deaths a year, and the drugs implicated in turn (most deaths implicate several).
DEATHS = {2020: 78, 2021: 94}
SUBSTANCES = (
    ("Heroin", "Cocaine"),
    ("Prescription medication",),
    ("Cocaine", "Alcohol"),
    ("Methadone", "Benzodiazepines"),
    ("Heroin",),
    ("Over-the-counter medication", "Alcohol"),
    ("Cocaine",),
    ("Heroin", "Prescription medication"),
    ("Other opioids",),
    ("Synthetic cannabinoids",),
)
AREAS = ("York", "Scarborough", "Harrogate", "Selby", "Craven", "Ryedale")


def _month(index: int) -> datetime.date:
    year, month = divmod(FIRST_MONTH.month - 1 + index, 12)
    return datetime.date(FIRST_MONTH.year + year, month + 1, 1)


def _created(result) -> int:
    return sum(1 for outcome in result.outcomes.values() if outcome is Outcome.CREATED)


@demo_step("panel", after=("enforcement",))
@transaction.atomic
def seed_demo_panel(*, user) -> int:
    """Creates the demo drug offences and deaths that are missing; returns how many."""
    force = Force.objects.get(name=FORCE)
    rows = []
    for index in range(MONTHS):
        month = _month(index)
        count = LOCKDOWN_SPIKES.get(month, USUAL[month.month - 1])
        for n in range(count):
            crime_id = hashlib.sha256(f"demo-{month_key(month)}-{n}".encode()).hexdigest()
            rows.append(
                {
                    "Crime ID": crime_id,
                    "Month": month,
                    "Reported by": force,
                    "Falls within": force,
                    "Location": LOCATIONS[n % len(LOCATIONS)],
                    "Last outcome category": OUTCOMES[n % len(OUTCOMES)],
                }
            )
    created = 0
    for block in range(0, len(rows), 2000):
        created += _created(drug_offence_upsert_many(user=user, rows=rows[block : block + 2000]))

    drugs = {drug.name: drug for drug in Drug.objects.all()}
    areas = {area.name: area for area in CommandArea.objects.all()}
    deaths = []
    for year, count in DEATHS.items():
        for n in range(count):
            deaths.append(
                {
                    "reference": f"NYP-DRD-{year}-{n + 1:03d}",
                    "date_of_death": datetime.date(year, 1, 1)
                    + datetime.timedelta(days=(n * 365) // count),
                    "command_area": areas[AREAS[n % len(AREAS)]],
                    "substances": [drugs[name] for name in SUBSTANCES[n % len(SUBSTANCES)]],
                    "source": DeathSource.CORONER if n % 3 else DeathSource.PUBLIC_HEALTH,
                }
            )
    result = drug_death_upsert_many(user=user, rows=deaths)
    if result.problems:
        raise ValueError(f"The demo deaths break a rule: {result.problems[:3]}")
    return created + _created(result)
