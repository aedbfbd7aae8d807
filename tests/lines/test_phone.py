import pytest
from django.core.exceptions import ValidationError

from lines.phone import national_format, normalise_number


@pytest.mark.parametrize(
    "spelling",
    ["07712 345678", "+44 7712 345678", "0044 7712 345678", "07712-345-678", "(07712) 345678"],
)
def test_every_common_spelling_normalises_to_e164(spelling):
    assert normalise_number(spelling) == "+447712345678"


@pytest.mark.parametrize("text", ["", "12345", "0771234567", "not a number"])
def test_invalid_numbers_are_refused_with_the_value_named(text):
    with pytest.raises(ValidationError) as error:
        normalise_number(text)
    if text:
        assert text in error.value.messages[0]


def test_uk_numbers_show_in_national_format():
    assert national_format("+447712345678") == "07712 345678"


def test_crown_dependency_numbers_share_the_uk_national_format():
    # Guernsey mobiles are on the +44 plan and are dialled as 07911... within the UK.
    assert national_format(normalise_number("07911 123456")) == "07911 123456"


def test_foreign_numbers_keep_their_international_form():
    assert national_format("+33612345678") == "+33 6 12 34 56 78"
