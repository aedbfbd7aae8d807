"""What the force did about the lines: operations, and the arrests, charges, sentences and
seizures that disrupt them (the panel's enforcement figures, interfaces.md §3)."""

import datetime
from collections.abc import Mapping
from typing import Any, TypedDict

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse

from lines.models import Line
from persons.models import Person
from records.models import ReferencedRecord
from reference.models import CommandArea, Drug
from watches.things import line_thing, person_thing, things

from .rules import operation_problems, seizure_problems, sentence_problems


class Digits(TypedDict):
    max_digits: int
    decimal_places: int


# Money: pounds and pence, never a float (interfaces.md §2).
MONEY: Digits = {"max_digits": 12, "decimal_places": 2}
GRAMS: Digits = {"max_digits": 12, "decimal_places": 2}


class OperationKind(models.TextChoices):
    INTENSIFICATION = "intensification", "Intensification week"
    WARRANT = "warrant", "Warrant"
    OTHER = "other", "Other"


class FundingSource(models.TextChoices):
    FORCE = "force", "Force budget"
    NATIONAL_SURGE = "national_surge", "National surge funding"
    EXPORTING_FORCE = "exporting_force", "Exporting-force contribution"


class DrugTest(models.TextChoices):
    """Drug testing on arrest (PACE s.63B): cocaine and opiates."""

    NOT_TESTED = "not_tested", "Not tested"
    NEGATIVE = "negative", "Negative"
    COCAINE = "cocaine", "Positive for cocaine"
    OPIATES = "opiates", "Positive for opiates"
    BOTH = "both", "Positive for cocaine and opiates"

    @classmethod
    def positive(cls) -> list[str]:
        return [cls.COCAINE, cls.OPIATES, cls.BOTH]


class Operation(ReferencedRecord):
    name = models.CharField(max_length=100)
    kind = models.CharField(max_length=20, choices=OperationKind.choices)
    started_on = models.DateField("start date")
    ended_on = models.DateField("end date", null=True, blank=True)
    command_areas = models.ManyToManyField(CommandArea, related_name="operations", blank=True)
    funding_source = models.CharField(max_length=20, choices=FundingSource.choices, blank=True)
    funding_amount = models.DecimalField(
        null=True, blank=True, validators=[MinValueValidator(0)], **MONEY
    )

    class Meta(ReferencedRecord.Meta):
        ordering = ["-started_on", "reference"]
        constraints = [
            *ReferencedRecord.Meta.constraints,
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=F("started_on")),
                name="operation_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.name}"

    def get_absolute_url(self) -> str:
        return reverse("operations:operation_detail", args=[self.pk])

    def clean(self) -> None:
        problems = operation_problems(
            name=self.name, started_on=self.started_on, ended_on=self.ended_on
        )
        if problems:
            raise ValidationError(problems)

    def days(self) -> int | None:
        if self.ended_on is None:
            return None
        return (self.ended_on - self.started_on).days + 1

    def week_of(self, day: datetime.date) -> int:
        """1 for the operation's first seven days, 2 for the next seven…"""
        return (day - self.started_on).days // 7 + 1


class Arrest(ReferencedRecord):
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="arrests")
    arrested_on = models.DateField("date of arrest")
    command_area = models.ForeignKey(CommandArea, on_delete=models.PROTECT, related_name="+")
    line = models.ForeignKey(
        Line, on_delete=models.SET_NULL, null=True, blank=True, related_name="arrests"
    )
    operation = models.ForeignKey(
        Operation, on_delete=models.SET_NULL, null=True, blank=True, related_name="arrests"
    )
    drug_test = models.CharField(
        "drug test on arrest",
        max_length=12,
        choices=DrugTest.choices,
        default=DrugTest.NOT_TESTED,
    )
    treatment_referral = models.BooleanField("referred for treatment", default=False)

    class Meta(ReferencedRecord.Meta):
        ordering = ["-arrested_on", "reference"]
        # The lists' default order (newest first, records.lists adds the id).
        indexes = [
            models.Index(F("arrested_on").desc(), "reference", "id", name="arrest_newest_idx")
        ]

    @classmethod
    def watched_in(cls, pk: int, values: Mapping[str, Any]) -> list[str]:
        """The things a watcher is told about (watches.things): its person and line."""
        line_id = values["line_id"]
        return things(person_thing(values["person_id"]), line_thing(line_id) if line_id else None)

    def get_absolute_url(self) -> str:
        return reverse("operations:arrest_detail", args=[self.pk])

    @property
    def was_child(self) -> bool | None:
        """Whether the person arrested was under 18 that day (None: their date of birth
        is not known). Read with the person (`select_related`), or from their arrests."""
        return self.person.was_child_on(self.arrested_on)


class Charge(ReferencedRecord):
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="charges")
    charged_on = models.DateField("date charged")
    offence = models.CharField(max_length=200)
    line = models.ForeignKey(
        Line, on_delete=models.SET_NULL, null=True, blank=True, related_name="charges"
    )

    class Meta(ReferencedRecord.Meta):
        ordering = ["-charged_on", "reference"]
        # The lists' default order (newest first, records.lists adds the id).
        indexes = [
            models.Index(F("charged_on").desc(), "reference", "id", name="charge_newest_idx")
        ]

    @classmethod
    def watched_in(cls, pk: int, values: Mapping[str, Any]) -> list[str]:
        """The things a watcher is told about (watches.things): its person and line."""
        line_id = values["line_id"]
        return things(person_thing(values["person_id"]), line_thing(line_id) if line_id else None)

    def get_absolute_url(self) -> str:
        return reverse("operations:charge_detail", args=[self.pk])


class Sentence(ReferencedRecord):
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="sentences")
    sentenced_on = models.DateField("date sentenced")
    custody_months = models.PositiveIntegerField(
        help_text="Months of custody imposed, 0 for a non-custodial sentence"
    )
    line = models.ForeignKey(
        Line, on_delete=models.SET_NULL, null=True, blank=True, related_name="sentences"
    )

    class Meta(ReferencedRecord.Meta):
        ordering = ["-sentenced_on", "reference"]
        # The lists' default order (newest first, records.lists adds the id).
        indexes = [
            models.Index(F("sentenced_on").desc(), "reference", "id", name="sentence_newest_idx")
        ]

    @classmethod
    def watched_in(cls, pk: int, values: Mapping[str, Any]) -> list[str]:
        """The things a watcher is told about (watches.things): its person and line."""
        line_id = values["line_id"]
        return things(person_thing(values["person_id"]), line_thing(line_id) if line_id else None)

    def get_absolute_url(self) -> str:
        return reverse("operations:sentence_detail", args=[self.pk])

    def clean(self) -> None:
        problems = sentence_problems(custody_months=self.custody_months)
        if problems:
            raise ValidationError(problems)


class Seizure(ReferencedRecord):
    seized_on = models.DateField("date seized")
    cash_gbp = models.DecimalField("cash seized", null=True, blank=True, **MONEY)
    drug = models.ForeignKey(
        Drug, on_delete=models.PROTECT, null=True, blank=True, related_name="seizures"
    )
    grams = models.DecimalField("weight (grams)", null=True, blank=True, **GRAMS)
    other_items = models.TextField(blank=True, help_text="Phones, weapons and other items seized")
    line = models.ForeignKey(
        Line, on_delete=models.SET_NULL, null=True, blank=True, related_name="seizures"
    )
    operation = models.ForeignKey(
        Operation, on_delete=models.SET_NULL, null=True, blank=True, related_name="seizures"
    )

    class Meta(ReferencedRecord.Meta):
        ordering = ["-seized_on", "reference"]
        # The lists' default order (newest first, records.lists adds the id).
        indexes = [
            models.Index(F("seized_on").desc(), "reference", "id", name="seizure_newest_idx")
        ]
        constraints = [
            *ReferencedRecord.Meta.constraints,
            models.CheckConstraint(
                condition=Q(cash_gbp__isnull=False) | Q(drug__isnull=False),
                name="seizure_cash_or_drug",
            ),
            models.CheckConstraint(
                condition=Q(drug__isnull=True, grams__isnull=True)
                | Q(drug__isnull=False, grams__gt=0),
                name="seizure_drug_with_grams",
            ),
            models.CheckConstraint(
                condition=Q(cash_gbp__isnull=True) | Q(cash_gbp__gte=0),
                name="seizure_cash_not_negative",
            ),
        ]

    @classmethod
    def watched_in(cls, pk: int, values: Mapping[str, Any]) -> list[str]:
        line_id = values["line_id"]
        return [line_thing(line_id)] if line_id else []

    def get_absolute_url(self) -> str:
        return reverse("operations:seizure_detail", args=[self.pk])

    def clean(self) -> None:
        problems = seizure_problems(
            cash_gbp=self.cash_gbp,
            drug_id=self.drug_id,
            grams=self.grams,
            other_items=self.other_items,
        )
        if problems:
            raise ValidationError(problems)
