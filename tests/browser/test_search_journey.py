"""The search box on every page: a name with a typo, part of a number, a postcode; the
text never in the address bar nor the title; no serious accessibility problem."""

import datetime

import pytest
from playwright.sync_api import expect

from persons.models import PersonAddress, PersonNumber
from tests.lines.factories import LineFactory, LineNumberFactory, PhoneNumberFactory
from tests.persons.factories import PersonFactory

from .helpers import Journey, search_from_the_header

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("no_console_errors")]


def held(page, text: str) -> None:
    assert text not in page.url and text.replace(" ", "+") not in page.url
    assert text.lower() not in page.title().lower()


def test_a_name_with_a_typo_part_of_a_number_and_a_postcode(page, sign_in_as, intel):
    dolla = LineFactory(reference="CL-2024-001", name="Dolla")
    number = PhoneNumberFactory(e164="+447700900664")
    LineNumberFactory(line=dolla, number=number)
    smith = PersonFactory(reference="P-1", surname="Smith", forenames="Jayden")
    jones = PersonFactory(reference="P-2", surname="Jones", forenames="Ellie")
    PersonNumber.objects.create(person=smith, number=number, used_from=datetime.date(2024, 1, 1))
    PersonAddress.objects.create(person=jones, address="4 Tower Street", postcode="YO1 9SA")
    sign_in_as(intel)
    journey = Journey(page, "search")

    search_from_the_header(page, "Smyth")
    people = page.get_by_test_id("found-people")
    expect(people.get_by_role("link", name="P-1 SMITH, Jayden")).to_be_visible()
    expect(people).to_contain_text("Name (spelt one letter differently)")
    held(page, "Smyth")
    journey.step("A name with one typo")

    search_from_the_header(page, "07700 9006")
    expect(page.get_by_test_id("found-lines")).to_contain_text("Number 07700 900664")
    expect(page.get_by_test_id("found-people")).to_contain_text("P-1 SMITH, Jayden")
    numbers = page.get_by_test_id("found-numbers")
    expect(numbers).to_contain_text("Contains the digits")
    held(page, "07700 9006")
    journey.step("Part of a number")
    numbers.get_by_role("link", name="07700 900664").click()
    expect(page.get_by_test_id("number-known")).to_have_text("07700 900664 is known")
    held(page, "07700 900664")
    journey.step("The number, from the search")

    search_from_the_header(page, "yo1 9sa")
    people = page.get_by_test_id("found-people")
    expect(people).to_contain_text("Postcode: 4 Tower Street, YO1 9SA")
    held(page, "yo1 9sa")
    journey.step("A postcode")
    people.get_by_role("link", name="P-2 JONES, Ellie").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("JONES")
