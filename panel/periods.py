"""The periods a panel report covers: a month, a quarter, a calendar year, a financial
year (April to March) or any custom range, each with its name in words and the period
before it (for comparisons); and months written as police.uk writes them (`2021-10`), in
the import and as the keys of the figures by month, read and written here only."""

import datetime
import re
from collections.abc import Iterator
from dataclasses import dataclass

from django.core.exceptions import ValidationError

from core.rules import day_in_words
from core.text import quoted


class Kind:
    MONTH = "month"
    QUARTER = "quarter"
    YEAR = "year"
    FINANCIAL_YEAR = "financial_year"
    CUSTOM = "custom"

    CHOICES = (
        (YEAR, "Calendar year"),
        (FINANCIAL_YEAR, "Financial year (April to March)"),
        (QUARTER, "Quarter"),
        (MONTH, "Month"),
        (CUSTOM, "Other dates"),
    )


def _month_start(day: datetime.date, months_back: int = 0) -> datetime.date:
    index = day.year * 12 + day.month - 1 - months_back
    return datetime.date(index // 12, index % 12 + 1, 1)


def _month_end(first: datetime.date, months: int) -> datetime.date:
    return _month_start(first, -months) - datetime.timedelta(days=1)


@dataclass(frozen=True)
class Period:
    kind: str
    start: datetime.date
    end: datetime.date

    @property
    def name(self) -> str:
        """`2021`, `2021/22`, `October to December 2021`, `October 2021`, or the dates."""
        if self.kind == Kind.YEAR:
            return str(self.start.year)
        if self.kind == Kind.FINANCIAL_YEAR:
            return f"{self.start.year}/{(self.start.year + 1) % 100:02d}"
        if self.kind == Kind.QUARTER:
            return f"{self.start:%B} to {self.end:%B %Y}"
        if self.kind == Kind.MONTH:
            return f"{self.start:%B %Y}"
        return f"{day_in_words(self.start)} to {day_in_words(self.end)}"

    @property
    def in_words(self) -> str:
        """As a sentence starts: `In 2021`, `In 2021/22`, `Between 1 and 15 March 2021`."""
        if self.kind == Kind.CUSTOM:
            return f"Between {day_in_words(self.start)} and {day_in_words(self.end)}"
        return f"In {self.name}"

    def previous(self) -> "Period":
        """The period of the same kind and length just before it."""
        if self.kind in (Kind.YEAR, Kind.FINANCIAL_YEAR):
            return Period(
                self.kind, _month_start(self.start, 12), self.start - datetime.timedelta(1)
            )
        if self.kind == Kind.QUARTER:
            return Period(
                self.kind, _month_start(self.start, 3), self.start - datetime.timedelta(1)
            )
        if self.kind == Kind.MONTH:
            return month_of(self.start - datetime.timedelta(days=1))
        length = self.end - self.start
        end = self.start - datetime.timedelta(days=1)
        return Period(Kind.CUSTOM, end - length, end)


def month_of(day: datetime.date) -> Period:
    first = _month_start(day)
    return Period(Kind.MONTH, first, _month_end(first, 1))


def quarter_of(day: datetime.date) -> Period:
    first = datetime.date(day.year, (day.month - 1) // 3 * 3 + 1, 1)
    return Period(Kind.QUARTER, first, _month_end(first, 3))


def year_of(day: datetime.date) -> Period:
    return Period(Kind.YEAR, datetime.date(day.year, 1, 1), datetime.date(day.year, 12, 31))


def financial_year_of(day: datetime.date) -> Period:
    year = day.year if day.month >= 4 else day.year - 1
    return Period(Kind.FINANCIAL_YEAR, datetime.date(year, 4, 1), datetime.date(year + 1, 3, 31))


def standard_periods(today: datetime.date) -> list[Period]:
    """What the nightly roll-up keeps ready: the current and previous month, quarter,
    calendar year and financial year."""
    periods = []
    for of in (month_of, quarter_of, year_of, financial_year_of):
        current = of(today)
        periods += [current, current.previous()]
    return periods


_MONTH_KEY = re.compile(r"\d{4}-\d{2}")


def parse_month(text: str) -> datetime.date:
    """`YYYY-MM` (a police.uk month, a key of the figures by month) -> the first day of
    that month; ValidationError, in the import's words, for anything else."""
    if not _MONTH_KEY.fullmatch(text):
        raise ValidationError(f"{quoted(text)} is not a month in the form YYYY-MM.")
    try:
        return datetime.date(int(text[:4]), int(text[5:]), 1)
    except ValueError:
        raise ValidationError(f"{quoted(text)} is not a real month.") from None


def month_key(day: datetime.date) -> str:
    """The month of `day` as police.uk writes it: `2021-10`."""
    return f"{day:%Y-%m}"


def months_between(start: datetime.date, end: datetime.date) -> Iterator[datetime.date]:
    """The first day of every month that lies in `[start, end]`."""
    month = _month_start(start)
    if month < start:
        month = _month_start(month, -1)
    while month <= end:
        yield month
        month = _month_start(month, -1)


def last_months(end: datetime.date, count: int) -> tuple[datetime.date, datetime.date]:
    """The `count` whole months up to the month of `end`: Figure 1's range."""
    return _month_start(end, count - 1), _month_end(_month_start(end), 1)
