"""Printing a record is audited on the server: the Print button opens the record's print
view (its page with ?print=1), which writes a `print` event through the record page's own
view and access checks; the record page printed by the browser's own command prints
only a notice."""

import re
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders

from audit.models import AuditEvent
from tests.access_walk import url_of

pytestmark = pytest.mark.django_db

# Every record page with a Print button: its URL name and the record it shows.
PRINTABLE = {
    "lines:line_detail": "line",
    "persons:person_detail": "person",
    "safeguarding:referral_detail": "referral",
    "operations:operation_detail": "operation",
    "operations:arrest_detail": "arrest",
    "operations:charge_detail": "charge",
    "operations:sentence_detail": "sentence",
    "operations:seizure_detail": "seizure",
    "panel:report_detail": "report",
}
PRINT_VIEW = "?print=1"


def events_of(response) -> list[tuple[str, str, str]]:
    events = AuditEvent.objects.filter(request_id=response["X-Request-ID"])
    return list(events.values_list("action", "object_type", "object_id"))


def body_classes(response) -> list[str]:
    return re.search(r'<body class="([^"]*)"', response.content.decode())[1].split()


@pytest.mark.parametrize("name", PRINTABLE)
def test_the_print_view_writes_one_print_event_with_the_record(manager_client, records, name):
    record = getattr(records, PRINTABLE[name])

    response = manager_client.get(url_of(name, records) + PRINT_VIEW)

    assert response.status_code == 200
    assert events_of(response) == [("print", record._meta.label_lower, str(record.pk))]
    assert "app-print-view" in body_classes(response)
    assert 'data-testid="print-notice"' not in response.content.decode()


@pytest.mark.parametrize("name", PRINTABLE)
def test_the_record_page_is_a_view_whose_print_button_opens_the_print_view(
    manager_client, records, name
):
    record = getattr(records, PRINTABLE[name])
    url = url_of(name, records)

    response = manager_client.get(url)

    assert events_of(response) == [("view", record._meta.label_lower, str(record.pk))]
    html = response.content.decode()
    assert re.search(rf'<a href="{re.escape(url + PRINT_VIEW)}" role="button"[^>]*>Print ', html)
    # Printed by the browser's own command, the page is only this notice (the stylesheet).
    assert "app-printable" in body_classes(response)
    assert 'data-testid="print-notice"' in html


@pytest.mark.parametrize(
    ("name", "role", "refused"),
    [
        ("lines:line_detail", "partner", 403),  # partners never see police intelligence
        ("persons:person_detail", "partner", 403),
        ("safeguarding:referral_detail", "partner2", 404),  # not shared with their agency
        ("panel:report_detail", "intel", 403),
    ],
)
def test_the_print_view_of_a_record_out_of_reach_is_refused_and_audited(
    request, client, records, name, role, refused
):
    user = request.getfixturevalue(role)
    client.force_login(user)

    response = client.get(url_of(name, records) + PRINT_VIEW)

    assert response.status_code == refused
    assert [action for action, _, _ in events_of(response)] == ["access_denied"]
    assert not AuditEvent.objects.filter(action="print").exists()


def test_printing_the_record_page_itself_prints_only_the_marking_and_the_notice():
    """The rule that keeps the browser's own Print command from printing a record page
    (frontend/scss/_print.scss, as compiled and served)."""
    path = finders.find("css/application.css")
    assert path, "static_build/css/application.css is missing: run `npm run build`"
    css = Path(path).read_text(encoding="utf-8")
    rule = (
        ".app-printable>:not(.app-header):not(.app-print-notice),"
        ".app-printable .app-header>:not(.app-classification-banner)"
        "{display:none !important}"
    )
    assert rule in css
    assert css[: css.index(rule)].rsplit("@media", 1)[1].startswith(" print{")
