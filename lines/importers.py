"""CSV kinds `lines` and `line_numbers` (interfaces.md §2).

They parse cells and hand blocks of rows to the lines batch services, so an imported
line obeys exactly the rules of one entered on screen (and is audited the same way).
"""

from functools import cached_property, lru_cache

from django.core.exceptions import ValidationError

from accounts.permissions import Capability
from imports.kinds import BatchResult, Column, ImportKind, reference_column, register
from imports.parsers import name_text, parse_date, parse_reference, parse_reference_list
from reference.lookups import ReferenceLookup, command_area_lookup, force_lookup

from .models import Line
from .phone import parse_number
from .rules import BRAND_NAME, OVERLAP_CONSTRAINT
from .services import line_number_upsert_many, line_upsert_many
from .services.counts import numbers_counts_refresh

_FORCE_HINT = "Use the force's full name, short name or an alias listed in the reference data."
# Distinct numbers remembered per import: a file spells the same number many times,
# and parsing one costs more than anything else in a row.
NUMBER_CACHE_SIZE = 50_000


def _field_length(model, name: str) -> int:
    return model._meta.get_field(name).max_length


@register
class LinesImport(ImportKind):
    name = "lines"
    title = "Lines"
    description = "One row per county line, keyed by its reference."
    key = ("reference",)
    capability = Capability.CHANGE_LINES
    noun = "line"
    records_url_name = "lines:line_list"
    # Reopening a line clears its closure type; a refusal of that belongs to closed_on.
    field_columns = {"closure_type": "closed_on"}

    @cached_property
    def columns(self) -> tuple[Column, ...]:
        return (
            reference_column(Line),
            Column(
                "name",
                required=True,
                parse=name_text(BRAND_NAME, limit=_field_length(Line, "name")),
            ),
            Column("origin_force", required=True, parse=self.parse_force),
            Column(
                "command_areas",
                required=True,
                parse=self.parse_command_areas,
                help_text="one or more, separated by ;",
            ),
            Column("first_identified", required=True, parse=parse_date, help_text="YYYY-MM-DD"),
            Column("closed_on", parse=parse_date, help_text="YYYY-MM-DD, empty while active"),
        )

    @cached_property
    def forces(self) -> ReferenceLookup:
        return force_lookup()

    @cached_property
    def command_areas(self) -> ReferenceLookup:
        return command_area_lookup()

    def prepare(self) -> None:
        self.forces, self.command_areas  # noqa: B018  (loaded here, used by the parsers)

    def parse_force(self, text: str):
        return parse_reference(text, self.forces, hint=_FORCE_HINT)

    def parse_command_areas(self, text: str) -> list:
        try:
            return parse_reference_list(text, self.command_areas)
        except ValidationError as error:
            known = ", ".join(self.command_areas.names)
            raise ValidationError(f"{error.messages[0]} The command areas are: {known}.") from None

    def write(self, rows) -> BatchResult:
        return line_upsert_many(user=self.user, rows=rows, audit_detail=self.audit_detail)


@register
class LineNumbersImport(ImportKind):
    name = "line_numbers"
    title = "Line numbers"
    description = "The numbers lines used and when, keyed by line reference, number and start date."
    key = ("line_reference", "number", "attributed_from")
    capability = Capability.CHANGE_LINES
    noun = "number attribution"
    records_url_name = "lines:line_list"
    field_columns = {"line": "line_reference"}
    constraint_messages = {
        OVERLAP_CONSTRAINT: (
            "Another import or an officer attributed one of these numbers to the same line, "
            "for an overlapping period, while the file was being imported."
        )
    }

    @cached_property
    def columns(self) -> tuple[Column, ...]:
        return (
            reference_column(Line, "line_reference"),
            # Kept as typed: the batch service recognises stored numbers by their digits
            # and parses only new ones (with `parse_number`, cached for the import).
            Column("number", required=True, help_text="any UK or international spelling"),
            Column("attributed_from", required=True, parse=parse_date, help_text="YYYY-MM-DD"),
            Column("attributed_to", parse=parse_date, help_text="YYYY-MM-DD, empty while in use"),
        )

    @cached_property
    def parse_number(self):
        return lru_cache(maxsize=NUMBER_CACHE_SIZE)(parse_number)

    @cached_property
    def lines_counted(self) -> set[int]:
        """The lines given a number: their counts are refreshed once, at the end."""
        return set()

    def write(self, rows) -> BatchResult:
        return line_number_upsert_many(
            user=self.user,
            rows=rows,
            audit_detail=self.audit_detail,
            parse=self.parse_number,
            counts_refresh=self.lines_counted.update,
        )

    def finish(self) -> None:
        numbers_counts_refresh(line_ids=self.lines_counted)
