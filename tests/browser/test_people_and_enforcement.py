"""The people and enforcement pages in Chromium: they fit 1280 and 320 CSS px without
page-level sideways scrolling, axe finds nothing serious, the line page's tabs switch,
and a printed line (its print view) shows every tab's content."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from persons.models import LineRole, LineRoleKind
from tests.lines.factories import LineFactory
from tests.operations.factories import ArrestFactory, OperationFactory, SeizureFactory
from tests.persons.factories import PersonFactory

from .helpers import serious_violations
from .test_reflow import WIDEST, page_scrolls_sideways

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("no_console_errors")]


@pytest.fixture
def case(db):
    line = LineFactory(reference="NYP-CL-2021-0042", name="Scouse Mike Deliveries")
    operation = OperationFactory(name="Operation Ember with a long name for a narrow screen")
    person = PersonFactory(
        reference="NYP-P-0001",
        surname="Featherstonehaugh-Montgomery",
        forenames="Jayden Alexander",
        aliases="JJ\nLittle J",
        date_of_birth=datetime.date(2005, 3, 1),
        exploited=True,
    )
    LineRole.objects.create(
        person=person,
        line=line,
        role=LineRoleKind.RUNNER,
        started_on=datetime.date(2021, 9, 1),
        source_evaluation="1",
        assessment="A",
        handling_code="P",
    )
    for n in range(12):
        ArrestFactory(
            person=person,
            line=line,
            operation=operation,
            arrested_on=datetime.date(2021, 10, 4 + n),
        )
        SeizureFactory(
            line=line,
            operation=operation,
            cash_gbp=Decimal("12345.67"),
            seized_on=datetime.date(2021, 10, 4 + n),
        )
    return {"line": line, "person": person, "operation": operation}


def urls(case) -> list[str]:
    return [
        reverse("persons:person_list"),
        reverse("persons:person_detail", args=[case["person"].pk]),
        reverse("operations:arrest_list"),
        reverse("operations:seizure_list"),
        reverse("operations:operation_detail", args=[case["operation"].pk]),
        reverse("operations:seizure_create"),
    ]


@pytest.mark.parametrize("width", [1280, 320])
def test_the_pages_fit_and_axe_finds_nothing_serious(page, sign_in_as, intel, case, width):
    page.set_viewport_size({"width": width, "height": 900})
    sign_in_as(intel)
    for url in urls(case):
        page.goto(url)
        assert not page_scrolls_sideways(page), (
            f"{url} scrolls sideways at {width}px: {page.evaluate(WIDEST)}"
        )
        serious = serious_violations(page)
        assert serious == [], f"{url} at {width}px: {serious}"


def test_the_line_page_tabs_switch_and_all_of_them_print(page, sign_in_as, intel, case):
    sign_in_as(intel)
    page.goto(reverse("lines:line_detail", args=[case["line"].pk]))
    people = page.get_by_test_id("line-people")
    assert not people.is_visible()

    page.get_by_role("tab", name="People (1)").click()
    assert people.is_visible()
    assert (
        not page.get_by_test_id("line-numbers")
        .or_(page.get_by_text("No numbers recorded."))
        .is_visible()
    )

    page.goto(reverse("lines:line_detail", args=[case["line"].pk]) + "?print=1")
    page.emulate_media(media="print")
    assert people.is_visible()
    assert page.get_by_test_id("line-enforcement").is_visible()
    assert not page.locator(".govuk-tabs__list").is_visible()
