"""CSV kinds `police-uk` (data.police.uk street-level crime files) and `deaths`
(interfaces.md §2): what the panel report counts beside the case records."""

from functools import cached_property

from accounts.permissions import Capability
from imports.kinds import BatchResult, Column, ImportKind, reference_column, register
from imports.parsers import (
    choice,
    coordinate,
    max_length,
    one_known,
    parse_date,
    parse_reference,
    several_known,
)
from reference.lookups import ReferenceLookup, command_area_lookup, drug_lookup, force_lookup

from . import services
from .models import DeathSource, DrugDeath, RecordedDrugOffence
from .periods import parse_month

DRUGS = "Drugs"


@register
class PoliceUkImport(ImportKind):
    """A month of one force's street-level crimes: only `Drugs` rows are kept, one per
    Crime ID; the others (and anti-social behaviour, which has no Crime ID) are skipped."""

    name = "police-uk"
    title = "Recorded crime from data.police.uk"
    description = (
        "A street-level crime file as data.police.uk publishes it; its drug offences are "
        "kept, one per Crime ID, and every other row skipped."
    )
    key = ("Crime ID",)
    capability = Capability.CHANGE_PANEL_DATA
    noun = "recorded drug offence"
    field_columns = {
        "month": "Month",
        "reported_by": "Reported by",
        "falls_within": "Falls within",
        "longitude": "Longitude",
        "latitude": "Latitude",
    }

    @cached_property
    def forces(self) -> ReferenceLookup:
        return force_lookup()

    def prepare(self) -> None:
        self.forces  # noqa: B018  (loaded here, used by the parsers)

    def parse_force(self, text: str):
        return parse_reference(text, self.forces, hint="Forces are named as police.uk names them.")

    def skips(self, cells) -> bool:
        return cells.get("Crime type") != DRUGS

    @cached_property
    def columns(self) -> tuple[Column, ...]:
        return (
            reference_column(RecordedDrugOffence, "Crime ID"),
            Column("Month", required=True, parse=parse_month, help_text="YYYY-MM"),
            Column("Reported by", required=True, parse=self.parse_force),
            Column("Falls within", required=True, parse=self.parse_force),
            Column("Longitude", parse=coordinate(limit=180, what="longitude")),
            Column("Latitude", parse=coordinate(limit=90, what="latitude")),
            Column("Location", parse=max_length(200)),
            Column("LSOA code", parse=max_length(12)),
            Column("LSOA name", parse=max_length(100)),
            Column("Crime type", required=True),
            Column("Last outcome category", parse=max_length(200)),
        )

    def write(self, rows) -> BatchResult:
        return services.drug_offence_upsert_many(
            user=self.user, rows=rows, audit_detail=self.audit_detail
        )


@register
class DeathsImport(ImportKind):
    name = "deaths"
    title = "Drug-related deaths"
    description = "One row per death, keyed by its reference, with the drugs implicated."
    key = ("reference",)
    capability = Capability.CHANGE_PANEL_DATA
    noun = "drug-related death"
    records_url_name = "panel:death_list"

    @cached_property
    def command_areas(self) -> ReferenceLookup:
        return command_area_lookup()

    @cached_property
    def drugs(self) -> ReferenceLookup:
        return drug_lookup()

    def prepare(self) -> None:
        self.command_areas, self.drugs  # noqa: B018  (loaded here, used by the parsers)

    @cached_property
    def columns(self) -> tuple[Column, ...]:
        return (
            reference_column(DrugDeath),
            Column("date_of_death", required=True, parse=parse_date, help_text="YYYY-MM-DD"),
            Column("command_area", parse=one_known(lambda: self.command_areas)),
            Column(
                "substances",
                parse=several_known(lambda: self.drugs),
                help_text="drugs, separated by ;",
            ),
            Column("source", parse=choice(DeathSource), help_text="coroner, public health…"),
        )

    def write(self, rows) -> BatchResult:
        return services.drug_death_upsert_many(
            user=self.user, rows=rows, audit_detail=self.audit_detail
        )
