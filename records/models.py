"""What every record people refer to by reference shares (persons, operations, arrests…)."""

from collections.abc import Mapping
from typing import Any, ClassVar

from django.db import models
from django.db.models import Q
from django.utils import timezone

from core.references import reference_key


class VersionedRecord(models.Model):
    """A record people edit: its version is raised by every update (`records.versions`),
    so that an edit form saved over a newer one is told."""

    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        abstract = True


class ReferencedRecord(VersionedRecord):
    """A record with a reference people type (`NYP/AR/1182`), kept as typed, unique
    without regard to case (`core.references`), and a version raised by every update
    (`records.versions`), so that an edit form saved over a newer one is told.

    The batch services write `reference_key` themselves; a path that forgot to would
    be refused by the database (the constraint below), not discovered later.
    """

    reference = models.CharField(max_length=40)
    reference_key = models.CharField(max_length=80, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    # Fields the model computes from the others (a search key), by `derive`: saved with
    # them by records.single and records.upserts. None unless a model says so (Person).
    derived_fields: ClassVar[tuple[str, ...]] = ()

    class Meta:
        abstract = True
        constraints = [
            # A constraint rather than unique=True, which on PostgreSQL adds a second index
            # (for LIKE 'prefix%') that no search uses and every new record would pay for.
            models.UniqueConstraint(
                fields=["reference_key"], name="%(app_label)s_%(class)s_reference_unique"
            ),
            models.CheckConstraint(
                condition=~Q(reference_key=""), name="%(app_label)s_%(class)s_reference_key_set"
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.reference_key = reference_key(self.reference)
        super().save(*args, **kwargs)

    @staticmethod
    def derive(values: Mapping[str, Any]) -> dict[str, Any]:
        """The `derived_fields`' values, from the others'."""
        return {}


class RetainedRecord(ReferencedRecord):
    """A record kept under MoPI (Management of Police Information): when its retention is
    next reviewed and why it is kept. Lines, people and referrals share these fields, and
    `records.reviews` reviews them all alike (the queue, the outcome, the timeline).

    `review_kind` names the kind in the review's URLs (`/reviews/line/12/`); the record's
    title in the queue is `review_title`, an expression of its fields."""

    next_review_on = models.DateField(
        "next MoPI review", null=True, blank=True, help_text="When retention is next reviewed"
    )
    retention_reason = models.TextField(
        "reason the record is kept", blank=True, help_text="The policing purpose (MoPI)"
    )

    review_kind: ClassVar[str] = ""
    # What the queue's filter calls the kind ("People").
    review_plural: ClassVar[str] = ""

    class Meta(ReferencedRecord.Meta):
        abstract = True

    def get_absolute_url(self) -> str:
        raise NotImplementedError

    @classmethod
    def review_title(cls) -> Any:
        """What names the record in the review queue beside its reference (an expression)."""
        raise NotImplementedError

    @property
    def review_overdue(self) -> bool:
        """Whether its review date has passed (a record without one is not overdue: it is
        reviewed once someone sets it)."""
        return self.next_review_on is not None and self.next_review_on < timezone.localdate()
