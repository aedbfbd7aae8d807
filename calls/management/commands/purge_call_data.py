"""Purges the call rows of every source past its retention date (calls/services/purge.py),
as the nightly beat task does; `--dry-run` only says what would go."""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from calls.services.purge import call_data_purge


class Command(BaseCommand):
    help = "Purge the call rows of the sources past their retention date."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dry-run", action="store_true", help="say what would be purged, purge nothing"
        )

    def handle(self, *args: Any, dry_run: bool, verbosity: int, **options: Any) -> None:
        report = call_data_purge(dry_run=dry_run, via="manage.py purge_call_data")
        if verbosity < 1:
            return
        verb = "would purge" if dry_run else "purged"
        for purge in report.sources:
            months = ", ".join(f"{month:%Y-%m}" for month in purge.months) or "no rows"
            self.stdout.write(f"{verb} {purge.source.reference}: {purge.rows} rows ({months})")
        for name in report.partitions_dropped:
            self.stdout.write(f"dropped partition {name}")
        self.stdout.write(
            f"{len(report.sources)} source(s), {report.rows} rows {verb}"
            + ("" if dry_run else f", {len(report.partitions_dropped)} partition(s) dropped")
        )
