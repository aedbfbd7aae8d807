"""Writes of operations, arrests, charges, sentences and seizures: what the screens and
the imports (`arrests`, `charges`, `sentences`, `seizures`) call."""

from collections.abc import Iterable, Mapping, Sequence
from typing import Any, TypeVar

from django.db import transaction

from accounts.models import User
from core.batch import BatchResult
from records.models import ReferencedRecord
from records.single import record_create, record_update
from records.upserts import KeyedRecords, ReferenceTo, upsert_by_reference
from reference.models import CommandArea

from .models import Arrest, Charge, Operation, Seizure, Sentence
from .rules import seizure_problems, sentence_problems

Rows = Sequence[Mapping[str, Any]]
# An arrest, charge, sentence or seizure: the records that disrupt a line.
_Enforcement = TypeVar("_Enforcement", bound=ReferencedRecord)

_PERSON = ReferenceTo("person_reference", "person", hint="Import or add the person first.")
_LINE = ReferenceTo("line_reference", "line", hint="Import or add the line first.")
_OPERATION = ReferenceTo("operation_reference", "operation", hint="Add the operation first.")

OPERATION_FIELDS = (
    "name",
    "kind",
    "started_on",
    "ended_on",
    "funding_source",
    "funding_amount",
)
# Each writes every field its model declares (records.upserts.editable_fields), which
# the screens may change too (`enforcement_update`), and exports them as its file.
ARRESTS = KeyedRecords(
    Arrest,
    references=(_PERSON, _LINE, _OPERATION),
    past_dates=(("arrested_on", "date of arrest"),),
)
CHARGES = KeyedRecords(
    Charge,
    references=(_PERSON, _LINE),
    past_dates=(("charged_on", "date charged"),),
)
SENTENCES = KeyedRecords(
    Sentence,
    references=(_PERSON, _LINE),
    rules=lambda values, today: sentence_problems(**values),
    past_dates=(("sentenced_on", "date sentenced"),),
)
SEIZURES = KeyedRecords(
    Seizure,
    references=(_LINE, _OPERATION),
    rules=lambda values, today: seizure_problems(**values),
    past_dates=(("seized_on", "date seized"),),
)
_BY_MODEL = {records.model: records for records in (ARRESTS, CHARGES, SENTENCES, SEIZURES)}


def arrest_upsert_many(
    *, user: User | None, rows: Rows, audit_detail: Mapping[str, Any] | None = None
) -> BatchResult:
    return upsert_by_reference(ARRESTS, user=user, rows=rows, audit_detail=audit_detail)


def charge_upsert_many(
    *, user: User | None, rows: Rows, audit_detail: Mapping[str, Any] | None = None
) -> BatchResult:
    return upsert_by_reference(CHARGES, user=user, rows=rows, audit_detail=audit_detail)


def sentence_upsert_many(
    *, user: User | None, rows: Rows, audit_detail: Mapping[str, Any] | None = None
) -> BatchResult:
    return upsert_by_reference(SENTENCES, user=user, rows=rows, audit_detail=audit_detail)


def seizure_upsert_many(
    *, user: User | None, rows: Rows, audit_detail: Mapping[str, Any] | None = None
) -> BatchResult:
    return upsert_by_reference(SEIZURES, user=user, rows=rows, audit_detail=audit_detail)


@transaction.atomic
def operation_create(
    *, user: User, reference: str, command_areas: Iterable[CommandArea] = (), **fields: Any
) -> Operation:
    return record_create(
        Operation,
        user=user,
        reference=reference,
        many_to_many={"command_areas": list(command_areas)},
        **fields,
    )


@transaction.atomic
def operation_update(
    *,
    operation: Operation,
    user: User,
    command_areas: Iterable[CommandArea] | None = None,
    expected_version: int | None = None,
    **fields: Any,
) -> tuple[Operation, bool]:
    changed = record_update(
        operation,
        user=user,
        fields=fields,
        allowed=(*OPERATION_FIELDS, "command_areas"),
        expected_version=expected_version,
        many_to_many={} if command_areas is None else {"command_areas": command_areas},
    )
    return operation, bool(changed)


@transaction.atomic
def enforcement_create(
    *, model: type[_Enforcement], user: User, reference: str, **fields: Any
) -> _Enforcement:
    """A new arrest, charge, sentence or seizure, entered on screen."""
    if model not in _BY_MODEL:
        raise TypeError(f"{model.__name__} is not an enforcement record")
    return record_create(model, user=user, reference=reference, **fields)


@transaction.atomic
def enforcement_update(
    *,
    obj: ReferencedRecord,
    user: User,
    expected_version: int | None = None,
    **fields: Any,
) -> bool:
    """Changes the given fields of an arrest, charge, sentence or seizure; returns whether
    anything changed (raises EditConflict over a newer version)."""
    records = _BY_MODEL[type(obj)]
    changed = record_update(
        obj, user=user, fields=fields, allowed=records.fields, expected_version=expected_version
    )
    return bool(changed)
