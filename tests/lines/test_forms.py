"""Writing through the screens: create, change, close, attribute and end a number, add
intelligence; bad input gets a GOV.UK error summary and writes nothing."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from lines.models import IntelligenceEntry, Line, LineNumber
from lines.services import line_update
from tests.helpers import date_fields

from .factories import LineFactory, LineNumberFactory, command_area, force


def has_error_summary(response, *messages: str) -> bool:
    html = response.content.decode()
    return (
        response.status_code == 200
        and 'class="govuk-error-summary"' in html
        and "(error)" in html  # the page title says so too
        and all(message in html for message in messages)
    )


# --- Create ----------------------------------------------------------------------------------


DATE_FIELDS = {
    "first_identified",
    "next_review_on",
    "closed_on",
    "attributed_from",
    "attributed_to",
}


def with_date_fields(data: dict) -> dict:
    """`data` with each date (a date, an ISO date or the typed (day, month, year)) given
    as the three boxes of its date input; None leaves a field out."""
    posted = {}
    for key, value in data.items():
        if value is None:
            continue
        posted.update(date_fields(key, value) if key in DATE_FIELDS else {key: value})
    return posted


def line_data(**overrides) -> dict:
    data = {
        "reference": "CL-2024-050",
        "name": "Blade",
        "origin_force": force("West Midlands Police").pk,
        "command_areas": [command_area("York").pk, command_area("Selby").pk],
        "first_identified": "2024-02-01",
        "risk_level": "high",
        "summary": "Deals crack cocaine and heroin around the station.",
        "next_review_on": "2030-02-01",
    }
    data.update(overrides)
    return with_date_fields(data)


def test_create_a_line(intel_client, intel):
    response = intel_client.post(reverse("lines:line_create"), line_data())
    line = Line.objects.get(reference="CL-2024-050")
    assert response.status_code == 302
    assert response.url == reverse("lines:line_detail", args=[line.pk])
    assert line.name == "Blade"
    assert line.origin_force.name == "West Midlands Police"
    assert sorted(area.name for area in line.command_areas.all()) == ["Selby", "York"]
    assert line.first_identified == datetime.date(2024, 2, 1)
    assert line.risk_level == "high"
    assert line.next_review_on == datetime.date(2030, 2, 1)
    assert AuditEvent.objects.filter(action="create", object_type="lines.line", user=intel).exists()


@pytest.mark.parametrize(
    "typed", [("01", "02", "2024"), (" 1 ", "Feb", "2024"), ("1", "february", " 2024")]
)
def test_dates_are_typed_as_day_month_and_year(intel_client, typed):
    intel_client.post(reverse("lines:line_create"), line_data(first_identified=typed))
    assert Line.objects.get().first_identified == datetime.date(2024, 2, 1)


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"reference": ""}, "Enter the line&#x27;s reference"),
        ({"name": ""}, "Enter the line&#x27;s brand name"),
        ({"origin_force": None}, "Select the origin force"),
        ({"command_areas": None}, "Select at least one destination command area"),
        ({"first_identified": ""}, "Enter the date first identified"),
        ({"first_identified": ("1", "", "2024")}, "Date first identified must include a month"),
        ({"first_identified": ("30", "2", "2024")}, "Date first identified must be a real date"),
        ({"first_identified": ("1", "2", "24")}, "must include a year with 4 numbers"),
        ({"first_identified": "2999-01-01"}, "Date first identified must be today or in the past"),
        ({"next_review_on": ("1", "13", "2030")}, "Date of the next review must be a real date"),
    ],
)
def test_create_with_bad_input_shows_the_error_summary(intel_client, overrides, message):
    response = intel_client.post(reverse("lines:line_create"), line_data(**overrides))
    assert has_error_summary(response, message)
    assert not Line.objects.exists()


def test_references_are_unique(intel_client, line):
    response = intel_client.post(reverse("lines:line_create"), line_data(reference="cl-2024-001"))
    assert has_error_summary(response, "A line with the reference “cl-2024-001” already exists")
    assert Line.objects.count() == 1


def test_error_summary_links_to_the_field(intel_client):
    response = intel_client.post(reverse("lines:line_create"), line_data(name=""))
    html = response.content.decode()
    assert '<a href="#id_name">' in html
    assert 'id="id_name_error"' in html


def test_error_summary_links_to_the_wrong_box_of_a_date(intel_client):
    data = line_data(first_identified=("1", "", "2024"))
    html = intel_client.post(reverse("lines:line_create"), data).content.decode()
    assert '<a href="#id_first_identified-month">' in html
    assert 'id="id_first_identified-month"' in html
    assert 'id="id_first_identified_error"' in html


def test_a_changed_line_shows_its_dates_in_the_boxes(intel_client, line):
    html = intel_client.get(reverse("lines:line_update", args=[line.pk])).content.decode()
    assert 'name="first_identified-day" value="15"' in html
    assert 'name="first_identified-month" value="1"' in html
    assert 'name="first_identified-year" value="2024"' in html


# --- Change ----------------------------------------------------------------------------------


def test_change_a_line(intel_client, line):
    url = reverse("lines:line_update", args=[line.pk])
    form = intel_client.get(url).context["form"]
    assert form.initial["name"] == "Dolla"
    data = line_data(reference=None, name="Dolla 2", command_areas=[command_area("Ryedale").pk])
    response = intel_client.post(url, data)
    assert response.status_code == 302
    line.refresh_from_db()
    assert line.name == "Dolla 2"
    assert line.reference == "CL-2024-001"
    assert [area.name for area in line.command_areas.all()] == ["Ryedale"]
    event = AuditEvent.objects.get(action="update", object_type="lines.line")
    assert event.detail["changes"] == {
        "name": ["Dolla", "Dolla 2"],
        "origin_force": ["Merseyside Police", "West Midlands Police"],
        "command_areas": [["York"], ["Ryedale"]],
        "first_identified": ["2024-01-15", "2024-02-01"],
        "risk_level": ["", "high"],
        "summary": ["", "Deals crack cocaine and heroin around the station."],
        "next_review_on": [None, "2030-02-01"],
    }


def test_change_cannot_move_identification_after_closure(intel_client, line):
    line.closed_on = datetime.date(2024, 3, 1)
    line.closure_type = "type_1"
    line.save()
    data = line_data(reference=None, first_identified="2024-04-01")
    response = intel_client.post(reverse("lines:line_update", args=[line.pk]), data)
    assert has_error_summary(
        response,
        "The date closed must be on or after the date first identified (1 April 2024)",
    )
    line.refresh_from_db()
    assert line.first_identified == datetime.date(2024, 1, 15)


# --- Close -----------------------------------------------------------------------------------


def test_close_a_line(intel_client, line):
    response = intel_client.post(
        reverse("lines:line_close", args=[line.pk]),
        {**date_fields("closed_on", "2024-05-01"), "closure_type": "type_1"},
    )
    assert response.status_code == 302
    line.refresh_from_db()
    assert line.closed_on == datetime.date(2024, 5, 1)
    assert line.closure_type == "type_1"


def test_closing_needs_a_closure_type(intel_client, line):
    response = intel_client.post(
        reverse("lines:line_close", args=[line.pk]), date_fields("closed_on", "2024-05-01")
    )
    assert has_error_summary(response, "Select the type of closure")
    line.refresh_from_db()
    assert line.closed_on is None


def test_closing_needs_a_date(intel_client, line):
    response = intel_client.post(
        reverse("lines:line_close", args=[line.pk]), {"closure_type": "type_2"}
    )
    assert has_error_summary(response, "Enter the date the line was closed")


def test_closing_before_identification_is_an_error(intel_client, line):
    response = intel_client.post(
        reverse("lines:line_close", args=[line.pk]),
        {**date_fields("closed_on", "2024-01-14"), "closure_type": "type_2"},
    )
    assert has_error_summary(
        response,
        "The date closed must be on or after the date first identified (15 January 2024)",
    )
    line.refresh_from_db()
    assert line.closed_on is None


def test_closing_in_the_future_is_an_error(intel_client, line):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = intel_client.post(
        reverse("lines:line_close", args=[line.pk]),
        {**date_fields("closed_on", tomorrow), "closure_type": "type_2"},
    )
    assert has_error_summary(response, "Date closed must be today or in the past")


# --- Numbers ---------------------------------------------------------------------------------


def attribute(client, line, **data):
    url = reverse("lines:line_number_attribute", args=[line.pk])
    return client.post(url, with_date_fields(data))


def test_attribute_a_new_number(intel_client, intel, line):
    response = attribute(
        intel_client, line, number="+44 (0)7958-123-456", attributed_from="2024-02-01"
    )
    assert response.status_code == 302
    use = LineNumber.objects.get()
    assert use.number.e164 == "+447958123456"
    assert use.line == line
    assert use.attributed_from == datetime.date(2024, 2, 1)
    assert use.attributed_to is None
    assert AuditEvent.objects.filter(action="create", object_type="lines.linenumber").exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"number": "", "attributed_from": "2024-02-01"}, "Enter a phone number"),
        (
            {"number": "12345", "attributed_from": "2024-02-01"},
            "“12345” is not a phone number. Enter it like 07712 345678",
        ),
        ({"number": "07958 123456"}, "Enter the date the line started using the number"),
        (
            {
                "number": "07958 123456",
                "attributed_from": "2024-02-10",
                "attributed_to": "2024-02-01",
            },
            "The date last used must be on or after the date first used (10 February 2024)",
        ),
        (
            {"number": "07958 123456", "attributed_from": "2999-02-01"},
            "Date first used must be today or in the past",
        ),
        (
            {"number": "07958 123456", "attributed_from": ("1", "Febuary", "2024")},
            "Date first used must be a real date",
        ),
    ],
)
def test_attribute_with_bad_input(intel_client, line, data, message):
    response = attribute(intel_client, line, **data)
    assert has_error_summary(response, message)
    assert not LineNumber.objects.exists()


def test_overlapping_attribution_to_the_same_line_is_an_error(intel_client, line, attribution):
    response = attribute(intel_client, line, number="07712345678", attributed_from="2024-03-01")
    assert has_error_summary(
        response, "07712 345678 is already attributed to CL-2024-001 for an overlapping period"
    )
    assert LineNumber.objects.count() == 1


def test_same_number_again_after_its_period_ended(intel_client, line, attribution):
    attribution.attributed_to = datetime.date(2024, 2, 1)
    attribution.save()
    response = attribute(intel_client, line, number="07712 345678", attributed_from="2024-04-01")
    assert response.status_code == 302
    assert LineNumber.objects.filter(line=line).count() == 2


def test_a_number_of_another_line_is_warned_about_then_saved_on_confirmation(
    intel_client, line, attribution
):
    new_line = LineFactory(
        reference="CL-2024-077", name="Kilo", first_identified=datetime.date(2024, 3, 1)
    )
    first = attribute(
        intel_client, new_line, number="+44 7712 345678", attributed_from="2024-03-01"
    )
    # A warning, not a refusal and not yet a save.
    html = first.content.decode()
    assert first.status_code == 200
    assert 'data-testid="number-used-elsewhere"' in html
    assert "07712 345678 is or was used by another line" in html
    assert "CL-2024-001 Dolla" in html
    assert "Confirm and attribute the number" in html
    assert 'class="govuk-error-summary"' not in html
    assert not LineNumber.objects.filter(line=new_line).exists()
    assert first.context["form"]["confirmed_number"].value() == "+447712345678"

    confirmed = attribute(
        intel_client,
        new_line,
        number="+44 7712 345678",
        attributed_from="2024-03-01",
        confirmed_number="+447712345678",
    )
    assert confirmed.status_code == 302
    use = LineNumber.objects.get(line=new_line)
    assert use.number == attribution.number


def test_changing_the_number_after_the_warning_asks_again(intel_client, line, attribution):
    other = LineFactory(reference="CL-X")
    LineNumberFactory(line=other, number__e164="+447958123456")
    response = attribute(
        intel_client,
        LineFactory(reference="CL-NEW"),
        number="07958 123456",
        attributed_from="2024-03-01",
        confirmed_number="+447712345678",  # confirmed for another number
    )
    assert response.status_code == 200
    assert "07958 123456 is or was used by another line" in response.content.decode()
    assert LineNumber.objects.count() == 2


def test_attribute_prefills_the_number_from_the_search(intel_client, line):
    url = reverse("lines:line_number_attribute", args=[line.pk]) + "?number=%2B447958123456"
    form = intel_client.get(url).context["form"]
    assert form["number"].value() == "07958 123456"


def test_end_a_number(intel_client, intel, line, attribution):
    url = reverse("lines:line_number_end", args=[line.pk, attribution.pk])
    response = intel_client.post(url, date_fields("attributed_to", "2024-02-15"))
    assert response.status_code == 302
    attribution.refresh_from_db()
    assert attribution.attributed_to == datetime.date(2024, 2, 15)
    assert AuditEvent.objects.filter(action="update", object_type="lines.linenumber").exists()


def test_ending_before_the_start_is_an_error(intel_client, line, attribution):
    url = reverse("lines:line_number_end", args=[line.pk, attribution.pk])
    response = intel_client.post(url, date_fields("attributed_to", "2024-01-19"))
    assert has_error_summary(
        response, "The date last used must be on or after the date first used (20 January 2024)"
    )
    attribution.refresh_from_db()
    assert attribution.attributed_to is None


def test_ending_into_a_later_period_of_the_same_number_is_an_error(intel_client, line, attribution):
    attribution.attributed_to = datetime.date(2024, 2, 1)
    attribution.save()
    LineNumberFactory(
        line=line, number=attribution.number, attributed_from=datetime.date(2024, 3, 1)
    )
    url = reverse("lines:line_number_end", args=[line.pk, attribution.pk])
    response = intel_client.post(url, date_fields("attributed_to", "2024-03-15"))
    assert has_error_summary(response, "for an overlapping period")
    attribution.refresh_from_db()
    assert attribution.attributed_to == datetime.date(2024, 2, 1)


def test_ending_needs_a_date(intel_client, line, attribution):
    url = reverse("lines:line_number_end", args=[line.pk, attribution.pk])
    response = intel_client.post(url, date_fields("attributed_to", None))
    assert has_error_summary(response, "Enter the last date the line used the number")


# --- Intelligence ------------------------------------------------------------------------------


def add_intelligence(client, line, **overrides):
    data = {
        "text": "Runner seen at the address.",
        "source_evaluation": "2",
        "assessment": "C",
        "handling_code": "P",
        "handling_conditions": "",
        **date_fields("intelligence_date", "2021-03-02"),
        "source_reference": "NYP/IR/2021/0042",
    }
    data.update(overrides)
    return client.post(reverse("lines:intelligence_entry_add", args=[line.pk]), data)


def test_add_intelligence(intel_client, intel, line):
    response = add_intelligence(intel_client, line)
    assert response.status_code == 302
    entry = IntelligenceEntry.objects.get()
    assert entry.grading == "2CP"
    assert entry.recorded_by == intel
    assert entry.line == line
    assert entry.intelligence_date == datetime.date(2021, 3, 2)
    assert entry.source_reference == "NYP/IR/2021/0042"


def test_the_date_and_urn_are_on_the_line_page_and_its_print_view(intel_client, line):
    add_intelligence(intel_client, line)

    for query in ("", "?print=1"):
        html = intel_client.get(reverse("lines:line_detail", args=[line.pk]) + query)
        text = html.content.decode()
        assert 'data-testid="intelligence-date">2 March 2021<' in text, query
        assert 'data-testid="intelligence-urn">NYP/IR/2021/0042<' in text, query


def test_the_date_of_the_intelligence_is_required_and_never_in_the_future(intel_client, line):
    missing = add_intelligence(intel_client, line, **date_fields("intelligence_date", None))
    future = add_intelligence(intel_client, line, **date_fields("intelligence_date", "2999-01-01"))

    assert has_error_summary(missing, "Enter the date of the intelligence")
    assert has_error_summary(future, "Date of the intelligence must be today or in the past")
    assert not IntelligenceEntry.objects.exists()


def test_handling_conditions_are_revealed_under_code_c_only(intel_client, line):
    html = intel_client.get(reverse("lines:intelligence_entry_add", args=[line.pk])).content
    page = html.decode()

    option_c = re.search(r'<input type="radio" name="handling_code" value="C"[^>]*>', page)
    assert option_c and 'data-aria-controls="conditional-id_handling_code_1"' in option_c[0]
    # Inside the radios' fieldset, in the container option C controls.
    after_c = page.split('id="conditional-id_handling_code_1">', 1)[1]
    assert 'name="handling_conditions"' in after_c[: after_c.index("</fieldset>")]
    assert page.count('name="handling_conditions"') == 1  # only there
    assert 'class="govuk-radios__conditional govuk-radios__conditional--hidden"' in page


def test_the_urn_may_be_left_empty(intel_client, line):
    response = add_intelligence(intel_client, line, source_reference="")

    assert response.status_code == 302
    assert IntelligenceEntry.objects.get().source_reference == ""


def test_conditions_typed_then_left_under_code_p_are_not_kept(intel_client, line):
    add_intelligence(intel_client, line, handling_code="P", handling_conditions="Police only.")

    assert IntelligenceEntry.objects.get().handling_conditions == ""


def test_the_reveal_stays_open_when_code_c_is_chosen_and_its_conditions_missing(intel_client, line):
    response = add_intelligence(intel_client, line, handling_code="C")

    page = response.content.decode()
    assert 'class="govuk-radios__conditional" id="conditional-id_handling_code_1"' in page
    assert has_error_summary(response, "Enter the conditions that apply to handling code C")


def test_handling_code_c_requires_conditions(intel_client, line):
    response = add_intelligence(intel_client, line, handling_code="C", handling_conditions="  ")
    assert has_error_summary(response, "Enter the conditions that apply to handling code C")
    assert not IntelligenceEntry.objects.exists()
    response = add_intelligence(
        intel_client, line, handling_code="C", handling_conditions="Police only."
    )
    assert response.status_code == 302
    assert IntelligenceEntry.objects.get().handling_conditions == "Police only."


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"text": ""}, "Enter the intelligence"),
        ({"source_evaluation": ""}, "Select the source evaluation"),
        ({"assessment": "F"}, "Select a valid choice"),
        ({"handling_code": ""}, "Select the handling code"),
    ],
)
def test_intelligence_with_bad_input(intel_client, line, overrides, message):
    response = add_intelligence(intel_client, line, **overrides)
    assert has_error_summary(response, message)
    assert not IntelligenceEntry.objects.exists()


def test_a_reference_with_a_hidden_character_is_refused(intel_client):
    response = intel_client.post(reverse("lines:line_create"), line_data(reference="CL-\u202e1"))

    assert has_error_summary(response, "The reference contains a hidden character")
    assert not Line.objects.exists()


def test_a_full_width_reference_is_stored_in_its_normal_form(intel_client):
    intel_client.post(reverse("lines:line_create"), line_data(reference="ＣＬ－９"))

    assert Line.objects.get().reference == "CL-9"


# --- Two officers edit the same line ---------------------------------------------------------


def test_a_save_over_a_newer_version_shows_their_change_and_keeps_mine(
    intel_client, intel, manager, line
):
    url = reverse("lines:line_update", args=[line.pk])
    opened = intel_client.get(url).context["form"].initial["version"]
    # Meanwhile another officer raises the risk.
    other = type(intel).objects.create(
        username="other", role="intelligence_officer", first_name="Omar", last_name="Hale"
    )
    line_update(line=Line.objects.get(pk=line.pk), user=other, risk_level="very_high")

    response = intel_client.post(url, line_data(reference=None, name="Renamed", version=opened))

    html = response.content.decode()
    assert response.status_code == 200
    assert "Someone else changed this record while you were editing it" in html
    assert "Omar Hale" in html and "Risk set to Very high" in html
    assert 'value="Renamed"' in html  # my input is kept
    line.refresh_from_db()
    assert (line.name, line.risk_level) == ("Dolla", "very_high")  # nothing of mine saved yet
    form = response.context["form"]
    assert form.data["version"] == str(line.version)

    # Having seen their change, saving again keeps mine.
    again = intel_client.post(
        url, {**form.data.dict(), "command_areas": form.data.getlist("command_areas")}
    )
    assert again.status_code == 302
    line.refresh_from_db()
    assert line.name == "Renamed"


def test_closing_a_line_someone_changed_meanwhile_is_a_conflict_too(intel_client, intel, line):
    url = reverse("lines:line_close", args=[line.pk])
    opened = intel_client.get(url).context["form"].initial["version"]
    line_update(line=Line.objects.get(pk=line.pk), user=intel, name="Renamed")

    response = intel_client.post(
        url, {**date_fields("closed_on", "2024-05-01"), "closure_type": "type_1", "version": opened}
    )

    assert 'data-testid="edit-conflict"' in response.content.decode()
    line.refresh_from_db()
    assert line.closed_on is None


def test_closing_a_line_ends_the_numbers_it_still_uses_in_the_same_step(intel_client, line):
    in_use = LineNumberFactory(line=line, attributed_from=datetime.date(2024, 2, 1))
    ended = LineNumberFactory(
        line=line,
        attributed_from=datetime.date(2024, 1, 20),
        attributed_to=datetime.date(2024, 1, 31),
    )
    url = reverse("lines:line_close", args=[line.pk])
    assert in_use.number.national in intel_client.get(url).content.decode()

    response = intel_client.post(
        url,
        {**date_fields("closed_on", "2024-05-01"), "closure_type": "type_2", "end_numbers": "on"},
    )

    assert response.status_code == 302
    in_use.refresh_from_db()
    ended.refresh_from_db()
    assert in_use.attributed_to == datetime.date(2024, 4, 30)
    assert ended.attributed_to == datetime.date(2024, 1, 31)
    assert Line.objects.get(pk=line.pk).closed_on == datetime.date(2024, 5, 1)


def test_closing_without_ending_the_numbers_leaves_them_open(intel_client, line):
    in_use = LineNumberFactory(line=line, attributed_from=datetime.date(2024, 2, 1))

    intel_client.post(
        reverse("lines:line_close", args=[line.pk]),
        {**date_fields("closed_on", "2024-05-01"), "closure_type": "type_1"},
    )

    in_use.refresh_from_db()
    assert in_use.attributed_to is None
