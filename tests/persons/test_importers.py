"""CSV kind `persons` (interfaces.md §2), through `manage.py import_csv`."""

import datetime

import pytest

from audit.models import AuditEvent
from persons.models import Gender, Person
from tests.imports.utils import run_import, write_csv

from .factories import PersonFactory

pytestmark = pytest.mark.django_db

HEADER = "reference,surname,forenames,date_of_birth,gender"


def import_persons(tmp_path, *rows, header=HEADER):
    return run_import("persons", write_csv(tmp_path, "persons.csv", header, *rows))


def test_creates_people_with_their_details(tmp_path):
    run = import_persons(tmp_path, "NYP/P/1,Smith,John Paul,2005-03-01,M", "NYP/P/2,O’Neill,Zoë,,")

    assert run.status == 0, run.stderr
    assert run.stdout.strip() == "created 2, updated 0, unchanged 0, skipped 0"
    john = Person.objects.get(reference="NYP/P/1")
    assert (john.surname, john.forenames, john.gender) == ("Smith", "John Paul", Gender.MALE)
    assert john.date_of_birth == datetime.date(2005, 3, 1)
    zoe = Person.objects.get(reference="NYP/P/2")
    assert zoe.date_of_birth is None and zoe.gender == ""
    # The name search key is written by the bulk path as by save().
    assert zoe.names_key == "zoeoneill|oneillzoe"


def test_importing_the_same_file_twice_changes_nothing(tmp_path):
    import_persons(tmp_path, "P1,Smith,John,2005-03-01,male")
    run = import_persons(tmp_path, "P1,Smith,John,2005-03-01,male")

    assert run.stdout.strip() == "created 0, updated 0, unchanged 1, skipped 0"
    assert Person.objects.count() == 1


def test_a_changed_row_updates_the_person_and_audits_the_change(tmp_path):
    person = PersonFactory(reference="P1", surname="Smith", forenames="John")
    run = import_persons(tmp_path, "p1,Smith,Jon,2000-06-15,")

    assert run.stdout.strip() == "created 0, updated 1, unchanged 0, skipped 0"
    person.refresh_from_db()
    assert person.forenames == "Jon" and person.version == 2
    assert "jonsmith" in person.names_key
    event = AuditEvent.objects.get(action="update", object_type="persons.person")
    assert event.detail["changes"] == {"forenames": ["John", "Jon"]}


def test_fields_the_file_does_not_hold_are_kept(tmp_path):
    person = PersonFactory(reference="P1", aliases="Smudge", exploited=True)
    run = import_persons(tmp_path, "P1,Jones", header="reference,surname")

    assert run.status == 0, run.stderr
    person.refresh_from_db()
    assert person.surname == "Jones" and person.exploited and person.forenames == "Alex"
    assert "smudge" in person.names_key.split("|")


@pytest.mark.parametrize(
    ("row", "column", "message"),
    [
        ("P1,,John,2005-03-01,M", "surname", "is required"),
        ("P1,Smith,John,2005-02-30,M", "date_of_birth", "“2005-02-30” is not a real date."),
        ("P1,Smith,John,01/03/2005,M", "date_of_birth", "is not a date in the form YYYY-MM-DD"),
        ("P1,Smith,John,2050-01-01,M", "date_of_birth", "The date of birth must be in the past"),
        ("P1,Smith,John,2005-03-01,X", "gender", "Unknown value “X”. Use one of: Female, Male"),
        (",Smith,John,2005-03-01,M", "reference", ""),
    ],
)
def test_invalid_rows_are_refused_with_their_line_and_column(tmp_path, row, column, message):
    run = import_persons(tmp_path, "P0,Good,Row,2001-01-01,F", row)

    assert run.status == 1
    assert Person.objects.count() == 0  # all or nothing
    path = tmp_path / "persons.csv"
    assert run.error_lines[0].startswith(f"{path}:3: {column}: "), run.stderr
    assert message in run.error_lines[0]
