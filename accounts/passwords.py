"""Password rules beyond Django's own (AUTH_PASSWORD_VALIDATORS)."""

from django.core.exceptions import ValidationError

SHORTEST_DETAIL = 3


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
