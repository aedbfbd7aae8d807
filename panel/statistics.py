"""The panel statistics of a period (interfaces.md §3), computed by the database.

One function, `panel_statistics(start=..., end=..., as_at=...)`, is what the
`panel_statistics` command prints, what the Celery roll-up stores and what the report
shows: each figure is an aggregate query (COUNT, SUM, GROUP BY), never a loop over
rows, on SQLite and PostgreSQL alike. An active line is the lines app's definition
(`LineStatus.condition`), the one the lists and the line page use.

Keys beyond §3 (allowed by the contract, never removed): drug tests on arrest and the
share positive, treatment referrals, children and vulnerable adults among those
arrested, lines per origin force per year and per origin place, drug offences per force
and the last month with any, people charged per month, the intensification operations
(arrests over their length, cash seized in their first week), funding per source,
deaths per month and the last recorded, and the partnership's counts (addresses,
exchanges per agency, actions done and overdue).
"""

import datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import (
    Case,
    CharField,
    Count,
    DecimalField,
    F,
    IntegerField,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import (
    Coalesce,
    Concat,
    ExtractDay,
    ExtractMonth,
    ExtractYear,
    NullIf,
    TruncMonth,
)

from lines.models import Line, LineNumber, LineStatus
from operations.models import (
    Arrest,
    Charge,
    DrugTest,
    Operation,
    OperationKind,
    Seizure,
    Sentence,
)
from persons.models import CHILD_UNDER
from safeguarding.models import InformationExchange, Referral, SafeguardingAction

from .models import DrugDeath, RecordedDrugOffence
from .periods import last_months, month_key, months_between

PENNY = Decimal("0.01")
TENTH = Decimal("0.1")


class PeriodError(ValueError):
    """A period that is not one: an end before its start, an as-at date before its end."""


def check_period(start: datetime.date, end: datetime.date, as_at: datetime.date) -> None:
    if end < start:
        raise PeriodError(f"The end ({end}) is before the start ({start}).")
    if as_at < end:
        raise PeriodError(f"The as-at date ({as_at}) is before the end ({end}).")


def panel_statistics(
    *, start: datetime.date, end: datetime.date, as_at: datetime.date | None = None
) -> dict[str, Any]:
    """Every statistic of §3 for `[start, end]`, as the contract's JSON object."""
    as_at = as_at or end
    check_period(start, end, as_at)
    return {
        "period": {"start": start.isoformat(), "end": end.isoformat(), "as_at": as_at.isoformat()},
        "lines": line_statistics(start, end, as_at),
        "enforcement": enforcement_statistics(start, end),
        "funding": funding_statistics(start, end),
        "drug_offences": drug_offence_statistics(start, end),
        "drug_deaths": drug_death_statistics(start, end),
        "safeguarding": safeguarding_statistics(start, end),
    }


def _counted(queryset: QuerySet, field: str, *, distinct: bool = True) -> dict[str, int]:
    """`{value of field: count of distinct records}`, sorted by value, empty values left
    out (a count of 0 never appears: only what is there is grouped). Through a foreign
    key (one row per record) `distinct=False` saves the database a sort."""
    rows = (
        queryset.exclude(**{f"{field}__isnull": True})
        .values(field)
        .annotate(count=Count("pk", distinct=distinct))
        .order_by(field)
    )
    return {row[field]: row["count"] for row in rows}


def line_statistics(start: datetime.date, end: datetime.date, as_at: datetime.date) -> dict:
    identified = Line.objects.filter(first_identified__range=(start, end))
    numbers = LineNumber.objects.filter(line__in=identified, attributed_from__lte=as_at)
    by_year = (
        identified.annotate(year=ExtractYear("first_identified"))
        .values("year", "origin_force__name")
        .annotate(count=Count("pk"))
        .order_by("year", "origin_force__name")
    )
    per_year: dict[str, dict[str, int]] = {}
    for row in by_year:
        per_year.setdefault(str(row["year"]), {})[row["origin_force__name"]] = row["count"]
    counts = identified.aggregate(
        identified=Count("pk"),
        still_active=Count("pk", filter=LineStatus.condition(LineStatus.ACTIVE, as_at)),
    )
    others = Line.objects.aggregate(
        active_at_end=Count("pk", filter=LineStatus.condition(LineStatus.ACTIVE, end)),
        closed=Count("pk", filter=Q(closed_on__range=(start, end))),
    )
    return {
        "identified": counts["identified"],
        "identified_still_active": counts["still_active"],
        "active_at_end": others["active_at_end"],
        "closed": others["closed"],
        "numbers_used": numbers.values("number").distinct().count(),
        "by_command_area": _counted(identified, "command_areas__name"),
        "by_origin_force": _counted(identified, "origin_force__name", distinct=False),
        "by_origin_force_by_year": per_year,
        "by_origin_place": _counted(
            identified.annotate(
                place=Coalesce(NullIf("origin_force__place", Value("")), "origin_force__short_name")
            ),
            "place",
            distinct=False,
        ),
    }


def _age_on(day: str, born: str):
    """A person's age in whole years on `day`, as a database expression of two dates."""
    birthday_to_come = Q(**{f"{day}_month__lt": F(f"{born}_month")}) | Q(
        **{f"{day}_month": F(f"{born}_month"), f"{day}_day__lt": F(f"{born}_day")}
    )
    return (
        F(f"{day}_year")
        - F(f"{born}_year")
        - Case(When(birthday_to_come, then=Value(1)), default=Value(0), output_field=IntegerField())
    )


def _with_age_at_arrest(arrests: QuerySet) -> QuerySet:
    parts = {
        "arrested_year": ExtractYear("arrested_on"),
        "arrested_month": ExtractMonth("arrested_on"),
        "arrested_day": ExtractDay("arrested_on"),
        "born_year": ExtractYear("person__date_of_birth"),
        "born_month": ExtractMonth("person__date_of_birth"),
        "born_day": ExtractDay("person__date_of_birth"),
    }
    return (
        arrests.filter(person__date_of_birth__isnull=False)
        .annotate(**parts)
        .annotate(age=_age_on("arrested", "born"))
    )


def enforcement_statistics(start: datetime.date, end: datetime.date) -> dict:
    arrests = Arrest.objects.filter(arrested_on__range=(start, end))
    sentences = Sentence.objects.filter(sentenced_on__range=(start, end))
    seizures = Seizure.objects.filter(seized_on__range=(start, end))
    sentenced = sentences.aggregate(
        months=Sum("custody_months"), persons=Count("person", distinct=True)
    )
    months = sentenced["months"] or 0
    cash = seizures.aggregate(cash=Sum("cash_gbp"))["cash"] or Decimal(0)
    drugs = (
        seizures.filter(drug__isnull=False)
        .values("drug__name")
        .annotate(seizures=Count("pk"), grams=Sum("grams"))
        .order_by("drug__name")
    )
    arrest_figures = arrests.aggregate(
        arrests=Count("pk"),
        persons=Count("person", distinct=True),
        tested=Count("pk", filter=~Q(drug_test=DrugTest.NOT_TESTED)),
        positive=Count("pk", filter=Q(drug_test__in=DrugTest.positive())),
        referred=Count("pk", filter=Q(treatment_referral=True)),
        vulnerable=Count("person", distinct=True, filter=Q(person__vulnerable_adult=True)),
    )
    children = (
        _with_age_at_arrest(arrests).filter(age__lt=CHILD_UNDER).values("person").distinct().count()
    )
    tested = arrest_figures["tested"]
    return {
        "arrests": arrest_figures["arrests"],
        "persons_arrested": arrest_figures["persons"],
        "persons_charged": Charge.objects.filter(charged_on__range=(start, end))
        .values("person")
        .distinct()
        .count(),
        "persons_charged_by_month": _by_month(
            Charge.objects.filter(charged_on__range=(start, end)), "charged_on", "person"
        ),
        "persons_sentenced": sentenced["persons"],
        "custody_years": float((Decimal(months) / 12).quantize(TENTH, rounding=ROUND_HALF_UP)),
        "cash_seized_gbp": str(Decimal(cash).quantize(PENNY)),
        "drug_seizures": {
            row["drug__name"]: {
                "seizures": row["seizures"],
                "grams": str((row["grams"] or Decimal(0)).quantize(PENNY)),
            }
            for row in drugs
        },
        "drug_tests": _counted(
            arrests.exclude(drug_test=DrugTest.NOT_TESTED), "drug_test", distinct=False
        ),
        "drug_tests_positive_share": round(arrest_figures["positive"] / tested, 3)
        if tested
        else None,
        "treatment_referrals": arrest_figures["referred"],
        "children_arrested": children,
        "vulnerable_adults_arrested": arrest_figures["vulnerable"],
        "intensification": intensification_statistics(start, end),
    }


def _by_month(queryset: QuerySet, day: str, distinct: str = "pk") -> dict[str, int]:
    """`{"2021-10": count}` for the months with any, counting distinct `distinct`."""
    rows = (
        queryset.annotate(in_month=TruncMonth(day))
        .values("in_month")
        .annotate(count=Count(distinct, distinct=True))
        .order_by("in_month")
    )
    return {month_key(row["in_month"]): row["count"] for row in rows}


WEEK = datetime.timedelta(days=7)


def intensification_statistics(start: datetime.date, end: datetime.date) -> list[dict]:
    """Each intensification operation that started in the period: its length, its
    arrests (and the people arrested) and the cash seized in its first seven days."""
    arrests = Arrest.objects.filter(operation=OuterRef("pk")).order_by().values("operation")
    first_week = (
        Seizure.objects.filter(
            operation=OuterRef("pk"),
            seized_on__gte=OuterRef("started_on"),
            seized_on__lt=OuterRef("first_week_ends"),
        )
        .order_by()
        .values("operation")
    )
    money = DecimalField(max_digits=14, decimal_places=2)
    operations = (
        Operation.objects.filter(kind=OperationKind.INTENSIFICATION, started_on__range=(start, end))
        .annotate(first_week_ends=F("started_on") + WEEK)
        .annotate(
            arrest_count=Coalesce(Subquery(arrests.annotate(n=Count("pk")).values("n")), Value(0)),
            persons=Coalesce(
                Subquery(arrests.annotate(n=Count("person", distinct=True)).values("n")),
                Value(0),
            ),
            cash=Coalesce(
                Subquery(first_week.annotate(total=Sum("cash_gbp")).values("total")),
                Value(Decimal(0)),
                output_field=money,
            ),
        )
        .order_by("started_on", "reference")
        .values("reference", "name", "started_on", "ended_on", "arrest_count", "persons", "cash")
    )
    return [
        {
            "reference": row["reference"],
            "name": row["name"],
            "started_on": row["started_on"].isoformat(),
            "ended_on": row["ended_on"].isoformat() if row["ended_on"] else None,
            "days": (row["ended_on"] - row["started_on"]).days + 1 if row["ended_on"] else None,
            "arrests": row["arrest_count"],
            "persons_arrested": row["persons"],
            "cash_seized_first_week_gbp": str(Decimal(row["cash"]).quantize(PENNY)),
        }
        for row in operations
    ]


def funding_statistics(start: datetime.date, end: datetime.date) -> dict:
    """The funding of the operations that started in the period, per funding source
    (`operations.FundingSource` values), as strings with 2 decimals."""
    rows = (
        Operation.objects.filter(started_on__range=(start, end), funding_amount__isnull=False)
        .exclude(funding_source="")
        .values("funding_source")
        .annotate(total=Sum("funding_amount"), operations=Count("pk"))
        .order_by("funding_source")
    )
    return {
        "by_source": {
            row["funding_source"]: {
                "gbp": str(Decimal(row["total"]).quantize(PENNY)),
                "operations": row["operations"],
            }
            for row in rows
        }
    }


def drug_offence_statistics(start: datetime.date, end: datetime.date) -> dict:
    offences = RecordedDrugOffence.objects.filter(month__range=(start, end))
    counts = {
        row["month"]: row["count"]
        for row in offences.values("month").annotate(count=Count("pk")).order_by("month")
    }
    by_month = {month_key(month): counts.get(month, 0) for month in months_between(start, end)}
    last = max(counts) if counts else None
    return {
        "total": sum(by_month.values()),
        "by_month": by_month,
        "by_force": _counted(offences, "falls_within__name", distinct=False),
        # police.uk publishes a month or two late: the months after this one have no data.
        "last_month": month_key(last) if last else None,
    }


def drug_death_statistics(start: datetime.date, end: datetime.date) -> dict:
    deaths = DrugDeath.objects.filter(date_of_death__range=(start, end))
    last = deaths.aggregate(last=Max("date_of_death"))["last"]
    return {
        "total": deaths.count(),
        "by_substance": _counted(deaths, "substances__name"),
        "by_month": _by_month(deaths, "date_of_death"),
        "last_recorded": last.isoformat() if last else None,
    }


def safeguarding_statistics(start: datetime.date, end: datetime.date) -> dict:
    """§3's referral counts, and the partnership's work in counts only (nothing
    personal): the distinct addresses referred, the information exchanges per agency
    that shared, the actions done in the period and those overdue at its end."""
    open_at_end = Q(referred_on__lte=end) & (Q(closed_on__isnull=True) | Q(closed_on__gt=end))
    referred = Q(referred_on__range=(start, end))
    figures = Referral.objects.aggregate(
        referrals_opened=Count("pk", filter=referred),
        referrals_closed=Count("pk", filter=Q(closed_on__range=(start, end))),
        open_at_end=Count("pk", filter=open_at_end),
        addresses=Count(
            Case(
                When(referred, then=Concat("address", Value("|"), "postcode")),
                output_field=CharField(),
            ),
            distinct=True,
            filter=~Q(address="", postcode=""),
        ),
    )
    actions = SafeguardingAction.objects.aggregate(
        done=Count("pk", filter=Q(done_on__range=(start, end))),
        overdue=Count(
            "pk",
            filter=Q(agreed_on__lte=end, due_on__lt=end)
            & (Q(done_on__isnull=True) | Q(done_on__gt=end)),
        ),
    )
    figures["exchanges_by_agency"] = _counted(
        InformationExchange.objects.filter(shared_on__range=(start, end)),
        "from_agency__name",
        distinct=False,
    )
    figures["actions_done"] = actions["done"]
    figures["actions_overdue"] = actions["overdue"]
    return figures


# --- What the report's figures draw, beyond the statistics ------------------------------------

FIGURE_1_MONTHS = 36


def chart_statistics(start: datetime.date, end: datetime.date) -> dict:
    """Figure 1: recorded drug offences per month over the 36 months to the period's end
    (to the last month with any recorded, as police.uk publishes a month or two late);
    Figure 2: the lines identified in the period, per destination command area and
    origin force."""
    last = (
        RecordedDrugOffence.objects.filter(month__lte=end)
        .order_by("-month")
        .values_list("month", flat=True)
        .first()
    )
    first, month_end = last_months(last or end, FIGURE_1_MONTHS)
    per_area = (
        Line.objects.filter(first_identified__range=(start, end))
        .values("command_areas__name", "origin_force__name")
        .annotate(count=Count("pk", distinct=True))
        .exclude(command_areas__name__isnull=True)
        .order_by("command_areas__name", "origin_force__name")
    )
    by_area: dict[str, dict[str, int]] = {}
    for row in per_area:
        by_area.setdefault(row["command_areas__name"], {})[row["origin_force__name"]] = row["count"]
    return {
        "drug_offences_by_month": drug_offence_statistics(first, month_end)["by_month"],
        "lines_by_area_and_force": by_area,
    }
