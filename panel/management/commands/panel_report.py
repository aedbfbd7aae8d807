"""`manage.py panel_report --start DATE --end DATE [--as-at DATE] --format html|pdf|docx
--output PATH [--meeting-date DATE] [--title TEXT]` (interfaces.md §6).

Writes the panel paper of a period as a fresh draft: the document a manager downloads
from the report page, with the sentences generated from the figures and none of a
manager's edits. For papers prepared on the server (a scheduled run, a committee
services' script) without anyone signing in. The figures are computed now (and kept, as
the report page would keep them); no report is created.

It discloses what the screens do, so it writes the same audit event as a download from
the report page, naming the command and the operating-system user who ran it.
"""

import datetime
import getpass
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from audit.services import Action, audit_event_record
from panel import documents
from panel.models import PanelReport
from panel.periods import Kind, Period, financial_year_of, month_of, quarter_of, year_of
from panel.snapshots import snapshot_compute

FORMATS = {
    "html": lambda report: documents.report_html(report).encode(),
    "pdf": documents.report_pdf,
    "docx": documents.report_docx,
}
TITLE_LENGTH = PanelReport._meta.get_field("title").max_length


def _date(option: str, text: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"{option}: “{text}” is not a date in the form YYYY-MM-DD.") from None


def period_between(start: datetime.date, end: datetime.date) -> Period:
    """The period the dates make: a calendar or financial year, a quarter or a month
    when they are one (so that the paper names it "2021" and compares it with 2020),
    any other dates otherwise."""
    for of in (year_of, financial_year_of, quarter_of, month_of):
        period = of(start)
        if (period.start, period.end) == (start, end):
            return period
    return Period(Kind.CUSTOM, start, end)


class Command(BaseCommand):
    help = (
        "Write the panel paper of a period (a fresh draft, without a manager's edits) as "
        "HTML, PDF or Word."
    )

    def add_arguments(self, parser):
        parser.add_argument("--start", required=True, help="first day, YYYY-MM-DD")
        parser.add_argument("--end", required=True, help="last day, YYYY-MM-DD")
        parser.add_argument("--as-at", dest="as_at", help="YYYY-MM-DD; defaults to --end")
        parser.add_argument("--format", required=True, choices=sorted(FORMATS))
        parser.add_argument("--output", required=True, help="the file to write")
        parser.add_argument("--meeting-date", dest="meeting_date", help="YYYY-MM-DD")
        parser.add_argument("--title", help="the paper's title")

    def handle(self, *args, **options):
        start = _date("--start", options["start"])
        end = _date("--end", options["end"])
        as_at = _date("--as-at", options["as_at"]) if options["as_at"] else end
        meeting = options["meeting_date"]
        meeting = _date("--meeting-date", meeting) if meeting else None
        if end < start:
            raise CommandError(f"--end: {end} is before the start ({start}).")
        if as_at < end:
            raise CommandError(f"--as-at: {as_at} is before the end ({end}).")
        output = Path(options["output"])
        if not output.parent.is_dir():
            raise CommandError(f"--output: the folder {output.parent} does not exist.")
        period = period_between(start, end)
        title = (
            options["title"] or ""
        ).strip() or f"Police, Fire and Crime Panel report: {period.name}"
        if len(title) > TITLE_LENGTH:
            raise CommandError(f"--title: at most {TITLE_LENGTH} characters ({len(title)} given).")

        snapshot_compute(period=period, as_at=as_at)
        # A report that is never saved: the paper as the figures write it, no one's edits.
        report = PanelReport(
            period_kind=period.kind, start=start, end=end, as_at=as_at, title=title
        )
        if meeting is not None:
            report.meeting_date = meeting
        content = FORMATS[options["format"]](report)
        try:
            output.write_bytes(content)
        except OSError as error:
            raise CommandError(f"--output: cannot write {output}: {error.strerror}.") from None
        audit_event_record(
            action=Action.EXPORT,
            object_type=PanelReport._meta.label_lower,
            object_label=title,
            detail={
                "format": options["format"],
                "start": start.isoformat(),
                "end": end.isoformat(),
                "as_at": as_at.isoformat(),
                "output": str(output),
                # Run on the server by whoever may: the system account says who that was.
                "via": "manage.py panel_report",
                "system_user": getpass.getuser(),
            },
        )
        if options["verbosity"] > 0:
            self.stdout.write(f"wrote {output}")
