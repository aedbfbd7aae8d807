import pytest
from django.core.exceptions import ValidationError

from lines.phone import national_format, normalise_number, number_search_term, whole_number


@pytest.mark.parametrize(
    "spelling",
    ["07712 345678", "+44 7712 345678", "0044 7712 345678", "07712-345-678", "(07712) 345678"],
)
def test_every_common_spelling_normalises_to_e164(spelling):
    assert normalise_number(spelling) == "+447712345678"


@pytest.mark.parametrize(
    "text", ["", "12345", "0771234", "+44 20 1234", "+44 7712 34567890", "not a number"]
)
def test_what_cannot_be_a_number_is_refused_with_the_value_named(text):
    with pytest.raises(ValidationError) as error:
        normalise_number(text)
    if text:
        assert text in error.value.messages[0]


@pytest.mark.parametrize(
    ("text", "e164"),
    [
        ("07700 900123", "+447700900123"),  # a range the library does not list as in use
        ("+44 1632 960000", "+441632960000"),
        ("0800 1111", "+448001111"),  # short, but a number in use
        ("+33 6 12 34 56 78", "+33612345678"),
    ],
)
def test_any_number_of_a_possible_length_is_accepted(text, e164):
    assert normalise_number(text) == e164


def test_uk_numbers_show_in_national_format():
    assert national_format("+447712345678") == "07712 345678"


def test_crown_dependency_numbers_share_the_uk_national_format():
    # Guernsey mobiles are on the +44 plan and are dialled as 07911... within the UK.
    assert national_format(normalise_number("07911 123456")) == "07911 123456"


def test_foreign_numbers_keep_their_international_form():
    assert national_format("+33612345678") == "+33 6 12 34 56 78"


@pytest.mark.parametrize(
    "text",
    ["07712 345678 ext 123", "07712 345678 x123", "07712345678#12", "+44 7712 345678 ext. 9"],
)
def test_a_number_with_an_extension_is_refused_rather_than_stored_without_it(text):
    with pytest.raises(ValidationError) as error:
        normalise_number(text)
    assert error.value.messages[0] == (
        f"“{text}” has an extension. Enter the number alone, like 07712 345678: a line's or a "
        "person's number is the one that is dialled"
    )


@pytest.mark.parametrize(
    "text", ["07700 900123", "+44 1632 960000", "0800 1111", "+33 6 12 34 56 78", "01904 123456"]
)
def test_a_whole_number_is_one_of_its_prefix_length(text):
    assert whole_number(text) == normalise_number(text)


@pytest.mark.parametrize(
    ("text", "term"),
    [
        ("07700 900664", ("number", "+447700900664")),
        ("07700 9006", ("part", "77009006")),  # a possible length, but not for a mobile
        ("0770090066", ("part", "770090066")),
        ("+44 7700 9006", ("part", "4477009006")),
        ("900 664", ("part", "900664")),
        ("07700", None),
        ("Smith", None),
    ],
)
def test_a_search_looks_for_a_whole_number_or_for_part_of_one(text, term):
    assert number_search_term(text) == term
