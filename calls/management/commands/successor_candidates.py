"""`manage.py successor_candidates LINE_REFERENCE [--limit N]` (interfaces.md §6): prints,
as a JSON list, best first, the numbers that may have taken over from the line's numbers
that went quiet, each with its score and the evidence. Audited as a consultation naming
the command and the operating-system user, with the numbers shown."""

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from calls.selectors import successor_candidates
from calls.selectors.successors import DEFAULT_LIMIT
from core.references import reference_key
from lines.models import Line

from ..analyses import consulted, json_write, utc_iso


class Command(BaseCommand):
    help = "Print the numbers that may have taken over from a line's quiet numbers, as JSON."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("reference", metavar="LINE_REFERENCE", help="the line's reference")
        parser.add_argument(
            "--limit", type=int, default=DEFAULT_LIMIT, help=f"at most N (default {DEFAULT_LIMIT})"
        )

    def handle(self, *args: Any, reference: str, limit: int, **options: Any) -> None:
        if limit < 1:
            raise CommandError(f"--limit: {limit} is not a whole number of 1 or more.")
        line = Line.objects.filter(reference_key=reference_key(reference)).first()
        if line is None:
            raise CommandError(f"LINE_REFERENCE: no line has the reference “{reference}”.")
        found = successor_candidates(line, limit=limit)
        consulted(
            "successor_candidates",
            "successor candidates",
            [*found.numbers, *(candidate.number for candidate in found.candidates)],
            line=line.reference,
            shown=len(found.candidates),
        )
        json_write(
            self.stdout,
            [
                {
                    "number": candidate.number,
                    "score": candidate.score,
                    "evidence": {
                        "shared_contacts": candidate.evidence.shared_contacts,
                        "same_handset": candidate.evidence.same_handset,
                        "first_seen": utc_iso(candidate.evidence.first_seen),
                        "customers": candidate.evidence.customers,
                        "days_after": candidate.evidence.days_after,
                        "handsets": list(candidate.evidence.handsets),
                        "lines": list(candidate.evidence.lines),
                    },
                }
                for candidate in found.candidates
            ],
        )
