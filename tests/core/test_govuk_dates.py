"""The GOV.UK date input (core/dates.py): parsing the three boxes, the Design System's
error messages, and its markup: fieldset, legend, hint, one error message, error styles
on the wrong boxes and an error summary linking to the first of them."""

import datetime
import re

import pytest
from django import forms
from django.template.loader import render_to_string
from django.utils import timezone

from core.dates import GovukDateField, GovukDateWidget, date_hint, parse_date
from core.forms import GovukForm
from tests.helpers import date_fields

TODAY = timezone.localdate()


class DateForm(GovukForm):
    identified = GovukDateField(
        label="Date first identified",
        what="the date first identified",
        max_date=timezone.localdate,
    )
    review = GovukDateField(label="Next review", required=False)


def bound(identified=None, review=None, **extra) -> DateForm:
    return DateForm(
        data={**date_fields("identified", identified), **date_fields("review", review), **extra}
    )


def error_of(form: DateForm, name: str = "identified") -> str:
    assert not form.is_valid()
    return form.errors[name][0]


def box(html: str, name: str, part: str) -> str:
    """The <input> of one box."""
    match = re.search(rf'<input[^>]*name="{name}-{part}"[^>]*>', html)
    assert match, f"no {name}-{part} box"
    return match.group(0)


def boxes_with_errors(html: str, name: str = "identified") -> list[str]:
    return [
        part for part in ("day", "month", "year") if "govuk-input--error" in box(html, name, part)
    ]


# --- Parsing ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "typed",
    [
        ("27", "3", "2021"),
        ("27", "03", "2021"),
        (" 27 ", " 3 ", " 2021 "),
        ("27", "March", "2021"),
        ("27", "march", "2021"),
        ("27", "Mar", "2021"),
        ("27", "MAR", "2021"),
        ("27", "mar.", "2021"),
        ("27th", "3", "2021"),
    ],
)
def test_the_three_boxes_make_a_date(typed):
    form = bound(identified=typed)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["identified"] == datetime.date(2021, 3, 27)


@pytest.mark.parametrize(
    ("month", "number"), [("Sept", 9), ("september", 9), ("sep", 9), ("Dec", 12), ("1", 1)]
)
def test_month_names_and_abbreviations(month, number):
    assert parse_date(["1", month, "2020"]).date == datetime.date(2020, number, 1)


def test_an_optional_date_left_empty_is_none():
    form = bound(identified="2021-03-27", review=("", " ", ""))
    assert form.is_valid(), form.errors
    assert form.cleaned_data["review"] is None


def test_a_missing_field_is_an_empty_date():
    form = DateForm(data=date_fields("identified", "2021-03-27"))  # no review-* at all
    assert form.is_valid(), form.errors
    assert form.cleaned_data["review"] is None


def test_today_is_allowed_when_future_dates_are_not():
    form = bound(identified=TODAY)
    assert form.is_valid(), form.errors


# --- Error messages -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        (None, "Enter the date first identified"),
        (("", "", ""), "Enter the date first identified"),
        (("", "3", "2021"), "Date first identified must include a day"),
        (("27", "", "2021"), "Date first identified must include a month"),
        (("27", "3", ""), "Date first identified must include a year"),
        (("", "", "2021"), "Date first identified must include a day and month"),
        (("27", "", ""), "Date first identified must include a month and year"),
        (("27", "3", "21"), "Date first identified must include a year with 4 numbers"),
        (("27", "3", "20211"), "Date first identified must include a year with 4 numbers"),
        (("32", "3", "2021"), "Date first identified must be a real date"),
        (("0", "3", "2021"), "Date first identified must be a real date"),
        (("27", "13", "2021"), "Date first identified must be a real date"),
        (("27", "Marchember", "2021"), "Date first identified must be a real date"),
        (("27", "3", "2O21"), "Date first identified must be a real date"),
        (("29", "2", "2023"), "Date first identified must be a real date"),
        (("31", "4", "2021"), "Date first identified must be a real date"),
        (("1", "1", "0000"), "Date first identified must be a real date"),
        (
            TODAY + datetime.timedelta(days=1),
            "Date first identified must be today or in the past",
        ),
    ],
)
def test_error_messages(typed, message):
    assert error_of(bound(identified=typed)) == message


def test_a_leap_day_is_a_real_date():
    assert bound(identified=("29", "2", "2024")).is_valid()


def test_an_optional_date_half_filled_in_is_an_error():
    form = bound(identified="2021-03-27", review=("1", "", ""))
    assert error_of(form, "review") == "Next review must include a month and year"


def test_the_messages_name_the_label_unless_told_otherwise():
    class Form(GovukForm):
        day = GovukDateField(label="Date of birth")

    assert Form(data={}).errors["day"] == ["Enter date of birth"]
    form = Form(data=date_fields("day", ("1", "", "1980")))
    assert form.errors["day"] == ["Date of birth must include a month"]


def test_subject_names_the_date_in_messages_other_than_enter():
    class Form(GovukForm):
        start = GovukDateField(label="From", what="the start date", subject="The start date")

    assert Form(data={}).errors["start"] == ["Enter the start date"]
    form = Form(data=date_fields("start", ("1", "13", "2024")))
    assert form.errors["start"] == ["The start date must be a real date"]


@pytest.mark.parametrize(
    ("bounds", "typed", "message"),
    [
        (
            {"min_date": timezone.localdate},
            TODAY - datetime.timedelta(days=1),
            "Review must be today or in the future",
        ),
        (
            {"max_date": datetime.date(2024, 1, 31)},
            "2024-02-01",
            "Review must be the same as or before 31 January 2024",
        ),
        (
            {"min_date": datetime.date(2024, 1, 31)},
            "2024-01-30",
            "Review must be the same as or after 31 January 2024",
        ),
    ],
)
def test_bounds(bounds, typed, message):
    class Form(GovukForm):
        review = GovukDateField(label="Review", **bounds)

    form = Form(data=date_fields("review", typed))
    assert form.errors["review"] == [message]
    limit = next(iter(bounds.values()))
    limit = limit() if callable(limit) else limit
    assert Form(data=date_fields("review", limit)).is_valid()


def test_error_messages_can_be_replaced():
    class Form(GovukForm):
        day = GovukDateField(
            label="Day", error_messages={"invalid": "{subject} is not a day we know"}
        )

    form = Form(data=date_fields("day", ("31", "2", "2024")))
    assert form.errors["day"] == ["Day is not a day we know"]


# --- Markup ---------------------------------------------------------------------------------


def test_an_empty_date_input():
    html = str(DateForm())
    assert '<fieldset class="govuk-fieldset" role="group"' in html
    assert 'aria-describedby="id_identified_helptext"' in html
    assert (
        '<legend class="govuk-fieldset__legend govuk-fieldset__legend--s">'
        "Date first identified</legend>"
    ) in html
    assert (
        '<div id="id_identified_helptext" class="govuk-hint">For example, 27\u00a03\u00a02021</div>'
        in html
    )
    assert '<div class="govuk-date-input" id="id_identified">' in html
    for part, label, width in (("day", "Day", 2), ("month", "Month", 2), ("year", "Year", 4)):
        assert (
            f'<label class="govuk-label govuk-date-input__label" for="id_identified-{part}">'
            f"{label}</label>"
        ) in html
        tag = box(html, "identified", part)
        assert f'id="id_identified-{part}"' in tag
        assert 'type="text"' in tag
        assert 'inputmode="numeric"' in tag
        assert f"govuk-input govuk-date-input__input govuk-input--width-{width}" in tag
        assert "value=" not in tag
    assert html.count('class="govuk-date-input__item"') == 6  # two dates
    assert "govuk-error" not in html
    assert "aria-invalid" not in html


def test_initial_dates_fill_the_boxes():
    html = str(DateForm(initial={"identified": datetime.date(2024, 3, 7)}))
    assert 'value="7"' in box(html, "identified", "day")
    assert 'value="3"' in box(html, "identified", "month")
    assert 'value="2024"' in box(html, "identified", "year")


def test_what_was_typed_is_shown_again():
    html = str(bound(identified=("27", "Mar", "21")))
    assert 'value="Mar"' in box(html, "identified", "month")
    assert 'value="21"' in box(html, "identified", "year")


def test_one_error_message_for_the_date():
    html = str(bound(identified=("27", "", "2021")))
    assert '<div class="govuk-form-group govuk-form-group--error">' in html
    assert (
        'aria-describedby="id_identified_helptext id_identified_error"' in html
    )  # on the fieldset
    assert html.count('class="govuk-error-message"') == 1
    assert (
        '<p id="id_identified_error" class="govuk-error-message">'
        '<span class="govuk-visually-hidden">Error:</span> '
        "Date first identified must include a month</p>"
    ) in html


@pytest.mark.parametrize(
    ("typed", "wrong"),
    [
        (("27", "", "2021"), ["month"]),
        (("", "", "2021"), ["day", "month"]),
        (("27", "3", "21"), ["year"]),
        (("32", "3", "2021"), ["day"]),
        (("27", "13", "2021"), ["month"]),
        (("32", "13", "2021"), ["day", "month"]),
        # Each part could be right; the date as a whole is not.
        (("31", "2", "2024"), ["day", "month", "year"]),
        (None, ["day", "month", "year"]),
        (TODAY + datetime.timedelta(days=3), ["day", "month", "year"]),
    ],
)
def test_the_wrong_boxes_get_the_error_style(typed, wrong):
    html = str(bound(identified=typed))
    assert boxes_with_errors(html) == wrong
    assert [
        part for part in ("day", "month", "year") if "aria-invalid" in box(html, "identified", part)
    ] == wrong
    assert boxes_with_errors(html, "review") == []


def test_an_error_added_by_the_form_marks_the_whole_date():
    form = bound(identified="2021-03-27")
    assert form.is_valid()
    form.add_error("identified", "Date first identified must be after the line was closed")
    html = str(form)
    assert boxes_with_errors(html) == ["day", "month", "year"]
    assert "must be after the line was closed" in html


def test_a_widget_without_an_id_still_renders():
    class Form(GovukForm):
        day = GovukDateField(label="Day")

    html = str(Form(auto_id=False)["day"])  # the widget alone
    assert 'name="day-day"' in html and 'name="day-year"' in html
    assert " id=" not in html and " for=" not in html
    assert '<div class="govuk-date-input">' in html


# --- Error summary -------------------------------------------------------------------------


def summary(form) -> str:
    assert not form.is_valid()
    return render_to_string("govuk/error_summary.html", {"form": form})


@pytest.mark.parametrize(
    ("typed", "anchor"),
    [
        (None, "id_identified-day"),
        (("27", "", "2021"), "id_identified-month"),
        (("27", "3", "21"), "id_identified-year"),
        (("", "", "2021"), "id_identified-day"),
        (("27", "13", "2021"), "id_identified-month"),
        (("31", "2", "2024"), "id_identified-day"),
    ],
)
def test_the_error_summary_links_to_the_first_wrong_box(typed, anchor):
    form = bound(identified=typed)
    html = summary(form)
    assert f'<a href="#{anchor}">{form.errors["identified"][0]}</a>' in html
    assert f'id="{anchor}"' in str(form)


def test_the_error_summary_has_one_message_per_date():
    form = bound(identified=("27", "", "2021"))
    form.add_error("identified", "Another problem")
    html = summary(form)
    assert html.count("<li>") == 1
    assert "Another problem" not in html


def test_a_form_error_links_to_the_first_box_when_a_date_comes_first():
    form = bound(identified="2021-03-27")
    form.add_error(None, "Something about the whole form")
    html = summary(form)
    assert '<a href="#id_identified-day">Something about the whole form</a>' in html


# --- The field itself ------------------------------------------------------------------------


def test_the_widget_reads_name_day_month_and_year():
    widget = GovukDateWidget()
    data = {"when-day": "1", "when-month": "2", "when-year": "2024"}
    assert widget.value_from_datadict(data, {}, "when") == ["1", "2", "2024"]
    assert not widget.value_omitted_from_data(data, {}, "when")
    assert widget.value_omitted_from_data({}, {}, "when")
    assert widget.decompress(datetime.date(2024, 2, 1)) == ["1", "2", "2024"]
    assert widget.decompress(None) == ["", "", ""]


def test_has_changed_compares_dates_not_spelling():
    field = GovukDateField(label="Day", required=False)
    assert not field.has_changed(datetime.date(2024, 2, 1), ["01", "Feb", "2024"])
    assert field.has_changed(datetime.date(2024, 2, 1), ["2", "2", "2024"])
    assert field.has_changed(None, ["2", "2", "2024"])
    assert not field.has_changed(None, ["", "", ""])
    assert field.has_changed(datetime.date(2024, 2, 1), ["", "", ""])


def test_hints_keep_the_example_date_on_one_line():
    assert date_hint() == "For example, 27\u00a03\u00a02021"
    assert date_hint("Leave it empty.", example=datetime.date(2024, 12, 1)) == (
        "Leave it empty. For example, 1\u00a012\u00a02024"
    )


def test_a_plain_form_field_is_not_a_date_input():
    assert not getattr(forms.TextInput(), "govuk_date_input", False)
    assert GovukDateWidget.govuk_date_input
