"""Attributing a number another line still uses offers to end that use the day before,
in the same transaction, audited; and says so in words when that use began too late."""

import datetime

import pytest

from audit.models import AuditEvent
from lines.models import LineNumber
from lines.services import line_number_attribute

from .factories import LineFactory, LineNumberFactory
from .test_forms import attribute, has_error_summary

pytestmark = pytest.mark.django_db

NUMBER = "+44 7712 345678"


@pytest.fixture
def kilo(db):
    return LineFactory(reference="CL-2024-077", name="Kilo")


def test_the_warning_offers_to_end_the_other_lines_use(intel_client, attribution, kilo):
    warned = attribute(intel_client, kilo, number=NUMBER, attributed_from="2024-03-01")

    html = warned.content.decode()
    assert 'name="end_in_use_elsewhere"' in html
    assert "End its use by CL-2024-001 Dolla" in html


def test_no_offer_when_the_other_line_stopped_using_it_before(intel_client, attribution, kilo):
    attribution.attributed_to = datetime.date(2024, 2, 1)
    attribution.save()

    warned = attribute(intel_client, kilo, number=NUMBER, attributed_from="2024-03-01")

    html = warned.content.decode()
    assert 'data-testid="number-used-elsewhere"' in html
    assert 'name="end_in_use_elsewhere"' not in html


def test_confirmed_with_the_box_ticked_it_ends_there_the_day_before(
    intel_client, intel, attribution, kilo
):
    confirmed = attribute(
        intel_client,
        kilo,
        number=NUMBER,
        attributed_from="2024-03-01",
        confirmed_number="+447712345678",
        end_in_use_elsewhere="on",
    )

    assert confirmed.status_code == 302
    attribution.refresh_from_db()
    assert attribution.attributed_to == datetime.date(2024, 2, 29)
    assert attribution.version == 2
    ended = AuditEvent.objects.get(
        action="update", object_type="lines.linenumber", object_id=str(attribution.pk)
    )
    assert ended.user == intel
    assert ended.detail["changes"]["attributed_to"] == [None, "2024-02-29"]
    assert LineNumber.objects.filter(line=kilo).exists()


def test_confirmed_without_the_box_both_lines_keep_it(intel_client, attribution, kilo):
    attribute(
        intel_client,
        kilo,
        number=NUMBER,
        attributed_from="2024-03-01",
        confirmed_number="+447712345678",
    )

    attribution.refresh_from_db()
    assert attribution.attributed_to is None
    assert LineNumber.objects.filter(line=kilo).exists()


def test_ending_before_it_began_is_refused_in_words_and_nothing_is_written(
    intel_client, attribution, kilo
):
    # Dolla started on 20 January 2024: ending it on 9 January would end it before it began.
    response = attribute(
        intel_client,
        kilo,
        number=NUMBER,
        attributed_from="2024-01-10",
        confirmed_number="+447712345678",
        end_in_use_elsewhere="on",
    )

    assert has_error_summary(
        response,
        "CL-2024-001 started using 07712 345678 on 20 January 2024, so its use cannot end "
        "the day before 10 January 2024: it would end before it began.",
    )
    assert 'name="end_in_use_elsewhere"' in response.content.decode()  # still offered
    attribution.refresh_from_db()
    assert attribution.attributed_to is None
    assert not LineNumber.objects.filter(line=kilo).exists()


def test_the_service_ends_every_line_still_using_it_in_one_transaction(intel, attribution, kilo):
    other = LineNumberFactory(
        line=LineFactory(reference="CL-OTHER"),
        number=attribution.number,
        attributed_from=datetime.date(2024, 2, 1),
        attributed_to=datetime.date(2024, 6, 30),
    )

    line_number_attribute(
        user=intel,
        line=kilo,
        number=NUMBER,
        attributed_from=datetime.date(2024, 3, 1),
        end_in_use_elsewhere=True,
    )

    attribution.refresh_from_db()
    other.refresh_from_db()
    assert attribution.attributed_to == other.attributed_to == datetime.date(2024, 2, 29)
