"""What each role may do (accounts.permissions) and the rules of a user record."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from accounts.models import Role, User
from accounts.permissions import ROLE_CAPABILITIES, Capability, is_police, user_can
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


def test_the_police_side_of_safeguarding_is_the_police_roles(
    intel, manager, partner, administrator
):
    assert is_police(intel) and is_police(manager)
    assert not is_police(partner) and not is_police(administrator)


def test_whoever_sees_every_referral_and_changes_any_changes_every_one():
    """`is_police` reads whether the user sees every referral (VIEW_ALL_SAFEGUARDING); the
    services also take it to mean "acts for every agency", which holds only while no role
    changes safeguarding records as a partner does yet sees them all."""
    for role, capabilities in ROLE_CAPABILITIES.items():
        if {Capability.VIEW_ALL_SAFEGUARDING, Capability.CHANGE_SAFEGUARDING} <= capabilities:
            assert Capability.CHANGE_ALL_SAFEGUARDING in capabilities, role
        if Capability.CHANGE_ALL_SAFEGUARDING in capabilities:
            assert Capability.VIEW_ALL_SAFEGUARDING in capabilities, role


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
