"""`manage.py number_profile NUMBER [--start DATE] [--end DATE]` (interfaces.md §6):
prints one JSON object about a phone number from the call data. Audited as a
consultation naming the command and the operating-system user."""

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand

from calls.selectors import number_profile

from ..analyses import consulted, json_write, number_argument, period_arguments, utc_iso


class Command(BaseCommand):
    help = "Print a phone number's profile from the call data, as JSON."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("number", metavar="NUMBER", help="the phone number, in any form")
        parser.add_argument("--start", help="the first day, YYYY-MM-DD (UTC)")
        parser.add_argument("--end", help="the last day, YYYY-MM-DD (UTC)")

    def handle(self, *args: Any, number: str, **options: Any) -> None:
        e164 = number_argument("NUMBER", number)
        start, end = period_arguments(options["start"], options["end"])
        profile = number_profile(e164, start=start, end=end)
        consulted(
            "number_profile",
            "number profile",
            [e164],
            start=start and start.isoformat(),
            end=end and end.isoformat(),
        )
        json_write(
            self.stdout,
            {
                "number": profile.number,
                "first_seen": utc_iso(profile.first_seen),
                "last_seen": utc_iso(profile.last_seen),
                "events": profile.events,
                "contacts": profile.contacts,
                "top_contacts": [
                    {
                        "number": contact.number,
                        "events": contact.events,
                        "first": utc_iso(contact.first),
                        "last": utc_iso(contact.last),
                    }
                    for contact in profile.top_contacts
                ],
                "handsets": [handset.imei for handset in profile.handsets],
                "lines": list(dict.fromkeys(use.reference for use in profile.lines)),
            },
        )
