"""CSV kinds `police-uk` and `deaths` (interfaces.md §2) through `manage.py import_csv`;
the real North Yorkshire file of October 2019 among them."""

import csv
import datetime
import hashlib
from collections import Counter
from decimal import Decimal
from pathlib import Path

import pytest

from audit.models import AuditEvent
from panel.models import DrugDeath, RecordedDrugOffence
from tests.imports.utils import run_import, write_csv

pytestmark = pytest.mark.django_db
REAL_FILE = Path(__file__).parents[1] / "data/police-uk/2019-10-north-yorkshire-street.csv"
REAL_FILE_SHA256 = "433df4f6f400875f69a5913f7123e29912e2a900bfdb714191bd02d14627d276"
HEADER = (
    "Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,"
    "LSOA name,Crime type,Last outcome category,Context"
)
DRUGS_ROW = (
    "abc123,2021-03,North Yorkshire Police,North Yorkshire Police,-1.080000,53.960000,"
    "On or near Parliament Street,E01013360,York 013A,Drugs,Under investigation,"
)
DEATHS = "reference,date_of_death,command_area,substances,source"


def independent_count(path: Path) -> Counter:
    """The `Drugs` rows of a police.uk file per month, read with the csv module alone."""
    with path.open(encoding="utf-8-sig", newline="") as file:
        return Counter(row["Month"] for row in csv.DictReader(file) if row["Crime type"] == "Drugs")


def test_the_real_file_keeps_its_drug_offences_and_skips_the_rest():
    assert hashlib.sha256(REAL_FILE.read_bytes()).hexdigest() == REAL_FILE_SHA256  # unchanged
    first = run_import("police-uk", REAL_FILE)
    again = run_import("police-uk", REAL_FILE)

    expected = independent_count(REAL_FILE)
    assert expected == {"2019-10": 138}  # as the data README says
    assert first.stdout.strip() == "created 138, updated 0, unchanged 0, skipped 5580"
    assert again.stdout.strip() == "created 0, updated 0, unchanged 138, skipped 5580"
    months = Counter(
        f"{month:%Y-%m}" for month in RecordedDrugOffence.objects.values_list("month", flat=True)
    )
    assert months == expected
    offence = RecordedDrugOffence.objects.exclude(lsoa_code="").first()
    assert offence.reported_by.name == "North Yorkshire Police" and offence.location
    assert isinstance(offence.longitude, Decimal)
    # Open data: the import is audited, not each of its rows.
    assert not AuditEvent.objects.filter(object_type="panel.recordeddrugoffence").exists()
    assert AuditEvent.objects.filter(action="import").count() == 2


def test_a_changed_outcome_updates_the_offence(tmp_path):
    run_import("police-uk", write_csv(tmp_path, "a.csv", HEADER, DRUGS_ROW))
    changed = DRUGS_ROW.replace("Under investigation", "Offender given a caution")
    result = run_import("police-uk", write_csv(tmp_path, "a.csv", HEADER, changed))

    assert result.stdout.strip() == "created 0, updated 1, unchanged 0, skipped 0"
    offence = RecordedDrugOffence.objects.get()
    assert offence.last_outcome == "Offender given a caution"
    assert offence.month == datetime.date(2021, 3, 1)


@pytest.mark.parametrize(
    ("row", "column", "message"),
    [
        (DRUGS_ROW.replace("2021-03", "March 2021"), "Month", "is not a month in the form YYYY-MM"),
        (DRUGS_ROW.replace("2021-03", "2021-13"), "Month", "is not a real month"),
        (
            DRUGS_ROW.replace("North Yorkshire Police,North", "Narnia Police,North"),
            "Reported by",
            "Unknown force “Narnia Police”",
        ),
        (DRUGS_ROW.replace("-1.080000", "-1.08x"), "Longitude", "is not a longitude"),
        (DRUGS_ROW.replace("53.960000", "95.0"), "Latitude", "is not between -90 and 90"),
        (DRUGS_ROW.replace("abc123", ""), "Crime ID", "is required"),
    ],
)
def test_bad_drugs_rows_refuse_the_file(tmp_path, row, column, message):
    other = DRUGS_ROW.replace("abc123", "zzz999")
    result = run_import("police-uk", write_csv(tmp_path, "a.csv", HEADER, other, row))

    assert result.status == 1
    assert not RecordedDrugOffence.objects.exists()
    assert result.error_lines[0].startswith(f"{tmp_path / 'a.csv'}:3: {column}: "), result.stderr
    assert message in result.error_lines[0]


def test_rows_of_other_crimes_are_skipped_whatever_they_hold(tmp_path):
    burglary = DRUGS_ROW.replace(",Drugs,", ",Burglary,").replace("2021-03", "not a month")
    result = run_import("police-uk", write_csv(tmp_path, "a.csv", HEADER, burglary))
    assert result.stdout.strip() == "created 0, updated 0, unchanged 0, skipped 1"


def test_deaths_are_imported_with_their_substances(tmp_path):
    result = run_import(
        "deaths",
        write_csv(
            tmp_path,
            "deaths.csv",
            DEATHS,
            "D1,2021-03-04,York,cocaine;Heroin,coroner",
            "D2,2021-05-06,,,",
        ),
    )
    assert result.stdout.strip() == "created 2, updated 0, unchanged 0, skipped 0", result.stderr
    death = DrugDeath.objects.get(reference="D1")
    assert sorted(drug.name for drug in death.substances.all()) == ["Cocaine", "Heroin"]
    assert death.command_area.name == "York" and death.source == "coroner"
    assert not DrugDeath.objects.get(reference="D2").substances.exists()

    again = run_import(
        "deaths",
        write_csv(tmp_path, "deaths.csv", DEATHS, "D1,2021-03-04,York,Heroin,coroner"),
    )
    assert again.stdout.strip() == "created 0, updated 1, unchanged 0, skipped 0"
    event = AuditEvent.objects.filter(action="update", object_id=str(death.pk)).get()
    assert event.detail["changes"] == {"substances": [["Cocaine", "Heroin"], ["Heroin"]]}


@pytest.mark.parametrize(
    ("row", "column", "message"),
    [
        ("D9,2021-02-30,York,,", "date_of_death", "is not a real date"),
        ("D9,2021-02-03,Leeds,,", "command_area", "Unknown command area “Leeds”"),
        ("D9,2021-02-03,,Cocaine;Moonshine,", "substances", "Unknown drug “Moonshine”"),
        ("D9,2021-02-03,,,vet", "source", "Unknown value “vet”"),
        ("D9,,,,", "date_of_death", "is required"),
        ("D9,2050-02-03,,,", "date_of_death", "The date of death must be today or in the past"),
    ],
)
def test_bad_deaths_refuse_the_file(tmp_path, row, column, message):
    result = run_import(
        "deaths", write_csv(tmp_path, "deaths.csv", DEATHS, "D1,2021-01-01,,,", row)
    )
    assert result.status == 1
    assert not DrugDeath.objects.exists()
    assert result.error_lines[0].startswith(f"{tmp_path / 'deaths.csv'}:3: {column}: ")
    assert message in result.error_lines[0]
