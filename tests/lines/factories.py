"""factory_boy factories for lines, numbers and intelligence."""

import datetime

import factory
from factory.django import DjangoModelFactory

from lines.models import HandlingCode, IntelligenceEntry, Line, LineNumber, PhoneNumber
from lines.services.counts import numbers_counts_refresh
from reference.models import CommandArea, Force

from ..factories import UserFactory


def force(name: str = "Merseyside Police") -> Force:
    return Force.objects.get(name=name)


def command_area(name: str = "York") -> CommandArea:
    return CommandArea.objects.get(name=name)


class LineFactory(DjangoModelFactory):
    """A line into York from Merseyside; `command_areas=[...]` picks other areas."""

    class Meta:
        model = Line
        skip_postgeneration_save = True

    reference = factory.Sequence(lambda n: f"CL-{n:05d}")
    name = factory.Sequence(lambda n: f"Brand{n}")
    origin_force = factory.LazyFunction(force)
    first_identified = datetime.date(2024, 1, 15)

    @factory.post_generation
    def command_areas(self, create, extracted, **kwargs):
        if create:
            self.command_areas.set(extracted if extracted is not None else [command_area()])


class PhoneNumberFactory(DjangoModelFactory):
    class Meta:
        model = PhoneNumber
        django_get_or_create = ("e164",)

    e164 = factory.Sequence(lambda n: f"+4477123{n:05d}")


class LineNumberFactory(DjangoModelFactory):
    """An attribution; the line's stored numbers count follows, as the services keep it."""

    class Meta:
        model = LineNumber
        skip_postgeneration_save = True

    line = factory.SubFactory(LineFactory)
    number = factory.SubFactory(PhoneNumberFactory)
    attributed_from = factory.LazyAttribute(lambda use: use.line.first_identified)
    attributed_to = None

    @factory.post_generation
    def numbers_count(self, create, extracted, **kwargs):
        if create:
            numbers_counts_refresh(line_ids=[self.line_id])


class IntelligenceEntryFactory(DjangoModelFactory):
    class Meta:
        model = IntelligenceEntry

    line = factory.SubFactory(LineFactory)
    text = "Runner seen at the address on Walmgate most evenings."
    source_evaluation = "2"
    assessment = "B"
    handling_code = HandlingCode.PERMITTED
    recorded_by = factory.SubFactory(UserFactory)
