"""`manage.py import_csv KIND PATH [--dry-run]`: load a CSV file without the web page.

For bulk loads and migrations from other systems (interfaces.md §1): the same runner
as the upload page, so a file the command accepts the page accepts too, and vice
versa. It acts as no user (the audit log records an import by nobody, with the file).

Success prints `created N, updated M, unchanged U, skipped S`. Any problem prints
one `PATH:LINE: COLUMN: message` line per problem (at most 50) on stderr and exits
with status 1 (SystemExit rather than CommandError, whose extra "CommandError:" line
would not be in that form); nothing is written then.
"""

from django.core.management.base import BaseCommand, CommandError

from imports.kinds import UnknownKind, get_kind
from imports.runner import import_csv


class Command(BaseCommand):
    help = "Import one CSV file of a kind (lines, line_numbers, ...): all rows or none."

    def add_arguments(self, parser) -> None:
        parser.add_argument("kind", metavar="KIND", help="the kind of file, e.g. lines")
        parser.add_argument("path", metavar="PATH", help="the CSV file (UTF-8)")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="check the file and report what would change, without writing anything",
        )

    def handle(self, *args, kind: str, path: str, dry_run: bool, verbosity: int, **options):
        try:
            kind_class = get_kind(kind)
        except UnknownKind as error:
            raise CommandError(str(error)) from None
        try:
            source = open(path, "rb")  # noqa: SIM115  (closed below; errors reported first)
        except OSError as error:
            raise CommandError(f"{path}: cannot open the file: {error.strerror}.") from None
        with source:
            result = import_csv(
                kind=kind_class, source=source, source_name=path, user=None, dry_run=dry_run
            )
        if not result.ok:
            for line in result.error_lines(path):
                self.stderr.write(line)
            raise SystemExit(1)
        if verbosity >= 1:
            suffix = " (dry run: nothing was written)" if dry_run else ""
            self.stdout.write(result.summary + suffix)
