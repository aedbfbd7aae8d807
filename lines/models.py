"""County lines, the numbers they use over time, and the graded intelligence behind them."""

import datetime
from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone

from records.models import ReferencedRecord, RetainedRecord, VersionedRecord
from reference.models import CommandArea, Force
from watches.things import line_thing, number_thing

from .phone import national_format
from .rules import (
    attribution_problems,
    intelligence_problems,
    line_problems,
    periods_overlap,
)


class ClosureType(models.TextChoices):
    TYPE_1 = "type_1", "Type 1: line holder charged"
    TYPE_2 = "type_2", "Type 2: number deactivated"
    OTHER = "other", "Other"


class RiskLevel(models.TextChoices):
    LOW = "low", "Low"
    MEDIUM = "medium", "Medium"
    HIGH = "high", "High"
    VERY_HIGH = "very_high", "Very high"


class LineStatus(models.TextChoices):
    """A line's status on a day. The one definition (interfaces.md §3): a line is active
    from `first_identified` until `closed_on`, which is exclusive. Derived, never stored."""

    ACTIVE = "active", "Active"
    CLOSED = "closed", "Closed"
    NOT_YET_ACTIVE = "not_yet_active", "Not yet active"

    @classmethod
    def condition(cls, status: "LineStatus", day: datetime.date) -> Q:
        """The lines with `status` on `day`, as a query (for filters, counts, statistics)."""
        if status == cls.ACTIVE:
            return Q(first_identified__lte=day) & (Q(closed_on__isnull=True) | Q(closed_on__gt=day))
        if status == cls.CLOSED:
            return Q(closed_on__lte=day)
        return Q(first_identified__gt=day)

    @classmethod
    def of(
        cls, first_identified: datetime.date, closed_on: datetime.date | None, day: datetime.date
    ) -> "LineStatus":
        """The same definition, for one line's dates."""
        if closed_on is not None and closed_on <= day:
            return cls.CLOSED
        if first_identified <= day:
            return cls.ACTIVE
        return cls.NOT_YET_ACTIVE


class LineQuerySet(models.QuerySet):
    def with_status_on(self, status: LineStatus, day: datetime.date) -> "LineQuerySet":
        return self.filter(LineStatus.condition(status, day))

    def active_on(self, day: datetime.date) -> "LineQuerySet":
        """Lines active on `day`: identified by then and not closed yet (closed_on is exclusive)."""
        return self.with_status_on(LineStatus.ACTIVE, day)


class Line(RetainedRecord):
    """A county line: a brand and deal line run from an origin force area into ours.

    Active from `first_identified` until `closed_on` (exclusive); the status is
    derived from those dates and never stored.
    """

    name = models.CharField("brand name", max_length=100)
    origin_force = models.ForeignKey(Force, on_delete=models.PROTECT, related_name="lines")
    command_areas = models.ManyToManyField(
        CommandArea, related_name="lines", verbose_name="destination command areas"
    )
    first_identified = models.DateField("date first identified")
    closed_on = models.DateField("date closed", null=True, blank=True)
    closure_type = models.CharField(max_length=10, choices=ClosureType.choices, blank=True)
    risk_level = models.CharField("risk", max_length=10, choices=RiskLevel.choices, blank=True)
    summary = models.TextField(blank=True)
    # The distinct numbers it used, kept by the services that attribute numbers
    # (lines.services.numbers_counts_refresh): the list shows and sorts by it, and
    # counting every line's numbers for a sort cost more than the rest of the page.
    numbers_count = models.PositiveIntegerField(default=0, editable=False)

    objects = LineQuerySet.as_manager()

    review_kind = "line"
    review_plural = "County lines"

    class Meta(ReferencedRecord.Meta):
        verbose_name = "county line"
        ordering = ["-first_identified", "reference"]
        # The list's default order (newest first, records.lists adds the id).
        indexes = [
            models.Index(F("first_identified").desc(), "reference", "id", name="line_newest_idx"),
            # The list sorted by numbers, most first (its first sort on that column).
            models.Index(
                F("numbers_count").desc(), "reference", "id", name="line_most_numbers_idx"
            ),
            # The review queue: what is due by a day, oldest first (records.reviews).
            models.Index(fields=["next_review_on", "id"], name="line_review_idx"),
            # The lines active on a day (LineStatus.ACTIVE: the home page's counts, the
            # list's status filter): those still open, and those closed after it. Two
            # small indexes the planner ORs, in place of reading every line; the closed
            # ones also serve "closed by a day".
            models.Index(
                fields=["first_identified", "id"],
                condition=Q(closed_on__isnull=True),
                name="line_open_idx",
            ),
            models.Index(
                fields=["closed_on", "first_identified", "id"],
                condition=Q(closed_on__isnull=False),
                name="line_closed_on_idx",
            ),
        ]
        constraints = [
            *ReferencedRecord.Meta.constraints,
            models.CheckConstraint(
                condition=Q(closed_on__isnull=True) | Q(closed_on__gte=F("first_identified")),
                name="line_closed_after_identified",
            ),
            models.CheckConstraint(
                condition=Q(closed_on__isnull=False) | Q(closure_type=""),
                name="line_closure_type_only_when_closed",
            ),
        ]

    @classmethod
    def watched_in(cls, pk: int, values: Mapping[str, Any]) -> list[str]:
        """The things a watcher is told about when the line changes (watches.things)."""
        return [line_thing(pk)]

    def __str__(self) -> str:
        return f"{self.reference} {self.name}"

    @classmethod
    def review_title(cls) -> Any:
        return F("name")

    def get_absolute_url(self) -> str:
        return reverse("lines:line_detail", args=[self.pk])

    def clean(self) -> None:
        problems = line_problems(
            name=self.name,
            first_identified=self.first_identified,
            closed_on=self.closed_on,
            closure_type=self.closure_type,
            today=timezone.localdate(),
        )
        if problems:
            raise ValidationError(problems)

    def status_on(self, day: datetime.date) -> LineStatus:
        return LineStatus.of(self.first_identified, self.closed_on, day)

    @property
    def status(self) -> LineStatus:
        """Its status today."""
        return self.status_on(timezone.localdate())

    @property
    def is_active(self) -> bool:
        return self.status == LineStatus.ACTIVE


class PhoneNumber(models.Model):
    """A phone number, stored once in E.164 whatever lines it served.

    Its national form is stored too: every page and export shows it, and formatting
    it costs more than the rest of showing a row.
    """

    e164 = models.CharField("number (E.164)", max_length=20)
    national = models.CharField("number", max_length=30, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["e164"]
        # A constraint rather than unique=True, which on PostgreSQL adds a second index
        # for LIKE 'prefix%' that no search uses and every new number would pay for.
        constraints = [models.UniqueConstraint(fields=["e164"], name="phone_number_e164_unique")]

    def __str__(self) -> str:
        return self.national

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.national = national_format(self.e164)
        super().save(*args, **kwargs)


class LineNumber(VersionedRecord):
    """A number attributed to a line for a period; `attributed_to` empty while still in use.

    The same number cannot be attributed twice to one line for overlapping periods:
    the services check it with a clear message, and the database refuses it whatever
    the path (an exclusion constraint on PostgreSQL, triggers on SQLite; migration 0002).
    """

    # No index of its own on line: the natural key's unique index starts with it.
    line = models.ForeignKey(
        Line, on_delete=models.CASCADE, related_name="attributions", db_index=False
    )
    number = models.ForeignKey(PhoneNumber, on_delete=models.PROTECT, related_name="attributions")
    attributed_from = models.DateField("date first used")
    attributed_to = models.DateField("date last used", null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["attributed_from", "number__e164"]
        constraints = [
            models.UniqueConstraint(
                fields=["line", "number", "attributed_from"], name="line_number_natural_key"
            ),
            models.CheckConstraint(
                condition=Q(attributed_to__isnull=True)
                | Q(attributed_to__gte=F("attributed_from")),
                name="line_number_ends_after_start",
            ),
        ]

    watch_noun = "attribution of a number"

    @classmethod
    def watched_in(cls, pk: int, values: Mapping[str, Any]) -> list[str]:
        return [number_thing(values["e164"]), line_thing(values["line_id"])]

    @classmethod
    def watch_page(cls, pk: int, values: Mapping[str, Any]) -> tuple[str, int]:
        return "lines.line", values["line_id"]

    def watched_values(self) -> dict[str, Any]:
        return {"line_id": self.line_id, "e164": self.number.e164}

    def __str__(self) -> str:
        return f"{self.number} on {self.line.reference} from {self.attributed_from}"

    def clean(self) -> None:
        problems = attribution_problems(
            attributed_from=self.attributed_from,
            attributed_to=self.attributed_to,
            today=timezone.localdate(),
        )
        if problems:
            raise ValidationError(problems)

    def overlaps(self, start: datetime.date, end: datetime.date | None) -> bool:
        """Whether this attribution's period and [start, end] share a day (None: open)."""
        return periods_overlap(self.attributed_from, self.attributed_to, start, end)


class SourceEvaluation(models.TextChoices):
    RELIABLE = "1", "1 – reliable"
    UNTESTED = "2", "2 – untested"
    NOT_RELIABLE = "3", "3 – not reliable"


class IntelligenceAssessment(models.TextChoices):
    KNOWN_DIRECTLY = "A", "A – known directly to the source"
    INDIRECTLY_CORROBORATED = "B", "B – known indirectly but corroborated"
    KNOWN_INDIRECTLY = "C", "C – known indirectly"
    NOT_KNOWN = "D", "D – not known"
    SUSPECTED_FALSE = "E", "E – suspected to be false or malicious"


class HandlingCode(models.TextChoices):
    PERMITTED = "P", "P – lawful sharing permitted"
    CONDITIONS = "C", "C – lawful sharing permitted subject to conditions"


class IntelligenceEntry(models.Model):
    """A piece of intelligence on a line, graded 3x5x2 (College of Policing)."""

    line = models.ForeignKey(Line, on_delete=models.CASCADE, related_name="intelligence")
    text = models.TextField()
    # When what it tells was seen or learnt, not when it was typed in (`recorded_at`);
    # empty for entries recorded before the date was asked for.
    intelligence_date = models.DateField("date of the intelligence", null=True, blank=True)
    # The unique reference number of the document it comes from (an intelligence report).
    source_reference = models.CharField(
        "source document reference (URN)", max_length=40, blank=True
    )
    source_evaluation = models.CharField(max_length=1, choices=SourceEvaluation.choices)
    assessment = models.CharField(
        "intelligence assessment", max_length=1, choices=IntelligenceAssessment.choices
    )
    handling_code = models.CharField(max_length=1, choices=HandlingCode.choices)
    handling_conditions = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="intelligence_entries"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name_plural = "intelligence entries"
        ordering = ["-recorded_at"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(handling_code="C") | ~Q(handling_conditions=""),
                name="intelligence_conditions_with_code_c",
            ),
        ]

    def __str__(self) -> str:
        return f"Intelligence {self.grading} on {self.line.reference}"

    watch_noun = "intelligence on a line"

    @classmethod
    def watched_in(cls, pk: int, values: Mapping[str, Any]) -> list[str]:
        return [line_thing(values["line_id"])]

    @classmethod
    def watch_page(cls, pk: int, values: Mapping[str, Any]) -> tuple[str, int]:
        return "lines.line", values["line_id"]

    @property
    def grading(self) -> str:
        return f"{self.source_evaluation}{self.assessment}{self.handling_code}"

    def clean(self) -> None:
        problems = intelligence_problems(
            intelligence_date=self.intelligence_date,
            handling_code=self.handling_code,
            handling_conditions=self.handling_conditions,
            today=timezone.localdate(),
        )
        if problems:
            raise ValidationError(problems)
