"""Records by reference, a block at a time (records.upserts): what each row does, in a
bounded number of statements, and what happens when another writer got there first."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.batch import Outcome, RecordsChanged
from operations.models import Sentence
from operations.services import SENTENCES
from persons.models import Person
from persons.services import PERSONS
from records import upserts
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
