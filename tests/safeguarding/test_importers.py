"""CSV kind `referrals` (interfaces.md §2) through `manage.py import_csv`: every rule of
the contract, the suspected lines and the share with the referring agency."""

import datetime

import pytest

from accounts.models import Agency
from audit.models import AuditEvent
from imports.kinds import get_kind
from reference.models import CommandArea
from safeguarding.models import Referral, ReferralShare, ShareStatus
from tests.imports.utils import run_import, write_csv
from tests.lines.factories import LineFactory

pytestmark = pytest.mark.django_db

HEADER = "reference,referred_on,referring_agency,command_area,closed_on,line_references"
GOOD = "BG-1,2021-10-04,City of York Council,York,,CL1;cl2"


@pytest.fixture
def lines(db):
    return LineFactory(reference="CL1"), LineFactory(reference="CL2")


def run(tmp_path, *rows, header=HEADER):
    return run_import("referrals", write_csv(tmp_path, "referrals.csv", header, *rows))


def test_a_referral_is_created_once_with_its_lines_and_shared_with_its_agency(tmp_path, lines):
    first = run(tmp_path, GOOD, "BG-2,2021-10-05,north yorkshire fire and rescue service,Selby,,")
    second = run(tmp_path, GOOD, "BG-2,2021-10-05,north yorkshire fire and rescue service,Selby,,")

    assert first.status == 0, first.stderr
    assert first.stdout.strip() == "created 2, updated 0, unchanged 0, skipped 0"
    assert second.stdout.strip() == "created 0, updated 0, unchanged 2, skipped 0"
    referral = Referral.objects.get(reference="BG-1")
    assert referral.referred_on == datetime.date(2021, 10, 4)
    assert referral.command_area.name == "York" and referral.is_open
    assert {line.reference for line in referral.suspected_lines.all()} == {"CL1", "CL2"}
    share = ReferralShare.objects.get(referral=referral)
    assert (share.agency.name, share.status) == ("City of York Council", ShareStatus.CONFIRMED)
    fire = Referral.objects.get(reference="BG-2")
    assert [s.agency.name for s in fire.shares.all()] == ["North Yorkshire Fire and Rescue Service"]
    assert not fire.suspected_lines.exists()
    assert AuditEvent.objects.filter(action="create", object_id=str(referral.pk)).count() == 1


def test_a_changed_row_updates_the_referral_and_its_lines_and_audits_the_change(tmp_path, lines):
    run(tmp_path, GOOD)
    result = run(tmp_path, "BG-1,2021-10-04,City of York Council,York,2021-12-01,CL2")

    assert result.stdout.strip() == "created 0, updated 1, unchanged 0, skipped 0", result.stderr
    referral = Referral.objects.get()
    assert referral.closed_on == datetime.date(2021, 12, 1) and referral.version == 2
    assert [line.reference for line in referral.suspected_lines.all()] == ["CL2"]
    event = AuditEvent.objects.filter(action="update", object_id=str(referral.pk)).get()
    assert event.detail["changes"] == {
        "closed_on": [None, "2021-12-01"],
        "suspected_lines": [["CL1", "CL2"], ["CL2"]],
    }


def test_a_file_without_the_lines_column_leaves_the_lines_alone(tmp_path, lines):
    run(tmp_path, GOOD)
    result = run(
        tmp_path,
        "BG-1,2021-10-04,City of York Council,York",
        header="reference,referred_on,referring_agency,command_area",
    )
    assert result.stdout.strip() == "created 0, updated 0, unchanged 1, skipped 0", result.stderr
    assert Referral.objects.get().suspected_lines.count() == 2


@pytest.mark.parametrize(
    ("row", "column", "message"),
    [
        (
            "BG-9,2021-10-04,Parish Council,York,,",
            "referring_agency",
            "Unknown agency “Parish Council”. The agencies are: ",
        ),
        (
            "BG-9,2021-10-04,City of York Council,Leeds,,",
            "command_area",
            "Unknown command area “Leeds”. The command areas are: ",
        ),
        (
            "BG-9,2021-10-04,City of York Council,York,2021-10-01,",
            "closed_on",
            "The date it was closed must be on or after the date of the referral (4 October 2021)",
        ),
        (
            "BG-9,2021-10-04,City of York Council,York,,CL1;CL404",
            "line_references",
            "No county line has the reference “CL404”.",
        ),
        ("BG-9,2021-02-30,City of York Council,York,,", "referred_on", "is not a real date"),
        ("BG-9,04/10/2021,City of York Council,York,,", "referred_on", "in the form YYYY-MM-DD"),
        ("BG-9,,City of York Council,York,,", "referred_on", "is required"),
        ("BG-9,2021-10-04,,York,,", "referring_agency", "is required"),
        ("BG-9,2021-10-04,City of York Council,,,", "command_area", "is required"),
        ("BG-9,2050-10-04,City of York Council,York,,", "referred_on", "today or in the past"),
    ],
)
def test_every_rule_refuses_the_file_naming_line_column_and_problem(
    tmp_path, lines, row, column, message
):
    result = run(tmp_path, GOOD, row)

    assert result.status == 1
    assert not Referral.objects.exists()  # all or nothing: the good row is not kept
    path = tmp_path / "referrals.csv"
    assert result.error_lines[0].startswith(f"{path}:3: {column}: "), result.stderr
    assert message in result.error_lines[0]


def test_only_intelligence_officers_may_import_referrals(intel, manager, partner, administrator):
    kind = get_kind("referrals")
    assert kind.allows(intel)
    assert not any(kind.allows(user) for user in (manager, partner, administrator))


def test_a_new_referral_may_not_take_a_reference_of_the_partners_numbering(tmp_path, lines):
    """CYC-0042 is the service's to give a council referral; a typed one would leave a gap
    that tells the council a referral it may not see exists. One already made keeps it."""
    partners_own = Referral.objects.create(
        reference="CYC-0001",
        referred_on=datetime.date(2021, 10, 1),
        referring_agency=Agency.objects.get(name="City of York Council"),
        command_area=CommandArea.objects.get(name="York"),
    )
    result = run(
        tmp_path,
        "cyc-0042,2021-10-04,City of York Council,York,,",
        "CYC-0001,2021-10-01,City of York Council,York,2021-11-01,",
    )

    assert result.status == 1
    assert "referrals.csv:2: reference: References like CYC-0042 are given by the service" in (
        result.stderr
    )
    assert "referrals.csv:3" not in result.stderr
    assert list(Referral.objects.all()) == [partners_own]
