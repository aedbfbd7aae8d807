"""Cell parsers shared by the kinds: dates, names, `;`-separated lists, reference data.

Each takes the trimmed, non-empty text of one cell and returns a value or raises
ValidationError with a message that quotes the offending value.
"""

import datetime
import functools
import re
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models

from core.rules import EARLIEST_DATE, Name, latest_date
from core.text import quoted
from reference.lookups import ReferenceLookup

LIST_SEPARATOR = ";"
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_WHOLE_NUMBER = re.compile(r"-?\d+")
# Commas only between thousands: `1,250.50`, never `1,5`.
_DECIMAL = re.compile(r"-?(\d+|\d{1,3}(,\d{3})+)(\.\d+)?")


@functools.lru_cache(maxsize=4096)  # a file holds a few thousand distinct dates at most
def parse_date(text: str) -> datetime.date:
    """`YYYY-MM-DD` only (Python's fromisoformat would also take `20210102` and week dates)."""
    if not _ISO_DATE.fullmatch(text):
        raise ValidationError(f"{quoted(text)} is not a date in the form YYYY-MM-DD.")
    try:
        day = datetime.date.fromisoformat(text)
    except ValueError:
        raise ValidationError(f"{quoted(text)} is not a real date.") from None
    return plausible(day, text)


def plausible(day: datetime.date, text: str) -> datetime.date:
    """A date no record of the service could have is a typing mistake (core.rules)."""
    if day < EARLIEST_DATE:
        raise ValidationError(f"{quoted(text)} is before 1900: check the year.")
    latest = latest_date(datetime.date.today())
    if day > latest:
        raise ValidationError(f"{quoted(text)} is after {latest.year}: check the year.")
    return day


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


def one_known(lookup: Callable[[], ReferenceLookup]) -> Callable[[str], Any]:
    """A parser of one entry of the reference data `lookup()` gives (loaded by the kind's
    `prepare`), naming every known entry when the cell names another."""

    def parse(text: str):
        known = lookup()
        return parse_reference(
            text, known, hint=f"The {known.plural} are: {', '.join(known.names)}."
        )

    return parse


def several_known(lookup: Callable[[], ReferenceLookup]) -> Callable[[str], list]:
    """`one_known` for a cell of several entries separated by `;`."""

    def parse(text: str) -> list:
        known = lookup()
        hint = f"The {known.plural} are: {', '.join(known.names)}."
        return parse_reference_list(text, known, hint=hint)

    return parse


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


def name_text(name: Name, *, limit: int) -> Callable[[str], str]:
    """A cell holding a name or alias, its spaces made one: refused when it holds a hidden
    character, in the words of its `core.rules.Name` (the same the form says), or is
    longer than `limit`."""
    within_limit = max_length(limit)

    def parse(text: str) -> str:
        text = name.normal(text)
        problem = name.problem(text)
        if problem:
            raise ValidationError(problem)
        return within_limit(text)

    return parse


def whole_number(*, minimum: int = 0) -> Callable[[str], int]:
    """A parser of whole numbers (`12`, not `12.5`, `1e3` or `twelve`) of at least `minimum`."""

    def parse(text: str) -> int:
        if not _WHOLE_NUMBER.fullmatch(text):
            raise ValidationError(f"{quoted(text)} is not a whole number.")
        value = int(text)
        if value < minimum:
            raise ValidationError(f"{quoted(text)} is less than {minimum}.")
        return value

    return parse


def decimal_number(*, places: int = 2, what: str = "number") -> Callable[[str], Decimal]:
    """A parser of decimals with at most `places` decimal places, never through a float:
    `1250`, `1,250.50` and `£1,250.50` are all 1250.50 (for money, `what="amount of money"`)."""

    def parse(text: str) -> Decimal:
        plain = text.removeprefix("£").strip()
        if not _DECIMAL.fullmatch(plain):
            raise ValidationError(f"{quoted(text)} is not {_a(what)}.")
        value = Decimal(plain.replace(",", ""))
        if -value.as_tuple().exponent > places:
            raise ValidationError(f"{quoted(text)} has more than {places} decimal places.")
        if value < 0:
            raise ValidationError(f"{quoted(text)} is less than 0.")
        return value

    return parse


_COORDINATE = re.compile(r"-?\d{1,3}(\.\d{1,6})?")


def coordinate(*, limit: int, what: str) -> Callable[[str], Decimal]:
    """A longitude (`limit=180`) or latitude (`limit=90`) in decimal degrees, at most six
    places (police.uk's precision), as a Decimal."""

    def parse(text: str) -> Decimal:
        if not _COORDINATE.fullmatch(text):
            raise ValidationError(f"{quoted(text)} is not {_a(what)} in decimal degrees.")
        value = Decimal(text)
        if abs(value) > limit:
            raise ValidationError(f"{quoted(text)} is not between -{limit} and {limit}.")
        return value

    return parse


def choice(choices: type[models.Choices], *, aliases: dict[str, str] | None = None):
    """A parser of one of `choices`, by its value or label in any case (`female`,
    `Female`) or an alias (`F`)."""
    known = {str(label).casefold(): value for value, label in choices.choices}
    known.update((value.casefold(), value) for value in choices.values)
    known.update((alias.casefold(), value) for alias, value in (aliases or {}).items())
    listed = ", ".join(str(label) for label in choices.labels)

    def parse(text: str) -> str:
        try:
            return known[text.casefold()]
        except KeyError:
            raise ValidationError(f"Unknown value {quoted(text)}. Use one of: {listed}.") from None

    return parse


def _a(what: str) -> str:
    return f"an {what}" if what[:1] in "aeiou" else f"a {what}"


_YES = {"yes", "y", "true", "1"}
_NO = {"no", "n", "false", "0"}


def yes_no(text: str) -> bool:
    """`yes`/`no` (also `y`, `true`, `1`, `n`, `false`, `0`), in any case."""
    word = text.casefold()
    if word in _YES:
        return True
    if word in _NO:
        return False
    raise ValidationError(f"{quoted(text)} is not yes or no.")
