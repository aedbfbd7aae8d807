"""factory_boy factories for safeguarding records."""

import datetime

import factory
from factory.django import DjangoModelFactory

from accounts.models import Agency
from reference.models import CommandArea
from safeguarding.models import (
    ActionKind,
    InformationExchange,
    LawfulBasis,
    Occupant,
    Referral,
    ReferralShare,
    SafeguardingAction,
    ShareStatus,
)


def agency(name: str) -> Agency:
    return Agency.objects.get(name=name)


class ReferralFactory(DjangoModelFactory):
    """A referral shared with its referring agency (City of York Council by default)."""

    class Meta:
        model = Referral
        skip_postgeneration_save = True

    reference = factory.Sequence(lambda n: f"BG-{n:04d}")
    address = "12 Example Street"
    town = "York"
    postcode = "YO1 7HH"
    command_area = factory.LazyFunction(lambda: CommandArea.objects.get(name="York"))
    referred_on = datetime.date(2021, 10, 4)
    referring_agency = factory.LazyFunction(lambda: agency("City of York Council"))

    @factory.post_generation
    def shared(self, create, extracted, **kwargs):
        if create:
            ReferralShare.objects.get_or_create(
                referral=self,
                agency=self.referring_agency,
                defaults={"status": ShareStatus.CONFIRMED},
            )


class OccupantFactory(DjangoModelFactory):
    class Meta:
        model = Occupant

    referral = factory.SubFactory(ReferralFactory)
    name = factory.Sequence(lambda n: f"Occupant {n}")
    age = 58
    vulnerabilities = ["drug_or_alcohol"]


class ActionFactory(DjangoModelFactory):
    class Meta:
        model = SafeguardingAction

    referral = factory.SubFactory(ReferralFactory)
    kind = ActionKind.WELFARE_VISIT
    owner_agency = factory.LazyFunction(lambda: agency("City of York Council"))
    agreed_on = datetime.date(2021, 10, 5)
    due_on = datetime.date(2021, 10, 12)


class ExchangeFactory(DjangoModelFactory):
    class Meta:
        model = InformationExchange
        skip_postgeneration_save = True

    referral = factory.SubFactory(ReferralFactory)
    from_agency = factory.LazyFunction(lambda: agency("North Yorkshire Police"))
    shared_on = datetime.date(2021, 10, 6)
    summary = "Two males from Liverpool seen at the address daily."
    lawful_basis = LawfulBasis.CRIME_AND_DISORDER_ACT
    handling_code = "P"
    recorded_by = factory.SubFactory("tests.factories.UserFactory")

    @factory.post_generation
    def to_agencies(self, create, extracted, **kwargs):
        if create:
            self.to_agencies.set(extracted or [agency("City of York Council")])
