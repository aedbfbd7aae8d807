"""What the Police, Fire and Crime Panel report counts beside the case records: drug
offences recorded (from data.police.uk), drug-related deaths, and the named periods
its charts mark (the national lockdowns)."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse

from core.rules import Name, name_problems
from records.models import ReferencedRecord, VersionedRecord
from reference.models import CommandArea, Drug, Force

from .periods import Period


class RecordedDrugOffence(ReferencedRecord):
    """One `Drugs` row of a data.police.uk street-level crime file, keyed by its Crime ID.

    Public, anonymised data: its location is the snap point police.uk publishes."""

    reference = models.CharField("Crime ID", max_length=64)
    month = models.DateField(help_text="The first day of the month it was recorded in")
    reported_by = models.ForeignKey(Force, on_delete=models.PROTECT, related_name="+")
    falls_within = models.ForeignKey(Force, on_delete=models.PROTECT, related_name="+")
    longitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    latitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    location = models.CharField(max_length=200, blank=True)
    lsoa_code = models.CharField("LSOA code", max_length=12, blank=True)
    lsoa_name = models.CharField("LSOA name", max_length=100, blank=True)
    last_outcome = models.CharField("last outcome category", max_length=200, blank=True)

    class Meta(ReferencedRecord.Meta):
        ordering = ["month", "id"]
        indexes = [models.Index(fields=["month"], name="drug_offence_month_idx")]

    def __str__(self) -> str:
        return f"{self.reference[:12]}… ({self.month:%B %Y})"


class DeathSource(models.TextChoices):
    CORONER = "coroner", "Coroner"
    PUBLIC_HEALTH = "public_health", "Public health"
    POLICE = "police", "Police"
    OTHER = "other", "Other"


class DrugDeath(ReferencedRecord):
    """A drug-related death, with the substances implicated (often several)."""

    date_of_death = models.DateField()
    command_area = models.ForeignKey(
        CommandArea, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    substances = models.ManyToManyField(Drug, blank=True, related_name="deaths")
    source = models.CharField(max_length=20, choices=DeathSource.choices, blank=True)

    class Meta(ReferencedRecord.Meta):
        ordering = ["-date_of_death", "-id"]
        verbose_name = "drug-related death"
        indexes = [models.Index(fields=["date_of_death"], name="drug_death_date_idx")]

    def get_absolute_url(self) -> str:
        return reverse("panel:death_update", args=[self.pk])


# What a shaded period's name is called in messages.
ANNOTATION_NAME = Name("the name of the period")


class ChartAnnotation(VersionedRecord):
    """A named period the charts shade (a national lockdown), editable by managers."""

    name = models.CharField(max_length=100)
    starts_on = models.DateField()
    ends_on = models.DateField(help_text="The last day of the period")
    note = models.TextField(blank=True, help_text="Where the dates come from")

    class Meta:
        ordering = ["starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")), name="annotation_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("panel:annotation_edit", args=[self.pk])

    def clean(self) -> None:
        problems = name_problems({"name": (ANNOTATION_NAME, self.name)})
        if problems:
            raise ValidationError(problems)


class StatisticsSnapshot(models.Model):
    """The panel statistics of one period as at one date, computed by the roll-up task
    (`panel.tasks.snapshot_compute`). One row per period and as-at date, whichever worker
    computes it and however often; a report is read from it, never computed on request."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Waiting to be computed"
        RUNNING = "running", "Being computed"
        READY = "ready", "Ready"
        FAILED = "failed", "Could not be computed"

    start = models.DateField()
    end = models.DateField()
    as_at = models.DateField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    figures = models.JSONField(default=dict)
    previous_figures = models.JSONField(default=dict, help_text="The period before, to compare")
    computed_at = models.DateTimeField(null=True, blank=True)
    code_version = models.CharField(max_length=40, blank=True)
    requested_at = models.DateTimeField(auto_now_add=True)
    # When it was last queued or started: a snapshot still waiting or running long after
    # is queued again (panel.snapshots.snapshots_recover_stalled), at most a few times.
    queued_at = models.DateTimeField(null=True, blank=True)
    period_kind = models.CharField(max_length=20, blank=True)  # to compute it again
    attempts = models.PositiveSmallIntegerField(default=0)
    # The task message last queued carries it: an older message finds another and stops.
    run_token = models.CharField(max_length=32, blank=True)
    failure = models.TextField(blank=True)

    class Meta:
        ordering = ["-end", "-as_at"]
        constraints = [
            models.UniqueConstraint(fields=["start", "end", "as_at"], name="snapshot_once"),
        ]

    def __str__(self) -> str:
        return f"Statistics {self.start} to {self.end} as at {self.as_at}"


class PanelReport(VersionedRecord):
    """A report to the panel: a period, an as-at date, managers' own paragraphs. Until it
    is published its figures are the latest snapshot's; publishing freezes a copy of
    figures and text, which no later computation changes."""

    period_kind = models.CharField(max_length=20)
    start = models.DateField()
    end = models.DateField()
    as_at = models.DateField()
    title = models.CharField(max_length=200)
    paragraphs = models.JSONField(default=dict, blank=True, help_text="Section -> own text")
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    published_figures = models.JSONField(null=True, blank=True)
    published_previous = models.JSONField(null=True, blank=True)
    published_computed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-end", "-created_at"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("panel:report_detail", args=[self.pk])

    @property
    def is_published(self) -> bool:
        return self.published_at is not None

    @property
    def period(self) -> Period:
        return Period(self.period_kind, self.start, self.end)
