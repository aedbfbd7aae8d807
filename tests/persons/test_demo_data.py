"""The demo people of `seed_demo` are people an analyst can work with: each on a line,
with a number and an address, found by the number search."""

import re

from django.core.management import call_command
from django.db.models import Count
from django.test import Client
from django.urls import reverse

from accounts.models import User
from lines.models import LineNumber
from lines.phone import national_format
from persons.demo import AREA_TOWNS
from persons.models import LineRole, LineRoleKind, Person, PersonAddress, PersonNumber

POSTCODE = re.compile(r"[A-Z]{1,2}\d{1,2} \d[A-Z]{2}")


def intel_client() -> Client:
    client = Client()
    client.force_login(User.objects.get(username="intel"))
    return client


def number_search(client: Client, number: str) -> str:
    response = client.post(reverse("lines:number_search"), {"number": number}, follow=True)
    return response.content.decode()


def test_every_person_has_a_role_a_number_and_an_address(demo_data):
    people = Person.objects.filter(reference__startswith="NYP-P-")

    assert people.count() == 80
    assert not people.filter(line_roles__isnull=True).exists()
    assert not people.filter(numbers__isnull=True).exists()
    assert not people.filter(addresses__isnull=True).exists()
    for address in PersonAddress.objects.all():
        assert address.address and POSTCODE.fullmatch(address.postcode), address
    for used in PersonNumber.objects.select_related("number"):
        assert used.number.e164.startswith("+447700900"), used  # Ofcom's drama range


def test_the_people_whose_homes_were_taken_live_where_their_line_deals(demo_data):
    roles = LineRole.objects.filter(role=LineRoleKind.CUCKOOED_OCCUPANT).select_related("person")

    assert roles.exists()
    for role in roles.prefetch_related("line__command_areas", "person__addresses"):
        [home] = role.person.addresses.all()
        towns = {AREA_TOWNS[area.name][0] for area in role.line.command_areas.all()}
        assert home.address.rsplit(", ", 1)[-1] in towns, home


def test_the_number_search_finds_a_person_by_their_own_number(demo_data):
    client = intel_client()
    own = (
        PersonNumber.objects.exclude(number__attributions__isnull=False)
        .select_related("person", "number")
        .order_by("person__reference")[:3]
    )

    assert len(own) == 3
    for used in own:
        html = number_search(client, national_format(used.number.e164))
        assert used.person.reference in html, used


def test_a_line_holder_carried_the_deal_line_so_the_search_finds_both(demo_data):
    carried = PersonNumber.objects.filter(
        person__line_roles__role=LineRoleKind.LINE_HOLDER, number__attributions__isnull=False
    ).select_related("person", "number")
    assert carried.count() >= 20
    used = carried.order_by("person__reference").first()
    line = LineNumber.objects.filter(number=used.number).select_related("line").first()

    html = number_search(intel_client(), national_format(used.number.e164))

    assert used.person.reference in html and line.line.reference in html


def test_no_person_uses_a_number_another_person_uses_as_their_own(demo_data):
    own = PersonNumber.objects.exclude(number__attributions__isnull=False)
    shared = own.values("number").annotate(people=Count("person", distinct=True))

    assert not shared.filter(people__gt=1).exists()


def test_seeding_twice_adds_no_role_number_or_address(demo_data):
    def counts() -> list[int]:
        return [model.objects.count() for model in (LineRole, PersonNumber, PersonAddress)]

    before = counts()
    call_command("seed_demo", verbosity=0)

    assert counts() == before
