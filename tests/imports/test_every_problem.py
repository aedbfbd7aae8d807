"""Every problem of a row is reported in one pass: a cell that cannot be read does not
hide what the batch service finds wrong with the rest of the row (an unknown reference,
a rule), and a rule's complaint about a reference it could not resolve does not hide
the others."""

import io

import pytest

from imports.runner import import_csv
from lines.models import LineNumber
from operations.models import Arrest
from safeguarding.models import Referral
from tests.lines.factories import LineFactory

pytestmark = pytest.mark.django_db


def run(kind: str, *lines: str, dry_run: bool = False):
    source = io.BytesIO(("\n".join(lines) + "\n").encode())
    result = import_csv(kind=kind, source=source, source_name="f.csv", dry_run=dry_run)
    return [(error.line, error.column) for error in result.errors], result


def test_a_number_row_with_a_bad_date_also_reports_its_unknown_line_and_invalid_number():
    problems, result = run(
        "line_numbers",
        "line_reference,number,attributed_from,attributed_to",
        "CL-404,0770090,2021-02-30,",
    )

    assert problems == [(2, "attributed_from"), (2, "number"), (2, "line_reference")]
    assert "not a real date" in result.errors[0].message
    assert "No line has the reference “CL-404”" in result.errors[2].message


def test_a_rule_on_a_cell_already_in_error_is_not_reported_a_second_time():
    LineFactory(reference="CL-1")
    # attributed_from cannot be read: the rules see no start, and say nothing more of it.
    problems, _result = run(
        "line_numbers",
        "line_reference,number,attributed_from,attributed_to",
        "CL-1,07700 900123,yesterday,2021-01-01",
    )

    assert problems == [(2, "attributed_from")]


def test_a_row_in_error_is_never_written_even_when_the_service_finds_nothing_else():
    LineFactory(reference="CL-1")
    problems, result = run(
        "line_numbers",
        "line_reference,number,attributed_from,attributed_to",
        "CL-1,07700 900123,2021-01-01,31/12/2021",
        "CL-1,07700 900124,2021-01-01,",
    )

    assert problems == [(2, "attributed_to")]
    assert result.created == 1  # the good row; the other is not counted as written
    assert not LineNumber.objects.exists()


def test_an_arrest_with_a_bad_date_also_reports_its_unknown_person_and_area():
    problems, _result = run(
        "arrests",
        "reference,person_reference,arrested_on,command_area,line_reference",
        "A-1,P-404,2021-13-01,Leeds,CL-404",
    )

    assert problems == [
        (2, "arrested_on"),
        (2, "command_area"),
        (2, "person_reference"),
        (2, "line_reference"),
    ]
    assert not Arrest.objects.exists()


def test_an_unknown_line_does_not_hide_a_broken_rule_of_the_same_row():
    LineFactory(reference="CL1")
    problems, _result = run(
        "referrals",
        "reference,referred_on,referring_agency,command_area,closed_on,line_references",
        "BG-9,2021-10-04,City of York Council,York,2021-10-01,CL1;CL404",
    )

    assert sorted(problems) == [(2, "closed_on"), (2, "line_references")]
    assert not Referral.objects.exists()


def test_a_row_whose_reference_cannot_be_read_is_checked_for_the_rest():
    problems, _result = run(
        "referrals",
        "reference,referred_on,referring_agency,command_area,closed_on,line_references",
        "BG\x01-9,2021-10-04,City of York Council,York,2021-10-01,",
    )

    assert problems == [(2, "reference"), (2, "closed_on")]


@pytest.mark.parametrize(
    "kind,header,row",
    [
        (
            "lines",
            "reference,name,origin_force,command_areas,first_identified,closed_on",
            "\x01,\x01,Nowhere,Leeds,someday,someday",
        ),
        ("persons", "reference,surname,forenames,date_of_birth,gender", "\x01,\x01,\x01,x,x"),
        (
            "charges",
            "reference,person_reference,charged_on,offence,line_reference",
            "\x01,\x01,x,\x01,\x01",
        ),
        (
            "sentences",
            "reference,person_reference,sentenced_on,custody_months,line_reference",
            "\x01,\x01,x,-1,\x01",
        ),
        (
            "seizures",
            "reference,seized_on,cash_gbp,drug,grams,line_reference",
            "\x01,x,1.234,Tea,x,\x01",
        ),
        ("deaths", "reference,date_of_death,command_area,substances", "\x01,x,Leeds,Tea"),
        (
            "referrals",
            "reference,referred_on,referring_agency,command_area,closed_on,line_references",
            "\x01,x,Nobody,Leeds,x,\x01",
        ),
    ],
)
def test_a_row_with_every_cell_in_error_reports_each_once_and_nothing_breaks(kind, header, row):
    problems, result = run(kind, header, row)

    columns = [column for _line, column in problems]
    assert len(columns) == len(set(columns)) == len(header.split(","))
    assert result.rows == 1
