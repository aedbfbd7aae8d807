"""CSV kinds `arrests`, `charges`, `sentences` and `seizures` (interfaces.md §2), through
`manage.py import_csv`: every rule of the contract, for each kind."""

import datetime
from decimal import Decimal

import pytest

from audit.models import AuditEvent
from operations.models import Arrest, Charge, DrugTest, Seizure, Sentence
from tests.imports.utils import run_import, write_csv
from tests.lines.factories import LineFactory
from tests.persons.factories import PersonFactory

pytestmark = pytest.mark.django_db

ARRESTS = "reference,person_reference,arrested_on,command_area,line_reference"
CHARGES = "reference,person_reference,charged_on,offence,line_reference"
SENTENCES = "reference,person_reference,sentenced_on,custody_months,line_reference"
SEIZURES = "reference,seized_on,cash_gbp,drug,grams,line_reference"
HEADERS = {"arrests": ARRESTS, "charges": CHARGES, "sentences": SENTENCES, "seizures": SEIZURES}
MODELS = {"arrests": Arrest, "charges": Charge, "sentences": Sentence, "seizures": Seizure}
GOOD_ROWS = {
    "arrests": "A1,P1,2021-10-04,York,CL1",
    "charges": "C1,P1,2021-10-05,Possession with intent to supply (class A),CL1",
    "sentences": "S1,P1,2021-11-01,42,CL1",
    "seizures": "Z1,2021-10-04,1250.50,Cocaine,28.5,CL1",
}


@pytest.fixture
def person(db):
    return PersonFactory(reference="P1")


@pytest.fixture
def line(db):
    return LineFactory(reference="CL1")


def run(tmp_path, kind, *rows, header=None):
    return run_import(kind, write_csv(tmp_path, f"{kind}.csv", header or HEADERS[kind], *rows))


@pytest.mark.parametrize("kind", HEADERS)
def test_a_valid_file_is_imported_once_whatever_the_number_of_runs(tmp_path, person, line, kind):
    first = run(tmp_path, kind, GOOD_ROWS[kind])
    second = run(tmp_path, kind, GOOD_ROWS[kind])

    assert first.status == 0, first.stderr
    assert first.stdout.strip() == "created 1, updated 0, unchanged 0, skipped 0"
    assert second.stdout.strip() == "created 0, updated 0, unchanged 1, skipped 0"
    record = MODELS[kind].objects.get()
    assert record.line == line
    assert AuditEvent.objects.filter(action="create", object_id=str(record.pk)).count() == 1


def test_arrest_fields(tmp_path, person, line):
    result = run(tmp_path, "arrests", "A1,p1,2021-10-04,york,cl1", "A2,P1,2021-10-05,Selby,")

    assert result.status == 0, result.stderr
    arrest = Arrest.objects.get(reference="A1")
    assert (arrest.person, arrest.line, arrest.command_area.name) == (person, line, "York")
    assert arrest.arrested_on == datetime.date(2021, 10, 4)
    # Columns beyond the contract's take their defaults.
    assert arrest.drug_test == DrugTest.NOT_TESTED and not arrest.treatment_referral
    assert Arrest.objects.get(reference="A2").line is None


def test_seizure_money_and_grams_are_exact_decimals(tmp_path, line):
    result = run(
        tmp_path, "seizures", 'Z1,2021-10-04,"£10,250.10",,,', "Z2,2021-10-04,,heroin,0.35,"
    )

    assert result.status == 0, result.stderr
    assert Seizure.objects.get(reference="Z1").cash_gbp == Decimal("10250.10")
    heroin = Seizure.objects.get(reference="Z2")
    assert (heroin.drug.name, heroin.grams, heroin.cash_gbp) == ("Heroin", Decimal("0.35"), None)


def test_a_changed_sentence_is_updated_with_its_change_audited(tmp_path, person, line):
    run(tmp_path, "sentences", "S1,P1,2021-11-01,42,CL1")
    result = run(tmp_path, "sentences", "S1,P1,2021-11-01,48,CL1")

    assert result.stdout.strip() == "created 0, updated 1, unchanged 0, skipped 0"
    assert Sentence.objects.get().custody_months == 48
    event = AuditEvent.objects.get(action="update")
    assert event.detail["changes"] == {"custody_months": [42, 48]}
    assert event.detail["import"]  # the import's id, as every imported record's event


def test_changing_the_line_is_audited_by_reference(tmp_path, person, line):
    LineFactory(reference="CL2")
    run(tmp_path, "charges", "C1,P1,2021-10-05,Supply,CL1")
    run(tmp_path, "charges", "C1,P1,2021-10-05,Supply,CL2")

    event = AuditEvent.objects.get(action="update")
    assert event.detail["changes"] == {"line": ["CL1", "CL2"]}


@pytest.mark.parametrize(
    ("kind", "row", "column", "message"),
    [
        # Unknown person or line.
        (
            "arrests",
            "A9,P404,2021-10-04,York,",
            "person_reference",
            "No person has the reference “P404”.",
        ),
        (
            "charges",
            "C9,P404,2021-10-04,Supply,",
            "person_reference",
            "No person has the reference “P404”.",
        ),
        (
            "sentences",
            "S9,P404,2021-10-04,3,",
            "person_reference",
            "No person has the reference “P404”.",
        ),
        (
            "arrests",
            "A9,P1,2021-10-04,York,CL404",
            "line_reference",
            "No county line has the reference “CL404”.",
        ),
        (
            "charges",
            "C9,P1,2021-10-04,Supply,CL404",
            "line_reference",
            "No county line has the reference “CL404”.",
        ),
        (
            "sentences",
            "S9,P1,2021-10-04,3,CL404",
            "line_reference",
            "No county line has the reference “CL404”.",
        ),
        (
            "seizures",
            "Z9,2021-10-04,5,,,CL404",
            "line_reference",
            "No county line has the reference “CL404”.",
        ),
        # Unknown reference data.
        ("arrests", "A9,P1,2021-10-04,Gotham,", "command_area", "Unknown command area “Gotham”."),
        ("seizures", "Z9,2021-10-04,,Unobtainium,3,", "drug", "Unknown drug “Unobtainium”."),
        # Custody months.
        ("sentences", "S9,P1,2021-10-04,-1,", "custody_months", "“-1” is less than 0."),
        ("sentences", "S9,P1,2021-10-04,6.5,", "custody_months", "“6.5” is not a whole number."),
        ("sentences", "S9,P1,2021-10-04,six,", "custody_months", "“six” is not a whole number."),
        ("sentences", "S9,P1,2021-10-04,,", "custody_months", "is required"),
        # Money and grams.
        (
            "seizures",
            "Z9,2021-10-04,12.345,,,",
            "cash_gbp",
            "“12.345” has more than 2 decimal places.",
        ),
        ("seizures", "Z9,2021-10-04,twelve,,,", "cash_gbp", "“twelve” is not an amount of money."),
        ("seizures", "Z9,2021-10-04,1e3,,,", "cash_gbp", "“1e3” is not an amount of money."),
        ("seizures", 'Z9,2021-10-04,"1,5",,,', "cash_gbp", "“1,5” is not an amount of money."),
        ("seizures", "Z9,2021-10-04,,Cocaine,2.555,", "grams", "more than 2 decimal places"),
        # What a seizure must hold.
        (
            "seizures",
            "Z9,2021-10-04,,,,",
            "cash_gbp",
            "Enter the cash seized, or the drug and its weight, or both",
        ),
        (
            "seizures",
            "Z9,2021-10-04,,Cocaine,,",
            "grams",
            "Enter the weight of the drug seized, in grams",
        ),
        ("seizures", "Z9,2021-10-04,,,12,", "drug", "Select the drug the weight is of"),
        ("seizures", "Z9,2021-10-04,,Cocaine,0,", "grams", "more than 0 grams"),
        # Dates.
        ("arrests", "A9,P1,2021-02-30,York,", "arrested_on", "“2021-02-30” is not a real date."),
        (
            "charges",
            "C9,P1,04/10/2021,Supply,",
            "charged_on",
            "is not a date in the form YYYY-MM-DD",
        ),
        ("sentences", "S9,P1,October,3,", "sentenced_on", "is not a date in the form YYYY-MM-DD"),
        ("seizures", "Z9,2021-13-01,5,,,", "seized_on", "“2021-13-01” is not a real date."),
    ],
)
def test_every_rule_refuses_the_file_naming_line_column_and_problem(
    tmp_path, person, line, kind, row, column, message
):
    result = run(tmp_path, kind, GOOD_ROWS[kind], row)

    assert result.status == 1
    assert not MODELS[kind].objects.exists()  # all or nothing: the good row is not kept
    path = tmp_path / f"{kind}.csv"
    assert result.error_lines[0].startswith(f"{path}:3: {column}: "), result.stderr
    assert message in result.error_lines[0]


def test_a_missing_required_column_is_an_error(tmp_path, person):
    result = run(
        tmp_path, "arrests", "A1,P1,2021-10-04", header="reference,person_reference,arrested_on"
    )

    assert result.status == 1
    assert "command_area" in result.stderr


@pytest.mark.parametrize(
    ("kind", "row", "column", "message"),
    [
        ("arrests", "A9,P1,2050-10-04,York,", "arrested_on", "The date of arrest must be"),
        ("charges", "C9,P1,2050-10-04,Supply,", "charged_on", "The date charged must be"),
        ("sentences", "S9,P1,2050-10-04,3,", "sentenced_on", "The date sentenced must be"),
        ("seizures", "Z9,2050-10-04,5,,,", "seized_on", "The date seized must be"),
    ],
)
def test_what_has_happened_cannot_be_dated_after_today(
    tmp_path, person, line, kind, row, column, message
):
    result = run(tmp_path, kind, row)

    assert result.status == 1
    assert result.error_lines[0].startswith(f"{tmp_path / (kind + '.csv')}:2: {column}: ")
    assert f"{message} today or in the past" in result.error_lines[0]
