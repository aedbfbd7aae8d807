"""Records by reference, a block at a time (records.upserts): what each row does, in a
bounded number of statements, and what happens when another writer got there first."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.batch import Outcome, RecordsChanged
from lines.models import IntelligenceEntry, Line
from lines.services.batch.lines import LINES
from operations.models import Sentence
from operations.services import ARRESTS, SENTENCES
from persons.models import Person
from persons.services import PERSONS
from records import upserts
from tests.lines.factories import command_area, force
from tests.persons.factories import PersonFactory

pytestmark = pytest.mark.django_db
D = datetime.date


def sentence_rows(count: int, person: str = "P1") -> list[dict]:
    return [
        {
            "reference": f"S{n}",
            "person_reference": person,
            "sentenced_on": D(2021, 1, 1),
            "custody_months": n,
        }
        for n in range(count)
    ]


def test_a_key_repeated_in_a_block_applies_to_the_record_the_earlier_row_made(intel):
    rows = [
        {"reference": "P1", "surname": "Smith", "forenames": "John"},
        {"reference": "p1", "surname": "Smith", "forenames": "Jon"},
    ]
    result = upserts.upsert_by_reference(PERSONS, user=intel, rows=rows)

    assert result.outcomes == {0: Outcome.CREATED, 1: Outcome.UPDATED}
    assert Person.objects.get().forenames == "Jon"


def test_statements_do_not_grow_with_the_rows(intel):
    PersonFactory(reference="P1")

    def statements(count: int) -> int:
        Sentence.objects.all().delete()
        with CaptureQueriesContext(connection) as captured:
            result = upserts.upsert_by_reference(SENTENCES, user=intel, rows=sentence_rows(count))
        assert not result.problems
        return len(captured)

    assert statements(200) == statements(20)


def test_unknown_references_are_refused_row_by_row(intel):
    PersonFactory(reference="P1")
    rows = sentence_rows(1) + sentence_rows(1, person="P404")
    rows[1]["reference"] = "S-OTHER"

    result = upserts.upsert_by_reference(SENTENCES, user=intel, rows=rows)

    assert result.outcomes == {0: Outcome.CREATED}
    assert [(p.index, p.field) for p in result.problems] == [(1, "person_reference")]
    assert result.problems[0].message.startswith("No person has the reference “P404”.")


def test_a_record_changed_by_another_writer_since_it_was_read_stops_the_block(intel, monkeypatch):
    person = PersonFactory(reference="P1", surname="Smith")
    stored = upserts._stored

    def read_then_changed_elsewhere(records, keys):
        states = stored(records, keys)
        Person.objects.filter(pk=person.pk).update(version=5)  # another transaction's update
        return states

    monkeypatch.setattr(upserts, "_stored", read_then_changed_elsewhere)
    with pytest.raises(RecordsChanged):
        upserts.upsert_by_reference(
            PERSONS, user=intel, rows=[{"reference": "P1", "surname": "Jones"}]
        )
    assert Person.objects.get().surname == "Smith"


def line_row(name: str, *areas: str) -> dict:
    return {
        "reference": "CL1",
        "name": name,
        "origin_force": force(),
        "command_areas": [command_area(area) for area in areas],
        "first_identified": D(2024, 1, 15),
    }


def test_a_changed_record_keeps_its_links_unless_they_changed(intel):
    upserts.upsert_by_reference(LINES, user=intel, rows=[line_row("Dolla", "York")])
    through = Line.command_areas.through._meta.db_table

    def link_deletes(row: dict) -> int:
        with CaptureQueriesContext(connection) as captured:
            result = upserts.upsert_by_reference(LINES, user=intel, rows=[row])
        assert result.outcomes == {0: Outcome.UPDATED}
        return sum(
            1 for query in captured if query["sql"].startswith("DELETE") and through in query["sql"]
        )

    assert link_deletes(line_row("Dolla 2", "York")) == 0
    assert link_deletes(line_row("Dolla 2", "York", "Selby")) == 1
    line = Line.objects.get()
    assert (line.name, line.version) == ("Dolla 2", 3)
    assert sorted(area.name for area in line.command_areas.all()) == ["Selby", "York"]


def test_fields_are_every_field_the_model_declares_for_people_to_set_unless_named():
    assert ARRESTS.fields == (
        "person",
        "arrested_on",
        "command_area",
        "line",
        "operation",
        "drug_test",
        "treatment_referral",
    )
    # Not what the model computes (a search key), nor what every record shares.
    assert "names_key" not in PERSONS.fields
    assert not {"reference", "reference_key", "version", "created_at"} & set(PERSONS.fields)
    assert LINES.fields == ("name", "origin_force", "first_identified", "closed_on", "closure_type")


def test_a_default_worked_out_for_each_record_is_refused():
    records = upserts.KeyedRecords(IntelligenceEntry, fields=("recorded_at",))
    with pytest.raises(TypeError, match="recorded_at"):
        records.plan  # noqa: B018


def test_the_file_columns_are_the_import_s_with_the_lookups_that_read_them():
    assert ARRESTS.file_columns == (
        ("reference", "reference"),
        ("person_reference", "person__reference"),
        ("arrested_on", "arrested_on"),
        ("command_area", "command_area__name"),
        ("line_reference", "line__reference"),
        ("operation_reference", "operation__reference"),
        ("drug_test", "drug_test"),
        ("treatment_referral", "treatment_referral"),
    )
