"""How a line's status, risk and periods of use are shown, in one place."""

import datetime

from django import template
from django.utils.dateformat import format as format_date
from django.utils.html import format_html

from lines.models import ClosureType, Line, LineNumber, LineStatus, RiskLevel

register = template.Library()

_STATUS_COLOURS = {
    LineStatus.ACTIVE: "govuk-tag--green",
    LineStatus.CLOSED: "govuk-tag--grey",
    LineStatus.NOT_YET_ACTIVE: "govuk-tag--light-blue",
}
_RISK_TAG_COLOURS = {
    RiskLevel.LOW: "govuk-tag--blue",
    RiskLevel.MEDIUM: "govuk-tag--yellow",
    RiskLevel.HIGH: "govuk-tag--orange",
    RiskLevel.VERY_HIGH: "govuk-tag--red",
}


# Simple tags writing their HTML directly: a template per tag, twice per row of a list,
# was a third of a list page's time.


@register.simple_tag
def line_status_tag(line: Line) -> str:
    """Active (green) or Closed (grey), as of today."""
    status = line.status
    return format_html(
        '<strong class="govuk-tag {}">{}</strong>', _STATUS_COLOURS[status], status.label
    )


@register.simple_tag
def line_risk_tag(line: Line, empty: str = "Not assessed") -> str:
    """The risk as a coloured tag; `empty` when it has not been assessed."""
    if line.risk_level:
        return format_html(
            '<strong class="govuk-tag {}">{}</strong>',
            _RISK_TAG_COLOURS.get(line.risk_level, ""),
            line.get_risk_level_display(),
        )
    if empty:
        return format_html('<span class="app-secondary-text">{}</span>', empty)
    return ""


def _day(value: datetime.date, fmt: str) -> str:
    return format_date(value, fmt)


@register.filter
def period(use: LineNumber, fmt: str = "j M Y") -> str:
    """`3 Mar 2023 to 5 Jun 2023`, or `3 Mar 2023 onwards` while no end is recorded."""
    if use.attributed_to is None:
        return f"{_day(use.attributed_from, fmt)} onwards"
    return f"{_day(use.attributed_from, fmt)} to {_day(use.attributed_to, fmt)}"


_CLOSURE_SHORT = {
    ClosureType.TYPE_1: "Type 1",
    ClosureType.TYPE_2: "Type 2",
    ClosureType.OTHER: "Other",
}


@register.filter
def closure_short(line: Line) -> str:
    """`Type 1`, `Type 2` or `Other`: the closure type where space is short."""
    return _CLOSURE_SHORT.get(line.closure_type, "")
