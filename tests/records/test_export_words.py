"""The shared CSV export writes codes in their words, from the model field's choices, for
every list: the columns named as fields, and those read through a relation."""

import csv
import datetime
import io

import pytest
from django.urls import reverse

from core.csv_export import marked_filename
from operations.models import OperationKind
from persons.models import Gender, NrmStage, Person
from records.lists import choice_words
from tests.imports.utils import run_import, write_csv
from tests.operations.factories import OperationFactory
from tests.persons.factories import PersonFactory

pytestmark = pytest.mark.django_db


def exported(response) -> list[dict]:
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


def test_choice_words_follow_relations_and_leave_other_columns_alone():
    from operations.models import Arrest

    words = choice_words(Arrest, ["reference", "person__gender", "nowhere__at_all", "person"])

    assert list(words) == [1]
    assert words[1]["female"] == "Female"


def test_people_are_exported_with_words_and_the_file_imports_again_unchanged(
    intel_client, tmp_path
):
    PersonFactory(
        reference="P-1",
        gender=Gender.FEMALE,
        exploited=True,
        nrm_referred_on=datetime.date(2021, 1, 1),
        nrm_stage=NrmStage.values[-1],
    )

    rows = exported(intel_client.get(reverse("persons:person_export")))

    assert rows[0]["gender"] == "Female"
    assert rows[0]["nrm_stage"] == NrmStage.labels[-1]
    # The persons import reads the words as well as the codes.
    columns = ["reference", "surname", "forenames", "date_of_birth", "gender"]
    lines = [",".join(columns), ",".join(rows[0][column] for column in columns)]
    result = run_import("persons", write_csv(tmp_path, "persons.csv", *lines))
    assert result.stdout.strip() == "created 0, updated 0, unchanged 1, skipped 0", result.stderr
    assert Person.objects.get().gender == Gender.FEMALE


def test_an_operation_kind_is_exported_in_words(intel_client):
    OperationFactory(kind=OperationKind.INTENSIFICATION)

    rows = exported(intel_client.get(reverse("operations:operation_export")))

    assert rows[0]["kind"] == OperationKind.INTENSIFICATION.label
    assert rows[0]["kind"] != OperationKind.INTENSIFICATION.value


def test_the_audit_log_export_names_actions_in_words_and_carries_the_marking(manager_client):
    response = manager_client.get(reverse("audit:event_export"))

    assert response["Content-Disposition"] == (
        f'attachment; filename="{marked_filename("audit-log-events")}"'
    )
    assert "OFFICIAL-SENSITIVE" in marked_filename("audit-log-events")
