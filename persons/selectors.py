"""A user's people: the list, the export, one person and what is recorded about them."""

import datetime
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

from django.db import connection, transaction
from django.db.models import Q, QuerySet
from django.db.models.expressions import RawSQL

from accounts.access import get_record_for_user
from accounts.models import User
from accounts.permissions import visible_to
from core.references import reference_key
from records.timeline import TimelineEvent, changes_made, newest_first

from .filters import PersonFilter
from .models import LineRole, Person, PersonAddress, PersonNumber
from .names import name_key

EXPORT_CHUNK = 2000

# What is recorded about a person, each changed on its own form.
_Record = TypeVar("_Record", PersonNumber, PersonAddress, LineRole)


def visible_persons(*, user: User) -> QuerySet[Person]:
    """Every person `user` may see: all of them for police roles, none for partners."""
    return visible_to(user, Person.objects.all())


def with_a_word_among(words: list[str]) -> Q:
    """The persons with one of `words` among the words of their names and aliases
    (`typo_words`), by an index on PostgreSQL (`?|`, which finds an array's strings).
    SQLite reads the array with json_each: its `has_any_keys` looks for an object's keys,
    one condition a word, and a few hundred of them nest deeper than SQLite parses."""
    if connection.vendor == "postgresql":
        return Q(typo_words__has_any_keys=words)
    table = Person._meta.db_table
    placeholders = ", ".join(["%s"] * len(words))
    having = RawSQL(  # noqa: S611  (the table's name and placeholders: the words are parameters)
        f"SELECT {table}.id FROM {table}, json_each({table}.typo_words) "  # noqa: S608
        f"WHERE json_each.value IN ({placeholders})",
        words,
    )
    return Q(pk__in=having)


@contextmanager
def looked_up_in_the_index() -> Iterator[None]:
    """Queries of `with_a_word_among` inside read the GIN index on PostgreSQL (bitmap scans
    only). Its planner prices `?|` with hundreds of words (a typo's variants) as cheap
    on every row, and chooses to read the table: 1–2 s at 100,000 people, where the
    index answers in a millisecond."""
    if connection.vendor != "postgresql":
        yield
        return
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off; SET LOCAL enable_indexscan = off")
        try:
            yield
        finally:
            cursor.execute("SET LOCAL enable_seqscan = on; SET LOCAL enable_indexscan = on")


def get_person_for_user(user: User, pk: int | str, *, to_change: bool = False) -> Person:
    """The person `pk` if `user` may see them (else 404), and change them when
    `to_change` (else 403)."""
    return get_record_for_user(user, Person.objects.all(), pk, to_change=to_change)


def get_person_record(user: User, person: Person, model: type[_Record], pk: int | str) -> _Record:
    """One of `person`'s numbers, addresses or roles (the person already checked with
    get_person_for_user(to_change=True)): 404 if it is another person's."""
    return get_record_for_user(user, model.objects.filter(person=person), pk)


def person_for_reference(*, user: User, reference: str) -> Person | None:
    """The visible person with this reference (in any case), if any."""
    return visible_persons(user=user).filter(reference_key=reference_key(reference)).first()


def person_list(*, user: User, filters: dict[str, Any]) -> PersonFilter:
    """The people `user` may see, filtered and sorted by `filters`: the FilterSet."""
    return PersonFilter(filters, queryset=visible_persons(user=user))


# The export's columns, named as the `persons` import's where it has them.
PERSON_EXPORT_COLUMNS = (
    "reference",
    "surname",
    "forenames",
    "date_of_birth",
    "gender",
    "vulnerable_adult",
    "exploited",
    "nrm_stage",
    "next_review_on",
)


def person_export_rows(*, persons: QuerySet[Person]) -> Iterator[list]:
    values = persons.values_list(*PERSON_EXPORT_COLUMNS)
    for row in values.iterator(chunk_size=EXPORT_CHUNK):
        yield list(row)


def person_numbers(*, person: Person) -> list[PersonNumber]:
    return list(person.numbers.select_related("number"))


def person_addresses(*, person: Person) -> list[PersonAddress]:
    return list(person.addresses.all())


def person_line_roles(*, person: Person) -> list[LineRole]:
    return list(person.line_roles.select_related("line", "recorded_by"))


def likely_duplicates(
    *, user: User, surname: str, forenames: str, date_of_birth: datetime.date | None
) -> list[Person]:
    """People already recorded who may be this one: the same date of birth and a name
    that shares its surname or its forenames (accents, case and spacing ignored)."""
    if date_of_birth is None:
        return []
    candidates = visible_persons(user=user).filter(date_of_birth=date_of_birth)
    surname_key, forenames_key = name_key(surname), name_key(forenames)
    return [
        person
        for person in candidates[:50]
        if (surname_key and surname_key in person.names_key)
        or (forenames_key and forenames_key in person.names_key)
    ]


def person_enforcement(*, person: Person) -> dict[str, list]:
    """Their arrests (each saying whether they were a child then), charges and sentences,
    newest first (recorded by `operations`)."""
    return {
        "arrests": list(person.arrests.select_related("line", "operation", "command_area")),
        "charges": list(person.charges.select_related("line")),
        "sentences": list(person.sentences.select_related("line")),
    }


def person_timeline(
    *, person: Person, roles: list[LineRole], enforcement: dict[str, list]
) -> list[TimelineEvent]:
    """Their history, newest first: roles on lines, arrests, charges, sentences, NRM
    referral and every change to their record. Built from the records each time."""
    events = []
    for role in roles:
        events.append(
            TimelineEvent(
                kind="role",
                on=role.started_on,
                title=f"{role.get_role_display()} on {role.line.reference}",
                description=f"{role.line.name}, graded {role.grading}.",
            )
        )
    for arrest in enforcement["arrests"]:
        child = " (a child)" if arrest.was_child else ""
        events.append(
            TimelineEvent(
                kind="arrested",
                on=arrest.arrested_on,
                title=f"Arrested{child}",
                description=(
                    f"In {arrest.command_area}, {arrest.reference}. "
                    f"{arrest.get_drug_test_display()}."
                ),
            )
        )
    for charge in enforcement["charges"]:
        events.append(
            TimelineEvent(
                kind="charged", on=charge.charged_on, title="Charged", description=charge.offence
            )
        )
    for sentence in enforcement["sentences"]:
        months = sentence.custody_months
        events.append(
            TimelineEvent(
                kind="sentenced",
                on=sentence.sentenced_on,
                title="Sentenced",
                description=f"{months} month{'' if months == 1 else 's'} in custody.",
            )
        )
    if person.nrm_referred_on:
        events.append(
            TimelineEvent(
                kind="nrm",
                on=person.nrm_referred_on,
                title="Referred to the National Referral Mechanism",
                description=person.get_nrm_stage_display(),
            )
        )
    events.extend(changes_made(person))
    return newest_first(events, _TIMELINE_ORDER)


# On the same day, events follow a case: a role, an arrest, a charge, a sentence.
_TIMELINE_ORDER = {"role": 0, "arrested": 1, "nrm": 2, "charged": 3, "sentenced": 4, "changed": 5}
