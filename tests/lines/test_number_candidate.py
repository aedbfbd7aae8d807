"""Recognising a stored number by its digits, without parsing it again."""

import pytest

from lines.phone import normalise_number, number_candidate


@pytest.mark.parametrize(
    "text",
    [
        "07712 345678",
        "+44 7712 345678",
        "0044 7712 345678",
        "07712-345-678",
        "(07712) 345678",
        "07712.345.678",
        "+33 6 12 34 56 78",
        "0033 6 12 34 56 78",
    ],
)
def test_the_usual_spellings_give_what_parsing_gives(text):
    assert number_candidate(text) == normalise_number(text)


@pytest.mark.parametrize(
    "text",
    ["7712 345678", "07712 345678 ext 12", "tel: 07712 345678", "+44 (0) 7712 345678x", "++44"],
)
def test_other_spellings_are_left_to_the_parser(text):
    candidate = number_candidate(text)

    assert candidate is None or candidate != normalise_number("07712 345678")
