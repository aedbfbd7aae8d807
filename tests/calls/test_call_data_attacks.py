"""Attacks on the call data's rules, each performed: other roles posting to its writes,
tampered values on the attribute button, a comparison too big to hold, a retention date
already past, a watcher who may not see call data, and what each consultation names."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from accounts.permissions import ROLE_CAPABILITIES, Capability
from audit.models import AuditEvent
from calls.models import CallEvent, Source
from calls.services.sources import source_create, source_update
from imports.models import ImportJob
from lines.models import LineNumber
from tests.calls.factories import CallEventFactory, SourceFactory
from tests.calls.test_analysis_screens import ALICE, DAVE, consultations, march
from tests.calls.test_analysis_screens import bursts as bursts
from tests.calls.test_analysis_screens import world as world
from tests.calls.test_import import HEADER
from tests.calls.test_import_upload import LARGE
from tests.calls.test_import_upload import limits as limits
from tests.calls.test_line_tab import NEW, attribute
from tests.calls.test_line_tab import line as line
from tests.helpers import date_fields, text
from tests.imports.utils import run_import, write_csv
from tests.lines.factories import LineFactory
from watches.models import Notification, Watch
from watches.selectors import notifications_unread_count
from watches.things import number_thing

RETAIN = datetime.date(2031, 3, 31)
OTHERS = ["manager_client", "partner_client", "administrator_client", "client"]


def refused(response) -> bool:
    """403, or (anonymous) the way to the sign-in page."""
    return response.status_code == 403 or (
        response.status_code == 302 and "sign-in" in response.url
    )


def source_form(**changes) -> dict[str, str]:
    return {
        "reference": "CDR-2026-900",
        "authorisation": "IPA/2026/0900",
        "numbers": "07700 900001",
        **date_fields("retain_until", RETAIN),
        **changes,
    }


# --- Only intelligence officers write ------------------------------------------------------


@pytest.mark.parametrize("who", OTHERS)
def test_other_roles_cannot_record_or_change_a_source_by_posting(request, who, db):
    client = request.getfixturevalue(who)
    source = SourceFactory(authorisation="IPA/2026/0001")

    created = client.post(reverse("calls:source_create"), source_form())
    changed = client.post(
        reverse("calls:source_update", args=[source.pk]), source_form(authorisation="FORGED")
    )

    assert refused(created) and refused(changed)
    assert list(Source.objects.values_list("authorisation", flat=True)) == ["IPA/2026/0001"]


@pytest.mark.parametrize("who", OTHERS)
def test_other_roles_cannot_attribute_a_candidate_by_posting(request, who, line):
    response = attribute(request.getfixturevalue(who), line, NEW)

    assert refused(response)
    assert not LineNumber.objects.filter(number__e164=NEW).exists()


# --- The attribute button, tampered with ---------------------------------------------------


def test_a_candidate_of_one_line_posted_to_another_line_is_refused(intel_client, line):
    other = LineFactory(reference="CL-2026-011")

    response = attribute(intel_client, other, NEW)

    assert "not a successor candidate of this line" in text(intel_client.get(response.url))
    assert not LineNumber.objects.filter(number__e164=NEW).exists()


@pytest.mark.parametrize("typed", ["07700 900200", "'; DROP TABLE lines_line; --", "", "+44" * 50])
def test_a_number_posted_by_hand_is_refused_with_a_message(intel_client, line, typed):
    response = attribute(intel_client, line, typed)

    assert "not a successor candidate of this line" in text(intel_client.get(response.url))
    assert not LineNumber.objects.filter(line=line).exclude(number__e164="+447700900100").exists()


def test_a_line_that_does_not_exist_is_not_found(intel_client, line):
    response = intel_client.post(
        reverse("calls:successor_attribute", args=[line.pk + 1000]), {"number": NEW}
    )

    assert response.status_code == 404
    assert not LineNumber.objects.filter(number__e164=NEW).exists()


# --- Comparisons too big to hold ------------------------------------------------------------


def compared(client, **data) -> str:
    posted = client.post(reverse("calls:common_contacts"), data)
    return text(client.get(posted.url))


def test_more_numbers_than_a_comparison_takes_are_refused_by_count(world, intel_client):
    numbers = "\n".join(f"+4477009{n:05d}" for n in range(21))

    page = compared(intel_client, numbers=numbers)

    assert "Compare at most 20 numbers at a time (21 were entered)" in page
    assert consultations() == []


def test_a_box_of_numbers_too_long_to_hold_is_refused_not_cut_short(world, intel_client):
    # More than a held term keeps: cut short, its last number would be half a number,
    # or (cut at a line's end) silently left out of the comparison.
    numbers = "\n".join(f"+44 7700 9{n:05d}" for n in range(80))

    page = compared(intel_client, numbers=numbers)

    assert "Compare at most 20 numbers at a time (far more were entered)" in page
    assert "is not a phone number" not in page
    assert consultations() == []


def test_more_lines_than_a_comparison_takes_are_refused(world, intel_client):
    page = compared(intel_client, lines="\n".join(f"CL-2026-{n:03d}" for n in range(21)))

    assert "Compare at most 20 lines at a time (21 were entered)" in page
    assert consultations() == []


def test_twenty_numbers_are_compared(world, intel_client):
    numbers = "\n".join([ALICE, DAVE, *(f"+44 7700 9{n:05d}" for n in range(100, 118))])

    compared(intel_client, numbers=numbers)

    (event,) = consultations()
    assert len(event.detail["numbers"]) >= 20


# --- Commands: dates beyond any record ------------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [
        ("number_profile", ALICE, "--end", "9999-12-31"),
        ("common_contacts", ALICE, DAVE, "--start", "0001-01-01"),
    ],
)
def test_a_command_refuses_a_date_beyond_any_record(world, args):
    with pytest.raises(CommandError, match="is not between 1900-01-01 and"):
        call_command(*args)
    assert consultations() == []


def test_common_contacts_command_names_the_contacts_it_printed(world, capsys):
    call_command("common_contacts", ALICE, DAVE)

    (event,) = consultations()
    # Bob is in contact with both: printed, so named, as the page names him.
    assert event.detail["numbers"] == [ALICE, DAVE, "+447700900002"]


# --- Sources: retention and the consultation of a source ------------------------------------


def test_a_source_retained_until_a_past_date_is_refused_on_the_page(intel_client, db):
    past = datetime.date.today() - datetime.timedelta(days=1)

    response = intel_client.post(
        reverse("calls:source_create"), source_form(**date_fields("retain_until", past))
    )

    assert response.status_code == 200
    assert "The retention date must be today or later" in text(response)
    assert not Source.objects.exists()


def test_a_retention_date_moved_into_the_past_is_refused_and_nothing_changed(intel):
    source = SourceFactory(retain_until=RETAIN, description="kept")
    past = datetime.date.today() - datetime.timedelta(days=1)

    with pytest.raises(ValidationError) as error:
        source_update(source=source, user=intel, retain_until=past, description="changed")

    assert "retain_until" in error.value.message_dict
    source.refresh_from_db()
    assert (source.retain_until, source.description) == (RETAIN, "kept")
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.UPDATE).exists()


def test_a_source_past_its_retention_date_may_still_have_its_description_changed(intel):
    source = SourceFactory(retain_until=datetime.date(2020, 1, 1))

    assert source_update(source=source, user=intel, description="Withdrawn")


def test_the_command_refuses_a_past_retention_date(db):
    with pytest.raises(CommandError, match="retain_until: The retention date must be today"):
        call_command(
            "call_source_create", "CDR-1", "--authorisation", "A", "--retain-until", "2020-01-01"
        )
    with pytest.raises(ValidationError):
        source_create(
            user=None, reference="CDR-2", authorisation="A", retain_until=datetime.date(2020, 1, 1)
        )
    assert not Source.objects.exists()


def test_a_sources_page_is_audited_with_the_numbers_it_covers(intel, intel_client, db):
    source = SourceFactory(numbers=["+447700900001", "+447700900002"])

    intel_client.get(reverse("calls:source_detail", args=[source.pk]))

    event = AuditEvent.objects.get(action=AuditEvent.Action.VIEW, object_type="calls.source")
    assert event.detail["numbers"] == ["+447700900001", "+447700900002"]


# --- Watches: a manager watching a number learns nothing of call data -------------------------


def test_a_manager_watching_a_number_is_not_told_it_is_in_call_data(
    tmp_path, manager, manager_client, intel
):
    source = SourceFactory(reference="CDR-1")
    for user in (manager, intel):
        Watch.objects.create(user=user, key=number_thing(ALICE), label="07700 900001")
    path = write_csv(
        tmp_path, "calls.csv", HEADER, f"CDR-1,{ALICE},{DAVE},2026-03-02T09:00:00Z,sms,,,,"
    )

    run_import("calls", path)

    told = Notification.objects.get(user=manager)  # written; never shown to them
    assert Notification.objects.filter(user=intel).exists()
    assert notifications_unread_count(user=manager) == 0
    listed = text(manager_client.get(reverse("watches:notification_list")))
    home = text(manager_client.get(reverse("web:home")))
    for page in (listed, home):
        assert "In call data" not in page and source.get_absolute_url() not in page
    opened = manager_client.get(reverse("watches:notification_open", args=[told.pk]))
    assert opened.status_code == 404


# --- Uploads: a file posing as one kept on disk ---------------------------------------------


@pytest.mark.parametrize("url", [reverse("imports:start"), LARGE])
def test_an_upload_posing_as_a_file_kept_on_disk_is_refused(intel_client, limits, url):
    # A job whose content starts so names a file in IMPORT_FILES_DIR (imports.services):
    # an uploaded file that starts so is not a CSV, and must name nothing.
    (limits.IMPORT_FILES_DIR).mkdir()
    kept = limits.IMPORT_FILES_DIR / "someone-elses.csv"
    kept.write_text(f"{HEADER}\n")
    forged = SimpleUploadedFile("calls.csv", b"\x00import-file:someone-elses.csv", "text/csv")

    response = intel_client.post(url, {"kind": "calls", "file": forged})

    assert response.status_code == 200
    assert "The selected file must be a CSV" in text(response)
    assert not ImportJob.objects.exists() and kept.exists()


def test_a_kind_of_large_files_refused_to_a_user_is_audited(intel, intel_client, monkeypatch):
    may = ROLE_CAPABILITIES[intel.role] - {Capability.CHANGE_CALL_DATA}
    monkeypatch.setitem(ROLE_CAPABILITIES, intel.role, may)

    response = intel_client.get(LARGE)

    assert response.status_code == 403
    denied = AuditEvent.objects.get(action=AuditEvent.Action.ACCESS_DENIED, user=intel)
    assert "change_call_data" in denied.detail["reason"]


# --- Possible new lines: settings that match everyone --------------------------------------


def test_settings_that_find_too_many_senders_are_refused_with_a_message(
    bursts, intel_client, monkeypatch
):
    # Two senders in the world: over a bound of one, as ordinary subscribers would be
    # over the bound of thousands (every sender of the month, read message by message).
    monkeypatch.setattr("calls.selectors.new_lines.MOST_SENDERS", 1)

    response = intel_client.get(
        reverse("calls:possible_new_lines"), march(recipients=2, minutes=1440, days=1)
    )

    assert response.status_code == 200
    assert "These settings find more than 1 numbers to follow" in text(response)
    assert consultations() == []


# --- Imports: rows of a source whose rows are held no more -----------------------------------


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        (
            {"purged_at": datetime.datetime(2026, 3, 1, 12, tzinfo=datetime.UTC)},
            "The source “CDR-1” was purged on 1 March 2026: its rows are held no more",
        ),
        (
            {"retain_until": datetime.date(2020, 1, 1)},
            "The source “CDR-1” is past its retention date (1 January 2020)",
        ),
    ],
)
def test_rows_of_a_purged_source_or_one_past_its_retention_are_refused(
    db, tmp_path, fields, message
):
    # Imported after the purge passed it, they would be kept for ever.
    SourceFactory(reference="CDR-1", **fields)
    path = write_csv(
        tmp_path, "calls.csv", HEADER, f"cdr-1,{ALICE},{DAVE},2026-03-02T09:00:00Z,sms,,,,"
    )

    run = run_import("calls", path)

    assert run.status != 0
    assert message in run.stdout + run.stderr
    assert not CallEvent.objects.exists()


# --- The purge: a retention date moved on while it runs --------------------------------------


def test_a_source_whose_retention_is_extended_during_the_purge_keeps_its_rows(db, monkeypatch):
    from calls.services import purge

    past = datetime.date.today() - datetime.timedelta(days=1)
    first, second = SourceFactory(retain_until=past), SourceFactory(retain_until=past)
    for source in (first, second):
        CallEventFactory(source=source)
    purge_one = purge.source_purge

    def an_officer_extends_the_second_meanwhile(**kwargs):
        Source.objects.filter(pk=second.pk).update(retain_until=RETAIN)
        return purge_one(**kwargs)

    monkeypatch.setattr(purge, "source_purge", an_officer_extends_the_second_meanwhile)

    report = purge.call_data_purge()

    assert [purged.source for purged in report.sources] == [first]
    second.refresh_from_db()
    assert second.purged_at is None
    assert CallEvent.objects.filter(source=second).count() == 1
