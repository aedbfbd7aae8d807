"""Every URL of the service answers every role as tests/access_table.py says.

A URL pattern added without an entry in the table fails here, naming what to add.
Each role's test signs in once, builds the records once and requests every URL of
the table; each request is rolled back afterwards, so a POST that an allowed role
makes (or a refused one slipped through) changes nothing for the next. Every refusal
of a signed-in user (403, and 404 for a record that exists) must be on the audit log,
and every refusal must hold for a POST as for a GET.
"""

import datetime
import re
from copy import deepcopy
from urllib.parse import urlsplit

import pytest
from django.db import transaction
from django.test import Client
from django.urls import resolve, reverse

from audit.models import AuditEvent
from imports.models import ImportJob
from panel.models import ChartAnnotation, DrugDeath
from panel.periods import year_of
from panel.services import report_create
from panel.snapshots import snapshot_compute
from persons.models import LineRole, PersonAddress, PersonNumber
from safeguarding.models import ReferralShare, ShareStatus

from .access_table import (
    ADMIN,
    FORBIDDEN,
    LOGIN,
    MISSING,
    ROLES,
    TABLE,
    Records,
    missing_entry_message,
    table_key,
    url_patterns,
)
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

PATTERNS = url_patterns()
REFUSALS = {LOGIN, FORBIDDEN, MISSING}
ADMIN_SIGN_IN = reverse("admin:login")
# Every download, through core.downloads: a plain ASCII name, nothing to break out of it.
SAFE_DOWNLOAD = re.compile(r'^attachment; filename="[A-Za-z0-9][A-Za-z0-9._-]*"$')


def test_every_url_pattern_has_an_entry_in_the_access_table():
    missing = [missing_entry_message(p) for p in PATTERNS if table_key(p) not in TABLE]

    assert not missing, "\n\n".join(missing)


def test_every_entry_of_the_access_table_is_a_url_pattern():
    keys = {table_key(pattern) for pattern in PATTERNS}

    assert set(TABLE) - keys == set(), "entries of TABLE for URL patterns that are gone"


def test_every_admin_url_sends_anonymous_visitors_to_sign_in_and_back(client, db):
    """The admin site is one entry of the table; each of its URLs is still tried."""
    admin_urls = [p.url for p in PATTERNS if table_key(p) == ADMIN and p.url != ADMIN_SIGN_IN]
    assert len(admin_urls) > 20
    for url in admin_urls:
        response = client.get(url, follow=True)
        assert response.request["PATH_INFO"] == sign_in_url(), url
        assert next_param(response.redirect_chain[-1][0]) == url, url


def test_every_named_url_reaches_its_view():
    for pattern in PATTERNS:
        assert resolve(pattern.url).func is pattern.callback, pattern.url


@pytest.fixture
def records(intel, manager) -> Records:
    line = LineFactory(reference="CL-2024-001", name="Dolla")
    number = PhoneNumberFactory(e164="+447712345678")
    person = PersonFactory()
    referral = ReferralFactory()  # shared with City of York Council, `partner`'s agency
    ExchangeFactory(referral=referral, recorded_by=intel)
    year = year_of(datetime.date(2021, 6, 1))
    snapshot_compute(period=year, as_at=datetime.date(2022, 1, 15))
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
    )


def url_of(name: str, records: Records) -> str:
    entry = TABLE[name]
    if name == ADMIN:
        return reverse("admin:index")
    return reverse(name, args=records.url_args(entry.args)) + entry.query


def answer(client: Client, method: str, url: str) -> tuple[int | str, bool]:
    """What `url` answers, and whether a refusal was audited; whatever the request
    wrote (or, signing out, did to the client's session) is undone. The admin site's
    own sign-in page is followed: it is ours, or a refusal."""
    cookies = deepcopy(client.cookies)
    with transaction.atomic():
        response = client.generic(method, url)
        if response.status_code == 302 and urlsplit(response.url).path == ADMIN_SIGN_IN:
            response = client.get(response.url)
        if response.streaming:
            b"".join(response.streaming_content)
        disposition = response.get("Content-Disposition")
        assert disposition is None or SAFE_DOWNLOAD.match(disposition), (url, disposition)
        audited = AuditEvent.objects.filter(
            action=AuditEvent.Action.ACCESS_DENIED, request_id=response.get("X-Request-ID")
        ).exists()
        transaction.set_rollback(True)
    client.cookies = cookies
    signing_in = response.status_code == 302 and urlsplit(response.url).path == sign_in_url()
    if signing_in and next_param(response.url) == url:
        return LOGIN, audited
    return response.status_code, audited


@pytest.mark.parametrize("role", ROLES)
def test_every_url_answers_each_role_as_the_access_table_says(request, role, records):
    client = Client()
    if role != "anonymous":
        client.force_login(request.getfixturevalue(role))
    column = ROLES.index(role)
    wrong = []
    for name, entry in TABLE.items():
        url = url_of(name, records)
        expected = entry.expected[column]
        got, audited = answer(client, entry.method, url)
        if got != expected:
            wrong.append(f"{name} {entry.method} {url}: expected {expected}, got {got}")
        elif got in (FORBIDDEN, MISSING) and role != "anonymous" and not audited:
            wrong.append(f"{name} {entry.method} {url}: {got} without an access_denied event")
        if expected in REFUSALS and entry.method == "GET":
            posted, _ = answer(client, "POST", url)
            if posted != expected:
                wrong.append(f"{name} POST {url}: refused a GET ({expected}), got {posted}")

    assert not wrong, f"{role}:\n" + "\n".join(wrong)
