"""Printing a record is audited, with a token only the page shown to that user carries."""

import re

import pytest
from django.urls import reverse

from audit.models import AuditEvent
from audit.printing import print_token
from tests.lines.factories import LineFactory

pytestmark = pytest.mark.django_db
PRINT_URL = reverse("audit:record_print")


def token_on_the_page(client, line) -> str:
    html = client.get(reverse("lines:line_detail", args=[line.pk])).content.decode()
    return re.search(r'data-print-token="([^"]+)"', html)[1]


def test_a_record_page_has_a_print_button_whose_printing_is_audited(intel_client, intel):
    line = LineFactory(reference="CL-9", name="Dolla")

    response = intel_client.post(PRINT_URL, {"token": token_on_the_page(intel_client, line)})

    assert response.status_code == 204
    event = AuditEvent.objects.get(action=AuditEvent.Action.PRINT)
    assert (event.user, event.object_type, event.object_id) == (intel, "lines.line", str(line.pk))
    assert event.object_label == "CL-9 Dolla"


def test_a_token_made_up_or_changed_records_nothing(intel_client, intel):
    line = LineFactory()
    token = token_on_the_page(intel_client, line)

    forged = intel_client.post(PRINT_URL, {"token": token[:-2] + "xx"})
    empty = intel_client.post(PRINT_URL, {})

    assert (forged.status_code, empty.status_code) == (400, 400)
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.PRINT).exists()


def test_another_users_token_records_nothing(manager_client, intel):
    token = print_token(user=intel, obj=LineFactory())

    assert manager_client.post(PRINT_URL, {"token": token}).status_code == 400
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.PRINT).exists()


def test_printing_is_recorded_by_post_only(intel_client):
    assert intel_client.get(PRINT_URL).status_code == 405
