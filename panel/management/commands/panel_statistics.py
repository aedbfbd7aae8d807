"""`manage.py panel_statistics --start DATE --end DATE [--as-at DATE]` (interfaces.md §1):
the panel statistics of the period as one JSON object on stdout."""

import datetime
import json

from django.core.management.base import BaseCommand, CommandError

from panel.statistics import PeriodError, panel_statistics


def _date(text: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"“{text}” is not a date in the form YYYY-MM-DD.") from None


class Command(BaseCommand):
    help = "Print the panel statistics of a period as JSON (interfaces.md §3)."

    def add_arguments(self, parser):
        parser.add_argument("--start", required=True, help="first day, YYYY-MM-DD")
        parser.add_argument("--end", required=True, help="last day, YYYY-MM-DD")
        parser.add_argument("--as-at", dest="as_at", help="defaults to --end")

    def handle(self, *args, start, end, as_at=None, **options):
        start, end = _date(start), _date(end)
        try:
            figures = panel_statistics(start=start, end=end, as_at=_date(as_at) if as_at else None)
        except PeriodError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(json.dumps(figures, ensure_ascii=False))
