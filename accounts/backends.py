"""Signing in with a username and password: Django's, with one rule more.

The users of an agency that no longer takes part in the partnership (its `is_active`
unticked on the admin site) neither sign in nor keep the sessions they have: a session's
user is read through `get_user` on every request, and is no one once their agency is
inactive. The agency is read in the same query as the user, so no request pays for it.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend


class StaffBackend(ModelBackend):
    def user_can_authenticate(self, user) -> bool:
        if not super().user_can_authenticate(user):
            return False
        return user.agency_id is None or user.agency.is_active

    def get_user(self, user_id):
        users = get_user_model()._default_manager.select_related("agency")
        try:
            user = users.get(pk=user_id)
        except get_user_model().DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
