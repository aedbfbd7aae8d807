"""CSV kind `referrals` (interfaces.md §2): Blue Guardian cuckooing referrals.

A police task (partners never reach the import page). Each referral is shared with its
referring agency; `line_references` names the suspected lines (`CL-1;CL-2`).
"""

from functools import cached_property

from accounts.permissions import Capability
from imports.kinds import (
    BatchResult,
    Column,
    ImportKind,
    reference_column,
    reference_list_column,
    register,
)
from imports.parsers import one_known, parse_date
from lines.models import Line
from reference.lookups import ReferenceLookup, agency_lookup, command_area_lookup

from . import services
from .models import Referral

DATE = "YYYY-MM-DD"


@register
class ReferralsImport(ImportKind):
    name = "referrals"
    title = "Cuckooing referrals"
    description = (
        "One row per Blue Guardian referral, keyed by its reference; each is shared with "
        "its referring agency."
    )
    key = ("reference",)
    # Any agency's referrals, linked to lines (police-side intelligence): the police only,
    # as `services.referral_upsert_many` checks again.
    capability = Capability.CHANGE_ALL_SAFEGUARDING
    noun = "referral"
    records_url_name = "safeguarding:referral_list"
    field_columns = {"suspected_lines": "line_references"}

    @cached_property
    def agencies(self) -> ReferenceLookup:
        return agency_lookup()

    @cached_property
    def command_areas(self) -> ReferenceLookup:
        return command_area_lookup()

    def prepare(self) -> None:
        self.agencies, self.command_areas  # noqa: B018  (loaded here, used by the parsers)

    @cached_property
    def columns(self) -> tuple[Column, ...]:
        return (
            reference_column(Referral),
            Column("referred_on", required=True, parse=parse_date, help_text=DATE),
            Column("referring_agency", required=True, parse=one_known(lambda: self.agencies)),
            Column("command_area", required=True, parse=one_known(lambda: self.command_areas)),
            Column("closed_on", parse=parse_date, help_text=DATE),
            reference_list_column(Line, "line_references"),
        )

    def write(self, rows) -> BatchResult:
        return services.referral_upsert_many(
            user=self.user, rows=rows, audit_detail=self.audit_detail
        )
