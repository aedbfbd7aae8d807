"""Writes of the panel's own inputs: recorded drug offences (the `police-uk` import) and
drug-related deaths (the `deaths` import and form)."""

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.db import transaction

from core.batch import BatchResult
from core.records import record_create, record_update
from core.upserts import KeyedRecords, LinksTo, upsert_by_reference

from .models import DrugDeath, RecordedDrugOffence

Rows = Sequence[Mapping[str, Any]]

DRUG_OFFENCES = KeyedRecords(
    RecordedDrugOffence,
    fields=(
        "month",
        "reported_by",
        "falls_within",
        "longitude",
        "latitude",
        "location",
        "lsoa_code",
        "lsoa_name",
        "last_outcome",
    ),
    key_column="Crime ID",
    column_names=(
        ("month", "Month"),
        ("reported_by", "Reported by"),
        ("falls_within", "Falls within"),
        ("longitude", "Longitude"),
        ("latitude", "Latitude"),
        ("location", "Location"),
        ("lsoa_code", "LSOA code"),
        ("lsoa_name", "LSOA name"),
        ("last_outcome", "Last outcome category"),
    ),
    # Published open data, anonymised: the import's own audit event records the file.
    audited=False,
)
DEATH_FIELDS = ("date_of_death", "command_area", "source")
DEATHS = KeyedRecords(
    DrugDeath,
    fields=DEATH_FIELDS,
    links=(LinksTo("substances", "substances"),),
)


def drug_offence_upsert_many(*, user, rows: Rows, audit_detail=None) -> BatchResult:
    return upsert_by_reference(DRUG_OFFENCES, user=user, rows=rows, audit_detail=audit_detail)


def drug_death_upsert_many(*, user, rows: Rows, audit_detail=None) -> BatchResult:
    return upsert_by_reference(DEATHS, user=user, rows=rows, audit_detail=audit_detail)


@transaction.atomic
def drug_death_create(*, user, reference: str, substances: Iterable = (), **fields) -> DrugDeath:
    return record_create(
        DrugDeath,
        user=user,
        reference=reference,
        noun="death",
        many_to_many={"substances": list(substances)},
        **fields,
    )


@transaction.atomic
def drug_death_update(
    death: DrugDeath, *, user, expected_version=None, substances=None, **fields
) -> bool:
    changed = record_update(
        death,
        user=user,
        fields=fields,
        allowed=(*DEATH_FIELDS, "substances"),
        expected_version=expected_version,
        many_to_many={} if substances is None else {"substances": substances},
    )
    return bool(changed)
