"""What each role may do (accounts.permissions) and the rules of a user record."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from accounts.models import Role, User
from accounts.permissions import Capability, user_can
from tests.factories import UserFactory


def test_only_managers_and_administrators_read_the_audit_log(
    intel, manager, partner, administrator
):
    assert user_can(manager, Capability.VIEW_AUDIT_LOG)
    assert user_can(administrator, Capability.VIEW_AUDIT_LOG)
    assert not user_can(intel, Capability.VIEW_AUDIT_LOG)
    assert not user_can(partner, Capability.VIEW_AUDIT_LOG)


def test_partners_see_safeguarding_of_their_own_agency_only(partner):
    assert user_can(partner, Capability.VIEW_SAFEGUARDING)
    assert not user_can(partner, Capability.VIEW_ALL_SAFEGUARDING)
    assert not user_can(partner, Capability.VIEW_LINES)


def test_only_administrators_administer(intel, manager, administrator):
    assert user_can(administrator, Capability.ADMINISTER)
    assert not user_can(manager, Capability.ADMINISTER)
    assert not user_can(intel, Capability.ADMINISTER)


def test_a_deactivated_user_may_do_nothing(manager):
    manager.is_active = False

    assert not any(user_can(manager, capability) for capability in Capability)


def test_an_anonymous_visitor_may_do_nothing():
    assert not any(user_can(AnonymousUser(), capability) for capability in Capability)


def test_a_partner_must_belong_to_an_agency(db):
    user = User(username="lonely", role=Role.PARTNER, agency=None)

    with pytest.raises(ValidationError, match="agency"):
        user.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        user.save()


def test_police_roles_may_have_no_agency(db):
    UserFactory(role=Role.MANAGER, agency=None).full_clean()
