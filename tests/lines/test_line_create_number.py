"""A new line takes its first number in the same form, both written or neither, every
problem of either shown at once; its reference is suggested in the force's own style."""

import datetime

import pytest
from django.urls import reverse

from audit.models import AuditEvent
from lines.models import Line, LineNumber
from lines.selectors import next_line_reference
from tests.helpers import date_fields

from .factories import LineFactory, LineNumberFactory
from .test_forms import has_error_summary, line_data

pytestmark = pytest.mark.django_db

CREATE = reverse("lines:line_create")
TODAY = datetime.date(2026, 12, 7)


def test_a_line_is_created_with_its_first_number_from_the_day_it_was_identified(
    intel_client, intel
):
    response = intel_client.post(CREATE, line_data(number="07700 900123"))

    assert response.status_code == 302
    line = Line.objects.get()
    attribution = LineNumber.objects.get()
    assert attribution.line == line
    assert attribution.number.e164 == "+447700900123"
    assert attribution.attributed_from == line.first_identified
    assert attribution.attributed_to is None
    assert Line.objects.get().numbers_count == 1
    assert AuditEvent.objects.filter(action="create", object_type="lines.linenumber").exists()


def test_a_line_without_a_number_is_created_alone(intel_client):
    assert intel_client.post(CREATE, line_data()).status_code == 302
    assert Line.objects.count() == 1 and not LineNumber.objects.exists()


def test_the_number_may_start_later_than_the_line(intel_client):
    intel_client.post(
        CREATE, line_data(number="07700 900123", **date_fields("number_from", "2024-03-05"))
    )

    assert LineNumber.objects.get().attributed_from == datetime.date(2024, 3, 5)


def test_the_lines_problems_and_the_numbers_are_shown_together(intel_client):
    response = intel_client.post(
        CREATE,
        line_data(
            name="",
            number="0770090",
            **date_fields("number_from", "2999-01-01"),
        ),
    )

    html = response.content.decode()
    summary = html.split('govuk-error-summary__list">', 1)[1].split("</ul>", 1)[0]
    assert 'href="#id_name"' in summary
    assert 'href="#id_number"' in summary
    assert 'href="#id_number_from-day"' in summary
    assert "Date the number was first used must be today or in the past" in summary
    assert not Line.objects.exists()


def test_a_refused_number_leaves_no_line_behind(intel_client, monkeypatch):
    from lines.services import records

    def clash(**kwargs):
        from django.core.exceptions import ValidationError

        raise ValidationError({"attributed_from": "The number clashes."})

    monkeypatch.setattr(records, "line_number_attribute", clash)
    response = intel_client.post(CREATE, line_data(number="07700 900123"))

    assert has_error_summary(response, "The number clashes.")
    assert 'href="#id_number_from' in response.content.decode()
    assert not Line.objects.exists()


def test_a_taken_reference_leaves_the_number_unwritten(intel_client):
    LineFactory(reference="CL-2024-050")

    response = intel_client.post(CREATE, line_data(number="07700 900123"))

    assert has_error_summary(response, "A line with the reference “CL-2024-050” already exists")
    assert not LineNumber.objects.exists()


# --- The reference suggested ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("references", "suggested"),
    [
        ((), "CL-2026-001"),
        (("NYP-CL-2021-012",), "NYP-CL-2026-001"),
        (("NYP-CL-2026-012", "NYP-CL-2026-003"), "NYP-CL-2026-013"),  # the highest, not the last
        (("NYP-CL-2026-009", "CL-2019-4"), "CL-2026-1"),  # the latest line's style
        (("nyp/cl/2026/0099", "NYP/CL/2026/0007"), "NYP/CL/2026/0100"),  # any case
        (("LINE-0041",), "LINE-0042"),  # no year in the style
        (("Dolla",), "CL-2026-001"),  # no style to follow
    ],
)
def test_the_next_reference_follows_the_latest_style_and_is_free(references, suggested):
    for reference in references:
        LineFactory(reference=reference)

    assert next_line_reference(today=TODAY) == suggested


def test_the_form_offers_the_suggestion_and_names_it_in_the_hint(intel_client):
    LineFactory(reference="NYP-CL-2021-012")
    year = datetime.date.today().year

    html = intel_client.get(CREATE).content.decode()

    assert f'value="NYP-CL-{year}-001"' in html
    assert f"The next free reference in the force's numbering is NYP-CL-{year}-001" in html
    assert "CL-2024-017" not in html


def test_a_line_using_a_number_another_line_has_is_still_created_with_it(intel_client):
    LineNumberFactory(attributed_from=datetime.date(2023, 1, 1))

    response = intel_client.post(
        CREATE, line_data(number=str(LineNumber.objects.get().number.e164))
    )

    assert response.status_code == 302
    assert LineNumber.objects.count() == 2


def test_the_service_says_every_problem_of_the_line_and_its_number_at_once(intel):
    from django.core.exceptions import ValidationError

    from lines.services import line_create_with_number

    from .factories import command_area, force

    LineFactory(reference="CL-1")
    with pytest.raises(ValidationError) as refused:
        line_create_with_number(
            user=intel,
            reference="CL-1",
            name="Blade",
            origin_force=force("West Midlands Police"),
            command_areas=[command_area("York")],
            first_identified=datetime.date(2024, 2, 1),
            number="+447700900123",
            number_from=datetime.date(2999, 1, 1),
        )

    assert set(refused.value.message_dict) == {"reference", "number_from"}
    assert Line.objects.count() == 1 and not LineNumber.objects.exists()
