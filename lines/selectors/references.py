"""The next reference for a new line, in the force's own style, read from the data.

Forces number their lines their own way (`NYP-CL-2021-012`, `CL/2024/7`): the most
recently recorded line's reference gives the style (what comes before the year, the
year, what separates it from the number, and the number's width), and the suggestion is
the next number free for this year in that style. A style with no year (`CL-0042`)
counts on from its highest number; with no line yet, `CL-<year>-001`.
"""

import datetime
import re

from core.references import reference_key

from ..models import Line

# What comes before the year, the year, what separates it from the number, the number.
_WITH_YEAR = re.compile(
    r"^(?P<prefix>.*?)(?P<year>(?:19|20)\d\d)(?P<separator>\D+)(?P<number>\d+)$"
)
_NUMBERED = re.compile(r"^(?P<prefix>.*?)(?P<number>\d+)$")
FALLBACK_WIDTH = 3


def next_line_reference(*, today: datetime.date) -> str:
    latest = Line.objects.order_by("-pk").values_list("reference", flat=True).first()
    styled = _WITH_YEAR.match(latest or "")
    if styled:
        before = f"{styled['prefix']}{today.year}{styled['separator']}"
        width = len(styled["number"])
    else:
        numbered = _NUMBERED.match(latest or "")
        if not numbered:
            before, width = f"CL-{today.year}-", FALLBACK_WIDTH
        else:
            before, width = numbered["prefix"], len(numbered["number"])
    return f"{before}{_next_number(before):0{width}d}"


def _next_number(before: str) -> int:
    """One more than the highest number after `before` (in any case) that a line has."""
    taken = Line.objects.filter(reference_key__startswith=reference_key(before)).values_list(
        "reference", flat=True
    )
    numbers = [
        int(reference[len(before) :])
        for reference in taken
        if reference[len(before) :].isascii() and reference[len(before) :].isdigit()
    ]
    return max(numbers, default=0) + 1
