"""The filters and sort columns of the referrals list (server-side, records.lists)."""

from typing import Any

import django_filters
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from accounts.models import Agency
from core.filtering import AnyYesNoFilter
from core.references import reference_key
from records.lists import DateRangeFilterSet, SortColumn
from reference.models import CommandArea

from .models import ReferralShare, RiskLevel, SafeguardingAction, ShareStatus

STATUS_CHOICES = (("open", "Open"), ("closed", "Closed"))


class ReferralFilter(DateRangeFilterSet):
    """Referrals by their words, status, risk, area, agency, overdue actions and date."""

    date_field = "referred_on"
    sort_columns = (
        SortColumn(
            "referred",
            "Referred",
            ("referred_on", "reference_key"),
            ("-referred_on", "reference_key"),
            True,
        ),
        SortColumn("reference", "Reference", ("reference_key",), ("-reference_key",)),
        SortColumn(
            "area",
            "Command area",
            ("command_area__name", "reference_key"),
            ("-command_area__name", "reference_key"),
        ),
    )
    default_sort = "-referred"
    personal_filters = ("search",)  # an address or a postcode

    search = django_filters.CharFilter(
        label="Reference, address or postcode", method="filter_search"
    )
    status = django_filters.ChoiceFilter(
        label="Status", choices=STATUS_CHOICES, method="filter_status", empty_label="Any"
    )
    risk_level = django_filters.ChoiceFilter(
        label="Risk", choices=RiskLevel.choices, empty_label="Any"
    )
    command_area = django_filters.ModelChoiceFilter(
        label="Command area", queryset=CommandArea.objects.all(), empty_label="Any area"
    )
    agency = django_filters.ModelChoiceFilter(
        label="Agency",
        queryset=Agency.objects.all(),
        method="filter_agency",
        empty_label="Any agency",
        help_text="Referring, or shared with",
    )
    overdue = AnyYesNoFilter(label="Overdue actions", method="filter_overdue")

    class Meta(DateRangeFilterSet.Meta):
        pass

    def __init__(
        self,
        *args: Any,
        actions_seen: Q | None = None,
        agencies: QuerySet[Agency] | None = None,
        **kwargs: Any,
    ) -> None:
        # The actions the user sees (accounts.permissions.visible_condition): a partner's
        # "overdue" is of those, never of an action kept from their agency.
        self.actions_seen = actions_seen or Q()
        super().__init__(*args, **kwargs)
        if agencies is not None:  # the agencies the user may filter by, if not all
            self.filters["agency"].queryset = agencies

    def filter_search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        text = value.strip()
        if not text:
            return queryset
        postcode = "".join(text.split()).upper()
        matches = Q(reference_key=reference_key(text)) | Q(address__icontains=text)
        if 2 <= len(postcode) <= 7:
            spaced = f"{postcode[:-3]} {postcode[-3:]}" if len(postcode) > 4 else postcode
            matches |= Q(postcode__startswith=spaced)
        return queryset.filter(matches)

    def filter_status(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        if value == "open":
            return queryset.filter(closed_on__isnull=True)
        if value == "closed":
            return queryset.filter(closed_on__isnull=False)
        return queryset

    def filter_agency(self, queryset: QuerySet, name: str, value) -> QuerySet:
        if not value:
            return queryset
        shared = ReferralShare.objects.filter(
            referral=OuterRef("pk"), agency=value, status=ShareStatus.CONFIRMED
        )
        return queryset.filter(Q(referring_agency=value) | Exists(shared))

    def filter_overdue(self, queryset: QuerySet, name: str, value) -> QuerySet:
        if not value:
            return queryset
        overdue = SafeguardingAction.objects.overdue(timezone.localdate()).filter(
            self.actions_seen, referral=OuterRef("pk")
        )
        return queryset.filter(Exists(overdue))
