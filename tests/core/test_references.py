"""References: one normal form, no hidden characters, one record whatever the case."""

import pytest
from django.core.exceptions import ValidationError

from core.references import REFERENCE_INVISIBLE, normalise_reference, reference_key


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("CL-2024-017", "CL-2024-017"),
        ("  CL-2024-017 ", "CL-2024-017"),
        ("ＣＬ－２０２４－０１７", "CL-2024-017"),  # full-width, as a phone keyboard may type it
        ("NYP  /  CL", "NYP / CL"),
    ],
)
def test_references_are_stored_in_one_normal_form(typed, stored):
    assert normalise_reference(typed) == stored


@pytest.mark.parametrize(
    "typed",
    [
        "CL-\u202e710-4202",  # a right-to-left override: shows as CL-2024-017
        "CL-2024\u200b-017",  # a zero-width space
        "CL-2024\x07-017",  # a control character
        "CL-\u2066017\u2069",  # a directional isolate
    ],
)
def test_hidden_and_control_characters_are_refused(typed):
    with pytest.raises(ValidationError) as error:
        normalise_reference(typed)
    assert error.value.messages == [REFERENCE_INVISIBLE]


def test_an_empty_reference_is_refused():
    with pytest.raises(ValidationError, match="Enter the reference"):
        normalise_reference("   ")


def test_references_differing_only_in_case_or_width_share_a_key():
    assert reference_key("CL-2024-017") == reference_key("cl-2024-017")
    assert reference_key("ＣＬ－２０２４－０１７") == reference_key("CL-2024-017")
    assert reference_key("CL-2024-017") != reference_key("CL-2024-018")
