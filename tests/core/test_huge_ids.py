"""An id too large for any table, typed into a filter or a form, is an invalid choice
(a message on the field), never a database error."""

import pytest
from django.urls import reverse

from ..helpers import date_fields

pytestmark = pytest.mark.django_db
HUGE = "99999999999999999999999"


@pytest.mark.parametrize(
    ("url_name", "parameter"),
    [
        ("lines:line_list", "command_areas"),
        ("lines:line_list", "origin_force"),
        ("operations:arrest_list", "command_area"),
        ("operations:arrest_list", "operation"),
    ],
)
def test_a_huge_id_in_a_filter_is_an_invalid_choice(intel_client, url_name, parameter):
    response = intel_client.get(reverse(url_name), {parameter: HUGE})
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()


def test_a_huge_id_posted_in_a_form_is_an_invalid_choice(intel_client):
    response = intel_client.post(
        reverse("operations:arrest_create"),
        {
            "reference": "AR-1",
            "person_reference": "P-1",
            "command_area": HUGE,
            **date_fields("arrested_on", "2021-10-04"),
        },
    )
    assert response.status_code == 200
    assert "Select a command area from the list" in response.content.decode()
