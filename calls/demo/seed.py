"""Recording the demo disclosure and importing its rows through the `calls` import (every
rule, the monthly contact pairs and the audit apply), as the demo intelligence officer:
`manage.py seed_demo`'s step for this app."""

import datetime
import io

from django.db import transaction

from accounts.models import User
from core.demo import demo_step
from imports.runner import import_csv
from lines.models import PhoneNumber

from ..models import Source
from ..services.sources import source_create
from .plan import (
    AUTHORISATION,
    COVERS_FROM,
    COVERS_TO,
    DESCRIPTION,
    RETAIN_YEARS,
    SOURCE_REFERENCE,
    demo_calls_csv,
    demo_calls_plan,
)


@demo_step("calls", after=("lines", "persons"))
@transaction.atomic
def seed_demo_calls(*, user: User) -> int:
    """Records the demo disclosure and imports its rows, unless it is there already;
    returns how many records it created (the source and its rows)."""
    if Source.objects.filter(reference=SOURCE_REFERENCE).exists():
        return 0
    # The lines' and people's numbers: none of them is given a part in the call data.
    world = demo_calls_plan(taken=set(PhoneNumber.objects.values_list("e164", flat=True)))
    today = datetime.date.today()
    source_create(
        user=user,
        reference=SOURCE_REFERENCE,
        authorisation=AUTHORISATION,
        description=DESCRIPTION,
        numbers=sorted(world.lines.values()),
        covers_from=COVERS_FROM,
        covers_to=COVERS_TO,
        # Kept as long as the authorisation allows from today, so that the retention
        # purge never empties the demo.
        retain_until=datetime.date(today.year + RETAIN_YEARS, 12, 31),
    )
    result = import_csv(
        kind="calls",
        source=io.BytesIO(demo_calls_csv(world).encode()),
        source_name="demo-call-data.csv",
        user=user,
    )
    if not result.ok:
        raise ValueError(
            "The demo call data does not import: "
            + "; ".join(result.error_lines("demo-call-data.csv")[:5])
        )
    return 1 + result.created
