"""`manage.py seed_scale`: the synthetic data of `make bench`, at a small factor here."""

import pytest
from django.core.management import CommandError, call_command
from django.db.models import F, Q, Sum

from audit.models import AuditEvent
from bench.calls import subjects
from bench.scale import Sizes
from bench.scale_calls import SHORT_CODES, CallSizes
from calls.models import CallEvent, ContactMonth, Source
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


def test_it_seeds_call_data_with_deal_lines_their_successors_and_the_monthly_pairs():
    call_command("seed_scale", factor=FACTOR, verbosity=0)
    sizes = CallSizes.at(FACTOR)

    assert CallEvent.objects.count() == sizes.rows == 20_000
    months = {
        moment.strftime("%Y-%m")
        for moment in CallEvent.objects.values_list("started_at", flat=True)
    }
    assert len(months) == 24
    sources = Source.objects.filter(reference__startswith="SCALE-CD-")
    assert sources.count() == sizes.sources
    assert sum(source.events for source in sources) == sizes.rows
    # Deal lines' numbers are the scale lines' own, attributed while they are in use.
    attributed = set(LineNumber.objects.values_list("number__e164", flat=True))
    senders = set(CallEvent.objects.values_list("from_number", flat=True))
    assert attributed & senders
    assert {"withheld", *SHORT_CODES} & senders
    # The pairs are those the shared recompute makes from the rows: every subscriber side.
    assert ContactMonth.objects.exists()
    assert not ContactMonth.objects.exclude(number__startswith="+").exists()
    total = ContactMonth.objects.filter(number__startswith="+4477").aggregate(
        events=Sum(F("calls") + F("sms") + F("mms"))
    )["events"]
    deal = CallEvent.objects.filter(
        Q(from_number__startswith="+4477") | Q(to_number__startswith="+4477")
    )
    assert total == deal.count()
    # What the benchmark asks the analyses about: a deal line and its number.
    subject = subjects()
    assert subject["number"] in subject["line"].attributions.values_list("number__e164", flat=True)


def test_a_seed_without_call_data_gets_it_and_nothing_else():
    call_command("seed_scale", factor=FACTOR, verbosity=0)
    events = list(
        CallEvent.objects.order_by("started_at", "from_number", "to_number").values_list()
    )
    CallEvent.objects.all().delete()
    ContactMonth.objects.all().delete()
    Source.objects.all().delete()
    lines = Line.objects.count()

    call_command("seed_scale", factor=FACTOR, if_empty=True, verbosity=0)

    assert Line.objects.count() == lines
    again = list(CallEvent.objects.order_by("started_at", "from_number", "to_number").values_list())
    assert [row[1:] for row in again] == [row[1:] for row in events]  # the same, but the source ids
