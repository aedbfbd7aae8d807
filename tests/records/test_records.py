"""Creating and updating one record (records.single): the model's rules, references unique
whatever their case, the version check, and the audit of what changed."""

import pytest
from django.core.exceptions import ValidationError

from audit.models import AuditEvent
from persons.models import Person
from records.single import record_create, record_update
from records.versions import EditConflict
from tests.persons.factories import PersonFactory

pytestmark = pytest.mark.django_db


def test_a_record_is_created_with_its_reference_normalised_and_audited(intel):
    person = record_create(Person, user=intel, reference="  ＮＹＰ/P/1 ", surname="Smith")

    assert person.reference == "NYP/P/1" and person.reference_key == "nyp/p/1"
    assert AuditEvent.objects.get(action="create").object_id == str(person.pk)


def test_a_reference_taken_in_another_case_is_refused(intel):
    PersonFactory(reference="NYP/P/1")
    with pytest.raises(ValidationError) as refused:
        record_create(Person, user=intel, reference="nyp/p/1", surname="Smith")
    assert refused.value.message_dict == {
        "reference": ["A person with the reference “nyp/p/1” already exists"]
    }


def test_the_models_rules_are_applied(intel):
    with pytest.raises(ValidationError) as refused:
        record_create(Person, user=intel, reference="P1", surname="Smith", nrm_stage="referred")
    assert "nrm_stage" in refused.value.message_dict


def test_an_update_saves_and_audits_only_what_changed(intel):
    person = PersonFactory(surname="Smith", forenames="John")

    changed = record_update(
        person,
        user=intel,
        fields={"surname": "Smith", "forenames": "Jon"},
        allowed=("surname", "forenames"),
    )

    assert changed == {"forenames": ["John", "Jon"]}
    person.refresh_from_db()
    assert (person.forenames, person.version) == ("Jon", 2)
    assert "jonsmith" in person.names_key  # derived fields are saved with the others
    event = AuditEvent.objects.get(action="update")
    assert event.detail == {"changes": {"forenames": ["John", "Jon"]}, "version": 2}


def test_an_update_that_changes_nothing_writes_nothing(intel):
    person = PersonFactory(surname="Smith")

    assert (
        record_update(person, user=intel, fields={"surname": "Smith"}, allowed=("surname",)) == {}
    )
    person.refresh_from_db()
    assert person.version == 1
    assert not AuditEvent.objects.filter(action="update").exists()


def test_fields_not_allowed_are_refused(intel):
    with pytest.raises(TypeError):
        record_update(PersonFactory(), user=intel, fields={"reference": "X"}, allowed=("surname",))


def test_an_update_over_a_newer_version_is_a_conflict(intel):
    person = PersonFactory(surname="Smith")
    record_update(
        Person.objects.get(), user=intel, fields={"surname": "Jones"}, allowed=("surname",)
    )

    with pytest.raises(EditConflict) as conflict:
        record_update(
            person,
            user=intel,
            fields={"surname": "Brown"},
            allowed=("surname",),
            expected_version=1,
        )
    assert conflict.value.current_version == 2
    assert Person.objects.get().surname == "Jones"
