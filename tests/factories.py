"""factory_boy factories for the foundation's models."""

import factory
from factory.django import DjangoModelFactory

from accounts.models import Agency, Role, User
from audit.models import AuditEvent

PASSWORD = "correct-horse-battery-staple"


class UserFactory(DjangoModelFactory):
    """A user of the given role; `agency__name` picks one of the migrated agencies."""

    class Meta:
        model = User
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Sequence(lambda n: f"Given{n}")
    last_name = factory.Sequence(lambda n: f"Family{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.invalid")
    role = Role.INTELLIGENCE_OFFICER
    agency = factory.LazyFunction(lambda: Agency.objects.get(name="North Yorkshire Police"))
    password = factory.django.Password(PASSWORD)


class AuditEventFactory(DjangoModelFactory):
    class Meta:
        model = AuditEvent

    username = factory.Sequence(lambda n: f"someone{n}")
    action = AuditEvent.Action.VIEW
    object_type = "lines.line"
    object_id = factory.Sequence(str)
    object_label = factory.Sequence(lambda n: f"Line {n}")
