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

    def context(self) -> dict:
        return {
            "report": self.report,
            "period": self.period,
            "figures": self.figures,
            "sections": self.sections,
            "marking": self.marking,
        }
