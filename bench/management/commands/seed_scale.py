"""`manage.py seed_scale [--factor F]`: fill the database with synthetic data at a large
force's scale (bench/scale.py), for `make bench`. Refuses production settings."""

import sys
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from bench.scale import (
    already_seeded,
    calls_top_up,
    seed_scale,
    seeded_before_people_had_addresses,
    top_up,
)
from bench.scale_calls import call_data_seeded


class Command(BaseCommand):
    help = "Fill the database with synthetic data at F times a large force's scale."

    def add_arguments(self, parser):
        parser.add_argument("--factor", type=float, default=1.0, help="1 = 20,000 lines…")
        parser.add_argument(
            "--if-empty", action="store_true", help="do nothing if scale data is already there"
        )

    def handle(self, *args, factor: float, if_empty: bool, verbosity: int = 1, **options):
        if settings.SETTINGS_MODULE.endswith(".production"):
            raise CommandError(
                "seed_scale writes synthetic records: never under production settings."
            )
        if factor <= 0:
            raise CommandError("--factor must be more than 0.")
        progress = self.progress if verbosity else self.quiet
        # A seed written by an older version: `make bench` keeps its database, which
        # gets what it lacks.
        lacks_people = seeded_before_people_had_addresses()
        lacks_calls = already_seeded() and not call_data_seeded()
        if lacks_people:
            if verbosity:
                self.stdout.write("Scale data of an older seed: adding what it lacks.")
            top_up(factor, progress=progress)
        if lacks_calls:
            started = time.monotonic()
            if verbosity:
                self.stdout.write("Scale data without call data: adding the call data.")
            calls_top_up(factor, progress=progress)
            if verbosity:
                self.stdout.write(f"Added the call data in {time.monotonic() - started:.0f} s.")
        if lacks_people or lacks_calls:
            return
        if already_seeded():
            if if_empty:
                if verbosity:
                    self.stdout.write("Scale data is already there.")
                return
            raise CommandError("Scale data is already there: seed an empty database.")
        started = time.monotonic()
        sizes = seed_scale(factor, progress=progress)
        if verbosity:
            sys.stderr.write("\n")
            total = sum(vars(sizes).values())
            self.stdout.write(
                f"Seeded {total:,} records at factor {factor:g} "
                f"in {time.monotonic() - started:.0f} s."
            )

    def quiet(self, table: str, done: int, total: int) -> None:
        pass

    def progress(self, table: str, done: int, total: int) -> None:
        width = 30
        filled = width * done // max(total, 1)
        bar = "#" * filled + "-" * (width - filled)
        sys.stderr.write(f"\r{table:<24} [{bar}] {done:>9,}/{total:,}")
        if done >= total:
            sys.stderr.write("\n")
        sys.stderr.flush()
