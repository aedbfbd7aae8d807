"""`manage.py common_contacts NUMBER NUMBER [NUMBER …] [--start DATE] [--end DATE]`
(interfaces.md §6): prints, as a JSON list, the subscriber numbers in contact with every
one of the given numbers, most total events first. Audited as a consultation naming the
command and the operating-system user."""

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from calls.selectors import common_contacts

from ..analyses import consulted, json_write, number_argument, period_arguments


class Command(BaseCommand):
    help = "Print the numbers in contact with every one of the numbers given, as JSON."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("numbers", metavar="NUMBER", nargs="+", help="two or more numbers")
        parser.add_argument("--start", help="the first day, YYYY-MM-DD (UTC)")
        parser.add_argument("--end", help="the last day, YYYY-MM-DD (UTC)")

    def handle(self, *args: Any, numbers: list[str], **options: Any) -> None:
        given = [
            number_argument(f"NUMBER {position}", text)
            for position, text in enumerate(numbers, start=1)
        ]
        if len(set(given)) < 2:
            raise CommandError("NUMBER: give two or more different numbers.")
        start, end = period_arguments(options["start"], options["end"])
        found = common_contacts(given, start=start, end=end)
        consulted(
            "common_contacts",
            "common contacts",
            # The numbers compared and those printed, as the page records them.
            [*found.numbers, *(contact.number for contact in found.contacts)],
            start=start and start.isoformat(),
            end=end and end.isoformat(),
            shown=len(found.contacts),
        )
        json_write(
            self.stdout,
            [{"number": contact.number, "events": contact.events} for contact in found.contacts],
        )
