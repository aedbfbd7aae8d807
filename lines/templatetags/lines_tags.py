"""How a line's status, risk and periods of use are shown, in one place."""

import datetime

from django import template
from django.urls import reverse
from django.utils.dateformat import format as format_date
from django.utils.html import conditional_escape, escape, format_html
from django.utils.safestring import mark_safe

from lines.models import ClosureType, Line, LineNumber, LineStatus, RiskLevel
from records.templatetags.reviews import overdue_flag

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
    return period_between(use.attributed_from, use.attributed_to, fmt)


def period_between(start: datetime.date, end: datetime.date | None, fmt: str = "j M Y") -> str:
    if end is None:
        return f"{_day(start, fmt)} onwards"
    return f"{_day(start, fmt)} to {_day(end, fmt)}"


_CLOSURE_SHORT = {
    ClosureType.TYPE_1: "Type 1",
    ClosureType.TYPE_2: "Type 2",
    ClosureType.OTHER: "Other",
}


@register.filter
def closure_short(line: Line) -> str:
    """`Type 1`, `Type 2` or `Other`: the closure type where space is short."""
    return _CLOSURE_SHORT.get(line.closure_type, "")


# --- The long parts of pages, written in Python ------------------------------------------
# The lines list has 50 rows and a busy line hundreds of numbers and timeline events; a
# template tag per row and a date filter per cell cost most of those pages' time. The
# markup is the same.

_MONTHS = ["", "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
_MONTHS_LONG = [
    "", "January", "February", "March", "April", "May", "June", "July", "August",
    "September", "October", "November", "December",
]  # fmt: skip


def short_day(day: datetime.date) -> str:
    """`3 Mar 2023` (Django's "j M Y")."""
    return f"{day.day} {_MONTHS[day.month]} {day.year}"


def long_day(day: datetime.date) -> str:
    """`3 March 2023` (Django's "j F Y")."""
    return f"{day.day} {_MONTHS_LONG[day.month]} {day.year}"


@register.simple_tag(takes_context=True)
def line_rows(context, listing) -> str:
    """The rows of the lines list, for `listing` (a records.lists.ListPage of the lines of
    lines.selectors.line_list, with `numbers_count` set), a review overdue flagged. Only
    the text from the database is escaped."""
    user = context["request"].user
    # One reverse for every row: the line's id goes where the placeholder is.
    detail_url = reverse("lines:line_detail", args=[999_999_999])
    back = f"?{escape(listing.list_parameter)}" if listing.list_parameter else ""
    rows = []
    for line in listing.page:
        url = detail_url.replace("999999999", str(line.pk))
        areas = ", ".join(escape(area.name) for area in line.destination_areas)
        status = line_status_tag(line)
        if line.closed_on:
            status += (
                '<br><span class="app-secondary-text app-nowrap">'
                f"{short_day(line.closed_on)}</span>"
            )
            if line.closure_type:
                status += f'<br><span class="app-secondary-text">{closure_short(line)}</span>'
        rows.append(
            '<tr class="govuk-table__row">'
            f'<td class="govuk-table__cell"><a class="govuk-link app-nowrap" href="{url}{back}">'
            f"{escape(line.reference)}</a><br>{escape(line.name)}"
            f"{'<br>' + flag if (flag := overdue_flag(line, user=user)) else ''}</td>"
            f'<td class="govuk-table__cell">{escape(line.origin_force.short_name)}<br>'
            f'<span class="app-secondary-text">into {areas}</span></td>'
            f'<td class="govuk-table__cell app-nowrap">{short_day(line.first_identified)}</td>'
            f'<td class="govuk-table__cell">{status}</td>'
            f'<td class="govuk-table__cell govuk-table__cell--numeric">{line.numbers_count}</td>'
            f'<td class="govuk-table__cell">{line_risk_tag(line, empty="")}</td></tr>'
        )
    return mark_safe("".join(rows))  # noqa: S308  (every value from the database escaped)


@register.simple_tag
def number_part_rows(part) -> str:
    """The rows of a search by part of a number (lines.selectors.NumberPart): each number
    with every line that used it. Up to 50 numbers and hundreds of uses: written here."""
    search_url = reverse("lines:number_search_for", args=[999_999_999])
    detail_url = reverse("lines:line_detail", args=[999_999_999])
    person_url = reverse("persons:person_detail", args=[999_999_999]) if part.person_uses else ""
    rows = []
    for number, uses in part.numbers:
        lines = [
            f'<a class="govuk-link" href="{detail_url.replace("999999999", str(use.line.pk))}">'
            f"{escape(use.line.reference)}</a> {escape(use.line.name)} ({period(use)})"
            for use in uses
        ]
        people = [
            f'<a class="govuk-link" href="{person_url.replace("999999999", str(use.person_id))}">'
            f"{escape(use.person.full_name)}</a> {escape(use.person.reference)} "
            f"({period_between(use.used_from, use.used_to)})"
            for use in part.person_uses.get(number.pk, ())
        ]
        lines = "<br>".join(lines + people)
        rows.append(
            '<tr class="govuk-table__row">'
            f'<td class="govuk-table__cell app-nowrap"><a class="govuk-link" '
            f'href="{search_url.replace("999999999", str(number.pk))}">'
            f"{escape(number.national)}</a></td>"
            f'<td class="govuk-table__cell">{lines}</td></tr>'
        )
    return mark_safe("".join(rows))  # noqa: S308  (every value from the database escaped)


@register.simple_tag
def attribution_rows(line: Line, attributions: list[LineNumber], can_change: bool) -> str:
    """The rows of a line's numbers table. Numbers and dates are formatted here, safe as
    they are; only the text from the database (the national form) is escaped."""
    # The number search for each number is linked by the number's id (never the number).
    search_url = reverse("lines:number_search_for", args=[999_999_999])
    # One reverse for every row: the attribution's id goes where the placeholder is.
    end_url = reverse("lines:line_number_end", args=[line.pk, 999_999_999])
    in_use = '<strong class="govuk-tag govuk-tag--green">In use</strong>'
    rows = []
    for use in attributions:
        national = escape(use.number.national)
        since = short_day(use.attributed_from)
        until = short_day(use.attributed_to) if use.attributed_to else in_use
        action = ""
        if can_change:
            if use.attributed_to:
                hidden = f" of {national} from {since}"
                link = f'Change end<span class="govuk-visually-hidden">{hidden}</span>'
            else:
                link = f'End<span class="govuk-visually-hidden"> {national}</span>'
            url = end_url.replace("999999999", str(use.pk))
            action = (
                f'<td class="govuk-table__cell app-no-print">'
                f'<a class="govuk-link" href="{url}">{link}</a></td>'
            )
        rows.append(
            '<tr class="govuk-table__row">'
            f'<td class="govuk-table__cell app-nowrap"><a class="govuk-link" '
            f'href="{search_url.replace("999999999", str(use.number_id))}">{national}</a></td>'
            f'<td class="govuk-table__cell app-nowrap">{since}</td>'
            f'<td class="govuk-table__cell app-nowrap">{until}</td>{action}</tr>'
        )
    return mark_safe("".join(rows))  # noqa: S308  (every value from the database escaped)


@register.simple_tag
def timeline_items(events) -> str:
    """The items of a record's MOJ timeline (lines.selectors.TimelineEvent). Written with
    conditional_escape, as format_html would, at a fraction of its cost (three calls an
    item were a fifth of the time of a busy line's page)."""
    items = []
    for event in events:
        if event.at:
            when = (
                f'<time datetime="{event.at.isoformat()}">'
                f"{long_day(event.at)} {event.at:%H:%M}</time>"
            )
        else:
            when = f'<time datetime="{event.on.isoformat()}">{long_day(event.on)}</time>'
        byline = (
            f'<p class="moj-timeline__byline">by {conditional_escape(event.byline)}</p>'
            if event.byline
            else ""
        )
        description = (
            f'<div class="moj-timeline__description">{conditional_escape(event.description)}</div>'
            if event.description
            else ""
        )
        title = conditional_escape(event.title)
        if event.url:
            title = f'<a class="govuk-link" href="{conditional_escape(event.url)}">{title}</a>'
        items.append(
            f'<div class="moj-timeline__item" data-event="{conditional_escape(event.kind)}">'
            '<div class="moj-timeline__header"><h3 class="moj-timeline__title">'
            f"{title}</h3> {byline}</div>"
            f'<p class="moj-timeline__date">{when}</p>{description}</div>'
        )
    return mark_safe("".join(items))  # noqa: S308  (every text escaped)
