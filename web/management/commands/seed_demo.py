"""Loads the demo accounts and demo data, so that a fresh machine shows a working service.

Safe to run twice: records are matched on their natural keys and left as they are.
Refuses to run under production settings: demo accounts must never exist there.
"""

import os
import secrets

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from web.demo import DEMO_ACCOUNTS, seed_demo_accounts, seed_demo_records


class Command(BaseCommand):
    help = "Load the demo accounts and demo data (not under production settings)."

    def handle(self, *args, **options):
        if settings.SETTINGS_MODULE == "config.settings.production":
            raise CommandError(
                "seed_demo refuses to create demo accounts under production settings."
            )
        chosen_password = os.environ.get("DEMO_PASSWORD", "")
        password = chosen_password or secrets.token_urlsafe(12)
        with transaction.atomic():
            # A chosen password is the accounts' password, also for those already there.
            created = seed_demo_accounts(password=password, reset_existing=bool(chosen_password))
            records_created = seed_demo_records()
        if options["verbosity"] < 1:
            return
        for username in DEMO_ACCOUNTS:
            state = "created" if username in created else "already there"
            self.stdout.write(f"demo account {username}: {state}")
        for kind, count in records_created.items():
            self.stdout.write(f"demo {kind}: created {count}")
        if chosen_password:
            self.stdout.write("Demo accounts' password: the value of DEMO_PASSWORD.")
        elif created:
            self.stdout.write(self.style.SUCCESS(f"Demo accounts' password: {password}"))
        else:
            self.stdout.write(
                "Demo accounts kept their password; run with DEMO_PASSWORD=... to set a new one."
            )
