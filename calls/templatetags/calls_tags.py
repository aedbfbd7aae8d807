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
