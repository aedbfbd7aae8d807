"""What the Police, Fire and Crime Panel report counts beside the case records: drug
offences recorded (from data.police.uk), drug-related deaths, and the named periods
its charts mark (the national lockdowns)."""

from django.conf import settings
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


class Marking(models.TextChoices):
    """The Government Security Classification a paper carries on every page."""

    OFFICIAL = "OFFICIAL", "OFFICIAL"
    OFFICIAL_SENSITIVE = "OFFICIAL-SENSITIVE", "OFFICIAL-SENSITIVE"


def default_marking() -> str:
    return settings.PROTECTIVE_MARKING


def default_force_name() -> str:
    return settings.POLICE_AGENCY_NAME


# The title block: what the first page says of the paper, offered again on the next one.
TITLE_BLOCK_FIELDS = (
    "panel_name",
    "meeting_date",
    "agenda_item",
    "title",
    "force_name",
    "author_name",
    "author_role",
    "marking",
)


class PanelReport(VersionedRecord):
    """A paper for the Police, Fire and Crime Panel: a period, an as-at date, its title
    block, and the manager's draft of it (`panel.drafts`): the sections in their order,
    those left out, each sentence as the manager left it beside the sentence it was
    written from. Until it is published its figures are the latest snapshot's and its
    sentences are written again from them; publishing freezes a copy of figures and
    text, which no later computation changes."""

    period_kind = models.CharField(max_length=20)
    start = models.DateField()
    end = models.DateField()
    as_at = models.DateField()
    title = models.CharField(max_length=200)
    panel_name = models.CharField("Panel", max_length=200, blank=True)
    meeting_date = models.DateField("meeting date", null=True, blank=True)
    agenda_item = models.CharField("agenda item", max_length=20, blank=True)
    force_name = models.CharField("force", max_length=200, default=default_force_name)
    author_name = models.CharField("author", max_length=200, blank=True)
    author_role = models.CharField("author's role", max_length=200, blank=True)
    marking = models.CharField(max_length=30, choices=Marking.choices, default=default_marking)
    paragraphs = models.JSONField(default=dict, blank=True, help_text="Section -> own text")
    section_order = models.JSONField(
        default=dict, blank=True, help_text="Section key -> its place in the order the manager set"
    )
    sections_left_out = models.JSONField(default=list, blank=True)
    drafts = models.JSONField(
        default=dict,
        blank=True,
        help_text="Section -> its sentences by place: each the text written from the figures "
        "and the manager's text",
    )
    published_sentences = models.JSONField(
        null=True, blank=True, help_text="Section -> its sentences as published"
    )
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
