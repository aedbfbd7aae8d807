"""CSV kind `persons` (interfaces.md §2): the nominals, keyed by reference."""

from functools import cached_property

from accounts.permissions import Capability
from imports.kinds import BatchResult, Column, ImportKind, reference_column, register
from imports.parsers import choice, name_text, parse_date

from .models import Gender, Person
from .rules import FORENAMES, SURNAME
from .services import person_upsert_many


@register
class PersonsImport(ImportKind):
    name = "persons"
    title = "People"
    description = "One row per person (nominal), keyed by their reference."
    key = ("reference",)
    capability = Capability.CHANGE_PERSONS
    noun = "person"
    records_url_name = "persons:person_list"

    @cached_property
    def columns(self) -> tuple[Column, ...]:
        return (
            reference_column(Person),
            Column("surname", required=True, parse=name_text(SURNAME, limit=80)),
            Column("forenames", parse=name_text(FORENAMES, limit=120)),
            Column("date_of_birth", parse=parse_date, help_text="YYYY-MM-DD"),
            Column(
                "gender",
                parse=choice(Gender, aliases={"F": Gender.FEMALE, "M": Gender.MALE}),
                help_text="female, male or other",
            ),
        )

    def write(self, rows) -> BatchResult:
        return person_upsert_many(user=self.user, rows=rows, audit_detail=self.audit_detail)
