import phonenumbers
from django import template

from lines.phone import national_format

from ..models import is_subscriber

register = template.Library()


@register.filter
def party(value: str) -> str:
    """A stored party as people read it: a subscriber number in its national form,
    `withheld` as "Withheld", a short code as written."""
    if is_subscriber(value):
        try:
            return national_format(value)
        except phonenumbers.NumberParseException:  # stored, yet not parsed: as stored
            return value
    return "Withheld" if value == "withheld" else value


@register.filter
def after_quiet(days_after: float) -> str:
    """How soon a successor candidate started: "12 days after the line went quiet" (or
    "2 days before", the two numbers used side by side for a while)."""
    days = round(abs(days_after))
    when = "before" if days_after < 0 else "after"
    if days == 0:
        return "The day the line went quiet"
    return f"{days} day{'' if days == 1 else 's'} {when} the line went quiet"
