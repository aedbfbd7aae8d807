"""Gives the application's database role its privileges: the usual ones on every table,
only SELECT and INSERT on the audit log.

Exists because the role that runs the web, worker and beat must not own the tables:
an owner can truncate the log, disable its triggers or drop it. Run it as the owner,
after every `migrate` (docker-compose.yml's `migrate` service does both).
"""

from django.core.management.base import BaseCommand, CommandError

from audit.database_role import AppRoleRefused, app_role_grant


class Command(BaseCommand):
    help = "Grant ROLE the app's privileges: SELECT and INSERT only on the audit log."

    def add_arguments(self, parser):
        parser.add_argument("role", help="the PostgreSQL role the web, worker and beat use")
        parser.add_argument(
            "--dry-run", action="store_true", help="print the statements, run none of them"
        )

    def handle(self, *args, role: str, dry_run: bool, verbosity: int, **options):
        try:
            statements = app_role_grant(role=role, dry_run=dry_run)
        except AppRoleRefused as refusal:
            raise CommandError(str(refusal)) from refusal
        if dry_run or verbosity >= 2:
            for statement in statements:
                self.stdout.write(f"{statement};")
        if verbosity >= 1 and not dry_run:
            self.stdout.write(
                f"{role}: privileges granted (the audit log: SELECT and INSERT only)."
            )
