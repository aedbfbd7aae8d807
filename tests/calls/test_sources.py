"""Recording a disclosure of call data: `call_source_create` (interfaces.md §6) and the
services the command and the Sources screens share."""

import datetime
import getpass
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from audit.models import AuditEvent
from calls.models import Source
from calls.services.sources import source_create, source_update

from .factories import SourceFactory

pytestmark = pytest.mark.django_db
OPTIONS = ["--authorisation", "AUTH/2026/0007", "--retain-until", "2031-06-30"]


def run(*args) -> str:
    out = io.StringIO()
    call_command("call_source_create", *args, stdout=out)
    return out.getvalue()


def test_the_command_records_a_source_audited_naming_the_command():
    out = run("CDR-0001", *OPTIONS, "--description", "  Billing of 07700 900001  ")

    assert out == "created source CDR-0001\n"
    source = Source.objects.get()
    assert (source.reference, source.authorisation, source.retain_until, source.description) == (
        "CDR-0001",
        "AUTH/2026/0007",
        datetime.date(2031, 6, 30),
        "Billing of 07700 900001",
    )
    event = AuditEvent.objects.get(action=AuditEvent.Action.CREATE)
    assert (event.object_type, event.object_id) == ("calls.source", str(source.pk))
    assert event.user is None
    assert event.detail == {
        "via": "manage.py call_source_create",
        "system_user": getpass.getuser(),
    }


def test_the_same_source_again_is_unchanged_and_writes_nothing():
    run("CDR-0001", *OPTIONS)
    events = AuditEvent.objects.count()

    assert run("cdr-0001", *OPTIONS) == "unchanged\n"

    assert Source.objects.count() == 1
    assert AuditEvent.objects.count() == events


def test_the_same_reference_with_other_values_fails_naming_each_difference():
    run("CDR-0001", *OPTIONS)

    with pytest.raises(CommandError) as refused:
        run("CDR-0001", "--authorisation", "AUTH/2026/0008", "--retain-until", "2031-06-30")

    assert "authorisation is “AUTH/2026/0007”, not “AUTH/2026/0008”" in str(refused.value)
    assert Source.objects.get().authorisation == "AUTH/2026/0007"


def test_a_date_that_is_not_one_is_named():
    with pytest.raises(CommandError, match="--retain-until: “30/06/2031” is not a date"):
        run("CDR-0001", "--authorisation", "A", "--retain-until", "30/06/2031")
    assert not Source.objects.exists()


def test_an_empty_authorisation_is_refused():
    with pytest.raises(CommandError, match="authorisation"):
        run("CDR-0001", "--authorisation", "  ", "--retain-until", "2031-06-30")
    assert not Source.objects.exists()


def test_a_reference_taken_in_another_case_is_refused_by_the_service(intel):
    SourceFactory(reference="CDR-0001")

    with pytest.raises(ValidationError) as refused:
        source_create(
            user=intel,
            reference="cdr-0001",
            authorisation="A",
            retain_until=datetime.date(2031, 1, 1),
        )

    assert "reference" in refused.value.message_dict


def test_an_update_is_audited_with_what_changed_and_nothing_when_nothing_did(intel):
    source = SourceFactory(retain_until=datetime.date(2030, 1, 1))

    changed = source_update(source=source, user=intel, retain_until=datetime.date(2029, 1, 1))
    again = source_update(source=source, user=intel, retain_until=datetime.date(2029, 1, 1))

    assert changed == {"retain_until": ["2030-01-01", "2029-01-01"]}
    assert again == {}
    events = AuditEvent.objects.filter(action=AuditEvent.Action.UPDATE)
    assert [event.detail["changes"] for event in events] == [changed]
    assert events.get().user == intel
    source.refresh_from_db()
    assert source.retain_until == datetime.date(2029, 1, 1)


def test_an_update_of_what_the_import_keeps_is_refused(intel):
    with pytest.raises(TypeError):
        source_update(source=SourceFactory(), user=intel, events=5)
