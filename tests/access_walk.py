"""Requesting the URLs of the access table (tests/access_table.py) with real records.

`records` (a fixture, offered to every test by tests/conftest.py) builds one of each
record the URLs take as arguments; `url_of` names the URL of an entry of TABLE with
them; `answer` requests it and says what it answered and which audit events the request
wrote, then undoes whatever the request did. Used by tests/test_access_table.py (who
gets what), tests/audit/test_consultations.py (every page that shows a record writes an
audit event) and tests/audit/test_printing.py.
"""

import datetime
import re
from copy import deepcopy
from dataclasses import dataclass
from urllib.parse import urlsplit

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse

from audit.models import AuditEvent
from calls.models import Source
from imports.models import ImportJob
from panel.models import ChartAnnotation, DrugDeath
from panel.periods import year_of
from panel.services import report_create
from panel.snapshots import snapshot_compute
from persons.models import LineRole, PersonAddress, PersonNumber
from safeguarding.models import ReferralShare, ShareStatus
from watches.models import Notification, Watch
from watches.things import line_thing

from .access_table import ADMIN, LOGIN, TABLE, Records
from .helpers import next_param, sign_in_url
from .lines.factories import LineFactory, LineNumberFactory, PhoneNumberFactory
from .operations.factories import (
    ArrestFactory,
    ChargeFactory,
    OperationFactory,
    SeizureFactory,
    SentenceFactory,
)
from .persons.factories import PersonFactory
from .safeguarding.factories import (
    ActionFactory,
    ExchangeFactory,
    OccupantFactory,
    ReferralFactory,
    agency,
)

ADMIN_SIGN_IN = reverse("admin:login")
# Every download, through core.downloads: a plain ASCII name, nothing to break out of it.
SAFE_DOWNLOAD = re.compile(r'^attachment; filename="[A-Za-z0-9][A-Za-z0-9._-]*"$')


@pytest.fixture
def records(intel, manager) -> Records:
    line = LineFactory(reference="CL-2024-001", name="Dolla")
    number = PhoneNumberFactory(e164="+447712345678")
    person = PersonFactory()
    referral = ReferralFactory()  # shared with City of York Council, `partner`'s agency
    ExchangeFactory(referral=referral, recorded_by=intel)
    year = year_of(datetime.date(2021, 6, 1))
    snapshot_compute(period=year, as_at=datetime.date(2022, 1, 15))
    watch = Watch.objects.create(user=intel, key=line_thing(line.pk), label=line.reference)
    return Records(
        line=line,
        number=number,
        attribution=LineNumberFactory(
            line=line, number=number, attributed_from=datetime.date(2024, 1, 20)
        ),
        person=person,
        phone=PersonNumber.objects.create(
            person=person, number=number, used_from=datetime.date(2024, 1, 20)
        ),
        address=PersonAddress.objects.create(
            person=person, address="1 High Street\nYork", postcode="YO1 1AA"
        ),
        line_role=LineRole.objects.create(
            person=person,
            line=line,
            role="runner",
            started_on=datetime.date(2024, 1, 20),
            source_evaluation="1",
            assessment="A",
            handling_code="P",
            recorded_by=intel,
        ),
        operation=OperationFactory(),
        arrest=ArrestFactory(person=person),
        charge=ChargeFactory(person=person),
        sentence=SentenceFactory(person=person),
        seizure=SeizureFactory(),
        referral=referral,
        occupant=OccupantFactory(referral=referral),
        action=ActionFactory(referral=referral),
        share=ReferralShare.objects.create(
            referral=referral, agency=agency("NHS North Yorkshire"), status=ShareStatus.PROPOSED
        ),
        report=report_create(user=manager, period=year, as_at=datetime.date(2022, 1, 15)),
        death=DrugDeath.objects.create(reference="D-1", date_of_death=datetime.date(2021, 3, 1)),
        annotation=ChartAnnotation.objects.order_by("pk").first(),
        import_job=ImportJob.objects.create(
            kind="lines", file_name="may.csv", uploaded_by=intel, status=ImportJob.Status.DONE
        ),
        watch=watch,
        notification=Notification.objects.create(
            user=intel,
            watch=watch,
            event="New line",
            record_type="lines.line",
            record_id=line.pk,
            url=line.get_absolute_url(),
        ),
        source=Source.objects.create(
            reference="CDR-2024-001",
            authorisation="IPA/2024/0001",
            numbers=["+447712345678"],
            retain_until=datetime.date(2031, 1, 31),
            recorded_by=intel,
        ),
    )


def url_of(name: str, records: Records) -> str:
    entry = TABLE[name]
    if name == ADMIN:
        return reverse("admin:index")
    return reverse(name, args=records.url_args(entry.args)) + entry.query


@dataclass(frozen=True)
class Answer:
    """What a URL answered (a status, or LOGIN) and the actions of the audit events the
    request wrote (those carrying its X-Request-ID)."""

    status: int | str
    audited: frozenset[str]


def answer(client: Client, method: str, url: str) -> Answer:
    """What `url` answers, and what the request wrote to the audit log; whatever the
    request wrote (or, signing out, did to the client's session) is undone. The admin
    site's own sign-in page is followed: it is ours, or a refusal."""
    cookies = deepcopy(client.cookies)
    with transaction.atomic():
        response = client.generic(method, url)
        if response.status_code == 302 and urlsplit(response.url).path == ADMIN_SIGN_IN:
            response = client.get(response.url)
        if response.streaming:
            b"".join(response.streaming_content)
        disposition = response.get("Content-Disposition")
        assert disposition is None or SAFE_DOWNLOAD.match(disposition), (url, disposition)
        audited = frozenset(
            AuditEvent.objects.filter(request_id=response["X-Request-ID"]).values_list(
                "action", flat=True
            )
        )
        transaction.set_rollback(True)
    client.cookies = cookies
    signing_in = response.status_code == 302 and urlsplit(response.url).path == sign_in_url()
    if signing_in and next_param(response.url) == url:
        return Answer(LOGIN, audited)
    return Answer(response.status_code, audited)


def client_of(request, role: str) -> Client:
    """A client signed in as the fixture `role` (not at all for "anonymous")."""
    client = Client()
    if role != "anonymous":
        client.force_login(request.getfixturevalue(role))
    return client
