"""`manage.py seed_scale`: the synthetic data of `make bench`, at a small factor here."""

import pytest
from django.core.management import CommandError, call_command

from audit.models import AuditEvent
from bench.scale import Sizes
from lines.models import Line, LineNumber
from operations.models import Arrest
from panel.models import RecordedDrugOffence
from persons.models import Person
from safeguarding.models import Referral, ReferralShare

pytestmark = pytest.mark.django_db
FACTOR = 0.002


def test_it_seeds_every_kind_at_the_factors_sizes_once(capsys):
    call_command("seed_scale", factor=FACTOR)
    sizes = Sizes.at(FACTOR)

    assert Line.objects.count() == sizes.lines == 40
    assert LineNumber.objects.count() == sizes.attributions
    assert Person.objects.count() == sizes.persons
    assert Arrest.objects.count() == sizes.arrests
    assert RecordedDrugOffence.objects.count() == sizes.drug_offences
    assert Referral.objects.count() == sizes.referrals
    assert AuditEvent.objects.filter(username="scale-officer").count() == sizes.audit_events
    # What the services would keep: counts of numbers, search keys, shares.
    busiest = Line.objects.order_by("-numbers_count").first()
    assert busiest.numbers_count == busiest.attributions.count() > 0
    assert all(Person.objects.values_list("names_key", flat=True))
    assert ReferralShare.objects.values("referral").distinct().count() == sizes.referrals
    years = {day.year for day in Arrest.objects.values_list("arrested_on", flat=True)}
    assert len(years) == 10

    call_command("seed_scale", factor=FACTOR, if_empty=True)
    assert Line.objects.count() == sizes.lines
    with pytest.raises(CommandError, match="already there"):
        call_command("seed_scale", factor=FACTOR)


def test_it_refuses_a_factor_of_0():
    with pytest.raises(CommandError, match="more than 0"):
        call_command("seed_scale", factor=0)


def test_it_writes_nothing_at_verbosity_0(capsys):
    call_command("seed_scale", factor=FACTOR, verbosity=0)

    assert Line.objects.count() == Sizes.at(FACTOR).lines
    assert capsys.readouterr() == ("", "")
