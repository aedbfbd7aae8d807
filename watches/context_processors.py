from django.http import HttpRequest

from .selectors import notifications_unread_count


def notifications(request: HttpRequest) -> dict:
    """How many notifications the user has not read, for the header: counted only when a
    page shows it (a callable, which the template calls), so a page without the header
    or a visitor signed out costs no query."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_notifications": lambda: notifications_unread_count(user=user)}
