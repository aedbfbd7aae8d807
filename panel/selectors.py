"""What the panel screens read: reports, their figures (a published copy, or the latest
snapshot), and the report built from them; drug-related deaths and shaded periods. Who
sees each kind is its rule in `accounts.permissions.RECORD_RULES`."""

import datetime
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from accounts.access import get_record_for_user
from accounts.models import User
from accounts.permissions import visible_to

from .drafts import DraftSentence, arranged, draft_sentences, entries_of, order_of
from .filters import DeathFilter, ReportFilter
from .models import TITLE_BLOCK_FIELDS, ChartAnnotation, DrugDeath, PanelReport, StatisticsSnapshot
from .report import Section, Table, report_sections, table_named


def get_report_for_user(user: User, pk: int | str, *, to_change: bool = False) -> PanelReport:
    return get_record_for_user(user, PanelReport.objects.all(), pk, to_change=to_change)


def get_death_for_user(user: User, pk: int | str, *, to_change: bool = False) -> DrugDeath:
    deaths = DrugDeath.objects.prefetch_related("substances")
    return get_record_for_user(user, deaths, pk, to_change=to_change)


def get_annotation_for_user(
    user: User, pk: int | str, *, to_change: bool = False
) -> ChartAnnotation:
    return get_record_for_user(user, ChartAnnotation.objects.all(), pk, to_change=to_change)


def report_list(*, user: User, filters: dict[str, Any]) -> ReportFilter:
    """The panel reports, for those who read them: the FilterSet."""
    reports = visible_to(user, PanelReport.objects.select_related("published_by"))
    return ReportFilter(filters, queryset=reports)


REPORT_EXPORT_COLUMNS = ("title", "period_kind", "start", "end", "as_at", "published_at")


def report_export_rows(*, reports: QuerySet[PanelReport]) -> Iterator[list[Any]]:
    for row in reports.values_list(*REPORT_EXPORT_COLUMNS).iterator(chunk_size=2000):
        yield [value.isoformat() if hasattr(value, "isoformat") else value or "" for value in row]


def death_list(*, user: User, filters: dict[str, Any]) -> DeathFilter:
    """The drug-related deaths, for those who record them: the FilterSet."""
    deaths = visible_to(
        user, DrugDeath.objects.select_related("command_area").prefetch_related("substances")
    )
    return DeathFilter(filters, queryset=deaths)


# The export's columns, named as the `deaths` import's.
DEATH_EXPORT_HEADER = ("reference", "date_of_death", "command_area", "substances", "source")


def death_export_rows(*, deaths: QuerySet[DrugDeath]) -> Iterator[list[Any]]:
    for death in deaths.iterator(chunk_size=2000):
        yield [
            death.reference,
            death.date_of_death.isoformat(),
            death.command_area.name if death.command_area else "",
            ";".join(drug.name for drug in death.substances.all()),
            death.source,
        ]


def annotation_list(*, user: User) -> QuerySet[ChartAnnotation]:
    """The shaded periods, for those who keep them."""
    return visible_to(user, ChartAnnotation.objects.all())


def annotations() -> list[tuple[str, Any, Any]]:
    """Every shaded period, as the report's charts and sentences take them."""
    return [(a.name, a.starts_on, a.ends_on) for a in ChartAnnotation.objects.all()]


def snapshot_of(
    *, start: datetime.date, end: datetime.date, as_at: datetime.date
) -> StatisticsSnapshot | None:
    """The figures of a period as at a date, computed or asked for, if they ever were."""
    return StatisticsSnapshot.objects.filter(start=start, end=end, as_at=as_at).first()


@dataclass
class ReportFigures:
    """What a report shows and where it comes from."""

    status: str  # a StatisticsSnapshot.Status, or "missing"
    figures: dict | None
    previous: dict | None
    computed_at: Any
    snapshot: StatisticsSnapshot | None

    @property
    def ready(self) -> bool:
        return self.figures is not None


def report_figures(report: PanelReport) -> ReportFigures:
    if report.is_published:
        return ReportFigures(
            StatisticsSnapshot.Status.READY,
            report.published_figures,
            report.published_previous,
            report.published_computed_at,
            None,
        )
    snapshot = snapshot_of(start=report.start, end=report.end, as_at=report.as_at)
    if snapshot is None:
        return ReportFigures("missing", None, None, None, None)
    ready = bool(snapshot.figures)  # figures computed before stay shown while refreshing
    return ReportFigures(
        snapshot.status,
        snapshot.figures if ready else None,
        snapshot.previous_figures if ready else None,
        snapshot.computed_at,
        snapshot,
    )


@dataclass
class SectionDraft:
    """A section as the manager's draft makes it, with its sentences as `DraftSentence`s
    (the section's own `sentences` are the same sentences, as the `str`s every format
    prints)."""

    section: Section
    sentences: list[DraftSentence]


def section_drafts(report: PanelReport, figures: ReportFigures) -> list[SectionDraft]:
    """Every section of the report written out from its figures (tables, charts, the
    chart annotations, the managers' own paragraphs), in the order written, its
    sentences as the manager's draft makes them (`panel.drafts`: `DraftSentence`s, those
    left out included) or, once published, as they were published; none until the
    figures are computed."""
    if figures.figures is None:
        return []
    sections = report_sections(
        period=report.period,
        as_at=report.as_at,
        figures=figures.figures,
        previous=figures.previous,
        annotations=annotations(),
        own_text=report.paragraphs,
    )
    drafts = []
    for section in sections:
        sentences: list[DraftSentence]
        if report.published_sentences is not None:
            published = report.published_sentences.get(section.key, section.sentences)
            sentences = [DraftSentence(sentence) for sentence in published]
        else:
            sentences = draft_sentences(
                entries_of(report.drafts.get(section.key)), section.sentences
            )
        section.sentences = list(sentences)
        drafts.append(SectionDraft(section, sentences))
    return drafts


def drafted_sections(report: PanelReport, figures: ReportFigures) -> list[Section]:
    """The report's sections as `section_drafts` writes them."""
    return [draft.section for draft in section_drafts(report, figures)]


def section_draft(report: PanelReport, figures: ReportFigures, key: str) -> SectionDraft | None:
    """The section `key` as `section_drafts` writes it; None if the report has none."""
    return next(
        (draft for draft in section_drafts(report, figures) if draft.section.key == key), None
    )


@dataclass
class Paper:
    """The report as the manager has made it: its sections in their order, less those
    left out, and those left out."""

    sections: list[Section]
    left_out: list[Section]


def report_paper(report: PanelReport, figures: ReportFigures) -> Paper:
    sections = drafted_sections(report, figures)
    for section in sections:
        section.sentences = [s for s in section.sentences if not getattr(s, "left_out", False)]
    shown = arranged(sections, order_of(report.section_order), report.sections_left_out)
    return Paper(shown, [section for section in sections if section not in shown])


def report_sections_for(report: PanelReport, figures: ReportFigures) -> list[Section]:
    """The report as every format prints it: the sections the manager kept, in their
    order, each sentence as they left it."""
    return report_paper(report, figures).sections


def report_table(report: PanelReport, name: str) -> Table | None:
    """One of the report's tables by name, as the report shows it; None while its figures
    are not computed, or if it has no such table (or its section is left out)."""
    figures = report_figures(report)
    return table_named(report_sections_for(report, figures), name) if figures.ready else None


def title_block_last() -> dict[str, Any]:
    """The title block of the report prepared last, offered for the next (its meeting
    date left out: the next meeting's is another)."""
    last = PanelReport.objects.order_by("-created_at", "-pk").first()
    if last is None:
        return {}
    return {name: getattr(last, name) for name in TITLE_BLOCK_FIELDS if name != "meeting_date"}
