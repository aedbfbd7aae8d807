"""Blue Guardian cuckooing referrals: an address believed taken over by a line, the
people at risk in it, what the partner agencies shared about it and agreed to do.

Who may see a referral is decided by its shares (`ReferralShare`): police roles see
every referral; a partner-agency user only those shared with their agency and
confirmed. `selectors.visible_referrals` is the one place that applies it. Within a
referral, who may see and change each record is the ownership rule of
`accounts.permissions.RECORD_RULES`: the agency that referred, owns or recorded it.
"""

import datetime
from collections.abc import Mapping
from typing import Any, Self

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q, Value
from django.db.models.functions import Concat, Trim
from django.urls import reverse
from django.utils import timezone

from accounts.models import Agency, User
from accounts.permissions import police_only_fields
from lines.models import HandlingCode, Line
from records.models import ReferencedRecord, RetainedRecord, VersionedRecord
from reference.models import CommandArea
from watches.things import address_thing, line_thing, person_thing, referral_thing, things

from .rules import action_problems, exchange_problems, occupant_problems, referral_problems


class RiskLevel(models.TextChoices):
    LOW = "low", "Low"
    MEDIUM = "medium", "Medium"
    HIGH = "high", "High"


class ClosureReason(models.TextChoices):
    NO_LONGER_CUCKOOED = "no_longer_cuckooed", "The address is no longer taken over"
    REHOUSED = "rehoused", "The occupants were rehoused"
    CLOSURE_ORDER = "closure_order", "A closure order was granted"
    NO_FURTHER_ACTION = "no_further_action", "No further action needed"
    OTHER = "other", "Other"


class Referral(RetainedRecord):
    """A cuckooing referral. Open until `closed_on`; its status is never stored."""

    address = models.TextField(blank=True, help_text="The street address, one line each")
    town = models.CharField(max_length=80, blank=True)
    postcode = models.CharField(max_length=8, blank=True, help_text="Stored as `YO1 7HH`")
    command_area = models.ForeignKey(CommandArea, on_delete=models.PROTECT, related_name="+")
    referred_on = models.DateField("date of the referral")
    referring_agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="referrals_made"
    )
    risk_level = models.CharField(max_length=10, choices=RiskLevel.choices, blank=True)
    summary = models.TextField(blank=True, help_text="What is known of the take-over")
    # A police-side link: partners are told only that a referral has one.
    suspected_lines = models.ManyToManyField(Line, blank=True, related_name="referrals")
    shared_with = models.ManyToManyField(
        Agency, through="ReferralShare", related_name="referrals_shared", blank=True
    )
    closed_on = models.DateField("date it was closed", null=True, blank=True)
    closure_reason = models.CharField(max_length=30, choices=ClosureReason.choices, blank=True)
    closure_note = models.TextField(blank=True)

    class Meta(ReferencedRecord.Meta):
        ordering = ["-referred_on", "-id"]
        constraints = [
            *ReferencedRecord.Meta.constraints,
            models.CheckConstraint(
                condition=Q(closed_on__isnull=True) | Q(closed_on__gte=F("referred_on")),
                name="referral_closed_after_referred",
            ),
        ]
        indexes = [
            models.Index(fields=["referred_on", "id"], name="referral_referred_idx"),
            # The review queue (records.reviews).
            models.Index(fields=["next_review_on", "id"], name="referral_review_idx"),
        ]

    review_kind = "referral"
    review_plural = "Referrals"

    @classmethod
    def review_title(cls) -> Any:
        return Trim(Concat("town", Value(" "), "postcode", output_field=models.TextField()))

    @classmethod
    def watched_in(cls, pk: int, values: Mapping[str, Any]) -> list[str]:
        """The things a watcher is told about (watches.things): the referral, its address
        and the lines it is linked to (police-side: told to the lines' watchers, the
        police)."""
        address = address_thing(
            address=values.get("address", ""), postcode=values.get("postcode", "")
        )
        lines = [line_thing(pk) for pk in sorted(values.get("suspected_lines", ()))]
        return things(referral_thing(pk), address, *lines)

    def watched_values(self) -> dict[str, Any]:
        """Its fields' values and the lines it is linked to (a many-to-many field: the
        batch of referrals reads them with the record, a screen here)."""
        values = {
            field.attname: getattr(self, field.attname) for field in self._meta.concrete_fields
        }
        return values | {"suspected_lines": set(self.suspected_lines.values_list("pk", flat=True))}

    def get_absolute_url(self) -> str:
        return reverse("safeguarding:referral_detail", args=[self.pk])

    def fields_hidden_from(self, user: User) -> tuple[str, ...]:
        """What `user` may not see of it, nor of its history (records.versions.hidden_fields)."""
        return police_only_fields(user, self)

    def clean(self) -> None:
        problems = referral_problems(
            referred_on=self.referred_on, closed_on=self.closed_on, today=timezone.localdate()
        )
        if problems:
            raise ValidationError(problems)

    @property
    def is_open(self) -> bool:
        return self.closed_on is None

    @property
    def status(self) -> str:
        return "Open" if self.is_open else "Closed"

    @property
    def address_in_one_line(self) -> str:
        parts = [*self.address.splitlines(), self.town, self.postcode]
        return ", ".join(part.strip() for part in parts if part.strip())


class ShareStatus(models.TextChoices):
    PROPOSED = "proposed", "Proposed, waiting for the police to confirm"
    CONFIRMED = "confirmed", "Shared"


class ReferralShare(models.Model):
    """A referral shared with an agency. A partner may only propose a share: the agency
    sees nothing until a police user confirms it."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="shares")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=10, choices=ShareStatus.choices)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["agency__name"]
        constraints = [
            models.UniqueConstraint(fields=["referral", "agency"], name="referral_share_once"),
        ]
        indexes = [models.Index(fields=["agency", "status"], name="referral_share_agency_idx")]

    def __str__(self) -> str:
        return f"{self.referral} shared with {self.agency}"


class Vulnerability(models.TextChoices):
    DRUG_OR_ALCOHOL = "drug_or_alcohol", "Drug or alcohol use"
    MENTAL_HEALTH = "mental_health", "Mental health"
    LEARNING_DISABILITY = "learning_disability", "Learning disability"
    PHYSICAL_DISABILITY = "physical_disability", "Physical disability"
    AGE = "age", "Age"
    OTHER = "other", "Other"


class OnAReferral:
    """A record about a referral (an occupant, an exchange, an action): its watchers are
    the referral's, and it is shown on the referral's page (watches.things)."""

    @classmethod
    def watched_in(cls, pk: int, values: Mapping[str, Any]) -> list[str]:
        return [referral_thing(values["referral_id"])]

    @classmethod
    def watch_page(cls, pk: int, values: Mapping[str, Any]) -> tuple[str, int]:
        return "safeguarding.referral", values["referral_id"]


class Occupant(OnAReferral, VersionedRecord):
    """A person at risk at a referred address: a safeguarding record, not a nominal. A
    police user may link them to a person of `persons`; partners never see the link."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="occupants")
    name = models.CharField(max_length=200)
    date_of_birth = models.DateField(null=True, blank=True)
    age = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="When the date of birth is not known"
    )
    vulnerabilities = models.JSONField(default=list, blank=True)
    vulnerability_notes = models.TextField(blank=True)
    person = models.ForeignKey(
        "persons.Person",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="occupancies",
    )
    # Its users may change the occupant, as may the referring agency's.
    recorded_by_agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]

    watch_noun = "occupant"

    @classmethod
    def watched_in(cls, pk: int, values: Mapping[str, Any]) -> list[str]:
        person_id = values["person_id"]
        return things(
            referral_thing(values["referral_id"]), person_thing(person_id) if person_id else None
        )

    def __str__(self) -> str:
        return self.name

    def fields_hidden_from(self, user: User) -> tuple[str, ...]:
        """What `user` may not see of them, nor of their history (an occupant's person)."""
        return police_only_fields(user, self)

    def clean(self) -> None:
        unknown = set(self.vulnerabilities) - set(Vulnerability.values)
        if unknown:
            raise ValidationError({"vulnerabilities": "Select the vulnerabilities from the list"})
        problems = occupant_problems(
            name=self.name,
            date_of_birth=self.date_of_birth,
            age=self.age,
            today=timezone.localdate(),
        )
        if problems:
            raise ValidationError(problems)

    @property
    def vulnerability_labels(self) -> list[str]:
        return [Vulnerability(value).label for value in self.vulnerabilities]

    def age_on(self, day: datetime.date) -> int | None:
        if self.date_of_birth is None:
            return self.age
        born = self.date_of_birth
        return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


class LawfulBasis(models.TextChoices):
    DPA_PART_3 = "dpa_part_3", "Data Protection Act 2018, Part 3 (law enforcement)"
    UK_GDPR_PUBLIC_TASK = "uk_gdpr_6_1_e", "UK GDPR Article 6(1)(e) (public task)"
    UK_GDPR_VITAL_INTERESTS = "uk_gdpr_6_1_d", "UK GDPR Article 6(1)(d) (vital interests)"
    CRIME_AND_DISORDER_ACT = "cda_1998_s115", "Crime and Disorder Act 1998, section 115"
    CHILDREN_ACT = "children_act", "Children Act 1989 / 2004 (safeguarding children)"
    CARE_ACT = "care_act_2014", "Care Act 2014 (safeguarding adults)"


class InformationExchange(OnAReferral, models.Model):
    """One sharing event: from which agency to which, when, what, on which lawful basis
    and under which handling code. Kept as recorded (a disclosure is not rewritten)."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="exchanges")
    from_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    to_agencies = models.ManyToManyField(Agency, related_name="+")
    shared_on = models.DateField("date shared")
    summary = models.TextField("what was shared")
    lawful_basis = models.CharField(max_length=20, choices=LawfulBasis.choices)
    handling_code = models.CharField(max_length=1, choices=HandlingCode.choices)
    handling_conditions = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-shared_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(handling_code="C") | ~Q(handling_conditions=""),
                name="exchange_conditions_with_code_c",
            ),
        ]

    def __str__(self) -> str:
        return f"Shared by {self.from_agency} on {self.shared_on:%-d %B %Y}"

    watch_noun = "information exchange"

    def clean(self) -> None:
        problems = exchange_problems(
            handling_code=self.handling_code, handling_conditions=self.handling_conditions
        )
        if problems:
            raise ValidationError(problems)


class ActionKind(models.TextChoices):
    WELFARE_VISIT = "welfare_visit", "Welfare visit"
    TARGET_HARDENING = "target_hardening", "Target hardening"
    CLOSURE_ORDER = "closure_order", "Closure order"
    REHOUSING = "rehousing", "Rehousing"
    TREATMENT_REFERRAL = "treatment_referral", "Treatment referral"
    NRM_REFERRAL = "nrm_referral", "NRM referral"
    OTHER = "other", "Other"


class ActionQuerySet(models.QuerySet["SafeguardingAction"]):
    def overdue(self, today: datetime.date) -> Self:
        return self.filter(done_on__isnull=True, due_on__lt=today)

    def outstanding(self) -> Self:
        return self.filter(done_on__isnull=True)


class SafeguardingAction(OnAReferral, VersionedRecord):
    """What an agency agreed to do about a referral, by when, and what came of it."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="actions")
    kind = models.CharField(max_length=20, choices=ActionKind.choices)
    description = models.TextField(blank=True)
    owner_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    agreed_on = models.DateField("date agreed", default=timezone.localdate)
    due_on = models.DateField("due date")
    done_on = models.DateField("date done", null=True, blank=True)
    outcome = models.TextField(blank=True)
    # Seen by the police, the owner and the agency that recorded it; by every agency the
    # referral is shared with only when it was agreed with them (the narrow choice unless
    # said otherwise).
    shared_with_partnership = models.BooleanField(
        "agreed with every agency the referral is shared with", default=False
    )
    recorded_by_agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ActionQuerySet.as_manager()

    class Meta:
        ordering = ["due_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(due_on__gte=F("agreed_on")), name="action_due_after_agreed"
            ),
            models.CheckConstraint(
                condition=Q(done_on__isnull=True) | Q(done_on__gte=F("agreed_on")),
                name="action_done_after_agreed",
            ),
        ]
        indexes = [
            models.Index(
                fields=["due_on"], condition=Q(done_on__isnull=True), name="action_outstanding_idx"
            )
        ]

    watch_noun = "safeguarding action"

    def __str__(self) -> str:
        return f"{self.get_kind_display()} by {self.owner_agency}"

    def clean(self) -> None:
        problems = action_problems(
            agreed_on=self.agreed_on, due_on=self.due_on, done_on=self.done_on
        )
        if problems:
            raise ValidationError(problems)

    def is_overdue(self, today: datetime.date | None = None) -> bool:
        return self.done_on is None and self.due_on < (today or timezone.localdate())

    @property
    def overdue(self) -> bool:
        """Not done, and due before today (the pages' tag)."""
        return self.is_overdue()

    @property
    def seen_by(self) -> str:
        """Who sees it, in words (accounts.permissions.RECORD_RULES says so in rules)."""
        if self.shared_with_partnership:
            return "Seen by every agency the referral is shared with"
        partners = []
        for agency in (self.owner_agency, self.recorded_by_agency):
            if agency and agency.kind != Agency.Kind.POLICE and agency not in partners:
                partners.append(agency)
        names = ["the police", *(agency.name for agency in partners)]
        if len(names) == 1:
            return "Seen by the police only"
        return f"Seen by {', '.join(names[:-1])} and {names[-1]}"


class ReferenceSequence(models.Model):
    """The last number the service gave a referral of an agency's partner users: theirs
    are `CODE-0001`, `CODE-0002`... (the agency's code), never typed, never reused."""

    agency = models.OneToOneField(
        Agency, on_delete=models.PROTECT, primary_key=True, related_name="+"
    )
    last_number = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.agency.code}-{self.last_number:04d}"
