"""How a line's status, risk and periods of use are shown, in one place."""

import datetime

from django import template
from django.utils.dateformat import format as format_date

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


@register.inclusion_tag("lines/includes/status_tag.html")
def line_status_tag(line: Line) -> dict:
    """Active (green) or Closed (grey), as of today."""
    status = line.status
    return {"label": status.label, "colour": _STATUS_COLOURS[status]}


@register.inclusion_tag("lines/includes/risk_tag.html")
def line_risk_tag(line: Line, empty: str = "Not assessed") -> dict:
    """The risk as a coloured tag; `empty` when it has not been assessed."""
    return {
        "label": line.get_risk_level_display() if line.risk_level else "",
        "colour": _RISK_TAG_COLOURS.get(line.risk_level, ""),
        "empty": empty,
    }


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
