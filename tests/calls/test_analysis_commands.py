"""The analysis commands (interfaces.md §6): their JSON to the letter, a clear error and a
non-zero exit for what is wrong, and the consultation audited naming the command and the
operating-system user."""

import getpass
import io
import json

import pytest
from django.core.management import CommandError, call_command

from audit.models import AuditEvent
from calls.models import EventKind
from tests.lines.factories import LineFactory, LineNumberFactory, PhoneNumberFactory

from .calldata import at, row, rows_store

pytestmark = pytest.mark.django_db

N, A, B, C = "+447700900001", "+447700900002", "+447700900003", "+447700900004"
IMEI = "356938035643809"


def run(*args: str) -> object:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return json.loads(out.getvalue())


@pytest.fixture
def world():
    rows_store(
        [
            row(N, A, at(2026, 3, 2, 9), EventKind.CALL, imei=IMEI),
            row(A, N, at(2026, 3, 3, 10), EventKind.SMS),
            row(N, B, at(2026, 3, 4, 11), EventKind.SMS, imei=IMEI),
            row("withheld", N, at(2026, 3, 6, 13)),
            row(B, A, at(2026, 1, 5, 9)),
            row(C, A, at(2026, 2, 7, 9)),
            row(C, B, at(2026, 2, 7, 10)),
            row(C, B, at(2026, 2, 7, 11), EventKind.SMS),
        ]
    )
    line = LineFactory()
    LineNumberFactory(line=line, number=PhoneNumberFactory(e164=N))
    return line


def test_number_profile_prints_the_contract_json_and_is_audited(world):
    printed = run("number_profile", "07700 900001", "--start", "2026-03-01", "--end", "2026-03-31")
    assert printed == {
        "number": N,
        "first_seen": "2026-03-02T09:00:00Z",
        "last_seen": "2026-03-06T13:00:00Z",
        "events": {"call": 2, "sms": 2, "mms": 0},
        "contacts": 2,
        "top_contacts": [
            {
                "number": A,
                "events": 2,
                "first": "2026-03-02T09:00:00Z",
                "last": "2026-03-03T10:00:00Z",
            },
            {
                "number": B,
                "events": 1,
                "first": "2026-03-04T11:00:00Z",
                "last": "2026-03-04T11:00:00Z",
            },
        ],
        "handsets": [IMEI],
        "lines": [world.reference],
    }
    event = AuditEvent.objects.get(object_type="calls.callevent")
    assert event.detail == {
        "analysis": "number profile",
        "numbers": [N],
        "start": "2026-03-01",
        "end": "2026-03-31",
        "via": "manage.py number_profile",
        "system_user": getpass.getuser(),
    }


def test_common_contacts_prints_the_contract_json(world):
    printed = run("common_contacts", N, C)
    # A and B tie on 3 events in all: by number.
    assert printed == [
        {"number": A, "events": {N: 2, C: 1}},
        {"number": B, "events": {N: 1, C: 2}},
    ]
    event = AuditEvent.objects.get(object_type="calls.callevent")
    # The numbers compared, then those printed.
    assert event.detail["numbers"] == [N, C, A, B]
    assert event.detail["via"] == "manage.py common_contacts"


def test_successor_candidates_prints_the_contract_json(world):
    # The line's number went quiet on 6 March; a new number on its handset reaches A.
    successor = "+447700900009"
    rows_store([row(successor, A, at(2026, 3, 10, 9), EventKind.SMS, imei=IMEI)])
    printed = run("successor_candidates", world.reference.lower())
    assert printed == [
        {
            "number": successor,
            "score": pytest.approx(0.3 + 0.6 * 1 / 2 + 0.1 * (1 - 3.8 / 90), abs=0.001),
            "evidence": {
                "shared_contacts": 1,
                "same_handset": True,
                "first_seen": "2026-03-10T09:00:00Z",
                "customers": 2,
                "days_after": 3.8,
                "handsets": [IMEI],
                "lines": [],
            },
        }
    ]
    event = AuditEvent.objects.get(object_type="calls.callevent")
    assert event.detail["numbers"] == [N, successor]
    assert event.detail["line"] == world.reference


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("number_profile", "12345"), "NUMBER: “12345” is not a phone number"),
        (("number_profile", N, "--start", "1/3/2026"), "--start: “1/3/2026” is not a date"),
        (("number_profile", N, "--start", "2026-03-02", "--end", "2026-03-01"), "--end"),
        (("common_contacts", N, "withheld"), "NUMBER 2: “withheld” is not a phone number"),
        (("common_contacts", N, "07700900001"), "two or more different numbers"),
        (("successor_candidates", "CL-NONE"), "no line has the reference “CL-NONE”"),
        (("successor_candidates", "CL-NONE", "--limit", "0"), "--limit"),
    ],
)
def test_what_is_wrong_is_named_and_nothing_is_consulted(world, args, message):
    with pytest.raises(CommandError, match=message):
        call_command(*args, stdout=io.StringIO())
    assert not AuditEvent.objects.filter(object_type="calls.callevent").exists()
