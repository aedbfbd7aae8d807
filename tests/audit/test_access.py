"""A refusal of the audit log is itself audited, with who, where from and why (who may
read it: tests/access_table.py)."""

import pytest
from django.urls import reverse

from tests.helpers import denials_of

AUDIT_PAGES = ["audit:event_list", "audit:event_export"]


@pytest.mark.parametrize("url_name", AUDIT_PAGES)
@pytest.mark.parametrize("role", ["intel", "partner", "partner2"])
def test_others_are_refused_and_the_refusal_is_audited(db, request, role, url_name):
    user = request.getfixturevalue(role)
    client = request.getfixturevalue(f"{role}_client")

    response = client.get(reverse(url_name), REMOTE_ADDR="198.51.100.4")

    assert response.status_code == 403
    denial = denials_of(user.username).get()
    assert denial.user == user
    assert denial.agency_name == user.agency.name
    assert denial.path == reverse(url_name)
    assert denial.ip_address == "198.51.100.4"
    assert denial.request_id == response["X-Request-ID"]
    assert "view_audit_log" in denial.detail["reason"]
