"""CSV downloads that are safe to open in a spreadsheet."""

import csv
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from django.conf import settings
from django.http import StreamingHttpResponse
from django.utils import timezone

from .downloads import as_attachment

# A cell starting with one of these is run as a formula by Excel and LibreOffice
# (CSV injection, OWASP); prefixing a quote makes it plain text.
_FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value: object) -> str:
    text = "" if value is None else str(value)
    if text.startswith(_FORMULA_PREFIXES):
        return "'" + text
    return text


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_response(
    *, filename: str, header: Sequence[str], rows: Iterable[Sequence[Any]]
) -> StreamingHttpResponse:
    """Stream `rows` as a CSV attachment, each cell made spreadsheet-safe."""
    writer = csv.writer(_Echo())

    def lines() -> Iterator[str]:
        yield "\ufeff"  # lets Excel recognise UTF-8
        yield writer.writerow(header)
        for row in rows:
            yield writer.writerow([spreadsheet_safe(cell) for cell in row])

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    return as_attachment(response, filename)


def marked_filename(name: str, *, marking: str = "", when: str = "") -> str:
    """`lines-OFFICIAL-SENSITIVE-2026-12-07.csv`: what the file is, its protective marking
    (the service's unless given) and when it is of (by default the day it was made). The
    marking is in the name, never in the file, whose first row stays the header the
    imports read."""
    when = when or f"{timezone.localdate():%Y-%m-%d}"
    return f"{name}-{marking or settings.PROTECTIVE_MARKING}-{when}.csv"
