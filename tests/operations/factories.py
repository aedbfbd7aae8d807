"""factory_boy factories for operations and enforcement records."""

import datetime
from decimal import Decimal

import factory
from factory.django import DjangoModelFactory

from operations.models import Arrest, Charge, Operation, OperationKind, Seizure, Sentence
from reference.models import CommandArea, Drug

from ..persons.factories import PersonFactory


class OperationFactory(DjangoModelFactory):
    class Meta:
        model = Operation
        skip_postgeneration_save = True

    reference = factory.Sequence(lambda n: f"OP-{n:04d}")
    name = factory.Sequence(lambda n: f"Operation {n}")
    kind = OperationKind.INTENSIFICATION
    started_on = datetime.date(2021, 10, 4)
    ended_on = datetime.date(2021, 10, 17)


class ArrestFactory(DjangoModelFactory):
    class Meta:
        model = Arrest

    reference = factory.Sequence(lambda n: f"AR-{n:05d}")
    person = factory.SubFactory(PersonFactory)
    arrested_on = datetime.date(2021, 10, 5)
    command_area = factory.LazyFunction(lambda: CommandArea.objects.get(name="York"))


class ChargeFactory(DjangoModelFactory):
    class Meta:
        model = Charge

    reference = factory.Sequence(lambda n: f"CH-{n:05d}")
    person = factory.SubFactory(PersonFactory)
    charged_on = datetime.date(2021, 10, 6)
    offence = "Possession with intent to supply a controlled drug of class A"


class SentenceFactory(DjangoModelFactory):
    class Meta:
        model = Sentence

    reference = factory.Sequence(lambda n: f"SE-{n:05d}")
    person = factory.SubFactory(PersonFactory)
    sentenced_on = datetime.date(2021, 11, 1)
    custody_months = 48


class SeizureFactory(DjangoModelFactory):
    class Meta:
        model = Seizure

    reference = factory.Sequence(lambda n: f"SZ-{n:05d}")
    seized_on = datetime.date(2021, 10, 5)
    cash_gbp = Decimal("1500.00")
    drug = factory.LazyFunction(lambda: Drug.objects.get(name="Cocaine"))
    grams = Decimal("28.00")
