"""Cell parsers shared by the kinds: dates, `;`-separated lists, reference data.

Each takes the trimmed, non-empty text of one cell and returns a value or raises
ValidationError with a message that quotes the offending value.
"""

import datetime
import functools
import re
from collections.abc import Callable

from django.core.exceptions import ValidationError

from core.text import quoted
from reference.lookups import ReferenceLookup

LIST_SEPARATOR = ";"
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


@functools.lru_cache(maxsize=4096)  # a file holds a few thousand distinct dates at most
def parse_date(text: str) -> datetime.date:
    """`YYYY-MM-DD` only (Python's fromisoformat would also take `20210102` and week dates)."""
    if not _ISO_DATE.fullmatch(text):
        raise ValidationError(f"{quoted(text)} is not a date in the form YYYY-MM-DD.")
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise ValidationError(f"{quoted(text)} is not a real date.") from None


def split_values(text: str) -> list[str]:
    """`York; Selby;` -> ["York", "Selby"]: trimmed, empty items dropped, repeats removed."""
    values = []
    for item in text.split(LIST_SEPARATOR):
        item = item.strip()
        if item and item not in values:
            values.append(item)
    return values


def parse_reference(text: str, lookup: ReferenceLookup, *, hint: str = ""):
    """The reference-data entry named `text` (any case); unknown names are never created."""
    value = lookup.get(text)
    if value is None:
        message = f"Unknown {lookup.kind} {quoted(text)}."
        raise ValidationError(f"{message} {hint}".strip())
    return value


def parse_reference_list(text: str, lookup: ReferenceLookup, *, hint: str = "") -> list:
    """Several reference-data entries separated by `;`; every unknown one is named."""
    values, unknown = [], []
    for name in split_values(text):
        value = lookup.get(name)
        if value is None:
            unknown.append(quoted(name))
        elif value not in values:
            values.append(value)
    if unknown:
        plural = "s" if len(unknown) > 1 else ""
        message = f"Unknown {lookup.kind}{plural} {', '.join(unknown)}."
        raise ValidationError(f"{message} {hint}".strip())
    if not values:
        raise ValidationError(f"Enter at least one {lookup.kind}.")
    return values


def max_length(limit: int) -> Callable[[str], str]:
    """A text parser refusing cells longer than the model field allows."""

    def parse(text: str) -> str:
        if len(text) > limit:
            raise ValidationError(
                f"{quoted(text)} is too long: at most {limit} characters (it has {len(text)})."
            )
        return text

    return parse
