"""The GOV.UK Design System date input: day, month and year boxes in a fieldset.

https://design-system.service.gov.uk/components/date-input/

`GovukDateField` reads the three boxes (`<name>-day`, `<name>-month`, `<name>-year`)
into a `datetime.date` and gives the Design System's error messages. The boxes that
are wrong get the error style: the missing or impossible part, or all three when the
date as a whole is wrong (nothing entered, 31 February, outside the allowed range, or
an error the form or a service added). `templates/govuk/forms/field.html` renders the
field in a fieldset with its legend, hint and one error message.
"""

import datetime
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.forms.boundfield import BoundField
from django.utils import timezone
from django.utils.text import capfirst

from .rules import EARLIEST_DATE, latest_date

# (name, label, width in characters) of each box, in the order they are shown.
PARTS = (("day", "Day", 2), ("month", "Month", 2), ("year", "Year", 4))
PART_NAMES = tuple(name for name, _, _ in PARTS)

_MONTHS = (
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
)
_MONTH_NUMBERS = {
    **{name: number for number, name in enumerate(_MONTHS, start=1)},
    **{name[:3]: number for number, name in enumerate(_MONTHS, start=1)},
    "sept": 9,
}
_DAY = re.compile(r"(\d{1,2})(?:st|nd|rd|th)?", re.IGNORECASE)
_NUMBER = re.compile(r"\d{1,2}")
_YEAR = re.compile(r"\d+")

DateBound = datetime.date | Callable[[], datetime.date] | None


@dataclass(frozen=True)
class ParsedDate:
    """What three typed boxes make: a date, or a problem and the boxes it is in."""

    date: datetime.date | None = None
    problem: str = ""  # an error_messages key of GovukDateField
    parts: tuple[str, ...] = ()  # the boxes to show as wrong, in PARTS order


def _month_number(text: str) -> int | None:
    if _NUMBER.fullmatch(text):
        number = int(text)
        return number if 1 <= number <= 12 else None
    return _MONTH_NUMBERS.get(text.lower().rstrip("."))


def _day_number(text: str) -> int | None:
    match = _DAY.fullmatch(text)
    if match is None:
        return None
    number = int(match.group(1))
    return number if 1 <= number <= 31 else None


def three_parts(value: object) -> list[str]:
    """The day, month and year as typed (trimmed), from the widget's value or a date."""
    if isinstance(value, datetime.date):
        return [str(value.day), str(value.month), str(value.year)]
    if not isinstance(value, list | tuple):
        value = []
    texts = [str(part).strip() if part is not None else "" for part in value[:3]]
    return texts + [""] * (3 - len(texts))


def parse_date(value: object) -> ParsedDate:
    """Reads three typed boxes. Problems come in the Design System's order: nothing
    entered, something missing, a year without 4 numbers, then what cannot be a date."""
    texts = dict(zip(PART_NAMES, three_parts(value), strict=True))
    missing = tuple(name for name in PART_NAMES if not texts[name])
    if len(missing) == len(PARTS):
        return ParsedDate(problem="required", parts=PART_NAMES)
    if missing:
        return ParsedDate(problem="incomplete", parts=missing)
    if _YEAR.fullmatch(texts["year"]) and len(texts["year"]) != 4:
        return ParsedDate(problem="year_length", parts=("year",))
    day, month = _day_number(texts["day"]), _month_number(texts["month"])
    year = int(texts["year"]) if _YEAR.fullmatch(texts["year"]) else None
    if not (day and month and year):
        numbers = {"day": day, "month": month, "year": year}
        return ParsedDate(problem="invalid", parts=tuple(n for n in PART_NAMES if not numbers[n]))
    try:
        date = datetime.date(year, month, day)
    except ValueError:  # each part could be right, together they are not: 31 2 2024
        return ParsedDate(problem="invalid", parts=PART_NAMES)
    return ParsedDate(date=date)


def error_parts(value: object) -> tuple[str, ...]:
    """The boxes to show as wrong when the field has an error: those the typed value
    gets wrong, or all three when the error is about the date as a whole."""
    return parse_date(value).parts or PART_NAMES


def date_hint(before: str = "", *, example: datetime.date = datetime.date(2021, 3, 27)) -> str:
    """A date input's hint: `before`, then "For example, 27 3 2021" with the example's
    parts kept on one line (non-breaking spaces), even in a narrow column."""
    example_text = "\u00a0".join(three_parts(example))
    return f"{before} For example, {example_text}".strip()


DEFAULT_HINT = date_hint()


def format_date(day: datetime.date) -> str:
    """27 March 2021, as GOV.UK writes dates."""
    return f"{day.day} {day:%B %Y}"


def format_date_range(start: datetime.date, end: datetime.date | None) -> str:
    """A period as GOV.UK writes one, naming a month or year only once when both ends share
    it: `8 to 21 November 2021`, `28 November to 4 December 2021`, `28 December 2021 to
    3 January 2022`; one day is `8 November 2021`, and a period without an end `from
    8 November 2021`."""
    if end is None:
        return f"from {format_date(start)}"
    if start == end:
        return format_date(start)
    if start.year != end.year:
        return f"{format_date(start)} to {format_date(end)}"
    if start.month != end.month:
        return f"{start.day} {start:%B} to {format_date(end)}"
    return f"{start.day} to {format_date(end)}"


def decompressed(value: object) -> list[str]:
    """The three boxes of a date, or of its ISO form (empty boxes for anything else)."""
    if isinstance(value, str) and value:
        try:
            value = datetime.date.fromisoformat(value)
        except ValueError:
            return ["", "", ""]
    if isinstance(value, datetime.date):
        return three_parts(value)
    return ["", "", ""]


class GovukDateWidget(forms.MultiWidget):
    """Three text boxes named `<name>-day`, `<name>-month` and `<name>-year`, with ids
    `<id>-day` etc.; the GOV.UK `govuk-date-input` wrapper takes the field's id."""

    template_name = "govuk/forms/widgets/date_input.html"
    govuk_date_input = True  # templates/govuk/forms/field.html renders it in a fieldset

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__({name: forms.TextInput() for name in PART_NAMES}, attrs)
        self.widgets_names = [f"-{name}" for name in PART_NAMES]

    def decompress(self, value: object) -> list[str]:
        return decompressed(value)

    def id_for_label(self, id_: str) -> str:
        return f"{id_}-day" if id_ else ""

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        widget = context["widget"]
        wrapper_attrs = widget["attrs"]
        id_ = wrapper_attrs.get("id")
        # BoundField marks a field with errors aria-invalid; only the wrong boxes keep it.
        has_errors = wrapper_attrs.pop("aria-invalid", None) is not None
        wrong = error_parts(value if isinstance(value, list | tuple) else decompressed(value))
        extra_class = wrapper_attrs.pop("class", "")
        widget["wrapper_class"] = f"govuk-date-input {extra_class}".strip()
        for (part, label, width), subwidget in zip(PARTS, widget["subwidgets"], strict=True):
            sub_attrs = dict(subwidget["attrs"])  # without an id, MultiWidget shares one dict
            sub_attrs.pop("aria-invalid", None)
            sub_attrs.pop("class", None)
            is_wrong = has_errors and part in wrong
            classes = ["govuk-input", "govuk-date-input__input", f"govuk-input--width-{width}"]
            if is_wrong:
                classes.append("govuk-input--error")
                sub_attrs["aria-invalid"] = "true"
            sub_attrs["class"] = " ".join(classes)
            sub_attrs["inputmode"] = "numeric"
            if id_:
                sub_attrs["id"] = f"{id_}-{part}"
            subwidget["attrs"] = sub_attrs
            subwidget["label"] = label
        return context


class GovukDateBoundField(BoundField):
    @property
    def error_parts(self) -> tuple[str, ...]:
        """The boxes shown as wrong (none without errors)."""
        return error_parts(self.value()) if self.errors else ()

    @property
    def error_anchor(self) -> str:
        """The id an error summary links to: the first box that is wrong."""
        return f"{self.auto_id}-{(self.error_parts or PART_NAMES)[0]}"


class GovukDateField(forms.MultiValueField):
    """A date typed as day, month and year; cleans to a `datetime.date` (None when
    optional and left empty).

    `what` completes "Enter …" (default: the label in lower case) and `subject` starts
    the other messages (default: the label), as in the Design System's "Enter your date
    of birth" and "Date of birth must include a month". `min_date`/`max_date` are dates
    or callables giving one: `max_date=timezone.localdate` refuses future dates.
    """

    widget = GovukDateWidget
    bound_field_class = GovukDateBoundField
    default_error_messages = {
        "required": "Enter {what}",
        "incomplete": "{subject} must include a {missing}",
        "year_length": "{subject} must include a year with 4 numbers",
        "invalid": "{subject} must be a real date",
        "today_or_past": "{subject} must be today or in the past",
        "today_or_future": "{subject} must be today or in the future",
        "max_date": "{subject} must be the same as or before {date}",
        "min_date": "{subject} must be the same as or after {date}",
    }

    def __init__(
        self,
        *,
        what: str = "",
        subject: str = "",
        min_date: DateBound = None,
        max_date: DateBound = None,
        **kwargs: Any,
    ) -> None:
        self.what, self.subject = what, subject
        # Whatever the field, a date no record could have is a typing mistake (core.rules).
        self.min_date = EARLIEST_DATE if min_date is None else min_date
        self.max_date = (
            (lambda: latest_date(timezone.localdate())) if max_date is None else max_date
        )
        kwargs.setdefault("help_text", DEFAULT_HINT)
        # The parts are checked together in clean(), not by these fields.
        fields = tuple(forms.CharField(required=False) for _ in PARTS)
        super().__init__(fields, **kwargs)

    def _message(self, key: str, **params: str) -> str:
        label = str(self.label or "date")
        subject = capfirst(str(self.subject or label))
        what = str(self.what or label[:1].lower() + label[1:])
        return self.error_messages[key].format(subject=subject, what=what, **params)

    def clean(self, value: Any) -> datetime.date | None:
        if self.disabled and not isinstance(value, list | tuple):
            value = decompressed(value)
        parsed = parse_date(value)
        if parsed.problem == "required":
            if self.required:
                raise ValidationError(self._message("required"), code="required")
            return None
        if parsed.date is None:
            missing = " and ".join(parsed.parts)
            raise ValidationError(self._message(parsed.problem, missing=missing), code="invalid")
        self._check_bounds(parsed.date)
        self.run_validators(parsed.date)
        return parsed.date

    def _check_bounds(self, value: datetime.date) -> None:
        today = timezone.localdate()
        for key, bound, is_outside in (
            ("max_date", self.max_date, lambda limit: value > limit),
            ("min_date", self.min_date, lambda limit: value < limit),
        ):
            limit = bound() if callable(bound) else bound
            if limit is None or not is_outside(limit):
                continue
            if limit == today:
                key = "today_or_past" if key == "max_date" else "today_or_future"
            raise ValidationError(self._message(key, date=format_date(limit)), code=key)

    def compress(self, data_list: Any) -> datetime.date | None:
        return parse_date(data_list).date

    def has_changed(self, initial: Any, data: Any) -> bool:
        initial_parts = three_parts(decompressed(initial))
        parsed = parse_date(data)
        if parsed.problem:
            return three_parts(data) != initial_parts
        return parsed.date != parse_date(initial_parts).date


class GovukDateFilter(django_filters.Filter):
    """A date filter, as django-filter's DateFilter, with the GOV.UK date input: the query
    string carries `<name>-day`, `<name>-month` and `<name>-year`. Extra arguments
    (`what`, `subject`, `min_date`, `max_date`) go to the field."""

    field_class = GovukDateField
