"""The subscriber numbers in contact with every one of two or more numbers (or lines)."""

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from lines.models import Line
from lines.selectors import lines_numbers

from ..models import is_subscriber
from .pairs import SourceRef, Totals, pair_totals, period_asked, sources_drawn


@dataclass(frozen=True)
class CommonContact:
    number: str
    events: dict[str, int]  # by given number (or line reference), in the order given
    first: datetime.datetime  # its first event with any of them
    last: datetime.datetime

    @property
    def total(self) -> int:
        return sum(self.events.values())


@dataclass(frozen=True)
class CommonContacts:
    # The numbers compared (or the lines' references).
    numbers: tuple[str, ...]
    start: datetime.date | None
    end: datetime.date | None
    contacts: tuple[CommonContact, ...]  # most events in all first, ties by number
    sources: tuple[SourceRef, ...]


def common_contacts(
    numbers: Sequence[str],
    *,
    start: datetime.date | None = None,
    end: datetime.date | None = None,
) -> CommonContacts:
    """The subscriber numbers in contact with every one of `numbers` (E.164, two or more)
    from `start` to `end` (UTC days, both included), with their events with each. The
    given numbers are never each other's common contacts."""
    given = tuple(dict.fromkeys(numbers))
    if len(given) < 2:
        raise ValueError("Common contacts need two or more different numbers.")
    return _common({number: (number,) for number in given}, start=start, end=end)


def common_contacts_of_lines(
    lines: Iterable[Line],
    *,
    start: datetime.date | None = None,
    end: datetime.date | None = None,
) -> CommonContacts:
    """The subscriber numbers in contact with every one of two or more lines (with any of
    the numbers each used), their events counted by line reference."""
    groups = {line.reference: tuple(lines_numbers(lines=[line])) for line in lines}
    if len(groups) < 2:
        raise ValueError("Common contacts need two or more different lines.")
    return _common(groups, start=start, end=end)


def _common(
    groups: dict[str, tuple[str, ...]],
    *,
    start: datetime.date | None,
    end: datetime.date | None,
) -> CommonContacts:
    """Contacts of every group (a number, or a line's numbers), counted by group."""
    numbers = tuple(dict.fromkeys(number for group in groups.values() for number in group))
    for number in numbers:
        if not is_subscriber(number):
            raise ValueError(f"“{number}” is not a subscriber number in E.164.")
    labels = tuple(groups)
    period = period_asked(start=start, end=end, numbers=numbers)
    if period is None:
        return CommonContacts(labels, start, end, (), ())
    group_of = {number: label for label, group in groups.items() for number in group}
    totals = pair_totals(numbers, period, subscribers_only=True)
    by_contact: dict[str, dict[str, Totals]] = {}
    for (number, contact), total in totals.items():
        if contact in group_of or not total.events:
            continue
        assert total.first_at is not None and total.last_at is not None
        by_label = by_contact.setdefault(contact, {})
        by_label.setdefault(group_of[number], Totals()).add(
            calls=total.calls,
            sms=total.sms,
            mms=total.mms,
            first_at=total.first_at,
            last_at=total.last_at,
        )
    found = []
    for contact, by_label in by_contact.items():
        if len(by_label) < len(labels):
            continue
        found.append(
            CommonContact(
                contact,
                {label: by_label[label].events for label in labels},
                min(total.first_at for total in by_label.values() if total.first_at),
                max(total.last_at for total in by_label.values() if total.last_at),
            )
        )
    found.sort(key=lambda contact: (-contact.total, contact.number))
    return CommonContacts(labels, start, end, tuple(found), sources_drawn(numbers, period))
