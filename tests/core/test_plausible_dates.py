"""Every date input refuses a year no record could have, as the imports do."""

import pytest
from django.urls import reverse

from ..helpers import date_fields

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("1899-12-31", "must be the same as or after 1 January 1900"),
        (("1", "1", "0001"), "must be the same as or after 1 January 1900"),
        ("9999-12-31", "must be the same as or before 31 December"),
    ],
)
def test_a_review_date_outside_the_plausible_years_is_refused(intel_client, value, message):
    response = intel_client.post(
        reverse("persons:person_create"),
        {"reference": "P-9", "surname": "Smith", **date_fields("next_review_on", value)},
    )
    assert response.status_code == 200
    assert message in response.content.decode()
