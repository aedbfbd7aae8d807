"""People around the lines (nominals): who they are, their numbers and addresses over time,
and the part each plays on a line, with the graded intelligence behind it."""

import datetime
from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q, Value
from django.db.models.functions import Concat, Trim
from django.urls import reverse
from django.utils import timezone

from core.rules import period_problems
from lines.models import HandlingCode, IntelligenceAssessment, Line, PhoneNumber, SourceEvaluation
from records.models import ReferencedRecord, RetainedRecord, VersionedRecord
from watches.things import address_thing, line_thing, number_thing, person_thing, things

from .names import alias_list, full_name, name_keys
from .rules import person_problems

# The age below which a person is a child (Children Act 1989 s.105).
CHILD_UNDER = 18


class Gender(models.TextChoices):
    FEMALE = "female", "Female"
    MALE = "male", "Male"
    OTHER = "other", "Other"


class NrmStage(models.TextChoices):
    """Where a National Referral Mechanism referral has got to (Modern Slavery Act 2015)."""

    REFERRED = "referred", "Referred, awaiting a decision"
    REASONABLE_GROUNDS = "reasonable_grounds", "Positive reasonable grounds decision"
    CONCLUSIVE_GROUNDS = "conclusive_grounds", "Positive conclusive grounds decision"
    NEGATIVE = "negative", "Negative decision"


class Person(RetainedRecord):
    """A nominal. Whether they were a child at an event is worked out from the date of
    birth on the day of the event, never stored."""

    surname = models.CharField(max_length=80)
    forenames = models.CharField(max_length=120, blank=True)
    aliases = models.TextField(blank=True, help_text="One alias or nickname per line")
    date_of_birth = models.DateField(null=True, blank=True)
    gender = models.CharField(max_length=10, choices=Gender.choices, blank=True)
    vulnerable_adult = models.BooleanField(default=False)
    exploited = models.BooleanField(
        default=False, help_text="Criminally exploited by a line (a victim as well as a suspect)"
    )
    nrm_referred_on = models.DateField("date of NRM referral", null=True, blank=True)
    nrm_stage = models.CharField("NRM stage", max_length=20, choices=NrmStage.choices, blank=True)
    # Name, name the other way round and aliases without accents, case or spaces
    # (persons.names): what the name search matches. Set by save() and the batch service.
    names_key = models.TextField(editable=False, default="")
    # The words of the names and aliases (persons.names.typo_words), a JSON array: where
    # the search looks up a name typed with one typo (a GIN index on PostgreSQL), before
    # it confirms the typo in Python.
    typo_words = models.JSONField(editable=False, default=list)

    # Computed from the other fields by `derive` (records.single and records.upserts save
    # them with the others).
    derived_fields = ("names_key", "typo_words")
    review_kind = "person"
    review_plural = "People"

    class Meta(ReferencedRecord.Meta):
        verbose_name = "person"
        ordering = ["surname", "forenames", "reference"]
        indexes = [
            models.Index("surname", "forenames", "id", name="person_name_idx"),
            # The review queue (records.reviews).
            models.Index(fields=["next_review_on", "id"], name="person_review_idx"),
        ]

    @classmethod
    def watched_in(cls, pk: int, values: Mapping[str, Any]) -> list[str]:
        """The things a watcher is told about when the person changes (watches.things)."""
        return [person_thing(pk)]

    def __str__(self) -> str:
        return f"{self.reference} {self.full_name}"

    @staticmethod
    def derive(values: Mapping[str, Any]) -> dict[str, Any]:
        """The `derived_fields`, from the others: what save() sets, and what the batch
        upsert writes with each row (records.upserts)."""
        names = {
            "surname": values["surname"],
            "forenames": values["forenames"],
            "aliases": alias_list(values["aliases"]),
        }
        key, words = name_keys(**names)
        return {"names_key": key, "typo_words": words}

    def save(self, *args: Any, **kwargs: Any) -> None:
        for name, value in self.derive(self.__dict__).items():
            setattr(self, name, value)
        super().save(*args, **kwargs)

    @classmethod
    def review_title(cls) -> Any:
        return Trim(Concat("forenames", Value(" "), "surname", output_field=models.TextField()))

    def get_absolute_url(self) -> str:
        return reverse("persons:person_detail", args=[self.pk])

    def clean(self) -> None:
        problems = person_problems(
            surname=self.surname,
            forenames=self.forenames,
            aliases=self.aliases,
            date_of_birth=self.date_of_birth,
            exploited=self.exploited,
            nrm_referred_on=self.nrm_referred_on,
            nrm_stage=self.nrm_stage,
            today=timezone.localdate(),
        )
        if problems:
            raise ValidationError(problems)

    @property
    def full_name(self) -> str:
        return full_name(surname=self.surname, forenames=self.forenames)

    @property
    def alias_list(self) -> list[str]:
        return alias_list(self.aliases)

    def age_on(self, day: datetime.date) -> int | None:
        born = self.date_of_birth
        if born is None:
            return None
        return day.year - born.year - ((day.month, day.day) < (born.month, born.day))

    def was_child_on(self, day: datetime.date) -> bool | None:
        """Whether they were under 18 on `day`; None when the date of birth is not known."""
        age = self.age_on(day)
        return None if age is None else age < CHILD_UNDER


class PersonNumber(VersionedRecord):
    """A number a person used for a period: the same numbers (E.164) as the lines'."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="numbers")
    number = models.ForeignKey(PhoneNumber, on_delete=models.PROTECT, related_name="person_numbers")
    used_from = models.DateField("date first used")
    used_to = models.DateField("date last used", null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["used_from", "number__e164"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "number", "used_from"], name="person_number_natural_key"
            ),
            models.CheckConstraint(
                condition=Q(used_to__isnull=True) | Q(used_to__gte=F("used_from")),
                name="person_number_ends_after_start",
            ),
        ]

    watch_noun = "number of a person"

    @classmethod
    def watched_in(cls, pk: int, values: Mapping[str, Any]) -> list[str]:
        return [person_thing(values["person_id"]), number_thing(values["e164"])]

    @classmethod
    def watch_page(cls, pk: int, values: Mapping[str, Any]) -> tuple[str, int]:
        return "persons.person", values["person_id"]

    def watched_values(self) -> dict[str, Any]:
        return {"person_id": self.person_id, "e164": self.number.e164}

    def __str__(self) -> str:
        return f"{self.number} used by {self.person.reference} from {self.used_from}"

    def clean(self) -> None:
        problems = period_problems(
            start=self.used_from,
            end=self.used_to,
            end_field="used_to",
            start_label="date first used",
            end_label="date last used",
        )
        if problems:
            raise ValidationError(problems)


class PersonAddress(VersionedRecord):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="addresses")
    address = models.TextField()
    postcode = models.CharField(max_length=10, blank=True)
    lived_from = models.DateField("from", null=True, blank=True)
    lived_to = models.DateField("to", null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name_plural = "person addresses"
        ordering = [F("lived_from").desc(nulls_last=True), "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(lived_to__isnull=True)
                | Q(lived_from__isnull=True)
                | Q(lived_to__gte=F("lived_from")),
                name="person_address_ends_after_start",
            ),
        ]

    watch_noun = "address of a person"

    @classmethod
    def watched_in(cls, pk: int, values: Mapping[str, Any]) -> list[str]:
        address = address_thing(
            address=values.get("address", ""), postcode=values.get("postcode", "")
        )
        return things(person_thing(values["person_id"]), address)

    @classmethod
    def watch_page(cls, pk: int, values: Mapping[str, Any]) -> tuple[str, int]:
        return "persons.person", values["person_id"]

    def __str__(self) -> str:
        return self.address.splitlines()[0] if self.address else self.postcode

    def clean(self) -> None:
        problems = period_problems(
            start=self.lived_from,
            end=self.lived_to,
            end_field="lived_to",
            start_label="date they moved in",
            end_label="date they left",
        )
        if problems:
            raise ValidationError(problems)


class LineRoleKind(models.TextChoices):
    LINE_HOLDER = "line_holder", "Line holder"
    RUNNER = "runner", "Runner"
    ASSOCIATE = "associate", "Associate"
    CUCKOOED_OCCUPANT = "cuckooed_occupant", "Cuckooed occupant"
    OTHER = "other", "Other"


class LineRole(VersionedRecord):
    """The part a person played on a line for a period, and the intelligence (graded
    3x5x2) that says so."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="line_roles")
    line = models.ForeignKey(Line, on_delete=models.CASCADE, related_name="person_roles")
    role = models.CharField(max_length=20, choices=LineRoleKind.choices)
    started_on = models.DateField("from")
    ended_on = models.DateField("to", null=True, blank=True)
    source_evaluation = models.CharField(max_length=1, choices=SourceEvaluation.choices)
    assessment = models.CharField(
        "intelligence assessment", max_length=1, choices=IntelligenceAssessment.choices
    )
    handling_code = models.CharField(max_length=1, choices=HandlingCode.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="line_roles_recorded",
        null=True,
        blank=True,
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-started_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=F("started_on")),
                name="line_role_ends_after_start",
            ),
        ]

    watch_noun = "role on a line"

    @classmethod
    def watched_in(cls, pk: int, values: Mapping[str, Any]) -> list[str]:
        return [person_thing(values["person_id"]), line_thing(values["line_id"])]

    @classmethod
    def watch_page(cls, pk: int, values: Mapping[str, Any]) -> tuple[str, int]:
        return "persons.person", values["person_id"]

    def __str__(self) -> str:
        return f"{self.person.reference} {self.get_role_display()} on {self.line.reference}"

    @property
    def grading(self) -> str:
        return f"{self.source_evaluation}{self.assessment}{self.handling_code}"

    def clean(self) -> None:
        problems = period_problems(
            start=self.started_on,
            end=self.ended_on,
            end_field="ended_on",
            start_label="start of the role",
            end_label="end of the role",
        )
        if problems:
            raise ValidationError(problems)
