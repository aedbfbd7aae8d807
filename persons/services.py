"""Writes of people, their numbers, addresses and roles on lines: what the screens and
the `persons` import call."""

import datetime
from collections.abc import Mapping, Sequence
from typing import Any

from django.db import transaction

from accounts.models import User
from core.batch import BatchResult
from lines.models import Line, PhoneNumber
from records.single import record_create, record_update
from records.upserts import KeyedRecords, upsert_by_reference

from .models import LineRole, Person, PersonAddress, PersonNumber
from .names import full_name
from .rules import person_problems


def _person_rules(values: Mapping[str, Any], today: datetime.date) -> dict[str, str]:
    return person_problems(
        surname=values["surname"],
        forenames=values["forenames"],
        aliases=values["aliases"],
        date_of_birth=values["date_of_birth"],
        exploited=values["exploited"],
        nrm_referred_on=values["nrm_referred_on"],
        nrm_stage=values["nrm_stage"],
        today=today,
    )


PERSONS = KeyedRecords(
    Person,
    # Every field of a person (records.upserts.editable_fields), which the screens may
    # change too: a file holds the first five, the others are kept as they are (and
    # checked with them).
    rules=_person_rules,
    label=lambda reference, values: (
        f"{reference} {full_name(surname=values['surname'], forenames=values['forenames'])}"
    ),
)


def person_upsert_many(
    *,
    user: User | None,
    rows: Sequence[Mapping[str, Any]],
    audit_detail: Mapping[str, Any] | None = None,
) -> BatchResult:
    """Create or update the persons of `rows` by reference (the `persons` import)."""
    return upsert_by_reference(PERSONS, user=user, rows=rows, audit_detail=audit_detail)


@transaction.atomic
def person_create(*, user: User, reference: str, surname: str, **fields: Any) -> Person:
    return record_create(Person, user=user, reference=reference, surname=surname.strip(), **fields)


@transaction.atomic
def person_update(
    *, person: Person, user: User, expected_version: int | None = None, **fields: Any
) -> tuple[Person, bool]:
    """Changes the given fields; returns the person and whether anything changed (raises
    EditConflict over a newer version, as every record form)."""
    changed = record_update(
        person,
        user=user,
        fields=fields,
        allowed=PERSONS.fields,
        expected_version=expected_version,
    )
    return person, bool(changed)


@transaction.atomic
def person_number_add(
    *,
    user: User,
    person: Person,
    number: PhoneNumber,
    used_from: datetime.date,
    used_to: datetime.date | None = None,
) -> PersonNumber:
    return record_create(
        PersonNumber, user=user, person=person, number=number, used_from=used_from, used_to=used_to
    )


@transaction.atomic
def person_address_add(*, user: User, person: Person, address: str, **fields: Any) -> PersonAddress:
    return record_create(PersonAddress, user=user, person=person, address=address.strip(), **fields)


@transaction.atomic
def line_role_add(*, user: User, person: Person, line: Line, **fields: Any) -> LineRole:
    return record_create(LineRole, user=user, person=person, line=line, recorded_by=user, **fields)


# What the screens may change of what is recorded about a person.
CHANGEABLE = {
    PersonNumber: ("used_from", "used_to"),
    PersonAddress: ("address", "postcode", "lived_from", "lived_to"),
    LineRole: (
        "role",
        "started_on",
        "ended_on",
        "source_evaluation",
        "assessment",
        "handling_code",
    ),
}


@transaction.atomic
def person_record_update(
    *,
    record: PersonNumber | PersonAddress | LineRole,
    user: User,
    expected_version: int | None = None,
    **fields: Any,
) -> bool:
    """Changes a person's number, address or role on a line; returns whether anything
    changed (raises EditConflict over a newer version, as every record form)."""
    changed = record_update(
        record,
        user=user,
        fields=fields,
        allowed=CHANGEABLE[type(record)],
        expected_version=expected_version,
    )
    return bool(changed)
