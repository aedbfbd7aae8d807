"""What every format of the report prints (panel.documents): the report, its figures and
its sections, with the marking."""

from dataclasses import dataclass

from django.utils.dateformat import format as date_format

from .models import PanelReport
from .periods import Period
from .report import Section
from .selectors import ReportFigures


@dataclass
class Document:
    """What every format prints: the report, its figures and its sections."""

    report: PanelReport
    period: Period
    figures: ReportFigures
    sections: list[Section]
    marking: str

    @property
    def as_at(self) -> str:
        return f"Figures as at {date_format(self.report.as_at, 'j F Y')}"

    @property
    def title_block(self) -> list[tuple[str, str]]:
        """The paper's title block as its first page prints it, in every format: what
        and its value, those left blank left out."""
        report = self.report
        author = ", ".join(part for part in (report.author_name, report.author_role) if part)
        meeting = date_format(report.meeting_date, "j F Y") if report.meeting_date else ""
        rows = [
            ("Panel", report.panel_name),
            ("Meeting date", meeting),
            ("Agenda item", report.agenda_item),
            ("Force", report.force_name),
            ("Author", author if report.author_name else ""),
            ("Period", self.period.name),
            ("Figures as at", date_format(report.as_at, "j F Y")),
            ("Marking", report.marking),
        ]
        return [(label, value) for label, value in rows if value]

    def context(self) -> dict[str, object]:
        return {
            "title_block": self.title_block,
            "report": self.report,
            "period": self.period,
            "figures": self.figures,
            "sections": self.sections,
            "marking": self.marking,
        }
