"""MoPI retention review: what is due, and the outcome of a review, for every kind of record
kept under MoPI (`records.models.RetainedRecord`: lines, people, referrals).

A review decides one of two things, and is audited with who decided it and why:

- keep the record until a date (its next review), for a reason: an update of the record
  (`next_review_on`, `retention_reason`) whose audit event carries the review, so the
  record's timeline shows it (`records.timeline`) and an edit form opened before it is
  told (`records.versions`);
- dispose of it: the record is deleted with what hangs off it alone (a line's numbers'
  attributions and intelligence, a person's numbers, addresses and roles, a referral's
  people at risk, actions, exchanges and shares), after a page listing them. A record
  another kept record names (an arrest names its person and line, a referral's person at
  risk their person) is refused: those records are kept on their own review, and would
  otherwise lose what they name silently. The `delete` audit event keeps the reference and
  the reason.

The kinds are found among the installed models (every concrete `RetainedRecord`), so this
module, beneath the feature apps, names none of them. Who may see the queue and review is
the kinds' own rule (`accounts.permissions.RECORD_RULES`): MoPI fields are shown only to
those who see every record of a kind (the police; `police_only` for a partner's
referrals); of those, those who change every record of it review it (intelligence
officers), the others (managers) see the queue to oversee it, read-only.
"""

import dataclasses
import datetime
from collections import Counter
from dataclasses import dataclass
from typing import Any, ClassVar, cast

import django_filters
from django import forms
from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import QuerySet, Value
from django.db.models.deletion import Collector, ProtectedError, RestrictedError
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from accounts.access import get_record_for_user
from accounts.models import User
from accounts.permissions import may_change, may_see_all, rule_of, user_can
from audit.services import Action, audit_event_record
from core.dates import format_date
from core.forms import GovukForm
from watches.services import watches_forget

from .lists import RowsPaginator, SortableFilterSet, SortColumn
from .models import RetainedRecord
from .single import record_update
from .versions import check_version

# Records whose review falls within this many days are due; before today, overdue.
DUE_WITHIN_DAYS = 30
# MoPI reviews a record it keeps at least every ten years (its longest review period,
# for the most serious offending and public protection): no review may keep one longer.
LONGEST_RETENTION_YEARS = 10

REVIEW_FIELDS = ("next_review_on", "retention_reason")


class Outcome(models.TextChoices):
    RETAIN = "retain", "Keep it until a date"
    DISPOSE = "dispose", "Dispose of it"


# --- The kinds and who may review them ------------------------------------------------------


def reviewed_models() -> list[type[RetainedRecord]]:
    """Every kind of record kept under MoPI, in the order of their names."""
    found = [
        model
        for model in apps.get_models()
        if issubclass(model, RetainedRecord) and not model._meta.abstract
    ]
    return sorted(found, key=lambda model: str(model._meta.verbose_name))


def model_for_kind(kind: str) -> type[RetainedRecord] | None:
    """The kind named `kind` in a review's URL (`line`), if there is one."""
    return next((model for model in reviewed_models() if model.review_kind == kind), None)


def kinds_seen_by(user: User) -> list[type[RetainedRecord]]:
    """The kinds whose MoPI fields `user` sees: those they see every record of."""
    return [model for model in reviewed_models() if may_see_all(user, model)]


def may_review(user: User, model: type[RetainedRecord] | RetainedRecord) -> bool:
    """Whether `user` reviews records of the kind: sees its MoPI fields and changes every
    record of it."""
    return may_see_all(user, model) and user_can(user, rule_of(model).change_all)


# --- The rules -----------------------------------------------------------------------------


def latest_retention(today: datetime.date) -> datetime.date:
    """The latest date a review may keep a record until."""
    try:
        return today.replace(year=today.year + LONGEST_RETENTION_YEARS)
    except ValueError:  # 29 February
        return today.replace(year=today.year + LONGEST_RETENTION_YEARS, day=28)


def review_problems(
    *, outcome: str, retain_until: datetime.date | None, reason: str, today: datetime.date
) -> dict[str, str]:
    """What is wrong with a review's outcome, by field, in the words the form shows."""
    problems = {}
    if outcome not in Outcome.values:
        problems["outcome"] = "Select whether to keep the record or dispose of it"
        return problems
    if not reason.strip():
        problems["reason"] = (
            "Enter the reason the record is kept"
            if outcome == Outcome.RETAIN
            else "Enter the reason for disposing of the record"
        )
    if outcome == Outcome.RETAIN:
        if retain_until is None:
            problems["retain_until"] = "Enter the date to keep the record until"
        elif retain_until <= today:
            problems["retain_until"] = "The date to keep the record until must be in the future"
        elif retain_until > latest_retention(today):
            problems["retain_until"] = (
                f"The date to keep the record until must be no later than "
                f"{format_date(latest_retention(today))}: MoPI reviews a record at least every "
                f"{LONGEST_RETENTION_YEARS} years"
            )
    return problems


# --- Disposal ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Disposal:
    """What disposing of a record removes with it, and the records that stop it (each as
    `(how many, what)`, in words: `(3, "attributions of numbers")`)."""

    removed: list[tuple[int, str]]
    kept_by: list[tuple[int, str]]
    # Every record it deletes, itself included: ids by kind (`lines.line`).
    records: dict[str, set[int]] = dataclasses.field(default_factory=dict)

    @property
    def allowed(self) -> bool:
        return not self.kept_by

    @property
    def refusal(self) -> str:
        names = "; ".join(f"{count} {what}" for count, what in self.kept_by)
        return (
            f"It cannot be disposed of while other records name it ({names}). Review "
            "those first, or keep it."
        )


def _counted(found: Counter[type[models.Model]]) -> list[tuple[int, str]]:
    return sorted(
        (
            (count, str(meta.verbose_name if count == 1 else meta.verbose_name_plural))
            for meta, count in ((model._meta, count) for model, count in found.items())
            if count
        ),
        key=lambda item: item[1],
    )


def disposal_of(record: RetainedRecord) -> Disposal:
    """What deleting `record` would remove, found as Django's own deletion would; what
    protects it, or would lose its link to it (`SET_NULL`), stops it."""
    collector = Collector(using=record._state.db or "default")
    kept_by: Counter[type[models.Model]] = Counter()
    try:
        collector.collect([record])
    except (ProtectedError, RestrictedError) as error:
        blocking = (
            error.protected_objects
            if isinstance(error, ProtectedError)
            else error.restricted_objects
        )
        for obj in blocking:
            kept_by[type(obj)] += 1
        return Disposal(removed=[], kept_by=_counted(kept_by))
    # A record that would lose its link to it (SET_NULL) names it: kept, it stops it.
    for (field, _value), updated in collector.field_updates.items():
        for objs in updated:
            found: Any = objs  # a queryset, or a list of instances
            kept_by[field.model] += found.count() if isinstance(found, QuerySet) else len(found)
    removed: Counter[type[models.Model]] = Counter()
    records: dict[str, set[int]] = {}
    for model, instances in collector.data.items():
        if model is not type(record):
            removed[_named(model)] += len(instances)
        if not model._meta.auto_created:
            records.setdefault(model._meta.label_lower, set()).update(i.pk for i in instances)
    for queryset in collector.fast_deletes:
        if queryset.model._meta.auto_created:  # a many-to-many link, not a record
            removed[_named(queryset.model)] += queryset.count()
            continue
        ids = set(queryset.values_list("pk", flat=True))
        removed[_named(queryset.model)] += len(ids)
        records.setdefault(queryset.model._meta.label_lower, set()).update(ids)
    return Disposal(removed=_counted(removed), kept_by=_counted(kept_by), records=records)


def _named(model: type[models.Model]) -> type[models.Model]:
    """A many-to-many link is named after the record it links to."""
    if model._meta.auto_created:
        targets = [
            field.related_model
            for field in model._meta.fields
            if field.is_relation and field.related_model is not None
        ]
        return targets[-1] if targets else model
    return model


# --- The service ---------------------------------------------------------------------------


@transaction.atomic
def retention_review(
    *,
    user: User,
    record: RetainedRecord,
    outcome: str,
    reason: str,
    retain_until: datetime.date | None = None,
    expected_version: int | None = None,
) -> Disposal | None:
    """Record the outcome of a review of `record` by `user`: keep it until `retain_until`
    for `reason` (its next review), or dispose of it. Audited with the outcome, the reason
    and who decided; raises EditConflict over a newer version, ValidationError for an
    outcome the rules refuse (a disposal another record stops included), PermissionDenied
    for a user who may not review it. Returns the disposal, when it was one."""
    if not may_review(user, record) or not may_change(user, record):
        raise PermissionDenied("You may not review the retention of this record.")
    reason = reason.strip()
    today = timezone.localdate()
    problems = review_problems(
        outcome=outcome, retain_until=retain_until, reason=reason, today=today
    )
    if problems:
        raise ValidationError(problems)
    if outcome == Outcome.RETAIN:
        assert retain_until is not None  # the rules require it
        review = {"outcome": "retain", "retain_until": retain_until.isoformat(), "reason": reason}
        record_update(
            record,
            user=user,
            fields={"next_review_on": retain_until, "retention_reason": reason},
            allowed=REVIEW_FIELDS,
            expected_version=expected_version,
            detail={"review": review},
            even_unchanged=True,
        )
        return None
    check_version(record, expected_version)
    disposal = disposal_of(record)
    if not disposal.allowed:
        raise ValidationError({"outcome": disposal.refusal})
    label, object_type, pk = str(record), record._meta.label_lower, record.pk
    reference = getattr(record, "reference", "")
    record.delete()
    # Watches and notifications name records without a foreign key: they go with them.
    watches_ended = watches_forget(records=disposal.records)
    audit_event_record(
        action=Action.DELETE,
        user=user,
        object_type=object_type,
        object_id=pk,
        object_label=label,
        detail={
            "reference": reference,
            "review": {"outcome": "dispose", "reason": reason},
            "removed": {what: count for count, what in disposal.removed},
            "watches_ended": watches_ended,
        },
    )
    return disposal


# --- The queue -----------------------------------------------------------------------------


@dataclass(frozen=True)
class DueReview:
    """One record in the review queue."""

    kind: str
    pk: int
    reference: str
    title: str
    next_review_on: datetime.date
    retention_reason: str
    noun: str
    record_url: str
    review_url: str
    overdue: bool


def _due_rows(model: type[RetainedRecord], until: datetime.date) -> QuerySet[Any]:
    return (
        model._default_manager.filter(next_review_on__lte=until)
        .order_by()
        .values(
            "next_review_on",
            record_id=models.F("pk"),
            kind=Value(model.review_kind, output_field=models.CharField()),
            reference_text=models.F("reference"),
            title=model.review_title(),
            reason=models.F("retention_reason"),
        )
    )


class ReviewQueueFilter(SortableFilterSet):
    """The records due for review (within DUE_WITHIN_DAYS) or overdue, of the kinds the
    user sees (`kinds`), oldest due first: one query of the kinds' union, whatever their
    number, read a page at a time (`RowsPaginator`)."""

    kind = django_filters.ChoiceFilter(
        label="Kind of record",
        empty_label="Any",
        method="filter_unchanged",
        widget=forms.RadioSelect,
    )
    overdue = django_filters.ChoiceFilter(
        label="Review",
        choices=[("yes", "Overdue only")],
        empty_label="Due or overdue",
        method="filter_unchanged",
        widget=forms.RadioSelect,
    )

    sort_columns: ClassVar = (
        SortColumn(
            "due",
            "Review due",
            ascending=("next_review_on", "kind", "record_id"),
            descending=("-next_review_on", "-kind", "-record_id"),
        ),
    )
    default_sort = "due"
    paginator_class = RowsPaginator

    class Meta:
        form = GovukForm
        fields: list[str] = []

    def __init__(self, *args: Any, kinds: list[type[RetainedRecord]], **kwargs: Any) -> None:
        self.kinds = kinds
        super().__init__(*args, **kwargs)
        self.filters["kind"].extra["choices"] = [
            (model.review_kind, model.review_plural) for model in kinds
        ]

    def filter_unchanged(self, queryset: QuerySet, name: str, value: Any) -> QuerySet:
        return queryset  # the union is built in filter_queryset, each kind filtered first

    def filter_queryset(self, queryset: QuerySet) -> QuerySet:
        data = self.form.cleaned_data
        today = timezone.localdate()
        overdue_only = data.get("overdue") == "yes"
        until = today - datetime.timedelta(days=1) if overdue_only else due_until(today)
        wanted = [
            model
            for model in self.kinds
            if not data.get("kind") or model.review_kind == data.get("kind")
        ]
        union = _due_union(wanted, until) if wanted else self.queryset.none()
        self._unsorted_qs = union
        return self.sort_queryset(union)

    def sort_queryset(self, queryset: QuerySet) -> QuerySet:
        key, descending = self.current_sort
        column = self.columns()[key]
        return queryset.order_by(*(column.descending if descending else column.ascending))


def _due_union(kinds: list[type[RetainedRecord]], until: datetime.date) -> QuerySet[Any]:
    """The rows of `kinds` due by `until`, as one query."""
    return _union_all([_due_rows(model, until) for model in kinds])


def _union_all(parts: list[QuerySet[Any]]) -> QuerySet[Any]:
    return parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0]


def due_until(today: datetime.date) -> datetime.date:
    return today + datetime.timedelta(days=DUE_WITHIN_DAYS)


def review_queue(*, user: User, filters: dict[str, Any]) -> ReviewQueueFilter:
    """The review queue of `user`: the records of the kinds whose MoPI fields they see."""
    kinds = kinds_seen_by(user)
    if not kinds:
        raise PermissionDenied("You do not review the retention of records.")
    base = _due_rows(kinds[0], due_until(timezone.localdate()))
    return ReviewQueueFilter(filters, queryset=base, kinds=kinds)


def due_reviews(rows: list[dict[str, Any]], *, user: User) -> list[DueReview]:
    """The queue's rows as the page shows them."""
    today = timezone.localdate()
    models_by_kind = {model.review_kind: model for model in reviewed_models()}
    found = []
    for row in rows:
        model = models_by_kind[row["kind"]]
        found.append(
            DueReview(
                kind=row["kind"],
                pk=row["record_id"],
                reference=row["reference_text"],
                title=row["title"] or "",
                next_review_on=row["next_review_on"],
                retention_reason=row["reason"],
                noun=str(model._meta.verbose_name).capitalize(),
                # An unsaved record with the key: its URL, without reading it.
                record_url=cast(Any, model)(pk=row["record_id"]).get_absolute_url(),
                review_url=reverse("reviews:review", args=[row["kind"], row["record_id"]])
                if may_review(user, model)
                else "",
                overdue=row["next_review_on"] < today,
            )
        )
    return found


# The home page counts the reviews due up to this many, then says "over 1,000": a count
# that reads at most this many index entries of each band, however long a force's backlog
# (an exact count read every person's review date on every visit: 30–50 ms at 100,000).
COUNTED_UP_TO = 1000


@dataclass(frozen=True)
class ReviewsDue:
    """What the home page says of a user's reviews: how many are overdue and due soon,
    each counted up to COUNTED_UP_TO + 1 (more than COUNTED_UP_TO: "over 1,000"), and
    the oldest due."""

    overdue: int
    due_soon: int
    oldest: list[DueReview]

    @property
    def total(self) -> int:
        return self.overdue + self.due_soon

    @property
    def overdue_in_words(self) -> str:
        return _counted_in_words(self.overdue)

    @property
    def due_soon_in_words(self) -> str:
        return _counted_in_words(self.due_soon)


def _counted_in_words(count: int) -> str:
    return f"over {COUNTED_UP_TO:,}" if count > COUNTED_UP_TO else f"{count:,}"


def _count_up_to(parts: list[QuerySet[Any]]) -> int:
    """How many rows the union of `parts` holds, counted up to COUNTED_UP_TO + 1: each an
    index range, read until the count is reached."""
    return _union_all(parts)[: COUNTED_UP_TO + 1].count()


def _oldest_due(model: type[RetainedRecord], until: datetime.date, limit: int) -> QuerySet[Any]:
    """The `limit` records of `model` due longest ago by `until`, as queue rows: the first
    entries of its review index, not every due row sorted."""
    first = (
        model._default_manager.filter(next_review_on__lte=until)
        .order_by("next_review_on", "pk")
        .values("pk")[:limit]
    )
    return _due_rows(model, until).filter(pk__in=first)


def reviews_due(*, user: User, oldest: int = 5) -> ReviewsDue | None:
    """The counts of the user's review queue (up to COUNTED_UP_TO + 1) and its `oldest`
    records (None for a user without one): three queries, whatever the number of kinds
    and records."""
    kinds = kinds_seen_by(user)
    if not kinds:
        return None
    today = timezone.localdate()
    until = due_until(today)

    def due(model: type[RetainedRecord], **dates: datetime.date) -> QuerySet[Any]:
        return model._default_manager.filter(**dates).order_by().values("pk")

    overdue = _count_up_to([due(model, next_review_on__lt=today) for model in kinds])
    due_soon = _count_up_to(
        [due(model, next_review_on__gte=today, next_review_on__lte=until) for model in kinds]
    )
    union = _union_all([_oldest_due(model, until, oldest) for model in kinds])
    rows = union.order_by("next_review_on", "kind", "record_id")[:oldest]
    return ReviewsDue(overdue=overdue, due_soon=due_soon, oldest=due_reviews(list(rows), user=user))


def get_record_to_review(user: User, kind: str, pk: int) -> RetainedRecord:
    """The record `pk` of the kind `kind` for `user` to review: 404 for an unknown kind
    or a record they may not see, 403 (audited) for a user who may not review it."""
    model = model_for_kind(kind)
    if model is None:
        raise Http404("No such kind of record.")
    if not may_review(user, model):
        audit_event_record(
            action=Action.ACCESS_DENIED,
            user=user,
            object_type=model._meta.label_lower,
            object_id=pk,
            detail={"reason": "the user may not review its retention"},
        )
        raise PermissionDenied("You may not review the retention of this record.")
    return get_record_for_user(user, model._default_manager.all(), pk, to_change=True)
