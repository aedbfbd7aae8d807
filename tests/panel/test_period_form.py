"""The period of a report: each kind's own fields revealed under it (GOV.UK conditional
reveal), and what is typed under a kind not chosen neither kept nor checked."""

import datetime

import pytest
from django.urls import reverse

from panel.forms import PeriodForm
from tests.helpers import date_fields

pytestmark = pytest.mark.django_db


def revealed_under(page: str, option: int) -> str:
    after = page.split(f'id="conditional-id_kind_{option}">', 1)[1]
    return after[: after.index('<div class="govuk-radios__item">')]


def test_each_kind_of_period_reveals_its_own_fields(manager_client):
    page = manager_client.get(reverse("panel:report_create")).content.decode()
    kinds = [value for value, _label in PeriodForm.base_fields["kind"].choices]

    quarter = revealed_under(page, kinds.index("quarter"))
    month = revealed_under(page, kinds.index("month"))
    custom = page.split(f'id="conditional-id_kind_{kinds.index("custom")}">', 1)[1]
    custom = custom[: custom.index('name="as_at-day"')]
    assert 'name="quarter"' in quarter and 'name="month"' not in quarter
    assert 'name="month"' in month and 'name="quarter"' not in month
    assert 'name="start-day"' in custom and 'name="end-day"' in custom
    assert page.count('name="quarter"') == page.count('name="start-day"') == 1
    assert 'data-aria-controls="conditional-id_kind_' in page


def test_dates_typed_under_a_custom_period_then_left_are_not_checked():
    form = PeriodForm({"kind": "year", "year": "2021", **date_fields("start", ("31", "2", "2021"))})

    assert form.is_valid(), form.errors
    assert form.cleaned_data["start"] is None
    assert form.cleaned_data["period"].start == datetime.date(2021, 1, 1)


def test_a_custom_period_still_checks_its_dates():
    form = PeriodForm({"kind": "custom", **date_fields("start", ("31", "2", "2021"))})

    assert not form.is_valid()
    assert "start" in form.errors
