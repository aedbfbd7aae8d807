"""CSV kinds `lines` and `line_numbers` (interfaces.md §2).

They only parse cells and call lines.services, so an imported line obeys exactly
the rules of one entered on screen (and is audited the same way). Per row they
make a fixed number of queries: the reference data is looked up in memory, built
once per import.
"""

from functools import cached_property

from django.core.exceptions import ValidationError

from imports.kinds import Column, ImportKind, Outcome, Row, register
from imports.parsers import max_length, parse_date, parse_reference, parse_reference_list, quoted
from reference.lookups import ReferenceLookup, command_area_lookup, force_lookup
from reference.models import CommandArea

from .models import Line, LineNumber
from .phone import normalise_number
from .services import line_create, line_number_attribute, line_number_end, line_update

_FORCE_HINT = "Use the force's full name, short name or an alias listed in the reference data."


def _field_length(model, name: str) -> int:
    return model._meta.get_field(name).max_length


@register
class LinesImport(ImportKind):
    name = "lines"
    title = "Lines"
    description = "One row per county line, keyed by its reference."
    key = ("reference",)
    # Reopening a line clears its closure type; a refusal of that belongs to closed_on.
    field_columns = {"closure_type": "closed_on"}

    @cached_property
    def columns(self) -> tuple[Column, ...]:
        return (
            Column("reference", required=True, parse=max_length(_field_length(Line, "reference"))),
            Column("name", required=True, parse=max_length(_field_length(Line, "name"))),
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

    def parse_force(self, text: str):
        return parse_reference(text, self.forces, hint=_FORCE_HINT)

    def parse_command_areas(self, text: str) -> list:
        try:
            return parse_reference_list(text, self.command_areas)
        except ValidationError as error:
            # Listing the areas costs a query, only when a cell is wrong.
            known = ", ".join(CommandArea.objects.values_list("name", flat=True))
            raise ValidationError(f"{error.messages[0]} The command areas are: {known}.") from None

    def apply(self, row: Row) -> Outcome:
        fields = {
            "name": row["name"],
            "origin_force": row["origin_force"],
            "first_identified": row["first_identified"],
        }
        if "closed_on" in row:
            fields["closed_on"] = row["closed_on"]
        line = (
            Line.objects.select_related("origin_force").filter(reference=row["reference"]).first()
        )
        if line is None:
            line_create(
                user=self.user,
                reference=row["reference"],
                command_areas=row["command_areas"],
                **fields,
            )
            return Outcome.CREATED
        if "closed_on" in fields and fields["closed_on"] is None:
            fields["closure_type"] = ""  # reopened: a closure type belongs to a closed line
        _line, changed = line_update(
            line=line, user=self.user, command_areas=row["command_areas"], **fields
        )
        return Outcome.UPDATED if changed else Outcome.UNCHANGED


@register
class LineNumbersImport(ImportKind):
    name = "line_numbers"
    title = "Line numbers"
    description = "The numbers lines used and when, keyed by line reference, number and start date."
    key = ("line_reference", "number", "attributed_from")
    field_columns = {"line": "line_reference"}

    @cached_property
    def columns(self) -> tuple[Column, ...]:
        return (
            Column("line_reference", required=True),
            Column(
                "number",
                required=True,
                parse=normalise_number,
                help_text="any UK or international spelling",
            ),
            Column("attributed_from", required=True, parse=parse_date, help_text="YYYY-MM-DD"),
            Column("attributed_to", parse=parse_date, help_text="YYYY-MM-DD, empty while in use"),
        )

    def apply(self, row: Row) -> Outcome:
        attributed_from, attributed_to = row["attributed_from"], row.get("attributed_to")
        errors = {}
        # The model's own rule, checked before the look-up so that one row reports both problems.
        try:
            LineNumber(attributed_from=attributed_from, attributed_to=attributed_to).clean()
        except ValidationError as error:
            errors.update(error.message_dict)
        line = Line.objects.filter(reference=row["line_reference"]).first()
        if line is None:
            errors["line_reference"] = [
                f"No line has the reference {quoted(row['line_reference'])}, in the database "
                "or in an earlier row of this file."
            ]
        if errors:
            raise ValidationError(errors)
        attribution = (
            LineNumber.objects.select_related("number", "line")
            .filter(line=line, number__e164=row["number"], attributed_from=attributed_from)
            .first()
        )
        if attribution is None:
            line_number_attribute(
                user=self.user,
                line=line,
                number=row["number"],
                attributed_from=attributed_from,
                attributed_to=attributed_to,
            )
            return Outcome.CREATED
        if "attributed_to" not in row or attribution.attributed_to == attributed_to:
            return Outcome.UNCHANGED
        line_number_end(user=self.user, attribution=attribution, attributed_to=attributed_to)
        return Outcome.UPDATED
