"""What the panel screens read: reports, their figures (a published copy, or the latest
snapshot), and the report built from them; drug-related deaths and shaded periods. Who
sees each kind is its rule in `accounts.permissions.RECORD_RULES`."""

import datetime
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.core.cache import cache
from django.db.models import OuterRef, QuerySet, Subquery
from django.utils import timezone

from accounts.access import get_record_for_user
from accounts.models import User
from accounts.permissions import visible_to

from .drafts import DraftSentence, arranged, draft_sentences, entries_of, order_of
from .filters import DeathFilter, ReportFilter
from .models import TITLE_BLOCK_FIELDS, ChartAnnotation, DrugDeath, PanelReport, StatisticsSnapshot
from .periods import Kind, Period, quarter_of
from .report import Section, Table, report_sections, table_named
from .statistics import panel_statistics


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


def reports_in_preparation(*, user: User, limit: int) -> list[PanelReport]:
    """The reports `user` may read that are not yet published, latest period first, each
    with `figures_status`, the state of the figures it is written from (a
    `StatisticsSnapshot.Status`, or None when they were never asked for): one query."""
    snapshot = StatisticsSnapshot.objects.filter(
        start=OuterRef("start"), end=OuterRef("end"), as_at=OuterRef("as_at")
    )
    reports = visible_to(user, PanelReport.objects.filter(published_at__isnull=True))
    return list(reports.annotate(figures_status=Subquery(snapshot.values("status")[:1]))[:limit])


@dataclass(frozen=True)
class Headline:
    """One headline figure of two periods, as the panel's statistics count it."""

    label: str
    current: Any
    previous: Any
    money: bool = False


# (label, figure family, figure, is money): what a manager looks at first.
HEADLINE_FIGURES = (
    ("Lines identified", "lines", "identified", False),
    ("Lines active at the end", "lines", "active_at_end", False),
    ("Lines closed", "lines", "closed", False),
    ("Arrests", "enforcement", "arrests", False),
    ("People charged", "enforcement", "persons_charged", False),
    ("People sentenced", "enforcement", "persons_sentenced", False),
    ("Years of custody", "enforcement", "custody_years", False),
    ("Cash seized", "enforcement", "cash_seized_gbp", True),
    ("Cuckooing referrals", "safeguarding", "referrals_opened", False),
    ("Drug-related deaths", "drug_deaths", "total", False),
)


@dataclass(frozen=True)
class QuarterHeadlines:
    current: Period
    previous: Period
    figures: list[Headline]
    counted_at: datetime.datetime


# Two quarters of panel_statistics cost 50 queries and 0.3-0.4 s on the demo data (SQLite
# and PostgreSQL alike), too much for a page opened every morning; a quarter's figures
# move slowly, so the home page shows them as counted a few minutes ago, and says when.
HEADLINES_KEPT_SECONDS = 600


def quarter_headlines(*, today: datetime.date) -> QuarterHeadlines:
    """This quarter so far beside the whole of last quarter, each counted by
    `panel_statistics`, as the panel paper counts them; kept in the shared cache for
    `HEADLINES_KEPT_SECONDS`."""
    key = f"panel:quarter-headlines:{today.isoformat()}"
    headlines = cache.get(key)
    if headlines is None:
        headlines = _quarter_headlines(today)
        cache.set(key, headlines, timeout=HEADLINES_KEPT_SECONDS)
    return headlines


def _quarter_headlines(today: datetime.date) -> QuarterHeadlines:
    quarter = quarter_of(today)
    current = Period(Kind.CUSTOM, quarter.start, today)  # named by its dates: not a whole one
    previous = quarter.previous()
    now = panel_statistics(start=current.start, end=current.end)
    before = panel_statistics(start=previous.start, end=previous.end)
    return QuarterHeadlines(
        current,
        previous,
        [
            Headline(label, now[family][key], before[family][key], money)
            for label, family, key, money in HEADLINE_FIGURES
        ],
        timezone.now(),
    )
