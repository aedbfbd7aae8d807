"""CSV kinds `arrests`, `charges`, `sentences` and `seizures` (interfaces.md §2).

Each names its person, line and operation by reference; the batch service resolves
them (to records of the database: persons and lines come in their own files).
"""

from functools import cached_property

from accounts.permissions import Capability
from imports.kinds import BatchResult, Column, ImportKind, reference_column, register
from imports.parsers import (
    choice,
    decimal_number,
    max_length,
    one_known,
    parse_date,
    whole_number,
    yes_no,
)
from lines.models import Line
from persons.models import Person
from reference.lookups import ReferenceLookup, command_area_lookup, drug_lookup

from . import services
from .models import Arrest, Charge, DrugTest, Operation, Seizure, Sentence

DATE = "YYYY-MM-DD"


def _person_column() -> Column:
    return reference_column(Person, "person_reference")


def _line_column() -> Column:
    return reference_column(Line, "line_reference", required=False)


def _operation_column() -> Column:
    return reference_column(Operation, "operation_reference", required=False)


class _EnforcementImport(ImportKind):
    key = ("reference",)
    capability = Capability.CHANGE_OPERATIONS
    # Errors of the rules are on fields; the file names them so.
    field_columns = {
        "person": "person_reference",
        "line": "line_reference",
        "operation": "operation_reference",
    }


@register
class ArrestsImport(_EnforcementImport):
    name = "arrests"
    title = "Arrests"
    description = "One row per arrest, keyed by its reference; the person must be known."
    noun = "arrest"
    records_url_name = "operations:arrest_list"

    @cached_property
    def command_areas(self) -> ReferenceLookup:
        return command_area_lookup()

    def prepare(self) -> None:
        self.command_areas  # noqa: B018  (loaded here, used by the parsers)

    @cached_property
    def columns(self) -> tuple[Column, ...]:
        return (
            reference_column(Arrest),
            _person_column(),
            Column("arrested_on", required=True, parse=parse_date, help_text=DATE),
            Column("command_area", required=True, parse=one_known(lambda: self.command_areas)),
            _line_column(),
            _operation_column(),
            Column("drug_test", parse=choice(DrugTest), help_text="not tested, negative…"),
            Column("treatment_referral", parse=yes_no, help_text="yes or no"),
        )

    def write(self, rows) -> BatchResult:
        return services.arrest_upsert_many(
            user=self.user, rows=rows, audit_detail=self.audit_detail
        )


@register
class ChargesImport(_EnforcementImport):
    name = "charges"
    title = "Charges"
    description = "One row per charge, keyed by its reference; the person must be known."
    noun = "charge"
    records_url_name = "operations:charge_list"

    @cached_property
    def columns(self) -> tuple[Column, ...]:
        return (
            reference_column(Charge),
            _person_column(),
            Column("charged_on", required=True, parse=parse_date, help_text=DATE),
            Column("offence", required=True, parse=max_length(200)),
            _line_column(),
        )

    def write(self, rows) -> BatchResult:
        return services.charge_upsert_many(
            user=self.user, rows=rows, audit_detail=self.audit_detail
        )


@register
class SentencesImport(_EnforcementImport):
    name = "sentences"
    title = "Sentences"
    description = "One row per sentence, keyed by its reference; the person must be known."
    noun = "sentence"
    records_url_name = "operations:sentence_list"

    @cached_property
    def columns(self) -> tuple[Column, ...]:
        return (
            reference_column(Sentence),
            _person_column(),
            Column("sentenced_on", required=True, parse=parse_date, help_text=DATE),
            Column(
                "custody_months",
                required=True,
                parse=whole_number(minimum=0),
                help_text="a whole number, 0 or more",
            ),
            _line_column(),
        )

    def write(self, rows) -> BatchResult:
        return services.sentence_upsert_many(
            user=self.user, rows=rows, audit_detail=self.audit_detail
        )


@register
class SeizuresImport(_EnforcementImport):
    name = "seizures"
    title = "Seizures"
    description = "One row per seizure of cash, drugs or both, keyed by its reference."
    noun = "seizure"
    records_url_name = "operations:seizure_list"

    @cached_property
    def drugs(self) -> ReferenceLookup:
        return drug_lookup()

    def prepare(self) -> None:
        self.drugs  # noqa: B018  (loaded here, used by the parsers)

    @cached_property
    def columns(self) -> tuple[Column, ...]:
        return (
            reference_column(Seizure),
            Column("seized_on", required=True, parse=parse_date, help_text=DATE),
            Column(
                "cash_gbp",
                parse=decimal_number(places=2, what="amount of money"),
                help_text="pounds and pence, like 1250.50",
            ),
            Column("drug", parse=one_known(lambda: self.drugs)),
            Column("grams", parse=decimal_number(places=2, what="weight in grams")),
            _line_column(),
            _operation_column(),
        )

    def write(self, rows) -> BatchResult:
        return services.seizure_upsert_many(
            user=self.user, rows=rows, audit_detail=self.audit_detail
        )
