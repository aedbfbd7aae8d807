"""A user's operations and enforcement records: the lists, the exports, one record, and
what an operation achieved day by day and week by week."""

import datetime
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, TypeVar

from django.db.models import QuerySet

from accounts.access import get_record_for_user
from accounts.models import User
from accounts.permissions import visible_to
from records.lists import SortableFilterSet
from records.models import ReferencedRecord

from . import filters
from .models import Arrest, Charge, DrugTest, Operation, Seizure, Sentence

EXPORT_CHUNK = 2000

# An operation, arrest, charge, sentence or seizure.
_Record = TypeVar("_Record", bound=ReferencedRecord)

# Each list's rows come with what the list shows of their related records.
_LISTED: dict[type[ReferencedRecord], Callable[[QuerySet[Any]], QuerySet[Any]]] = {
    Arrest: lambda qs: qs.select_related("person", "line", "command_area", "operation"),
    Charge: lambda qs: qs.select_related("person", "line"),
    Sentence: lambda qs: qs.select_related("person", "line"),
    Seizure: lambda qs: qs.select_related("drug", "line", "operation"),
    Operation: lambda qs: qs.prefetch_related("command_areas"),
}
FILTERS: dict[type[ReferencedRecord], type[SortableFilterSet]] = {
    Arrest: filters.ArrestFilter,
    Charge: filters.ChargeFilter,
    Sentence: filters.SentenceFilter,
    Seizure: filters.SeizureFilter,
    Operation: filters.OperationFilter,
}


def visible_records(model: type[_Record], *, user: User) -> QuerySet[_Record]:
    """Every record of `model` the user may see: all for police roles, none for partners."""
    return visible_to(user, model._default_manager.all())


def record_list(model: type[_Record], *, user: User, filters: dict[str, Any]) -> SortableFilterSet:
    """The records of `model` the user may see, filtered and sorted: the FilterSet."""
    return FILTERS[model](filters, queryset=_LISTED[model](visible_records(model, user=user)))


def get_record(
    model: type[_Record], user: User, pk: int | str, *, to_change: bool = False
) -> _Record:
    """One operation, arrest, charge, sentence or seizure: 404 outside the user's scope,
    403 to change it without the right."""
    return get_record_for_user(
        user, _LISTED[model](model._default_manager.all()), pk, to_change=to_change
    )


def export_rows(queryset: QuerySet[Any], columns: tuple[str, ...]) -> Iterator[list[Any]]:
    """The CSV rows of `queryset`: `columns` are lookups (`person__reference`)."""
    for row in queryset.values_list(*columns).iterator(chunk_size=EXPORT_CHUNK):
        yield [_cell(value) for value in row]


def _cell(value: object) -> Any:
    if isinstance(value, datetime.date):
        return value.isoformat()
    if value is None:
        return ""
    return value


def operation_records(*, operation: Operation) -> dict[str, list]:
    return {
        "arrests": list(operation.arrests.select_related("person", "line", "command_area")),
        "seizures": list(operation.seizures.select_related("drug", "line")),
    }


@dataclass
class Period:
    """What an operation did on one day or in one week."""

    label: str
    arrests: int = 0
    charges: int = 0
    seizures: int = 0
    cash: Decimal = Decimal("0.00")


@dataclass
class OperationSummary:
    """What a manager quotes after an intensification week."""

    days: list[Period]
    weeks: list[Period]
    arrests: int
    persons_arrested: int
    children: int
    vulnerable_adults: int
    lines: int
    charges: int
    cash: Decimal
    drug_tests: Counter = field(default_factory=Counter)
    positive_tests: int = 0
    treatment_referrals: int = 0


def operation_summary(*, operation: Operation, records: dict[str, list]) -> OperationSummary:
    """Its arrests, charges (of the people it arrested, during it), seizures and cash by
    day and by week (first week, second week…), and who it touched."""
    arrests, seizures = records["arrests"], records["seizures"]
    end = operation.ended_on or max(
        [operation.started_on, *(a.arrested_on for a in arrests), *(s.seized_on for s in seizures)]
    )
    persons = {arrest.person_id: arrest for arrest in arrests}
    charges = Charge.objects.filter(
        person_id__in=list(persons), charged_on__gte=operation.started_on, charged_on__lte=end
    ).values_list("charged_on", flat=True)
    by_day: dict[datetime.date, Period] = {}
    day = operation.started_on
    while day <= end:
        by_day[day] = Period(day.strftime("%a %-d %b"))
        day += datetime.timedelta(days=1)
    by_week: dict[int, Period] = defaultdict(lambda: Period(""))

    def periods(day: datetime.date) -> Iterator[Period]:
        yield by_day.setdefault(day, Period(day.strftime("%a %-d %b")))
        yield by_week[operation.week_of(day)]

    for arrest in arrests:
        for period in periods(arrest.arrested_on):
            period.arrests += 1
    for charged_on in charges:
        for period in periods(charged_on):
            period.charges += 1
    for seizure in seizures:
        for period in periods(seizure.seized_on):
            period.seizures += 1
            period.cash += seizure.cash_gbp or 0
    weeks = []
    for number in sorted(by_week):
        week = by_week[number]
        week.label = f"Week {number}"
        weeks.append(week)
    tests = Counter(arrest.drug_test for arrest in arrests)
    return OperationSummary(
        days=[by_day[day] for day in sorted(by_day)],
        weeks=weeks,
        arrests=len(arrests),
        persons_arrested=len(persons),
        children=sum(1 for arrest in persons.values() if arrest.was_child),
        vulnerable_adults=sum(1 for arrest in persons.values() if arrest.person.vulnerable_adult),
        lines=len(
            {a.line_id for a in arrests if a.line_id} | {s.line_id for s in seizures if s.line_id}
        ),
        charges=len(charges),
        cash=sum((seizure.cash_gbp or Decimal("0") for seizure in seizures), Decimal("0.00")),
        drug_tests=tests,
        positive_tests=sum(tests[result] for result in DrugTest.positive()),
        treatment_referrals=sum(1 for arrest in arrests if arrest.treatment_referral),
    )
