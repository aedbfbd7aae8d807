"""accounts.access: scoped object look-up and capability checks, both audited."""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.test import RequestFactory

from accounts.access import capability_required, get_object_in_scope
from accounts.models import User
from accounts.permissions import Capability
from audit.models import AuditEvent
from tests.helpers import denials_of


def same_agency(user):
    """A stand-in scope: the users of the user's own agency."""
    return User.objects.filter(agency=user.agency)


def test_object_in_scope_is_returned(partner):
    assert get_object_in_scope(user=partner, visible=same_agency(partner), pk=partner.pk) == partner


def test_object_outside_scope_is_not_found_and_the_attempt_is_audited(partner, partner2):
    with pytest.raises(Http404):
        get_object_in_scope(user=partner, visible=same_agency(partner), pk=partner2.pk)

    denial = denials_of("partner").get()
    assert denial.user == partner
    assert denial.object_type == "accounts.user"
    assert denial.object_id == str(partner2.pk)


def test_object_outside_scope_looks_exactly_like_a_missing_one(partner, partner2):
    with pytest.raises(Http404) as outside:
        get_object_in_scope(user=partner, visible=same_agency(partner), pk=partner2.pk)
    with pytest.raises(Http404) as missing:
        get_object_in_scope(user=partner, visible=same_agency(partner), pk=partner2.pk + 1000)

    assert str(outside.value) == str(missing.value)


@pytest.mark.parametrize("pk", [10**9, "not-a-number", None])
def test_missing_or_garbage_pk_is_not_found_without_an_audit_event(partner, pk):
    with pytest.raises(Http404):
        get_object_in_scope(user=partner, visible=same_agency(partner), pk=pk)

    assert not AuditEvent.objects.exists()


def test_capability_required_refuses_and_audits_a_role_without_it(partner):
    @capability_required(Capability.VIEW_LINES)
    def view(request):
        return "the view ran"

    request = RequestFactory().get("/somewhere/")
    request.user = partner

    with pytest.raises(PermissionDenied):
        view(request)
    assert denials_of("partner").get().detail == {"reason": "missing capability view_lines"}


def test_capability_required_lets_a_role_with_it_through(intel):
    @capability_required(Capability.VIEW_LINES)
    def view(request):
        return "the view ran"

    request = RequestFactory().get("/somewhere/")
    request.user = intel

    assert view(request) == "the view ran"
    assert not AuditEvent.objects.exists()
