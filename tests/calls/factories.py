"""factory_boy factories for the call data (calls/models.py)."""

import datetime

import factory
from factory.django import DjangoModelFactory

from calls.models import CallEvent, EventKind, Source


class SourceFactory(DjangoModelFactory):
    class Meta:
        model = Source

    reference = factory.Sequence(lambda n: f"CDR-{n:04d}")
    authorisation = factory.Sequence(lambda n: f"AUTH/2026/{n:04d}")
    retain_until = datetime.date(2030, 1, 1)


class CallEventFactory(DjangoModelFactory):
    """One row of a source: a call from one subscriber to another unless told."""

    class Meta:
        model = CallEvent

    source = factory.SubFactory(SourceFactory)
    from_number = "+447700900001"
    to_number = "+447700900002"
    started_at = factory.Sequence(
        lambda n: (
            datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC) + datetime.timedelta(minutes=n)
        )
    )
    kind = EventKind.CALL
    duration_seconds = factory.LazyAttribute(
        lambda event: 60 if event.kind == EventKind.CALL else None
    )
