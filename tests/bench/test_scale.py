"""`manage.py seed_scale`: the synthetic data of `make bench`, at a small factor here."""

import pytest
from django.core.management import CommandError, call_command

from audit.models import AuditEvent
from bench.scale import Sizes
from lines.models import IntelligenceEntry, Line, LineNumber
from operations.models import Arrest
from panel.models import RecordedDrugOffence
from persons.models import LineRole, Person, PersonAddress, PersonNumber
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
    assert IntelligenceEntry.objects.count() == sizes.intelligence
    assert PersonAddress.objects.count() == sizes.person_addresses
    assert PersonNumber.objects.count() == sizes.person_numbers
    assert LineRole.objects.count() == sizes.line_roles
    assert Person.objects.exclude(aliases="").count() == (sizes.persons + 1) // 3
    assert all(Person.objects.values_list("typo_words", flat=True))
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


def test_an_older_seed_gets_what_a_new_one_has_besides():
    call_command("seed_scale", factor=FACTOR, verbosity=0)
    new = _people_and_their_records()
    # What a seed written before people had aliases, addresses, numbers and roles holds.
    for model in (PersonAddress, PersonNumber, LineRole, IntelligenceEntry):
        model.objects.all().delete()
    for person in Person.objects.exclude(aliases=""):
        person.aliases = ""
        person.save()

    call_command("seed_scale", factor=FACTOR, if_empty=True, verbosity=0)

    assert _people_and_their_records() == new
    call_command("seed_scale", factor=FACTOR, if_empty=True, verbosity=0)  # nothing more
    assert PersonAddress.objects.count() == Sizes.at(FACTOR).person_addresses


def _people_and_their_records():
    return (
        list(Person.objects.order_by("pk").values_list("aliases", "names_key", "typo_words")),
        list(PersonAddress.objects.order_by("pk").values_list("person", "address", "postcode")),
        list(PersonNumber.objects.order_by("pk").values_list("person", "number", "used_from")),
        list(LineRole.objects.order_by("pk").values_list("person", "line", "role")),
        list(IntelligenceEntry.objects.order_by("pk").values_list("line", "text", "recorded_at")),
    )
