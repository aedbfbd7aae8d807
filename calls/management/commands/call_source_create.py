"""`manage.py call_source_create REFERENCE --authorisation TEXT --retain-until DATE
[--description TEXT]` (interfaces.md §6): records a disclosure of call data before its
rows are imported (`import_csv calls`).

Prints `created source REFERENCE`. Run again with the same values it prints `unchanged`
and writes nothing, so a script may run it before every import. A source that exists
with different values is left as it is and the command fails naming each difference
(held and given): a disclosure's authorisation and retention are not changed by
re-running a script, but on the Sources screen by someone who means to.

Audited like the screens' writes, naming the command and the operating-system user.
"""

import datetime
import getpass
from argparse import ArgumentParser
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from calls.services.sources import source_by_reference, source_create, source_differences


def _date(option: str, text: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"{option}: “{text}” is not a date in the form YYYY-MM-DD.") from None


class Command(BaseCommand):
    help = "Record a disclosure of call data (a source) before its rows are imported."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("reference", metavar="REFERENCE", help="the disclosure's reference")
        parser.add_argument(
            "--authorisation", required=True, help="the authorisation it was obtained under"
        )
        parser.add_argument("--retain-until", dest="retain_until", required=True, help="YYYY-MM-DD")
        parser.add_argument("--description", default="", help="what it is, in words")

    def handle(
        self, *args: Any, reference: str, authorisation: str, retain_until: str, **options: Any
    ) -> None:
        values = {
            "authorisation": authorisation.strip(),
            "retain_until": _date("--retain-until", retain_until),
            "description": options["description"].strip(),
        }
        existing = source_by_reference(reference=reference)
        if existing is not None:
            differences = source_differences(source=existing, **values)
            if not differences:
                if options["verbosity"] > 0:
                    self.stdout.write("unchanged")
                return
            named = "; ".join(
                f"{name} is “{held}”, not “{given}”" for name, (held, given) in differences.items()
            )
            raise CommandError(
                f"The source {existing.reference} exists with other values: {named}. "
                "Change it on the Sources page."
            )
        try:
            source = source_create(
                user=None,
                reference=reference,
                audit_detail={
                    # Run on the server by whoever may: the system account says who that was.
                    "via": "manage.py call_source_create",
                    "system_user": getpass.getuser(),
                },
                **values,
            )
        except ValidationError as error:
            problems = "; ".join(
                f"{name}: {' '.join(messages)}" for name, messages in error.message_dict.items()
            )
            raise CommandError(problems) from None
        if options["verbosity"] > 0:
            self.stdout.write(f"created source {source.reference}")
