"""factory_boy factories for people."""

import datetime

import factory
from factory.django import DjangoModelFactory

from persons.models import Person


class PersonFactory(DjangoModelFactory):
    class Meta:
        model = Person

    reference = factory.Sequence(lambda n: f"P-{n:05d}")
    surname = factory.Sequence(lambda n: f"Surname{n}")
    forenames = "Alex"
    date_of_birth = datetime.date(2000, 6, 15)
