"""County lines, the numbers they use over time, and the graded intelligence behind them."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from reference.models import CommandArea, Force

from .phone import national_format


class ClosureType(models.TextChoices):
    TYPE_1 = "type_1", "Type 1: line holder charged"
    TYPE_2 = "type_2", "Type 2: number deactivated"
    OTHER = "other", "Other"


class RiskLevel(models.TextChoices):
    LOW = "low", "Low"
    MEDIUM = "medium", "Medium"
    HIGH = "high", "High"
    VERY_HIGH = "very_high", "Very high"


class LineQuerySet(models.QuerySet):
    def active_on(self, day: datetime.date) -> "LineQuerySet":
        """Lines active on `day`: identified by then and not closed yet (closed_on is exclusive)."""
        return self.filter(first_identified__lte=day).filter(
            Q(closed_on__isnull=True) | Q(closed_on__gt=day)
        )

    def closed_by(self, day: datetime.date) -> "LineQuerySet":
        return self.filter(closed_on__lte=day)


class Line(models.Model):
    """A county line: a brand and deal line run from an origin force area into ours.

    Active from `first_identified` until `closed_on` (exclusive); the status is
    derived from those dates and never stored.
    """

    reference = models.CharField(max_length=40, unique=True)
    name = models.CharField("brand name", max_length=100)
    origin_force = models.ForeignKey(Force, on_delete=models.PROTECT, related_name="lines")
    command_areas = models.ManyToManyField(
        CommandArea, related_name="lines", verbose_name="destination command areas"
    )
    first_identified = models.DateField()
    closed_on = models.DateField(null=True, blank=True)
    closure_type = models.CharField(max_length=10, choices=ClosureType.choices, blank=True)
    risk_level = models.CharField(max_length=10, choices=RiskLevel.choices, blank=True)
    summary = models.TextField(blank=True)
    next_review_on = models.DateField(
        "next MoPI review", null=True, blank=True, help_text="When retention is next reviewed"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = LineQuerySet.as_manager()

    class Meta:
        ordering = ["-first_identified", "reference"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closed_on__isnull=True) | Q(closed_on__gte=F("first_identified")),
                name="line_closed_after_identified",
            ),
            models.CheckConstraint(
                condition=Q(closed_on__isnull=False) | Q(closure_type=""),
                name="line_closure_type_only_when_closed",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.name}"

    def clean(self) -> None:
        errors = {}
        if self.closed_on and self.first_identified and self.closed_on < self.first_identified:
            errors["closed_on"] = "The closing date must be on or after the date first identified."
        if self.closure_type and not self.closed_on:
            errors["closure_type"] = "Only a closed line has a closure type."
        if errors:
            raise ValidationError(errors)

    def is_active_on(self, day: datetime.date) -> bool:
        return self.first_identified <= day and (self.closed_on is None or self.closed_on > day)

    @property
    def is_active(self) -> bool:
        return self.is_active_on(timezone.localdate())


class PhoneNumber(models.Model):
    """A phone number, stored once in E.164 whatever lines it served."""

    e164 = models.CharField("number (E.164)", max_length=20, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["e164"]

    def __str__(self) -> str:
        return self.national

    @property
    def national(self) -> str:
        return national_format(self.e164)


class LineNumber(models.Model):
    """A number attributed to a line for a period; `attributed_to` empty while still in use.

    The same number cannot be attributed twice to one line for overlapping periods
    (checked by the service that writes attributions).
    """

    line = models.ForeignKey(Line, on_delete=models.CASCADE, related_name="attributions")
    number = models.ForeignKey(PhoneNumber, on_delete=models.PROTECT, related_name="attributions")
    attributed_from = models.DateField()
    attributed_to = models.DateField(null=True, blank=True)
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

    def __str__(self) -> str:
        return f"{self.number} on {self.line.reference} from {self.attributed_from}"

    def clean(self) -> None:
        if (
            self.attributed_to
            and self.attributed_from
            and self.attributed_to < self.attributed_from
        ):
            raise ValidationError(
                {"attributed_to": "The end of the attribution must be on or after its start."}
            )

    def overlaps(self, start: datetime.date, end: datetime.date | None) -> bool:
        """Whether this attribution's period and [start, end] share a day (None: open)."""
        starts_before_other_ends = end is None or self.attributed_from <= end
        ends_after_other_starts = self.attributed_to is None or self.attributed_to >= start
        return starts_before_other_ends and ends_after_other_starts


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

    @property
    def grading(self) -> str:
        return f"{self.source_evaluation}{self.assessment}{self.handling_code}"

    def clean(self) -> None:
        if self.handling_code == HandlingCode.CONDITIONS and not self.handling_conditions.strip():
            raise ValidationError(
                {"handling_conditions": "Enter the conditions that apply to handling code C."}
            )
